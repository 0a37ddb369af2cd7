//===- QntToLinalgFloat.cpp - qnt-lower-float-to-linalg pass --------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Collects the float lowering patterns, applies them, and reports every
// float graph op that could not be lowered, all at once and with the reason
// the pattern gave.
//
//===----------------------------------------------------------------------===//

#include "FloatBuilder.h"
#include "Patterns.h"

#include "qc/Conversion/LoweringDriver.h"
#include "qc/Conversion/Passes.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Math/IR/Math.h"

namespace qc {
#define GEN_PASS_DEF_QNTLOWERFLOATTOLINALGPASS
#include "qc/Conversion/Passes.h.inc"
} // namespace qc

using namespace mlir;
using namespace qc;
using namespace qc::qnt;

void qc::populateQntFloatToLinalgPatterns(RewritePatternSet &patterns) {
  lowering::fp::populateLayerPatterns(patterns);
  lowering::fp::populateElementwisePatterns(patterns);
  lowering::fp::populatePoolingPatterns(patterns);
  lowering::fp::populateDataMovementPatterns(patterns);
  lowering::fp::populateSoftmaxPatterns(patterns);
}

namespace {

/// Float graph ops must not survive. The casts (quantize, dequantize,
/// requantize, storage_cast) and fixed_point_mul always involve a quantized
/// or integer type and belong to the integer lowering.
bool mustBeLowered(Operation *op) {
  return isa<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp, MatMulOp,
             BatchNormOp, AddOp, MulOp, ReluOp, Relu6Op, ClampOp, MaxPool2DOp,
             AvgPool2DOp, GlobalAvgPoolOp, PadOp, ReshapeOp, TransposeOp,
             ConcatOp, SoftmaxOp>(op) &&
         lowering::fp::isFloatOp(op);
}

struct QntLowerFloatToLinalg
    : public qc::impl::QntLowerFloatToLinalgPassBase<QntLowerFloatToLinalg> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQntFloatToLinalgPatterns(patterns);
    if (failed(lowerAndReportLeftovers(getOperation(), std::move(patterns),
                                       mustBeLowered, "linalg on floats")))
      signalPassFailure();
  }
};

} // namespace
