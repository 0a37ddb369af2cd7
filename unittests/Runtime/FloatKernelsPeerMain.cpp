//===- FloatKernelsPeerMain.cpp - Float kernels against PyTorch/NumPy -----===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The C++ half of test/Runtime/float-kernels-peer.test, whose Python half is
// test/Runtime/Inputs/float_kernels_peer.py. Three modes:
//
//   QCFloatKernelsPeer CASES.npz
//     Runs every case of an archive written by the script: arrays named
//     "<NNN>-<op>-<tag>/<field>" with fields in0, in1, ... (operands), bias,
//     attrs (int64 attributes), fattrs (float64 attributes) and expected
//     (computed by PyTorch/NumPy in float64). Prints one PASS/FAIL line per
//     case and "N cases, M failures"; fails if any kernel has no case.
//   QCFloatKernelsPeer --check-files DIR
//     Reads the .npy/.npz files NumPy wrote into DIR (listed in
//     DIR/manifest.txt) and checks their values, or that malformed ones are
//     rejected with the expected message.
//   QCFloatKernelsPeer --write-ours DIR
//     Writes the same arrays with writeNpy/writeNpz for NumPy to check.
//
// Arrays of the file modes are named "<code>_<dims>" (code f4, f8, i1, u1,
// i2, i4, i8 or b1; dims like "2x3", "s" for a scalar), and element i holds
// a value both sides compute from i (patternValue).
//
// The exit code is non-zero on any failure.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/FloatKernels.h"
#include "qc/runtime/Npy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <type_traits>

using namespace qc::rt;

namespace {

using Arrays = std::vector<std::pair<std::string, Tensor>>;
using Fields = std::map<std::string, const Tensor *>;

//===----------------------------------------------------------------------===//
// Kernel cases
//===----------------------------------------------------------------------===//

/// Every kernel, with the least number of operands (in0, in1, ...),
/// integer attributes and float attributes its cases carry.
struct OpSignature {
  const char *op;
  size_t inputs, ints, floats;
};
const OpSignature kOps[] = {
    {"conv2d", 2, 9, 0},
    {"depthwise_conv2d", 2, 9, 0},
    {"fully_connected", 2, 0, 0},
    {"matmul", 2, 0, 0},
    {"batch_norm", 5, 0, 1},
    {"add", 2, 0, 0},
    {"mul", 2, 0, 0},
    {"clamp", 1, 0, 2},
    {"max_pool2d", 1, 9, 0},
    {"avg_pool2d", 1, 9, 0},
    {"global_avg_pool", 1, 0, 0},
    {"pad", 1, 0, 1},
    {"transpose", 1, 0, 0},
    {"concat", 1, 1, 0},
    {"softmax", 1, 1, 0},
};

/// Typed access to the fields of one case.
class Case {
public:
  explicit Case(const Fields &fields) : fields(fields) {}

  const Tensor *tensor(const std::string &name, std::string &error) const {
    auto it = fields.find(name);
    if (it == fields.end())
      error = "missing field '" + name + "'";
    return it == fields.end() ? nullptr : it->second;
  }
  const Tensor *optional(const std::string &name) const {
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : it->second;
  }
  /// The integer attributes, or an empty vector.
  std::vector<int64_t> ints() const { return listOf<int64_t>("attrs"); }
  std::vector<double> floats() const { return listOf<double>("fattrs"); }
  /// Operands in0, in1, ... in order.
  std::vector<const Tensor *> inputs() const {
    std::vector<const Tensor *> result;
    for (int i = 0;; ++i) {
      const Tensor *t = optional("in" + std::to_string(i));
      if (!t)
        return result;
      result.push_back(t);
    }
  }

private:
  template <typename T> std::vector<T> listOf(const char *name) const {
    std::vector<T> result;
    if (const Tensor *t = optional(name))
      for (int64_t i = 0; i < t->numElements(); ++i)
        result.push_back(std::is_integral<T>::value
                             ? static_cast<T>(t->getAsInt(i))
                             : static_cast<T>(t->getAsDouble(i)));
    return result;
  }
  const Fields &fields;
};

ConvAttrs convAttrs(const std::vector<int64_t> &a) {
  ConvAttrs c;
  c.strideH = a[0], c.strideW = a[1], c.dilationH = a[2], c.dilationW = a[3];
  c.padTop = a[4], c.padBottom = a[5], c.padLeft = a[6], c.padRight = a[7];
  c.groups = a[8];
  return c;
}

PoolAttrs poolAttrs(const std::vector<int64_t> &a) {
  PoolAttrs p;
  p.kernelH = a[0], p.kernelW = a[1], p.strideH = a[2], p.strideW = a[3];
  p.padTop = a[4], p.padBottom = a[5], p.padLeft = a[6], p.padRight = a[7];
  p.countIncludePad = a[8] != 0;
  return p;
}

/// Runs the kernel `op` on the case's operands.
bool runKernel(const std::string &op, const Case &c, Tensor &out,
               std::string &error) {
  std::vector<const Tensor *> in = c.inputs();
  std::vector<int64_t> ints = c.ints();
  std::vector<double> floats = c.floats();
  const OpSignature *sig = nullptr;
  for (const OpSignature &s : kOps)
    if (op == s.op)
      sig = &s;
  if (!sig) {
    error = "unknown op '" + op + "'";
    return false;
  }
  if (in.size() < sig->inputs || ints.size() < sig->ints ||
      floats.size() < sig->floats) {
    error = "case lacks operands or attributes";
    return false;
  }
  const Tensor *bias = c.optional("bias");
  if (op == "conv2d")
    return f32::conv2d(*in[0], *in[1], bias, convAttrs(ints), out, error);
  if (op == "depthwise_conv2d")
    return f32::depthwiseConv2d(*in[0], *in[1], bias, convAttrs(ints), out,
                                error);
  if (op == "fully_connected")
    return f32::fullyConnected(*in[0], *in[1], bias, out, error);
  if (op == "matmul")
    return f32::matmul(*in[0], *in[1], out, error);
  if (op == "batch_norm")
    return f32::batchNorm(*in[0], *in[1], *in[2], *in[3], *in[4], floats[0],
                          out, error);
  if (op == "add")
    return f32::add(*in[0], *in[1], out, error);
  if (op == "mul")
    return f32::mul(*in[0], *in[1], out, error);
  if (op == "clamp")
    return f32::clamp(*in[0], floats[0], floats[1], out, error);
  if (op == "max_pool2d")
    return f32::maxPool2d(*in[0], poolAttrs(ints), out, error);
  if (op == "avg_pool2d")
    return f32::avgPool2d(*in[0], poolAttrs(ints), out, error);
  if (op == "global_avg_pool")
    return f32::globalAvgPool(*in[0], out, error);
  if (op == "pad")
    return f32::pad(*in[0], ints, floats[0], out, error);
  if (op == "transpose")
    return f32::transpose(*in[0], ints, out, error);
  if (op == "concat")
    return f32::concat(in, ints[0], out, error);
  if (op == "softmax")
    return f32::softmax(*in[0], ints[0], out, error);
  error = "unknown op '" + op + "'";
  return false;
}

/// Compares with a tolerance of 1e-4 relative plus 1e-5 absolute: both
/// sides compute in double and round once, so they differ by a rounding.
bool compare(const Tensor &got, const Tensor &expected, double &maxDiff,
             std::string &error) {
  maxDiff = 0;
  if (got.dtype() != DType::F32 || got.shape() != expected.shape()) {
    error = "got " + got.describe() + ", expected " + expected.describe();
    return false;
  }
  for (int64_t i = 0; i < got.numElements(); ++i) {
    double g = got.getAsDouble(i), e = expected.getAsDouble(i);
    if (std::isnan(g) && std::isnan(e))
      continue;
    double diff = std::fabs(g - e);
    maxDiff = std::max(maxDiff, diff);
    if (!(diff <= 1e-4 * std::fabs(e) + 1e-5)) {
      char buf[128];
      std::snprintf(buf, sizeof(buf), "element %lld: got %.9g, expected %.9g",
                    static_cast<long long>(i), g, e);
      error = buf;
      return false;
    }
  }
  return true;
}

/// "<NNN>-<op>-<tag>" -> op.
std::string opOf(const std::string &caseName) {
  size_t a = caseName.find('-'), b = caseName.find('-', a + 1);
  return a == std::string::npos ? "" : caseName.substr(a + 1, b - a - 1);
}

int runCases(const std::string &path) {
  Arrays arrays;
  std::string error;
  if (!readNpz(path, arrays, error)) {
    std::printf("FAIL reading cases: %s\n", error.c_str());
    return 1;
  }
  // Group "case/field" arrays by case, in archive order.
  std::vector<std::string> order;
  std::map<std::string, Fields> cases;
  for (const auto &[name, tensor] : arrays) {
    size_t slash = name.rfind('/');
    std::string caseName = name.substr(0, slash);
    if (!cases.count(caseName))
      order.push_back(caseName);
    cases[caseName][slash == std::string::npos ? "" : name.substr(slash + 1)] =
        &tensor;
  }
  std::map<std::string, int> perOp;
  int failures = 0;
  for (const std::string &name : order) {
    Case c(cases[name]);
    std::string op = opOf(name);
    Tensor got;
    double maxDiff = 0;
    const Tensor *expected = c.tensor("expected", error);
    bool ok = expected && runKernel(op, c, got, error) &&
              compare(got, *expected, maxDiff, error);
    ++perOp[op];
    failures += !ok;
    if (ok)
      std::printf("PASS %s %s max_abs_diff=%.3g\n", name.c_str(),
                  got.describe().c_str(), maxDiff);
    else
      std::printf("FAIL %s: %s\n", name.c_str(), error.c_str());
  }
  for (const OpSignature &s : kOps)
    if (!perOp.count(s.op)) {
      std::printf("FAIL no case exercises %s\n", s.op);
      ++failures;
    }
  std::printf("%zu cases, %d failures\n", order.size(), failures);
  return failures ? 1 : 0;
}

//===----------------------------------------------------------------------===//
// File interoperability
//===----------------------------------------------------------------------===//

struct Code {
  const char *code;
  DType dtype;
};
const Code kCodes[] = {{"f4", DType::F32}, {"f8", DType::F64},
                       {"i1", DType::I8},  {"u1", DType::U8},
                       {"i2", DType::I16}, {"i4", DType::I32},
                       {"i8", DType::I64}, {"b1", DType::Bool}};
/// The shapes of the interoperability arrays, as "<dims>" name parts.
const char *const kShapes[] = {"s",     "0",     "5",        "16x16",
                               "2x0x3", "2x3x4", "1x2x1x3x1"};

/// Element i of the pattern array of type `code` (the script's pattern()).
void setPatternValue(Tensor &t, const std::string &code, int64_t i) {
  uint64_t u = static_cast<uint64_t>(i);
  if (code == "f4")
    t.data<float>()[i] = (static_cast<float>(i) - 7.0f) / 3.0f;
  else if (code == "f8")
    t.data<double>()[i] = (static_cast<double>(i) - 7.0) / 3.0;
  else if (code == "i1")
    t.setFromInt(i, static_cast<int64_t>((u * 37 + 5) % 256) - 128);
  else if (code == "u1")
    t.setFromInt(i, static_cast<int64_t>((u * 37 + 5) % 256));
  else if (code == "i2")
    t.setFromInt(i, static_cast<int64_t>((u * 4099 + 3) % 65536) - 32768);
  else if (code == "i4")
    t.setFromInt(i, static_cast<int64_t>((u * 2654435761u + 11) & 0xffffffffu) -
                        (int64_t(1) << 31));
  else if (code == "i8")
    t.setFromInt(i, static_cast<int64_t>((u * 0x9E3779B97F4A7C15u + 13) ^
                                         (uint64_t(1) << 63)));
  else
    t.setFromInt(i, i % 3 == 0);
}

/// Parses "<code>_<dims>[_<anything>]" into the expected pattern tensor.
bool patternFor(const std::string &name, Tensor &t, std::string &error) {
  std::stringstream ss(name);
  std::string code, dims;
  std::getline(ss, code, '_');
  std::getline(ss, dims, '_');
  const Code *found = nullptr;
  for (const Code &c : kCodes)
    if (code == c.code)
      found = &c;
  if (!found || dims.empty()) {
    error = "cannot parse array name '" + name + "'";
    return false;
  }
  std::vector<int64_t> shape;
  if (dims != "s") {
    std::stringstream ds(dims);
    std::string d;
    while (std::getline(ds, d, 'x'))
      shape.push_back(std::strtoll(d.c_str(), nullptr, 10));
  }
  t = Tensor(found->dtype, shape);
  for (int64_t i = 0; i < t.numElements(); ++i)
    setPatternValue(t, code, i);
  return true;
}

bool sameBytes(const Tensor &a, const Tensor &b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         a.byteSize() == b.byteSize() &&
         std::equal(a.raw(), a.raw() + a.byteSize(), b.raw());
}

/// Checks `tensor`, read as array `name`, against its pattern.
bool checkArray(const std::string &name, const Tensor &tensor,
                std::string &error) {
  Tensor expected;
  if (!patternFor(name, expected, error))
    return false;
  if (!sameBytes(tensor, expected)) {
    error = "array '" + name + "' read as " + tensor.describe() +
            " differs from the expected " + expected.describe();
    return false;
  }
  return true;
}

std::string stem(const std::string &file) {
  size_t dot = file.rfind('.');
  return file.substr(0, dot);
}

/// Handles one manifest line; prints its outcome.
bool checkEntry(const std::string &dir, const std::string &kind,
                const std::string &file, const std::string &phrase) {
  std::string path = dir + "/" + file, error;
  bool isNpz = file.size() > 4 && file.substr(file.size() - 4) == ".npz";
  Tensor tensor;
  Arrays arrays;
  bool read =
      isNpz ? readNpz(path, arrays, error) : readNpy(path, tensor, error);
  if (kind == "bad") {
    bool ok = !read && error.find(phrase) != std::string::npos;
    std::printf("%s %s: %s\n", ok ? "REJECTED" : "FAIL", file.c_str(),
                read ? "was accepted" : error.c_str());
    return ok;
  }
  bool ok = read;
  if (ok && isNpz)
    for (const auto &[name, t] : arrays)
      ok = ok && checkArray(name, t, error);
  else if (ok)
    ok = checkArray(stem(file), tensor, error);
  std::string what =
      isNpz ? std::to_string(arrays.size()) + " arrays" : tensor.describe();
  if (ok)
    std::printf("OK %s %s\n", file.c_str(), what.c_str());
  else
    std::printf("FAIL %s: %s\n", file.c_str(), error.c_str());
  return ok;
}

int checkFiles(const std::string &dir) {
  std::ifstream manifest(dir + "/manifest.txt");
  if (!manifest) {
    std::printf("FAIL cannot open %s/manifest.txt\n", dir.c_str());
    return 1;
  }
  int files = 0, failures = 0;
  std::string line;
  while (std::getline(manifest, line)) {
    std::stringstream ss(line);
    std::string kind, file, phrase;
    ss >> kind >> file;
    std::getline(ss >> std::ws, phrase);
    if (kind.empty())
      continue;
    ++files;
    failures += !checkEntry(dir, kind, file, phrase);
  }
  std::printf("%d files, %d failures\n", files, failures);
  return failures || files == 0 ? 1 : 0;
}

int writeOurs(const std::string &dir) {
  Arrays arrays;
  std::string error;
  for (const Code &c : kCodes)
    for (const char *dims : kShapes) {
      std::string name = std::string(c.code) + "_" + dims;
      Tensor t;
      if (!patternFor(name, t, error) ||
          !writeNpy(dir + "/ours_" + name + ".npy", t, error)) {
        std::printf("FAIL %s\n", error.c_str());
        return 1;
      }
      arrays.emplace_back(name, std::move(t));
    }
  if (!writeNpz(dir + "/ours.npz", arrays, error)) {
    std::printf("FAIL %s\n", error.c_str());
    return 1;
  }
  std::printf("wrote %zu .npy files and ours.npz\n", arrays.size());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 2 && argv[1][0] != '-')
    return runCases(argv[1]);
  if (argc == 3 && std::strcmp(argv[1], "--check-files") == 0)
    return checkFiles(argv[2]);
  if (argc == 3 && std::strcmp(argv[1], "--write-ours") == 0)
    return writeOurs(argv[2]);
  std::fprintf(stderr,
               "usage: %s CASES.npz | --check-files DIR | "
               "--write-ours DIR\n",
               argv[0]);
  return 2;
}
