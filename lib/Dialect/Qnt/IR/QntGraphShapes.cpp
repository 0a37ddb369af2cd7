//===- QntGraphShapes.cpp - qnt graph op shape rules ----------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Shape inference of the graph ops and the shape half of their verifiers.
// One template per op kind computes the result shape from either the op
// (verifier) or its adaptor (InferShapedTypeOpInterface), so the two can
// never disagree. Shape inference may see unverified IR: every attribute
// length, rank and value is checked before it is used, and all size
// arithmetic is overflow-checked.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace qc::qnt;

namespace {
/// Where shape errors go: the op (verifier) or the location (inference). A
/// null callback (inference without a location) stays silent.
using EmitFn = llvm::function_ref<InFlightDiagnostic()>;
using Shape = SmallVector<int64_t, 4>;

/// Error sink of shape inference: reports at the location when there is one.
struct LocEmitter {
  std::optional<Location> loc;
  InFlightDiagnostic operator()() const { return mlir::emitError(*loc); }
  EmitFn fn() const { return loc ? EmitFn(*this) : EmitFn(); }
};

/// The sliding-window attributes of convolutions and pools.
struct Window {
  ArrayRef<int64_t> strides, dilations, padding;
};
} // namespace

/// Pools have no dilation attribute.
static constexpr int64_t kUnitDilations[] = {1, 1};

//===----------------------------------------------------------------------===//
// Reporting and reading
//===----------------------------------------------------------------------===//

/// Reports an error through `emit` when there is a sink; always fails.
template <typename... Args>
static LogicalResult fail(EmitFn emit, const Args &...args) {
  if (emit) {
    InFlightDiagnostic diag = emit();
    (diag << ... << args);
  }
  return failure();
}

/// Formats a shape for messages, `?` for dynamic sizes: "[1, ?, 8]".
static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << '?';
    else
      os << d;
  });
  os << ']';
  return text;
}

/// Shorthand: `?` in a shape.
static bool isDynamic(int64_t size) { return ShapedType::isDynamic(size); }

/// The shape of `value` if it is a ranked tensor; unverified IR may hold a
/// null value or another type.
static std::optional<ArrayRef<int64_t>> rankedShape(Value value) {
  auto type = value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
  if (!type)
    return std::nullopt;
  return type.getShape();
}

/// The entries of an array attribute; empty when it is missing.
static ArrayRef<int64_t> entries(DenseI64ArrayAttr attr) {
  return attr ? attr.asArrayRef() : ArrayRef<int64_t>();
}

/// The value of an integer attribute, if present and within int64.
static std::optional<int64_t> readInt(IntegerAttr attr) {
  if (!attr)
    return std::nullopt;
  return attr.getValue().trySExtValue();
}

/// The window attributes of a conv op or its adaptor.
template <typename OpOrAdaptor>
static Window convWindow(OpOrAdaptor op) {
  return {entries(op.getStridesAttr()), entries(op.getDilationsAttr()),
          entries(op.getPaddingAttr())};
}

/// The window attributes of a pool op or its adaptor.
template <typename OpOrAdaptor>
static Window poolWindow(OpOrAdaptor op) {
  return {entries(op.getStridesAttr()), kUnitDilations,
          entries(op.getPaddingAttr())};
}

//===----------------------------------------------------------------------===//
// Checks
//===----------------------------------------------------------------------===//

/// Sizes and attributes come from the input and may be near INT64_MAX.
static LogicalResult overflow(EmitFn emit) {
  return fail(emit, "shape computation overflows");
}

/// Checks that every value of `name` is at least `min`.
static LogicalResult checkAtLeast(EmitFn emit, StringRef name,
                                  ArrayRef<int64_t> values, int64_t min) {
  for (int64_t v : values)
    if (v < min)
      return fail(emit, "expects ", name, " to be >= ", min, ", got ", v);
  return success();
}

/// Checks that array attribute `name` has `size` entries.
static LogicalResult checkCount(EmitFn emit, StringRef name,
                                ArrayRef<int64_t> values, size_t size) {
  if (values.size() == size)
    return success();
  return fail(emit, "expects ", name, " to have ", size, " entries, got ",
              values.size());
}

/// Checks that array attribute `name` has `size` entries, each >= `min`.
static LogicalResult checkArray(EmitFn emit, StringRef name,
                                ArrayRef<int64_t> values, size_t size,
                                int64_t min) {
  if (failed(checkCount(emit, name, values, size)))
    return failure();
  return checkAtLeast(emit, name, values, min);
}

/// Checks that `role` has exactly rank `rank`.
static LogicalResult checkRank(EmitFn emit, StringRef role,
                               ArrayRef<int64_t> shape, size_t rank) {
  if (shape.size() == rank)
    return success();
  return fail(emit, "expects ", role, " to have rank ", rank, ", got ",
              shape.size());
}

/// Checks that `role` has rank `rank` or more.
static LogicalResult checkMinRank(EmitFn emit, StringRef role,
                                  ArrayRef<int64_t> shape, size_t rank) {
  if (shape.size() >= rank)
    return success();
  return fail(emit, "expects ", role, " to have rank >= ", rank, ", got ",
              shape.size());
}

/// Checks that two sizes agree; a dynamic size agrees with anything.
static LogicalResult checkSameSize(EmitFn emit, const Twine &what,
                                   int64_t size, const Twine &expectedWhat,
                                   int64_t expected) {
  if (isDynamic(size) || isDynamic(expected) || size == expected)
    return success();
  return fail(emit, what, " (", size, ") does not match ", expectedWhat, " (",
              expected, ")");
}

/// Checks that `size` is a multiple of `divisor` (zero divides only zero).
static LogicalResult checkMultiple(EmitFn emit, StringRef what, int64_t size,
                                   StringRef divisorWhat, int64_t divisor) {
  if (isDynamic(size) || isDynamic(divisor))
    return success();
  if (divisor == 0 ? size == 0 : size % divisor == 0)
    return success();
  return fail(emit, what, " (", size, ") is not a multiple of ", divisorWhat,
              " (", divisor, ")");
}

/// Checks `lo <= axis < hi` for an `axis` attribute.
static LogicalResult checkAxis(EmitFn emit, int64_t axis, int64_t lo,
                               int64_t hi) {
  if (axis >= lo && axis < hi)
    return success();
  return fail(emit, "expects 'axis' to be in [", lo, ", ", hi, "), got ",
              axis);
}

/// The known one of two sizes already checked to agree.
static int64_t mergeSizes(int64_t a, int64_t b) { return isDynamic(a) ? b : a; }

/// a + b for sizes: dynamic if either is; fails on overflow.
static FailureOr<int64_t> addSizes(EmitFn emit, int64_t a, int64_t b) {
  if (isDynamic(a) || isDynamic(b))
    return ShapedType::kDynamic;
  std::optional<int64_t> sum = llvm::checkedAdd(a, b);
  if (!sum)
    return overflow(emit);
  return *sum;
}

/// Checks an optional bias against the number of output channels.
static LogicalResult checkBias(EmitFn emit,
                               std::optional<ArrayRef<int64_t>> bias,
                               int64_t channels, StringRef channelsWhat) {
  if (!bias)
    return success();
  if (failed(checkRank(emit, "bias", *bias, 1)))
    return failure();
  return checkSameSize(emit, "bias size", (*bias)[0], channelsWhat, channels);
}

//===----------------------------------------------------------------------===//
// Sliding windows
//===----------------------------------------------------------------------===//

/// Checks strides and dilations ([h, w], >= 1) and padding ([top, bottom,
/// left, right], >= 0).
static LogicalResult checkWindow(EmitFn emit, const Window &w) {
  if (failed(checkArray(emit, "'strides'", w.strides, 2, 1)) ||
      failed(checkArray(emit, "'dilations'", w.dilations, 2, 1)))
    return failure();
  return checkArray(emit, "'padding'", w.padding, 4, 0);
}

/// Output size along one spatial dimension:
/// (size + low + high - dilation * (kernel - 1) - 1) / stride + 1.
static FailureOr<int64_t> windowOutputSize(EmitFn emit, StringRef dimName,
                                           int64_t size, int64_t low,
                                           int64_t high, int64_t kernel,
                                           int64_t stride, int64_t dilation) {
  if (isDynamic(size) || isDynamic(kernel))
    return ShapedType::kDynamic;
  // All inputs are >= 0 (kernel, stride and dilation >= 1), so only the
  // additions and the product can overflow.
  std::optional<int64_t> padded = llvm::checkedAdd(size, low);
  if (padded)
    padded = llvm::checkedAdd(*padded, high);
  std::optional<int64_t> window =
      llvm::checkedMulAdd(dilation, kernel - 1, int64_t(1));
  if (!padded || !window)
    return overflow(emit);
  if (*padded < *window)
    return fail(emit, "padded input ", dimName, " (", *padded,
                ") is smaller than the dilated window (", *window, ")");
  return (*padded - *window) / stride + 1;
}

/// [N, OH, OW, channels] for an NHWC `input` (rank already checked) under a
/// [KH, KW] `kernel`.
static FailureOr<Shape> inferWindowShape(EmitFn emit, ArrayRef<int64_t> input,
                                         ArrayRef<int64_t> kernel,
                                         const Window &w, int64_t channels) {
  if (failed(checkWindow(emit, w)))
    return failure();
  Shape shape = {input[0], 0, 0, channels};
  for (int i = 0; i < 2; ++i) {
    FailureOr<int64_t> size = windowOutputSize(
        emit, i == 0 ? "height" : "width", input[1 + i], w.padding[2 * i],
        w.padding[2 * i + 1], kernel[i], w.strides[i], w.dilations[i]);
    if (failed(size))
      return failure();
    shape[1 + i] = *size;
  }
  return shape;
}

/// Checks that the spatial sizes of a convolution weight are >= 1.
static LogicalResult checkKernel(EmitFn emit, ArrayRef<int64_t> weight) {
  for (int64_t size : weight.slice(1, 2))
    if (!isDynamic(size) && size < 1)
      return fail(emit, "expects weight kernel sizes to be >= 1, got ", size);
  return success();
}

//===----------------------------------------------------------------------===//
// Per-op shape rules (op or adaptor)
//===----------------------------------------------------------------------===//

/// Checks the channel split of a grouped convolution: C and O are multiples
/// of `groups`, and each filter sees C / groups input channels.
static LogicalResult checkGroups(EmitFn emit, int64_t channels,
                                 int64_t outChannels, int64_t filterChannels,
                                 int64_t groups) {
  if (failed(checkAtLeast(emit, "'groups'", groups, 1)) ||
      failed(checkMultiple(emit, "input channels", channels, "'groups'",
                           groups)) ||
      failed(checkMultiple(emit, "output channels", outChannels, "'groups'",
                           groups)))
    return failure();
  if (isDynamic(filterChannels))
    return success();
  std::optional<int64_t> seen = llvm::checkedMul(filterChannels, groups);
  if (!seen)
    return overflow(emit);
  return checkSameSize(emit, "weight input channels times 'groups'", *seen,
                       "input channels", channels);
}

template <typename OpOrAdaptor>
static FailureOr<Shape> conv2DShape(EmitFn emit, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  auto weight = rankedShape(op.getWeight());
  std::optional<int64_t> groups = readInt(op.getGroupsAttr());
  if (!input || !weight || !groups)
    return failure();
  if (failed(checkRank(emit, "input", *input, 4)) ||
      failed(checkRank(emit, "weight", *weight, 4)) ||
      failed(checkKernel(emit, *weight)))
    return failure();
  int64_t outChannels = (*weight)[0];
  if (failed(checkGroups(emit, (*input)[3], outChannels, (*weight)[3],
                         *groups)) ||
      failed(checkBias(emit, rankedShape(op.getBias()), outChannels,
                       "output channels")))
    return failure();
  return inferWindowShape(emit, *input, weight->slice(1, 2), convWindow(op),
                          outChannels);
}

template <typename OpOrAdaptor>
static FailureOr<Shape> depthwiseConv2DShape(EmitFn emit, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  auto weight = rankedShape(op.getWeight());
  if (!input || !weight)
    return failure();
  auto bias = rankedShape(op.getBias());
  if (failed(checkRank(emit, "input", *input, 4)) ||
      failed(checkRank(emit, "weight", *weight, 4)) ||
      failed(checkKernel(emit, *weight)))
    return failure();
  // TFLite layout [1, KH, KW, C * M]: output channel c * M + m reads input
  // channel c.
  int64_t outChannels = (*weight)[3];
  if (failed(checkSameSize(emit, "weight dimension 0", (*weight)[0],
                           "the expected size", 1)) ||
      failed(checkMultiple(emit, "weight channels", outChannels,
                           "input channels", (*input)[3])) ||
      failed(checkBias(emit, bias, outChannels, "weight channels")))
    return failure();
  return inferWindowShape(emit, *input, weight->slice(1, 2), convWindow(op),
                          outChannels);
}

template <typename OpOrAdaptor>
static FailureOr<Shape> fullyConnectedShape(EmitFn emit, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  auto weight = rankedShape(op.getWeight());
  if (!input || !weight)
    return failure();
  if (failed(checkRank(emit, "input", *input, 2)) ||
      failed(checkRank(emit, "weight", *weight, 2)) ||
      failed(checkSameSize(emit, "weight input features", (*weight)[1],
                           "input features", (*input)[1])) ||
      failed(checkBias(emit, rankedShape(op.getBias()), (*weight)[0],
                       "output features")))
    return failure();
  return Shape{(*input)[0], (*weight)[0]};
}

template <typename OpOrAdaptor>
static FailureOr<Shape> matMulShape(EmitFn emit, OpOrAdaptor op) {
  auto lhs = rankedShape(op.getLhs());
  auto rhs = rankedShape(op.getRhs());
  if (!lhs || !rhs)
    return failure();
  if (failed(checkMinRank(emit, "lhs", *lhs, 2)) ||
      failed(checkMinRank(emit, "rhs", *rhs, 2)) ||
      failed(checkSameSize(emit, "rhs rank", rhs->size(), "lhs rank",
                           lhs->size())))
    return failure();
  size_t rank = lhs->size();
  Shape shape;
  for (size_t i = 0; i + 2 < rank; ++i) {
    if (failed(checkSameSize(emit, "rhs batch dimension " + Twine(i),
                             (*rhs)[i], "lhs batch dimension " + Twine(i),
                             (*lhs)[i])))
      return failure();
    shape.push_back(mergeSizes((*lhs)[i], (*rhs)[i]));
  }
  if (failed(checkSameSize(emit, "rhs rows", (*rhs)[rank - 2], "lhs columns",
                           (*lhs)[rank - 1])))
    return failure();
  shape.push_back((*lhs)[rank - 2]);
  shape.push_back((*rhs)[rank - 1]);
  return shape;
}

template <typename OpOrAdaptor>
static FailureOr<Shape> batchNormShape(EmitFn emit, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  if (!input || failed(checkMinRank(emit, "input", *input, 1)))
    return failure();
  std::pair<StringRef, Value> params[] = {{"gamma", op.getGamma()},
                                          {"beta", op.getBeta()},
                                          {"mean", op.getMean()},
                                          {"variance", op.getVariance()}};
  for (auto [name, value] : params) {
    auto shape = rankedShape(value);
    if (!shape || failed(checkRank(emit, name, *shape, 1)) ||
        failed(checkSameSize(emit, name + " size", (*shape)[0],
                             "input channels", input->back())))
      return failure();
  }
  return Shape(*input);
}

/// Numpy broadcast of two sizes, or nullopt when they conflict. A dynamic
/// size against n != 1 must be n (or 1) at run time, so the result is n.
static std::optional<int64_t> broadcastSize(int64_t a, int64_t b) {
  if (a == 1 || isDynamic(a))
    return b == 1 ? a : b;
  if (b == 1 || isDynamic(b) || a == b)
    return a;
  return std::nullopt;
}

template <typename OpOrAdaptor>
static FailureOr<Shape> broadcastShape(EmitFn emit, OpOrAdaptor op) {
  auto lhs = rankedShape(op.getLhs());
  auto rhs = rankedShape(op.getRhs());
  if (!lhs || !rhs)
    return failure();
  size_t rank = std::max(lhs->size(), rhs->size());
  Shape shape(rank);
  // Align the trailing dimensions; missing leading ones act as size 1.
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < lhs->size() ? (*lhs)[lhs->size() - 1 - i] : 1;
    int64_t b = i < rhs->size() ? (*rhs)[rhs->size() - 1 - i] : 1;
    std::optional<int64_t> size = broadcastSize(a, b);
    if (!size)
      return fail(emit, "operands are not broadcast-compatible: ",
                  formatShape(*lhs), " and ", formatShape(*rhs));
    shape[rank - 1 - i] = *size;
  }
  return shape;
}

template <typename OpOrAdaptor>
static FailureOr<Shape> pool2DShape(EmitFn emit, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  if (!input)
    return failure();
  ArrayRef<int64_t> kernel = entries(op.getKernelAttr());
  if (failed(checkRank(emit, "input", *input, 4)) ||
      failed(checkArray(emit, "'kernel'", kernel, 2, 1)))
    return failure();
  return inferWindowShape(emit, *input, kernel, poolWindow(op), (*input)[3]);
}

template <typename OpOrAdaptor>
static FailureOr<Shape> globalAvgPoolShape(EmitFn emit, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  if (!input || failed(checkRank(emit, "input", *input, 4)))
    return failure();
  return Shape{(*input)[0], 1, 1, (*input)[3]};
}

template <typename OpOrAdaptor>
static FailureOr<Shape> padShape(EmitFn emit, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  if (!input)
    return failure();
  ArrayRef<int64_t> padding = entries(op.getPaddingAttr());
  if (failed(checkArray(emit, "'padding'", padding, 2 * input->size(), 0)))
    return failure();
  Shape shape;
  for (auto [i, size] : llvm::enumerate(*input)) {
    FailureOr<int64_t> low = addSizes(emit, size, padding[2 * i]);
    if (failed(low))
      return failure();
    FailureOr<int64_t> padded = addSizes(emit, *low, padding[2 * i + 1]);
    if (failed(padded))
      return failure();
    shape.push_back(*padded);
  }
  return shape;
}

/// Checks that `perm` is a permutation of [0, rank).
static LogicalResult checkPermutation(EmitFn emit, ArrayRef<int64_t> perm,
                                      size_t rank) {
  if (failed(checkCount(emit, "'permutation'", perm, rank)))
    return failure();
  llvm::SmallBitVector seen(rank);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(rank) || seen.test(p))
      return fail(emit, "expects 'permutation' to be a permutation of [0, ",
                  rank, "), got ", formatShape(perm));
    seen.set(p);
  }
  return success();
}

template <typename OpOrAdaptor>
static FailureOr<Shape> transposeShape(EmitFn emit, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  if (!input)
    return failure();
  ArrayRef<int64_t> perm = entries(op.getPermutationAttr());
  if (failed(checkPermutation(emit, perm, input->size())))
    return failure();
  Shape shape;
  for (int64_t p : perm)
    shape.push_back((*input)[p]);
  return shape;
}

/// Folds input `index` of a concat into `shape` (the inputs before it).
static LogicalResult concatOne(EmitFn emit, Shape &shape,
                               ArrayRef<int64_t> input, size_t index,
                               int64_t axis) {
  if (failed(checkSameSize(emit, "input #" + Twine(index) + " rank",
                           input.size(), "input #0 rank", shape.size())))
    return failure();
  for (auto [d, size] : llvm::enumerate(input)) {
    if (static_cast<int64_t>(d) == axis) {
      FailureOr<int64_t> sum = addSizes(emit, shape[d], size);
      if (failed(sum))
        return failure();
      shape[d] = *sum;
      continue;
    }
    if (failed(checkSameSize(emit,
                             "input #" + Twine(index) + " dimension " +
                                 Twine(d),
                             size, "the preceding inputs", shape[d])))
      return failure();
    shape[d] = mergeSizes(shape[d], size);
  }
  return success();
}

template <typename OpOrAdaptor>
static FailureOr<Shape> concatShape(EmitFn emit, OpOrAdaptor op) {
  std::optional<int64_t> axis = readInt(op.getAxisAttr());
  if (!axis)
    return failure();
  auto inputs = op.getInputs();
  if (inputs.empty())
    return fail(emit, "expects at least one input");
  auto first = rankedShape(inputs.front());
  if (!first || failed(checkAxis(emit, *axis, 0, first->size())))
    return failure();
  Shape shape(*first);
  for (auto [i, value] : llvm::drop_begin(llvm::enumerate(inputs))) {
    auto input = rankedShape(value);
    if (!input || failed(concatOne(emit, shape, *input, i, *axis)))
      return failure();
  }
  return shape;
}

template <typename OpOrAdaptor>
static FailureOr<Shape> softmaxShape(EmitFn emit, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  std::optional<int64_t> axis = readInt(op.getAxisAttr());
  if (!input || !axis)
    return failure();
  int64_t rank = input->size();
  if (failed(checkAxis(emit, *axis, -rank, rank)))
    return failure();
  return Shape(*input);
}

template <typename OpOrAdaptor>
static FailureOr<Shape> sameShape(EmitFn, OpOrAdaptor op) {
  auto input = rankedShape(op.getInput());
  if (!input)
    return failure();
  return Shape(*input);
}

//===----------------------------------------------------------------------===//
// Hooking the rules into verifiers and the interface
//===----------------------------------------------------------------------===//

/// Checks the declared result shape against the inferred one.
static LogicalResult checkResultShape(Operation *op,
                                      FailureOr<Shape> inferred) {
  if (failed(inferred))
    return failure();
  ArrayRef<int64_t> declared =
      cast<ShapedType>(op->getResult(0).getType()).getShape();
  if (succeeded(verifyCompatibleShape(declared, *inferred)))
    return success();
  return op->emitOpError("result shape ")
         << formatShape(declared) << " does not match the inferred shape "
         << formatShape(*inferred);
}

/// Hands an inferred shape (no element type) to the interface.
static LogicalResult returnShape(FailureOr<Shape> shape,
                                 SmallVectorImpl<ShapedTypeComponents> &out) {
  if (failed(shape))
    return failure();
  out.emplace_back(ArrayRef<int64_t>(*shape));
  return success();
}

// Each shaped op gets verifyShapes() (verifier, errors on the op) and
// inferReturnTypeComponents() (errors at the location, if any), both from
// the same rule.
#define QNT_SHAPE_RULE(OP, RULE)                                               \
  LogicalResult OP::verifyShapes() {                                           \
    auto emit = [&] { return emitOpError(); };                                 \
    return checkResultShape(*this, RULE(emit, *this));                         \
  }                                                                            \
  LogicalResult OP::inferReturnTypeComponents(                                 \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<ShapedTypeComponents> &shapes) {                         \
    LocEmitter emit{loc};                                                      \
    return returnShape(RULE(emit.fn(), adaptor), shapes);                      \
  }

QNT_SHAPE_RULE(Conv2DOp, conv2DShape)
QNT_SHAPE_RULE(DepthwiseConv2DOp, depthwiseConv2DShape)
QNT_SHAPE_RULE(FullyConnectedOp, fullyConnectedShape)
QNT_SHAPE_RULE(MatMulOp, matMulShape)
QNT_SHAPE_RULE(BatchNormOp, batchNormShape)
QNT_SHAPE_RULE(AddOp, broadcastShape)
QNT_SHAPE_RULE(MulOp, broadcastShape)
QNT_SHAPE_RULE(MaxPool2DOp, pool2DShape)
QNT_SHAPE_RULE(AvgPool2DOp, pool2DShape)
QNT_SHAPE_RULE(GlobalAvgPoolOp, globalAvgPoolShape)
QNT_SHAPE_RULE(PadOp, padShape)
QNT_SHAPE_RULE(TransposeOp, transposeShape)
QNT_SHAPE_RULE(ConcatOp, concatShape)
QNT_SHAPE_RULE(SoftmaxOp, softmaxShape)
QNT_SHAPE_RULE(ReluOp, sameShape)
QNT_SHAPE_RULE(Relu6Op, sameShape)
QNT_SHAPE_RULE(ClampOp, sameShape)

#undef QNT_SHAPE_RULE

//===----------------------------------------------------------------------===//
// Reshape (result shape given, not inferred)
//===----------------------------------------------------------------------===//

/// The number of elements of a static shape; nullopt if dynamic. Fails on
/// overflow.
static FailureOr<std::optional<int64_t>> elementCount(EmitFn emit,
                                                      ArrayRef<int64_t> shape) {
  // An empty tensor has no elements however large its other sizes are.
  if (llvm::is_contained(shape, 0))
    return std::optional<int64_t>(0);
  int64_t count = 1;
  for (int64_t size : shape) {
    if (isDynamic(size))
      return std::optional<int64_t>();
    std::optional<int64_t> product = llvm::checkedMul(count, size);
    if (!product)
      return overflow(emit);
    count = *product;
  }
  return std::optional<int64_t>(count);
}

LogicalResult ReshapeOp::verifyShapes() {
  auto emit = [&] { return emitOpError(); };
  auto in = elementCount(emit, getInput().getType().getShape());
  if (failed(in))
    return failure();
  auto out = elementCount(emit, getOutput().getType().getShape());
  if (failed(out))
    return failure();
  if (!*in || !*out)
    return success();
  return checkSameSize(emit, "result element count", **out,
                       "input element count", **in);
}
