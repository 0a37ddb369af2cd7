//===- LowerFloatDataMovement.cpp - pad, reshape, transpose, concat -------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Float ops that only move values map one to one onto upstream ops:
// tensor.pad (with the pad value rounded to the element type, as the
// reference does), tensor.collapse_shape + tensor.expand_shape (row-major
// order is what both define), linalg.transpose and tensor.concat.
//
//===----------------------------------------------------------------------===//

#include "FloatBuilder.h"
#include "Patterns.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace qc::lowering::fp;
using namespace qc::qnt;

namespace {

struct LowerPad : FloatPattern<PadOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(PadOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getOutput().getType();
    ArrayRef<int64_t> padding = op.getPadding();
    SmallVector<OpFoldResult> low, high;
    for (size_t i = 0; i + 1 < padding.size(); i += 2) {
      low.push_back(rewriter.getIndexAttr(padding[i]));
      high.push_back(rewriter.getIndexAttr(padding[i + 1]));
    }
    Value value = constFloat(rewriter, loc, type.getElementType(),
                             op.getValue().convertToDouble());
    rewriter.replaceOp(op,
                       tensor::PadOp::create(rewriter, loc, type, op.getInput(),
                                             low, high, value));
    return success();
  }
};

/// All dimensions of a rank-`rank` tensor in one reassociation group (an
/// empty list for rank 0, whose single element needs no group).
SmallVector<ReassociationIndices> allInOne(int64_t rank) {
  if (rank == 0)
    return {};
  ReassociationIndices all;
  for (int64_t i = 0; i < rank; ++i)
    all.push_back(i);
  return {all};
}

/// Through a 1-D tensor: collapse everything, then expand to the result.
/// The canonicalizer merges the pair into one reshape where it can.
struct LowerReshape : FloatPattern<ReshapeOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(ReshapeOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto outType = op.getOutput().getType();
    if (inType.getNumElements() != outType.getNumElements())
      return rewriter.notifyMatchFailure(op, "element counts differ");
    if (inType == outType) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    int64_t count = inType.getNumElements();
    Value flat = op.getInput();
    if (inType.getRank() == 0)
      flat = expandTo(rewriter, loc, flat, {count}, {});
    else if (inType.getRank() > 1)
      flat =
          collapseTo(rewriter, loc, flat, {count}, allInOne(inType.getRank()));
    Value result = flat;
    if (outType.getRank() == 0)
      result = collapseTo(rewriter, loc, flat, {}, {});
    else if (outType.getRank() > 1)
      result = expandTo(rewriter, loc, flat, outType.getShape(),
                        allInOne(outType.getRank()));
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerTranspose : FloatPattern<TransposeOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(TransposeOp op,
                      PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getOutput().getType();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    rewriter.replaceOp(op,
                       linalg::TransposeOp::create(rewriter, loc, op.getInput(),
                                                   init, op.getPermutation())
                           .getResult()[0]);
    return success();
  }
};

struct LowerConcat : FloatPattern<ConcatOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(ConcatOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       tensor::ConcatOp::create(
                           rewriter, op.getLoc(), op.getOutput().getType(),
                           static_cast<int64_t>(op.getAxis()), op.getInputs()));
    return success();
  }
};

} // namespace

void qc::lowering::fp::populateDataMovementPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerPad, LowerReshape, LowerTranspose, LowerConcat>(
      patterns.getContext());
}
