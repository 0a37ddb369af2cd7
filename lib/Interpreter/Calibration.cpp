//===- Calibration.cpp - Gather activation statistics ---------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Interpreter/Calibration.h"
#include "qc/Interpreter/Interpreter.h"
#include "qc/runtime/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
using namespace qc;

//===----------------------------------------------------------------------===//
// Loading samples
//===----------------------------------------------------------------------===//

static std::string argumentName(func::FuncOp f, unsigned i) {
  if (auto name = f.getArgAttrOfType<StringAttr>(i, "qnt.name"))
    return name.str();
  return "arg" + std::to_string(i);
}

std::vector<rt::Tensor> qc::splitIntoSamples(const rt::Tensor &array,
                                             RankedTensorType type,
                                             std::string &message) {
  std::string ignored;
  if (succeeded(checkInputAgainstType(array, type, ignored)))
    return {toInterpreterValue(array, type)};
  // N samples along a new leading dimension, or along a leading dimension
  // of size 1.
  std::vector<int64_t> one(type.getShape().begin(), type.getShape().end());
  bool stacked = array.rank() == type.getRank() + 1;
  bool batched = !stacked && array.rank() == type.getRank() &&
                 type.getRank() > 0 && type.getDimSize(0) == 1;
  if (stacked || batched) {
    int64_t count = array.dim(0);
    rt::Tensor probe = rt::Tensor(array.dtype(), one);
    std::vector<rt::Tensor> samples;
    size_t bytes = probe.byteSize();
    if (count > 0 && bytes * count == array.byteSize() &&
        succeeded(checkInputAgainstType(probe, type, message))) {
      for (int64_t i = 0; i < count; ++i) {
        rt::Tensor sample(array.dtype(), one);
        std::memcpy(sample.raw(), array.raw() + i * bytes, bytes);
        samples.push_back(toInterpreterValue(sample, type));
      }
      return samples;
    }
  }
  (void)checkInputAgainstType(array, type, message);
  return {};
}

static LogicalResult loadFile(func::FuncOp f, const std::string &path,
                              std::vector<CalibrationSample> &out) {
  std::string error;
  std::vector<std::pair<std::string, rt::Tensor>> arrays;
  if (llvm::StringRef(path).ends_with(".npz")) {
    if (!rt::readNpz(path, arrays, error))
      return f.emitError() << "calibration file " << path << ": " << error;
  } else {
    rt::Tensor tensor;
    if (!rt::readNpy(path, tensor, error))
      return f.emitError() << "calibration file " << path << ": " << error;
    if (f.getNumArguments() != 1)
      return f.emitError() << "calibration file " << path
                           << ": a .npy file feeds a one-argument function; "
                              "this one takes "
                           << f.getNumArguments()
                           << " (use a .npz with one array per argument)";
    arrays.emplace_back(argumentName(f, 0), std::move(tensor));
  }
  std::vector<std::vector<rt::Tensor>> perArg(f.getNumArguments());
  for (unsigned i = 0; i < f.getNumArguments(); ++i) {
    auto it = llvm::find_if(arrays, [&](const auto &a) {
      return a.first == argumentName(f, i);
    });
    if (it == arrays.end())
      return f.emitError() << "calibration file " << path
                           << ": no array named '" << argumentName(f, i)
                           << "'";
    auto type = dyn_cast<RankedTensorType>(f.getArgumentTypes()[i]);
    std::string message;
    perArg[i] = type ? splitIntoSamples(it->second, type, message)
                     : std::vector<rt::Tensor>();
    if (perArg[i].empty())
      return f.emitError() << "calibration file " << path << ", array '"
                           << it->first << "': " << message;
    if (perArg[i].size() != perArg[0].size())
      return f.emitError() << "calibration file " << path
                           << ": arrays hold different numbers of samples";
  }
  size_t count = f.getNumArguments() ? perArg[0].size() : 0;
  for (size_t s = 0; s < count; ++s) {
    CalibrationSample sample;
    sample.source = path + (count > 1 ? "[" + std::to_string(s) + "]" : "");
    for (auto &arg : perArg)
      sample.inputs.push_back(std::move(arg[s]));
    out.push_back(std::move(sample));
  }
  return success();
}

LogicalResult qc::loadCalibrationSamples(func::FuncOp f, StringRef path,
                                         std::vector<CalibrationSample> &out) {
  if (!llvm::sys::fs::is_directory(path)) {
    if (!llvm::sys::fs::exists(path))
      return f.emitError() << "calibration data " << path
                           << " does not exist";
    return loadFile(f, path.str(), out);
  }
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
       it.increment(ec)) {
    StringRef name = it->path();
    if (name.ends_with(".npy") || name.ends_with(".npz"))
      files.push_back(name.str());
  }
  if (ec)
    return f.emitError() << "calibration directory " << path << ": "
                         << ec.message();
  std::sort(files.begin(), files.end());
  if (files.empty())
    return f.emitError() << "calibration directory " << path
                         << " holds no .npy or .npz files";
  for (const std::string &file : files)
    if (failed(loadFile(f, file, out)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Statistics
//===----------------------------------------------------------------------===//

namespace {

bool isF32Tensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getElementType().isF32();
}

/// "calibration: 120/300 samples, 85.3/s" on a terminal, rewritten in place.
class Progress {
public:
  Progress(size_t total, StringRef what)
      : total_(total), what_(what.str()),
        enabled_(llvm::errs().is_displayed()),
        start_(std::chrono::steady_clock::now()) {}
  void step(size_t done) {
    if (!enabled_)
      return;
    double seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start_)
                         .count();
    llvm::errs() << "\r" << what_ << ": " << done << "/" << total_
                 << " samples, "
                 << llvm::format("%.1f", seconds > 0 ? done / seconds : 0.0)
                 << "/s";
    if (done == total_)
      llvm::errs() << "\n";
  }

private:
  size_t total_;
  std::string what_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

} // namespace

LogicalResult qc::gatherStatistics(func::FuncOp f,
                                   ArrayRef<CalibrationSample> samples,
                                   bool histogram, double emaDecay,
                                   TensorStatistics &stats) {
  // Fix the order of the map: arguments, then op results in program order.
  for (BlockArgument arg : f.getArguments())
    if (isF32Tensor(arg))
      stats[arg];
  f.walk([&](Operation *op) {
    for (Value v : op->getResults())
      if (isF32Tensor(v))
        stats[v];
  });

  Interpreter interpreter;
  auto runAll = [&](StringRef what, auto observe) -> LogicalResult {
    interpreter.setObserver([&](Value v, const rt::Tensor &t) {
      auto it = stats.find(v);
      if (it != stats.end() && t.dtype() == rt::DType::F32)
        observe(it->second, t);
    });
    Progress progress(samples.size(), what);
    for (size_t s = 0; s < samples.size(); ++s) {
      for (auto [arg, input] : llvm::zip(f.getArguments(), samples[s].inputs))
        if (auto it = stats.find(arg); it != stats.end())
          observe(it->second, input);
      std::vector<rt::Tensor> outputs;
      if (failed(interpreter.run(f, samples[s].inputs, outputs)))
        return f.emitError() << "calibration failed on sample "
                             << samples[s].source;
      progress.step(s + 1);
    }
    return success();
  };

  if (failed(runAll("calibration", [&](rt::TensorStats &st,
                                       const rt::Tensor &t) {
        st.observe(t.data<float>(), t.numElements(), emaDecay);
      })))
    return failure();
  if (!histogram)
    return success();
  for (auto &entry : stats)
    entry.second.startHistogram();
  return runAll("calibration histograms",
                [&](rt::TensorStats &st, const rt::Tensor &t) {
                  st.observeHistogram(t.data<float>(), t.numElements());
                });
}
