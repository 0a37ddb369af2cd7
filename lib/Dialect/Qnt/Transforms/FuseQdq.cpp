//===- FuseQdq.cpp - QuantizeLinear/DequantizeLinear pairs to quantized ops
//===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// A model that brings its own quantization (ONNX's QDQ format, or QLinear*
// operators imported as dequantize -> float op -> quantize) states every
// quantized tensor's parameters with qnt.dequantize / qnt.quantize around
// float graph ops. This pass turns that into the quantized graph that
// qnt-quantize would have produced, so such a model enters the pipeline
// after qnt-quantize:
//
//  1. Dequantizes sink through ops that only move or select values
//     (transpose, reshape, max_pool2d, relu, zero pad, concat of one type):
//     op(dequantize(q)) == dequantize(op(q)) exactly, with the same
//     parameters.
//  2. A graph op whose tensor operands are all dequantized values and whose
//     result is used only by quantizes to one type becomes that op on the
//     quantized operands, producing the quantized type (when the quantized
//     op verifies; otherwise it stays float).
//  3. quantize(dequantize(x : A)) : B is x when A == B, else requantize.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace qc::qnt {
#define GEN_PASS_DEF_QNTFUSEQDQPASS
#include "qc/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace qc::qnt

using namespace mlir;
using namespace qc::qnt;

namespace {

bool isGraphOp(Operation *op) {
  return isa<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp, MatMulOp, AddOp,
             MulOp, ReluOp, Relu6Op, ClampOp, MaxPool2DOp, AvgPool2DOp,
             GlobalAvgPoolOp, PadOp, ReshapeOp, TransposeOp, ConcatOp,
             SoftmaxOp>(op);
}

/// `type`'s shape with the element type `elem`.
RankedTensorType withElement(Type type, Type elem) {
  return RankedTensorType::get(cast<RankedTensorType>(type).getShape(), elem);
}

/// Verifies `op` without reporting: a failed trial is not an error.
bool verifiesQuietly(Operation *op) {
  ScopedDiagnosticHandler quiet(op->getContext(),
                                [](Diagnostic &) { return success(); });
  return succeeded(verify(op));
}

/// Clones `op` with new operands and result type, keeping its attributes;
/// returns null (and leaves no trace) when the clone does not verify.
Operation *cloneRetyped(PatternRewriter &rewriter, Operation *op,
                        ValueRange operands, Type resultType) {
  Operation *clone = rewriter.clone(*op);
  clone->setOperands(operands);
  clone->getResult(0).setType(resultType);
  if (verifiesQuietly(clone))
    return clone;
  rewriter.eraseOp(clone);
  return nullptr;
}

/// The element type a value-moving op gives its quantized result, or null
/// when the parameters cannot simply carry over.
UniformType movedElementType(Operation *op, UniformType in) {
  if (auto transpose = dyn_cast<TransposeOp>(op))
    return in.permuted(transpose.getPermutation());
  if (isa<MaxPool2DOp, ReluOp>(op))
    return in.isPerTensor() || in.isPerAxis() ? in : nullptr;
  if (auto pad = dyn_cast<PadOp>(op)) {
    // The pad value must be a quantized value exactly.
    if (!in.isPerTensor())
      return nullptr;
    double q = pad.getValue().convertToDouble() / in.getScale() +
               static_cast<double>(in.getZeroPoint());
    if (q != std::nearbyint(q) || q < in.getStorageMin() ||
        q > in.getStorageMax())
      return nullptr;
    return in;
  }
  if (isa<ReshapeOp, ConcatOp>(op))
    return in.isPerTensor() ? in : nullptr;
  return nullptr;
}

/// 1. op(dequantize(q)) -> dequantize(op(q)) for value-moving ops.
struct SinkDequantize : RewritePattern {
  SinkDequantize(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/2, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<TransposeOp, ReshapeOp, MaxPool2DOp, ReluOp, PadOp, ConcatOp>(op))
      return failure();
    if (op->getNumResults() != 1 || op->getNumOperands() == 0 ||
        getUniformElementType(op->getResult(0).getType()))
      return failure();
    SmallVector<Value> quantized;
    for (Value operand : op->getOperands()) {
      auto dq = operand.getDefiningOp<DequantizeOp>();
      if (!dq)
        return failure();
      // Concat: every input carries the same parameters.
      if (!quantized.empty() &&
          getUniformElementType(dq.getInput().getType()) !=
              getUniformElementType(quantized.front().getType()))
        return failure();
      quantized.push_back(dq.getInput());
    }
    UniformType in = getUniformElementType(quantized.front().getType());
    UniformType out = movedElementType(op, in);
    if (!out)
      return failure();
    Type resultType = withElement(op->getResult(0).getType(), out);
    Operation *moved = cloneRetyped(rewriter, op, quantized, resultType);
    if (!moved)
      return failure();
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, op->getResult(0).getType(),
                                              moved->getResult(0));
    return success();
  }
};

/// 2. quantize(op(dequantize(a), dequantize(b), ...)) -> op(a, b, ...).
struct FuseIntoQuantized : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    Operation *op = quantize.getInput().getDefiningOp();
    if (!op || !isGraphOp(op) || op->getNumResults() != 1)
      return failure();
    Type target = quantize.getType();
    for (Operation *user : op->getResult(0).getUsers()) {
      auto q = dyn_cast<QuantizeOp>(user);
      if (!q || q.getType() != target)
        return failure();
    }
    SmallVector<Value> operands;
    for (Value operand : op->getOperands()) {
      auto dq = operand.getDefiningOp<DequantizeOp>();
      if (!dq)
        return failure();
      operands.push_back(dq.getInput());
    }
    Operation *fused = cloneRetyped(rewriter, op, operands, target);
    if (!fused)
      return failure();
    for (Operation *user :
         llvm::make_early_inc_range(op->getResult(0).getUsers()))
      rewriter.replaceOp(user, fused->getResult(0));
    rewriter.eraseOp(op);
    return success();
  }
};

/// 3. quantize(dequantize(x : A)) : B -> x or requantize(x).
struct FoldQuantizeOfDequantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto dq = quantize.getInput().getDefiningOp<DequantizeOp>();
    if (!dq)
      return failure();
    if (dq.getInput().getType() == quantize.getType()) {
      rewriter.replaceOp(quantize, dq.getInput());
      return success();
    }
    rewriter.replaceOpWithNewOp<RequantizeOp>(quantize, quantize.getType(),
                                              dq.getInput());
    return success();
  }
};

struct QntFuseQdq : public qc::qnt::impl::QntFuseQdqPassBase<QntFuseQdq> {
  using QntFuseQdqPassBase::QntFuseQdqPassBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseQdqPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void qc::qnt::populateFuseQdqPatterns(RewritePatternSet &patterns) {
  patterns.add<SinkDequantize, FuseIntoQuantized, FoldQuantizeOfDequantize>(
      patterns.getContext());
}
