//===- PropagateRanges.cpp - value ranges of float tensors ----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-propagate-ranges: static interval analysis and calibration
// statistics, merged and attached as #qnt.range attributes for
// qnt-quantize to turn into scales and zero points.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/Analysis/IntervalAnalysis.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Interpreter/Calibration.h"
#include "qc/Interpreter/Interpreter.h"

#include "mlir/Analysis/DataFlow/Utils.h"
#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <algorithm>
#include <optional>

namespace qc::qnt {
#define GEN_PASS_DEF_QNTPROPAGATERANGESPASS
#include "qc/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace qc::qnt

using namespace mlir;
using namespace qc;
using namespace qc::qnt;

namespace {

bool isF32Tensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getElementType().isF32();
}

/// The calibrated range clipped to the static bounds; either alone when the
/// other is missing; nothing when neither bounds the value.
std::optional<rt::Range> merge(std::optional<Interval> fixed,
                               std::optional<rt::Range> calibrated) {
  bool bounded = fixed && fixed->isBounded();
  if (!calibrated) {
    if (!bounded)
      return std::nullopt;
    return rt::Range{fixed->lo(), fixed->hi()};
  }
  if (!fixed || fixed->isUninitialized())
    return calibrated;
  rt::Range r = *calibrated;
  double lo = std::clamp(r.lo, fixed->lo(), fixed->hi());
  double hi = std::clamp(r.hi, fixed->lo(), fixed->hi());
  return rt::Range{lo, hi};
}

func::FuncOp findEntry(ModuleOp module, StringRef name) {
  if (!name.empty())
    return module.lookupSymbol<func::FuncOp>(name);
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    return main;
  func::FuncOp only;
  for (auto f : module.getOps<func::FuncOp>()) {
    if (f.isExternal())
      continue;
    if (only)
      return {};
    only = f;
  }
  return only;
}

struct QntPropagateRanges
    : public qc::qnt::impl::QntPropagateRangesPassBase<QntPropagateRanges> {
  using QntPropagateRangesPassBase::QntPropagateRangesPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    rt::CalibrationOptions options;
    if (!rt::parseCalibrationMethod(method, options.method)) {
      module.emitError() << "unknown calibration method '" << method
                         << "' (expected minmax, ema, percentile, kl or mse)";
      return signalPassFailure();
    }
    options.percentile = percentile;
    options.bits = bits;

    DataFlowSolver solver;
    dataflow::loadBaselineAnalyses(solver);
    solver.load<IntervalAnalysis>();
    if (failed(solver.initializeAndRun(module)))
      return signalPassFailure();
    auto fixedRange = [&](Value v) -> std::optional<Interval> {
      const auto *lattice = solver.lookupState<IntervalLattice>(v);
      if (!lattice)
        return std::nullopt;
      return lattice->getValue();
    };

    llvm::DenseMap<Value, rt::Range> calibrated;
    if (!calibration.empty() && failed(calibrate(module, options, calibrated)))
      return signalPassFailure();
    auto calibratedRange = [&](Value v) -> std::optional<rt::Range> {
      auto it = calibrated.find(v);
      if (it == calibrated.end())
        return std::nullopt;
      return it->second;
    };

    MLIRContext *ctx = &getContext();
    module.walk([&](Operation *op) {
      if (auto f = dyn_cast<func::FuncOp>(op)) {
        for (BlockArgument arg : f.getArguments())
          if (isF32Tensor(arg))
            if (auto r = merge(fixedRange(arg), calibratedRange(arg)))
              f.setArgAttr(arg.getArgNumber(), "qnt.range",
                           RangeAttr::get(ctx, r->lo, r->hi));
        return;
      }
      // Weights are quantized from their values, not from a range.
      if (isa<arith::ConstantOp>(op) || op->getNumResults() != 1 ||
          !isF32Tensor(op->getResult(0)))
        return;
      Value v = op->getResult(0);
      if (auto r = merge(fixedRange(v), calibratedRange(v)))
        op->setAttr("qnt.range", RangeAttr::get(ctx, r->lo, r->hi));
    });
  }

  /// Runs the entry function over the calibration samples and turns each
  /// tensor's statistics into a range.
  LogicalResult calibrate(ModuleOp module, const rt::CalibrationOptions &options,
                          llvm::DenseMap<Value, rt::Range> &ranges) {
    func::FuncOp f = findEntry(module, entry);
    if (!f)
      return module.emitError()
             << "calibration needs one entry function: name it with entry=";
    if (failed(checkInterpretable(f)))
      return failure();
    std::vector<CalibrationSample> samples;
    if (failed(loadCalibrationSamples(f, calibration, samples)))
      return failure();
    bool histogram = options.method == rt::CalibrationMethod::Percentile ||
                     options.method == rt::CalibrationMethod::KL ||
                     options.method == rt::CalibrationMethod::Mse;
    TensorStatistics stats;
    if (failed(gatherStatistics(f, samples, histogram, emaDecay, stats)))
      return failure();
    for (auto &[value, st] : stats) {
      if (st.empty())
        continue;
      rt::Range range;
      std::string error;
      if (!rt::chooseRange(st, options, range, error))
        return f.emitError() << "calibration: " << error;
      ranges[value] = range;
    }
    return success();
  }
};

} // namespace
