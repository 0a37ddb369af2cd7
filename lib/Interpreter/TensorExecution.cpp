//===- TensorExecution.cpp - Execute tensor dialect ops -------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The data-movement ops of integer-only IR: tensor.empty (zero-filled: its
// contents are unspecified, zeros make runs reproducible), tensor.pad,
// the reshapes (collapse_shape, expand_shape, reshape, cast, bitcast, which
// keep the row-major bytes), extract_slice / insert_slice, concat and splat.
// Offsets, sizes, strides and padding must be static; slices and pads all
// reduce to copying a strided box of elements between two tensors.
//
//===----------------------------------------------------------------------===//

#include "IntegerOps.h"
#include "ScalarProgram.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace qc;
using namespace qc::interp;

namespace {

/// One dimension of a strided box of elements: where it starts and how far
/// apart its elements are, in elements along that dimension.
struct BoxDim {
  int64_t offset = 0;
  int64_t step = 1;
};

} // namespace

/// Copies the box of `sizes` elements at `from` in `src` to the box at `to`
/// in `dst` (same dtype, same rank; every index already bounds-checked).
static void copyBox(const rt::Tensor &src, ArrayRef<BoxDim> from,
                    rt::Tensor &dst, ArrayRef<BoxDim> to,
                    ArrayRef<int64_t> sizes) {
  if (llvm::is_contained(sizes, 0))
    return;
  size_t elementSize = rt::dtypeSize(src.dtype());
  std::vector<int64_t> srcStrides = rt::stridesOf(src.shape());
  std::vector<int64_t> dstStrides = rt::stridesOf(dst.shape());
  int64_t rank = sizes.size();
  SmallVector<int64_t> point(rank, 0);
  while (true) {
    int64_t s = 0, d = 0;
    for (int64_t i = 0; i < rank; ++i) {
      s += (from[i].offset + point[i] * from[i].step) * srcStrides[i];
      d += (to[i].offset + point[i] * to[i].step) * dstStrides[i];
    }
    std::memcpy(dst.raw() + d * elementSize, src.raw() + s * elementSize,
                elementSize);
    int64_t i = rank - 1;
    for (; i >= 0 && ++point[i] == sizes[i]; --i)
      point[i] = 0;
    if (i < 0)
      return;
  }
}

/// A dense box: offsets 0, steps 1.
static SmallVector<BoxDim> wholeBox(int64_t rank) {
  return SmallVector<BoxDim>(rank, BoxDim{});
}

/// Static offsets, sizes and strides of a slice op, bounds-checked against
/// the shape of the sliced tensor.
template <typename SliceOp>
static LogicalResult sliceBox(SliceOp op, ArrayRef<int64_t> shape,
                              SmallVectorImpl<BoxDim> &box,
                              SmallVectorImpl<int64_t> &sizes) {
  ArrayRef<int64_t> offsets = op.getStaticOffsets();
  ArrayRef<int64_t> staticSizes = op.getStaticSizes();
  ArrayRef<int64_t> strides = op.getStaticStrides();
  auto isDynamic = [](int64_t v) { return ShapedType::isDynamic(v); };
  if (llvm::any_of(offsets, isDynamic) ||
      llvm::any_of(staticSizes, isDynamic) || llvm::any_of(strides, isDynamic))
    return op->emitError("interpreter: only static offsets, sizes and "
                         "strides are supported");
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t size = staticSizes[i], last = offsets[i];
    if (size > 0)
      last += (size - 1) * strides[i];
    if (offsets[i] < 0 || size < 0 || last < 0 ||
        (size > 0 && (offsets[i] >= shape[i] || last >= shape[i])))
      return op->emitError()
             << "interpreter: slice dimension " << i << " (offset "
             << offsets[i] << ", size " << size << ", stride " << strides[i]
             << ") is out of bounds of size " << shape[i];
    box.push_back(BoxDim{offsets[i], strides[i]});
    sizes.push_back(size);
  }
  return success();
}

/// The static shape of `type`, or a located error.
static FailureOr<std::vector<int64_t>> staticShape(Operation *op, Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape()) {
    op->emitError("interpreter: results with dynamic shapes are not "
                  "supported here");
    return failure();
  }
  return std::vector<int64_t>(ranked.getShape().begin(),
                              ranked.getShape().end());
}

/// `source`'s bytes under the shape `shape`, which must hold as many
/// elements.
static LogicalResult reshapeTo(Operation *op, const rt::Tensor &source,
                               std::vector<int64_t> shape,
                               SmallVectorImpl<rt::Tensor> &results) {
  int64_t count;
  if (!rt::checkedProductOf(shape, count) || count != source.numElements())
    return op->emitError() << "interpreter: cannot reshape "
                           << source.describe() << " to "
                           << describeShape(shape);
  results.push_back(source.reshaped(std::move(shape)));
  return success();
}

static LogicalResult runCollapse(tensor::CollapseShapeOp op,
                                 const rt::Tensor &source,
                                 SmallVectorImpl<rt::Tensor> &results) {
  std::vector<int64_t> shape;
  for (const ReassociationIndices &group : op.getReassociationIndices()) {
    int64_t size = 1;
    for (int64_t dim : group)
      size *= source.dim(dim);
    shape.push_back(size);
  }
  return reshapeTo(op, source, std::move(shape), results);
}

static LogicalResult runExpand(tensor::ExpandShapeOp op,
                               const rt::Tensor &source,
                               SmallVectorImpl<rt::Tensor> &results) {
  // A dynamic size is the one left over in its group (at most one each).
  std::vector<int64_t> shape(op.getResultType().getShape().begin(),
                             op.getResultType().getShape().end());
  for (auto [srcDim, group] : llvm::enumerate(op.getReassociationIndices())) {
    int64_t known = 1, dynamicDim = -1;
    for (int64_t dim : group) {
      if (!ShapedType::isDynamic(shape[dim]))
        known *= shape[dim];
      else if (dynamicDim >= 0)
        return op->emitError("interpreter: expand_shape with several "
                             "dynamic sizes in a group is not supported");
      else
        dynamicDim = dim;
    }
    if (dynamicDim >= 0)
      shape[dynamicDim] = known ? source.dim(srcDim) / known : 0;
  }
  return reshapeTo(op, source, std::move(shape), results);
}

static LogicalResult runReshape(tensor::ReshapeOp op, const rt::Tensor &source,
                                const rt::Tensor &shapeTensor,
                                SmallVectorImpl<rt::Tensor> &results) {
  std::vector<int64_t> shape;
  for (int64_t i = 0; i < shapeTensor.numElements(); ++i)
    shape.push_back(shapeTensor.getAsInt(i));
  return reshapeTo(op, source, std::move(shape), results);
}

static LogicalResult runExtractSlice(tensor::ExtractSliceOp op,
                                     const rt::Tensor &source,
                                     SmallVectorImpl<rt::Tensor> &results) {
  SmallVector<BoxDim> box;
  SmallVector<int64_t> sizes;
  if (failed(sliceBox(op, source.shape(), box, sizes)))
    return failure();
  rt::Tensor slice(source.dtype(),
                   std::vector<int64_t>(sizes.begin(), sizes.end()));
  copyBox(source, box, slice, wholeBox(sizes.size()), sizes);
  // Rank-reducing slices drop unit dimensions: same bytes.
  FailureOr<std::vector<int64_t>> shape = staticShape(op, op.getType());
  if (failed(shape))
    return failure();
  return reshapeTo(op, slice, std::move(*shape), results);
}

static LogicalResult runInsertSlice(tensor::InsertSliceOp op,
                                    const rt::Tensor &source,
                                    const rt::Tensor &dest,
                                    SmallVectorImpl<rt::Tensor> &results) {
  SmallVector<BoxDim> box;
  SmallVector<int64_t> sizes;
  if (failed(sliceBox(op, dest.shape(), box, sizes)))
    return failure();
  int64_t count;
  std::vector<int64_t> sizeVector(sizes.begin(), sizes.end());
  if (!rt::checkedProductOf(sizeVector, count) || count != source.numElements())
    return op->emitError() << "interpreter: cannot insert " << source.describe()
                           << " into a slice of size " << describeShape(sizes);
  rt::Tensor result = dest;
  copyBox(source.reshaped(sizeVector), wholeBox(sizes.size()), result, box,
          sizes);
  results.push_back(std::move(result));
  return success();
}

static LogicalResult runConcat(tensor::ConcatOp op,
                               ArrayRef<const rt::Tensor *> inputs,
                               SmallVectorImpl<rt::Tensor> &results) {
  int64_t dim = op.getDim();
  std::vector<int64_t> shape = inputs.front()->shape();
  shape[dim] = 0;
  for (const rt::Tensor *input : inputs) {
    for (int64_t i = 0; i < input->rank(); ++i)
      if (i != dim && input->dim(i) != shape[i])
        return op->emitError()
               << "interpreter: cannot concatenate "
               << inputs.front()->describe() << " and " << input->describe()
               << " along dimension " << dim;
    shape[dim] += input->dim(dim);
  }
  rt::Tensor result(inputs.front()->dtype(), shape);
  SmallVector<BoxDim> to = wholeBox(shape.size());
  for (const rt::Tensor *input : inputs) {
    copyBox(*input, wholeBox(input->rank()), result, to, input->shape());
    to[dim].offset += input->dim(dim);
  }
  results.push_back(std::move(result));
  return success();
}

static LogicalResult runPad(tensor::PadOp op, const rt::Tensor &source,
                            SmallVectorImpl<rt::Tensor> &results) {
  ArrayRef<int64_t> low = op.getStaticLow(), high = op.getStaticHigh();
  auto isNegativeOrDynamic = [](int64_t v) {
    return ShapedType::isDynamic(v) || v < 0;
  };
  if (llvm::any_of(low, isNegativeOrDynamic) ||
      llvm::any_of(high, isNegativeOrDynamic))
    return op->emitError("interpreter: only static, non-negative padding is "
                         "supported");
  FailureOr<ScalarProgram> program =
      ScalarProgram::compileBlock(op.getRegion().front(), /*emitErrors=*/true);
  if (failed(program))
    return failure();
  if (program->getNumLoopIndicesUsed() != 0)
    return op->emitError("interpreter: linalg.index in a tensor.pad body");
  std::vector<int64_t> shape = source.shape();
  for (size_t i = 0; i < shape.size(); ++i)
    shape[i] += low[i] + high[i];
  rt::Tensor result(source.dtype(), shape);
  // The body sees the indices of the padded element.
  std::vector<Slot> regs = program->makeRegisters();
  int64_t rank = shape.size();
  SmallVector<int64_t> point(rank, 0);
  Fault fault;
  for (int64_t flat = 0, n = result.numElements(); flat < n; ++flat) {
    bool inside = true;
    for (int64_t i = 0; i < rank; ++i)
      inside &= point[i] >= low[i] && point[i] < low[i] + source.dim(i);
    if (!inside) {
      for (int64_t i = 0; i < rank; ++i)
        regs[i].i = point[i];
      if (!program->run(regs.data(), nullptr, fault))
        return program->report(fault, op);
      storeElement(result.raw(), result.dtype(), flat,
                   regs[program->getResultSlot(0)]);
    }
    for (int64_t i = rank - 1; i >= 0 && ++point[i] == shape[i]; --i)
      point[i] = 0;
  }
  SmallVector<BoxDim> to;
  for (int64_t l : low)
    to.push_back(BoxDim{l, 1});
  copyBox(source, wholeBox(rank), result, to, source.shape());
  results.push_back(std::move(result));
  return success();
}

static LogicalResult runSplat(tensor::SplatOp op, const rt::Tensor &value,
                              SmallVectorImpl<rt::Tensor> &results) {
  FailureOr<rt::Tensor> result = makeZeroTensor(op, op.getType());
  if (failed(result))
    return failure();
  size_t elementSize = rt::dtypeSize(value.dtype());
  for (int64_t i = 0, n = result->numElements(); i < n; ++i)
    std::memcpy(result->raw() + i * elementSize, value.raw(), elementSize);
  results.push_back(std::move(*result));
  return success();
}

static LogicalResult runBitcast(tensor::BitcastOp op, const rt::Tensor &source,
                                SmallVectorImpl<rt::Tensor> &results) {
  FailureOr<rt::Tensor> result = makeZeroTensor(op, op.getType());
  if (failed(result))
    return failure();
  if (result->byteSize() != source.byteSize())
    return op->emitError() << "interpreter: cannot bitcast "
                           << source.describe() << " to " << result->describe()
                           << " (different storage sizes)";
  std::memcpy(result->raw(), source.raw(), source.byteSize());
  results.push_back(std::move(*result));
  return success();
}

bool qc::interp::isExecutableTensorOp(Operation *op) {
  if (auto pad = dyn_cast<tensor::PadOp>(op))
    return succeeded(ScalarProgram::compileBlock(pad.getRegion().front(),
                                                 /*emitErrors=*/false));
  return isa<tensor::EmptyOp, tensor::CastOp, tensor::CollapseShapeOp,
             tensor::ExpandShapeOp, tensor::ReshapeOp, tensor::ExtractSliceOp,
             tensor::InsertSliceOp, tensor::ConcatOp, tensor::SplatOp,
             tensor::BitcastOp>(op);
}

LogicalResult
qc::interp::executeTensorOp(Operation *op,
                            ArrayRef<const rt::Tensor *> operands,
                            SmallVectorImpl<rt::Tensor> &results) {
  for (auto [index, value] : llvm::enumerate(op->getOperands()))
    if (failed(checkOperand(op, index, *operands[index], value.getType())))
      return failure();
  results.clear();
  LogicalResult status =
      TypeSwitch<Operation *, LogicalResult>(op)
          .Case([&](tensor::EmptyOp o) {
            FailureOr<rt::Tensor> t = makeZeroTensor(o, o.getType());
            if (succeeded(t))
              results.push_back(std::move(*t));
            return success(succeeded(t));
          })
          .Case([&](tensor::CastOp o) {
            results.push_back(*operands[0]);
            return success();
          })
          .Case([&](tensor::CollapseShapeOp o) {
            return runCollapse(o, *operands[0], results);
          })
          .Case([&](tensor::ExpandShapeOp o) {
            return runExpand(o, *operands[0], results);
          })
          .Case([&](tensor::ReshapeOp o) {
            return runReshape(o, *operands[0], *operands[1], results);
          })
          .Case([&](tensor::ExtractSliceOp o) {
            return runExtractSlice(o, *operands[0], results);
          })
          .Case([&](tensor::InsertSliceOp o) {
            return runInsertSlice(o, *operands[0], *operands[1], results);
          })
          .Case([&](tensor::ConcatOp o) {
            return runConcat(o, operands, results);
          })
          .Case(
              [&](tensor::PadOp o) { return runPad(o, *operands[0], results); })
          .Case([&](tensor::SplatOp o) {
            return runSplat(o, *operands[0], results);
          })
          .Case([&](tensor::BitcastOp o) {
            return runBitcast(o, *operands[0], results);
          })
          .Default([&](Operation *) {
            return op->emitError("interpreter: unsupported tensor op");
          });
  if (failed(status))
    return failure();
  // The result must be what its type says (catches dynamic-shape mismatches
  // such as a tensor.cast to an incompatible static shape).
  return checkResult(op, 0, results.front(), op->getResult(0).getType());
}
