//===- quant-run.cpp - run a qnt model on NumPy inputs --------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// quant-run MODEL.mlir --target=ref --input NAME=FILE.npy ... --output-dir DIR
//
// Runs a model's entry function on .npy inputs and writes one .npy per
// result, with a one-line summary of each. `--target=ref` is the reference
// interpreter; later back ends (cpu, npu) plug into the same interface.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntDialect.h"
#include "qc/Interpreter/Calibration.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Interpreter/Interpreter.h"
#include "qc/Interpreter/LayerComparison.h"
#include "qc/Pipelines/Registration.h"
#include "qc/Target/Cpu/JitRunner.h"
#include "qc/Target/Onnx/OnnxImporter.h"
#include "qc/runtime/Npy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir or model.onnx>"));
static cl::opt<std::string>
    target("target", cl::init("ref"),
           cl::desc("Where to run: ref (the reference interpreter) or cpu "
                    "(compiled for the host and run, JIT)"));
static cl::opt<std::string>
    cpu("cpu", cl::init("native"),
        cl::desc("With --target=cpu: the CPU whose instructions the kernels "
                 "may use (native, generic, or an LLVM CPU name such as "
                 "x86-64-v3); the code must still run on this host"));
static cl::opt<unsigned>
    benchRuns("bench", cl::init(0),
              cl::desc("With --target=cpu: also time N runs of the first "
                       "sample and print the time per inference"));
static cl::list<std::string>
    inputs("input",
           cl::desc("An input as NAME=FILE.npy (NAME is the argument's "
                    "qnt.name attribute, argN, or its position N) or FILE.npy "
                    "(inputs in argument order)"),
           cl::value_desc("NAME=FILE.npy"));
static cl::opt<std::string>
    outputDir("output-dir", cl::init("."),
              cl::desc("Directory for the result .npy files"));
static cl::opt<std::string> compareFloat(
    "compare-float", cl::init(""),
    cl::desc("FLOAT.mlir: the float model MODEL was quantized from; instead "
             "of writing results, run both in the reference interpreter and "
             "print, for every layer, SQNR, cosine similarity and max abs "
             "error of the quantized layer (dequantized) against the float "
             "one, over all input samples"),
    cl::value_desc("FLOAT.mlir"));
static cl::opt<bool>
    compareJson("json", cl::init(false),
                cl::desc("With --compare-float: print JSON instead of a table"));
static cl::opt<std::string>
    entry("entry", cl::init(""),
          cl::desc("Function to run (default: @main, or the only function)"));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "quant-run: error: " << message << "\n";
  return 1;
}

/// The function to run: --entry, else @main, else the only function.
static func::FuncOp findEntry(ModuleOp module, std::string &error) {
  if (!entry.empty()) {
    auto f = module.lookupSymbol<func::FuncOp>(entry);
    if (!f)
      error = "no function @" + entry + " in the model";
    return f;
  }
  if (auto f = module.lookupSymbol<func::FuncOp>("main"))
    return f;
  SmallVector<func::FuncOp> functions;
  for (auto f : module.getOps<func::FuncOp>())
    if (!f.isExternal())
      functions.push_back(f);
  if (functions.size() == 1)
    return functions.front();
  error = functions.empty() ? "the model has no function"
                            : "the model has several functions; choose one "
                              "with --entry";
  return {};
}

/// The name of argument or result `index`: its qnt.name attribute or
/// prefix + index.
static std::string nameOf(DictionaryAttr attrs, StringRef prefix,
                          unsigned index) {
  if (attrs)
    if (auto name = attrs.getAs<StringAttr>("qnt.name"))
      return name.str();
  return (prefix + llvm::Twine(index)).str();
}

/// Maps each --input to an argument position; false with a message on a
/// bad or unknown name.
static bool assignInputs(func::FuncOp f, std::vector<std::string> &files,
                         std::string &error) {
  unsigned numArgs = f.getNumArguments();
  files.assign(numArgs, "");
  unsigned next = 0;
  for (const std::string &spec : inputs) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos) {
      if (next >= numArgs) {
        error = "too many inputs: the function takes " +
                std::to_string(numArgs);
        return false;
      }
      files[next++] = spec;
      continue;
    }
    std::string name = spec.substr(0, eq);
    int found = -1;
    for (unsigned i = 0; i < numArgs; ++i)
      if (nameOf(f.getArgAttrDict(i), "arg", i) == name ||
          "arg" + std::to_string(i) == name || std::to_string(i) == name)
        found = static_cast<int>(i);
    if (found < 0) {
      error = "no argument named '" + name + "'";
      return false;
    }
    files[found] = spec.substr(eq + 1);
  }
  for (unsigned i = 0; i < numArgs; ++i)
    if (files[i].empty()) {
      error = "missing input for argument " + nameOf(f.getArgAttrDict(i), "arg", i);
      return false;
    }
  return true;
}

/// "min -1.5, max 3, mean 0.25" (and argmax for a vector of scores).
static std::string summarize(const qc::rt::Tensor &t) {
  int64_t n = t.numElements();
  if (n == 0)
    return "empty";
  double lo = t.getAsDouble(0), hi = lo, sum = 0;
  int64_t argmax = 0;
  for (int64_t i = 0; i < n; ++i) {
    double v = t.getAsDouble(i);
    lo = std::min(lo, v);
    if (v > hi) {
      hi = v;
      argmax = i;
    }
    sum += v;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "min " << llvm::format("%.6g", lo) << ", max "
     << llvm::format("%.6g", hi) << ", mean " << llvm::format("%.6g", sum / n);
  if (t.rank() <= 2 && (t.rank() < 2 || t.dim(0) == 1))
    os << ", argmax " << argmax;
  return text;
}

/// One sample's result as is; several joined along the leading dimension
/// when it is 1, else stacked along a new one.
static qc::rt::Tensor stack(const std::vector<const qc::rt::Tensor *> &parts) {
  const qc::rt::Tensor &first = *parts.front();
  if (parts.size() == 1)
    return first;
  std::vector<int64_t> shape = first.shape();
  if (!shape.empty() && shape[0] == 1)
    shape[0] = static_cast<int64_t>(parts.size());
  else
    shape.insert(shape.begin(), static_cast<int64_t>(parts.size()));
  qc::rt::Tensor out(first.dtype(), shape);
  size_t bytes = first.byteSize();
  for (size_t i = 0; i < parts.size(); ++i)
    std::memcpy(out.raw() + i * bytes, parts[i]->raw(), bytes);
  return out;
}

/// --compare-float: the per-layer error table (or JSON).
static int compareWithFloat(MLIRContext &context, func::FuncOp quantized,
                            const std::vector<std::vector<qc::rt::Tensor>> &perArg,
                            size_t count) {
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> floatModule =
      parseSourceFile<ModuleOp>(compareFloat, sourceMgr, &context);
  if (!floatModule)
    return 1;
  // The quantized graph has its batch norms folded: fold the float one.
  PassManager pm(&context);
  pm.addPass(qc::qnt::createQntFoldBatchNormPass());
  if (failed(pm.run(*floatModule)))
    return 1;
  std::string error;
  func::FuncOp floatFn = findEntry(*floatModule, error);
  if (!floatFn)
    return fail(compareFloat + ": " + error);
  if (floatFn.getArgumentTypes() != quantized.getArgumentTypes())
    return fail("the float and the quantized model take different inputs "
                "(--compare-float needs a quantized model with float edges)");
  std::vector<std::vector<qc::rt::Tensor>> samples(count);
  for (size_t s = 0; s < count; ++s)
    for (auto &arg : perArg)
      samples[s].push_back(arg[s]);
  auto layers = qc::compareLayers(quantized, floatFn, samples);
  if (failed(layers))
    return 1;
  auto number = [](double v) {
    return std::isinf(v) ? std::string("inf")
                         : llvm::formatv("{0:F2}", v).str();
  };
  if (compareJson) {
    llvm::outs() << "[\n";
    for (auto [i, l] : llvm::enumerate(*layers)) {
      llvm::outs() << "  {\"index\": " << i << ", \"op\": \"" << l.op
                   << "\", \"shape\": [";
      llvm::interleaveComma(l.shape, llvm::outs());
      llvm::outs() << "], \"sqnr_db\": "
                   << (std::isinf(l.sqnrDb()) ? std::string("null")
                                              : number(l.sqnrDb()))
                   << ", \"cosine\": " << llvm::formatv("{0:F6}", l.cosine())
                   << ", \"max_abs_error\": " << llvm::formatv("{0:E3}", l.maxAbs)
                   << ", \"feeds_activation\": "
                   << (l.feedsActivation ? "true" : "false") << "}" << (i + 1 < layers->size() ? "," : "") << "\n";
    }
    llvm::outs() << "]\n";
    return 0;
  }
  llvm::outs() << "per-layer error, quantized vs float (" << count
               << (count == 1 ? " sample" : " samples") << ")\n";
  llvm::outs() << "| # | op | shape | SQNR dB | cosine | max abs error | "
                  "note |\n"
               << "|---|---|---|---|---|---|---|\n";
  for (auto [i, l] : llvm::enumerate(*layers)) {
    llvm::outs() << "| " << i << " | " << l.op << " | ";
    llvm::interleave(l.shape, llvm::outs(), "x");
    llvm::outs() << " | " << number(l.sqnrDb()) << " | "
                 << llvm::formatv("{0:F6}", l.cosine()) << " | "
                 << llvm::formatv("{0:E3}", l.maxAbs) << " | "
                 << (l.feedsActivation ? "clipped to the next activation's range"
                                       : "")
                 << " |\n";
  }
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-run: run a qnt model on NumPy (.npy) inputs and write its "
      "results as .npy\n");
  if (target != "ref" && target != "cpu")
    return fail("--target=" + target +
                " is not available; use --target=ref or --target=cpu");

  DialectRegistry registry;
  qc::registerQuantDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module;
  if (StringRef(modelPath).ends_with(".onnx")) {
    // An ONNX model runs directly (imported as quant-translate
    // --import-onnx would; dynamic shapes need that tool's --input-shape).
    auto bytes = llvm::MemoryBuffer::getFile(modelPath, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (!bytes)
      return fail("cannot read " + modelPath + ": " +
                  bytes.getError().message());
    module = qc::importOnnxBytes((*bytes)->getBuffer(), modelPath, &context,
                                 qc::OnnxImportOptions{});
  } else {
    module = parseSourceFile<ModuleOp>(modelPath, sourceMgr, &context);
  }
  if (!module)
    return 1;

  std::string error;
  func::FuncOp f = findEntry(*module, error);
  if (!f)
    return fail(error);
  if (target == "ref" && failed(qc::checkInterpretable(f)))
    return 1;
  std::vector<std::string> files;
  if (!assignInputs(f, files, error))
    return fail(error);

  // Each input is one sample, or N stacked along the leading dimension; N
  // samples run one after the other and their results are stacked again.
  std::vector<std::vector<qc::rt::Tensor>> perArg;
  size_t count = 0;
  for (unsigned i = 0; i < files.size(); ++i) {
    qc::rt::Tensor tensor;
    if (!qc::rt::readNpy(files[i], tensor, error))
      return fail(files[i] + ": " + error);
    auto type = cast<RankedTensorType>(f.getArgumentTypes()[i]);
    std::string message;
    std::vector<qc::rt::Tensor> samples =
        qc::splitIntoSamples(tensor, type, message);
    if (samples.empty())
      return fail("input '" + nameOf(f.getArgAttrDict(i), "arg", i) + "' (" +
                  files[i] + "): " + message);
    if (i > 0 && samples.size() != count)
      return fail("inputs hold different numbers of samples");
    count = samples.size();
    perArg.push_back(std::move(samples));
  }
  if (files.empty())
    count = 1;

  if (!compareFloat.empty())
    return compareWithFloat(context, f, perArg, count);

  // Compiling replaces the function: keep what the outputs need.
  std::vector<std::string> resultNames;
  std::vector<Type> resultTypes(f.getResultTypes().begin(),
                                f.getResultTypes().end());
  for (unsigned i = 0; i < f.getNumResults(); ++i)
    resultNames.push_back(nameOf(f.getResultAttrDict(i), "output", i));

  std::vector<std::vector<qc::rt::Tensor>> runs;
  if (target == "cpu") {
    auto compiled =
        qc::CompiledModel::compile(*module, f.getSymName(), qc::CpuTarget{cpu});
    if (failed(compiled))
      return 1;
    for (size_t s = 0; s < count; ++s) {
      std::vector<qc::rt::Tensor> args;
      for (auto &samples : perArg)
        args.push_back(samples[s]);
      std::vector<qc::rt::Tensor> results;
      if (failed((*compiled)->run(args, results, error)))
        return fail(error);
      runs.push_back(std::move(results));
    }
    if (benchRuns > 0) {
      std::vector<qc::rt::Tensor> args, results;
      for (auto &samples : perArg)
        args.push_back(samples[0]);
      args = (*compiled)->adaptInputs(args);
      (void)(*compiled)->run(args, results, error); // warm-up
      auto start = std::chrono::steady_clock::now();
      for (unsigned r = 0; r < benchRuns; ++r)
        (void)(*compiled)->run(args, results, error);
      double seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      llvm::outs() << "bench: " << benchRuns << " runs, "
                   << llvm::format("%.3f", 1e6 * seconds / benchRuns)
                   << " us per inference\n";
    }
  } else {
    qc::Interpreter interpreter;
    for (size_t s = 0; s < count; ++s) {
      std::vector<qc::rt::Tensor> args;
      for (auto &samples : perArg)
        args.push_back(samples[s]);
      std::vector<qc::rt::Tensor> results;
      if (failed(interpreter.run(f, args, results)))
        return 1;
      runs.push_back(std::move(results));
    }
  }
  std::vector<qc::rt::Tensor> results;
  for (size_t r = 0; r < runs.front().size(); ++r) {
    std::vector<const qc::rt::Tensor *> parts;
    for (auto &run : runs)
      parts.push_back(&run[r]);
    results.push_back(stack(parts));
  }

  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
    return fail("cannot create " + outputDir + ": " + ec.message());
  for (unsigned i = 0; i < results.size(); ++i) {
    const std::string &name = resultNames[i];
    qc::rt::Tensor user = qc::toUserValue(results[i], resultTypes[i]);
    llvm::SmallString<256> path(outputDir);
    llvm::sys::path::append(path, name + ".npy");
    if (!qc::rt::writeNpy(std::string(path), user, error))
      return fail(std::string(path) + ": " + error);
    llvm::outs() << name << ": " << user.describe() << " -> " << path << " ("
                 << summarize(user) << ")\n";
  }
  return 0;
}
