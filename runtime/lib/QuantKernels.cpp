//===- QuantKernels.cpp - Integer-only reference kernels ------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the integer semantics of the quantized qnt graph ops
// (docs/quantized-kernels.md). Convolutions and matrix products expand the
// zero points as in Jacob et al. 2018, eq. 7, accumulate exactly and rescale
// with the gemmlowp / TFLite fixed-point output stage (qc_requantize);
// quantized add follows TFLite's reference kernel (both inputs shifted left
// by 20 bits, rescaled, added, rescaled); average pooling divides with
// rounding half away from zero as TFLite's reference kernels do; softmax
// uses the exponential table prepared by prepareSoftmax. No float is used:
// every real number was turned into integers by QuantParams.cpp.
//
// Every kernel checks dtypes, ranks, shapes and the lengths of its
// zero-point and multiplier vectors before touching data, guards element
// counts against overflow, builds its result in a fresh tensor (so `out` may
// alias an input) and never reads out of bounds. Sums are formed exactly in
// 128 bits and saturated once, to int32, where the semantics store them.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/QuantKernels.h"

#include "qc/runtime/fixed_point.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <utility>

using namespace qc::rt;

__extension__ typedef __int128 Wide;

/// Window sizes, strides, dilations, paddings and the dimensions they apply
/// to are bounded so that window arithmetic in int64 cannot overflow.
constexpr int64_t kMaxExtent = INT32_MAX;
/// Softmax limits (QuantParams.h): T <= 2^24, 1 <= R <= 2^38, axis < 2^19.
constexpr int64_t kMaxExpEntry = INT64_C(1) << 24;
constexpr int64_t kMaxReciprocal = INT64_C(1) << 38;
constexpr int64_t kMaxSoftmaxAxis = INT64_C(1) << 19;
constexpr int kSoftmaxReciprocalBits = 20;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static int32_t sat32(Wide v) {
  if (v < INT32_MIN)
    return INT32_MIN;
  if (v > INT32_MAX)
    return INT32_MAX;
  return static_cast<int32_t>(v);
}

/// round(num / den) with ties away from zero, den > 0, all integer.
static Wide roundHalfAwayDiv(Wide num, Wide den) {
  Wide mag = num < 0 ? -num : num;
  Wide q = mag / den;
  // 2 * rem >= den, written so that it cannot overflow.
  if (mag % den >= den - mag % den)
    ++q;
  return num < 0 ? -q : q;
}

static bool fail(const char *kernel, const std::string &message,
                 std::string &error) {
  error = std::string(kernel) + ": " + message;
  return false;
}

/// Element count of `shape`, or false for negative dimensions or a count
/// whose int32 bytes do not fit int64.
static bool countOf(const std::vector<int64_t> &shape, int64_t &count) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return false;
  if (n > INT64_MAX / 8)
    return false;
  count = n;
  return true;
}

/// An I32 tensor whose storage matches its shape.
static bool checkI32(const Tensor &t, const char *kernel, const char *role,
                     std::string &error) {
  if (t.dtype() != DType::I32)
    return fail(kernel,
                std::string(role) +
                    " must be i32 (quantized storage values "
                    "widened to int32), got " +
                    t.describe(),
                error);
  int64_t n;
  if (!countOf(t.shape(), n) ||
      t.byteSize() != static_cast<size_t>(n) * sizeof(int32_t))
    return fail(kernel,
                std::string(role) + " " + t.describe() +
                    " has an invalid shape or storage size",
                error);
  return true;
}

static bool checkRank(const Tensor &t, int64_t rank, const char *kernel,
                      const char *role, std::string &error) {
  if (t.rank() == rank)
    return true;
  return fail(kernel,
              std::string(role) + " must have rank " + std::to_string(rank) +
                  ", got " + t.describe(),
              error);
}

static bool checkI32Rank(const Tensor &t, int64_t rank, const char *kernel,
                         const char *role, std::string &error) {
  return checkI32(t, kernel, role, error) &&
         checkRank(t, rank, kernel, role, error);
}

/// A zeroed result tensor of `shape`, refused if its size overflows.
static bool makeOutput(DType dtype, const std::vector<int64_t> &shape,
                       const char *kernel, Tensor &result, std::string &error) {
  int64_t n;
  if (!countOf(shape, n))
    return fail(kernel, "result element count overflows", error);
  result = Tensor(dtype, shape);
  return true;
}

/// A per-tensor (1 entry) or per-channel (`channels` entries) vector.
static bool checkLength(size_t size, int64_t channels, const char *kernel,
                        const char *what, std::string &error) {
  if (size == 1 || static_cast<int64_t>(size) == channels)
    return true;
  return fail(kernel,
              std::string(what) + " has " + std::to_string(size) +
                  " entries; need 1 or " + std::to_string(channels),
              error);
}

static bool checkStage(const OutputStage &stage, int64_t channels,
                       const char *kernel, std::string &error) {
  if (!checkLength(stage.multipliers.size(), channels, kernel,
                   "output stage multipliers", error))
    return false;
  if (stage.lo > stage.hi)
    return fail(kernel, "output stage has lo > hi", error);
  return true;
}

template <typename T> static const T &pick(const std::vector<T> &v, int64_t c) {
  return v[v.size() == 1 ? 0 : static_cast<size_t>(c)];
}

/// The output stage: clamp(zp + MultiplyByQuantizedMultiplier(v, M[c])),
/// the multiply rounded as the stage says.
static int32_t applyMultiplier(const OutputStage &stage, const Multiplier &m,
                               int32_t v) {
  if (stage.rounding == Rounding::Gemmlowp)
    return qc_requantize(v, m.m0, m.shift, stage.zeroPoint, stage.lo, stage.hi);
  int64_t r = static_cast<int64_t>(stage.zeroPoint) +
              q::applyFixedPointMul(v, m.m0, m.shift, stage.rounding);
  // max first, then min, as qc_requantize does.
  return static_cast<int32_t>(
      std::min<int64_t>(std::max<int64_t>(r, stage.lo), stage.hi));
}

static int32_t applyStage(const OutputStage &stage, int64_t c, int32_t v) {
  return applyMultiplier(stage, pick(stage.multipliers, c), v);
}

/// x - zp saturated to int32 (exact for any storage of at most 31 bits).
static int32_t offsetOf(int32_t x, int32_t zp) {
  return sat32(static_cast<Wide>(x) - zp);
}

/// Calls fn(i, offsetA, offsetB) for every row-major index i of `shape`,
/// with offsetX = sum_d idx[d] * stridesX[d] (an odometer, no division).
template <typename Fn>
static void walk(const std::vector<int64_t> &shape,
                 const std::vector<int64_t> &sa, const std::vector<int64_t> &sb,
                 Fn fn) {
  int64_t n = productOf(shape);
  std::vector<int64_t> idx(shape.size(), 0);
  int64_t oa = 0, ob = 0;
  for (int64_t i = 0; i < n; ++i) {
    fn(i, oa, ob);
    for (size_t d = shape.size(); d-- > 0;) {
      oa += sa[d];
      ob += sb[d];
      if (++idx[d] < shape[d])
        break;
      oa -= sa[d] * shape[d];
      ob -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/// Product of shape[begin, end).
static int64_t productOfRange(const std::vector<int64_t> &shape, int64_t begin,
                              int64_t end) {
  int64_t p = 1;
  for (int64_t d = begin; d < end; ++d)
    p *= shape[d];
  return p;
}

//===----------------------------------------------------------------------===//
// Windows
//===----------------------------------------------------------------------===//

/// Validates one spatial dimension of a windowed op and computes its output
/// size (KernelAttrs.h windowOutputSize).
static bool checkWindow(const char *kernel, const char *dim, int64_t in,
                        int64_t k, int64_t stride, int64_t dilation, int64_t lo,
                        int64_t hi, int64_t &outSize, std::string &error) {
  auto inRange = [](int64_t v, int64_t min) {
    return v >= min && v <= kMaxExtent;
  };
  if (!inRange(in, 1) || !inRange(k, 1) || !inRange(stride, 1) ||
      !inRange(dilation, 1) || !inRange(lo, 0) || !inRange(hi, 0))
    return fail(kernel,
                std::string(dim) +
                    ": need input and kernel sizes, strides and dilations >= "
                    "1 and paddings >= 0 (all below 2^31)",
                error);
  if (in + lo + hi < dilation * (k - 1) + 1)
    return fail(kernel,
                std::string(dim) + ": the window is larger than the padded "
                                   "input",
                error);
  outSize = windowOutputSize(in, k, stride, dilation, lo, hi);
  return true;
}

/// Shape of a convolution-like op: output channel o sums over input
/// channels [o / outPerGroup * inPerGroup, + inPerGroup) and reads its
/// weights at o * wO + kh * wH + kw * wW + ci.
namespace {
struct ConvPlan {
  int64_t batch = 1, inH = 1, inW = 1, inC = 1;
  int64_t kH = 1, kW = 1, outH = 1, outW = 1, outC = 1;
  int64_t outPerGroup = 1, inPerGroup = 1;
  int64_t wO = 0, wH = 0, wW = 0;
};
} // namespace

/// acc = bias[o] + sum (x - Zx)(w - Zw[o]) over the window's valid
/// positions (padding contributes 0), exact, then saturated to int32.
static int32_t convAccumulator(const ConvPlan &p, const ConvAttrs &a,
                               const int32_t *x, int32_t zx, const int32_t *w,
                               int32_t zw, const int32_t *bias, int64_t n,
                               int64_t oy, int64_t ox, int64_t o) {
  Wide acc = bias ? bias[o] : 0;
  int64_t cin = o / p.outPerGroup * p.inPerGroup;
  for (int64_t kh = 0; kh < p.kH; ++kh) {
    int64_t iy = oy * a.strideH - a.padTop + kh * a.dilationH;
    if (iy < 0 || iy >= p.inH)
      continue;
    for (int64_t kw = 0; kw < p.kW; ++kw) {
      int64_t ix = ox * a.strideW - a.padLeft + kw * a.dilationW;
      if (ix < 0 || ix >= p.inW)
        continue;
      const int32_t *xp = x + ((n * p.inH + iy) * p.inW + ix) * p.inC + cin;
      const int32_t *wp = w + o * p.wO + kh * p.wH + kw * p.wW;
      for (int64_t ci = 0; ci < p.inPerGroup; ++ci)
        acc += static_cast<Wide>(static_cast<int64_t>(xp[ci]) - zx) *
               (static_cast<int64_t>(wp[ci]) - zw);
    }
  }
  return sat32(acc);
}

/// Runs a validated ConvPlan into a fresh [batch, outH, outW, outC] tensor.
static bool runConv(const ConvPlan &p, const ConvAttrs &attrs,
                    const Tensor &input, int32_t inputZp, const Tensor &weight,
                    const std::vector<int32_t> &weightZps, const Tensor *bias,
                    const OutputStage &stage, const char *kernel, Tensor &out,
                    std::string &error) {
  Tensor result;
  if (!makeOutput(DType::I32, {p.batch, p.outH, p.outW, p.outC}, kernel, result,
                  error))
    return false;
  const int32_t *x = input.data<int32_t>();
  const int32_t *w = weight.data<int32_t>();
  const int32_t *b = bias ? bias->data<int32_t>() : nullptr;
  int32_t *y = result.data<int32_t>();
  for (int64_t n = 0; n < p.batch; ++n)
    for (int64_t oy = 0; oy < p.outH; ++oy)
      for (int64_t ox = 0; ox < p.outW; ++ox)
        for (int64_t o = 0; o < p.outC; ++o)
          *y++ =
              applyStage(stage, o,
                         convAccumulator(p, attrs, x, inputZp, w,
                                         pick(weightZps, o), b, n, oy, ox, o));
  out = std::move(result);
  return true;
}

/// Checks what conv2d, depthwise_conv2d and fully_connected share: the bias
/// shape and the per-output-channel vectors.
static bool checkLayerOperands(const Tensor *bias, int64_t outC,
                               const std::vector<int32_t> &weightZps,
                               const OutputStage &stage, const char *kernel,
                               std::string &error) {
  if (bias && (!checkI32Rank(*bias, 1, kernel, "bias", error)))
    return false;
  if (bias && bias->dim(0) != outC)
    return fail(kernel,
                "bias " + bias->describe() + " must have " +
                    std::to_string(outC) + " elements",
                error);
  return checkLength(weightZps.size(), outC, kernel, "weight zero points",
                     error) &&
         checkStage(stage, outC, kernel, error);
}

static bool checkConvWindows(const Tensor &input, int64_t kH, int64_t kW,
                             const ConvAttrs &a, const char *kernel,
                             ConvPlan &p, std::string &error) {
  p.batch = input.dim(0);
  p.inH = input.dim(1);
  p.inW = input.dim(2);
  p.inC = input.dim(3);
  p.kH = kH;
  p.kW = kW;
  return checkWindow(kernel, "height", p.inH, kH, a.strideH, a.dilationH,
                     a.padTop, a.padBottom, p.outH, error) &&
         checkWindow(kernel, "width", p.inW, kW, a.strideW, a.dilationW,
                     a.padLeft, a.padRight, p.outW, error);
}

/// Pool windows: like convolution windows without dilation, and padding
/// smaller than the kernel so that every window holds an input position.
static bool checkPoolWindows(const Tensor &input, const PoolAttrs &a,
                             const char *kernel, int64_t &outH, int64_t &outW,
                             std::string &error) {
  if (!checkWindow(kernel, "height", input.dim(1), a.kernelH, a.strideH, 1,
                   a.padTop, a.padBottom, outH, error) ||
      !checkWindow(kernel, "width", input.dim(2), a.kernelW, a.strideW, 1,
                   a.padLeft, a.padRight, outW, error))
    return false;
  if (a.padTop >= a.kernelH || a.padBottom >= a.kernelH ||
      a.padLeft >= a.kernelW || a.padRight >= a.kernelW)
    return fail(kernel, "padding must be smaller than the kernel", error);
  return true;
}

/// Max or rounded average of (x - Zx) over one pooling window.
/// The output of one pooling window, through the output stage:
/// - max: the stage on max(x) - Z_x;
/// - average, gemmlowp (TFLite): the stage on round_half_away(sum / count),
///   two roundings;
/// - average, half_even (ONNX: the float mean, quantized): one rounding of
///   sum * M / count with poolMultiplier's M / count, ties to even.
static int32_t poolWindow(const Tensor &input, int32_t zx, const PoolAttrs &a,
                          const OutputStage &stage, bool isMax, int64_t n,
                          int64_t oy, int64_t ox, int64_t c) {
  int64_t h = input.dim(1), w = input.dim(2), ch = input.dim(3);
  const int32_t *x = input.data<int32_t>();
  int32_t best = INT32_MIN;
  Wide sum = 0;
  int64_t count = 0;
  for (int64_t kh = 0; kh < a.kernelH; ++kh) {
    int64_t iy = oy * a.strideH - a.padTop + kh;
    if (iy < 0 || iy >= h)
      continue;
    for (int64_t kw = 0; kw < a.kernelW; ++kw) {
      int64_t ix = ox * a.strideW - a.padLeft + kw;
      if (ix < 0 || ix >= w)
        continue;
      int32_t v = x[((n * h + iy) * w + ix) * ch + c];
      best = std::max(best, v);
      sum += static_cast<int64_t>(v) - zx;
      ++count;
    }
  }
  if (isMax)
    return applyStage(stage, c, offsetOf(best, zx));
  if (a.countIncludePad)
    count = a.kernelH * a.kernelW;
  if (stage.rounding == Rounding::HalfEven)
    return applyMultiplier(
        stage, poolMultiplier(pick(stage.multipliers, c), count), sat32(sum));
  return applyStage(stage, c, sat32(roundHalfAwayDiv(sum, count)));
}

static bool runPool(const Tensor &input, int32_t inputZp,
                    const PoolAttrs &attrs, const OutputStage &stage,
                    bool isMax, const char *kernel, Tensor &out,
                    std::string &error) {
  int64_t outH, outW;
  if (!checkI32Rank(input, 4, kernel, "input", error) ||
      !checkPoolWindows(input, attrs, kernel, outH, outW, error) ||
      !checkStage(stage, input.dim(3), kernel, error))
    return false;
  int64_t batch = input.dim(0), ch = input.dim(3);
  Tensor result;
  if (!makeOutput(DType::I32, {batch, outH, outW, ch}, kernel, result, error))
    return false;
  int32_t *y = result.data<int32_t>();
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t oy = 0; oy < outH; ++oy)
      for (int64_t ox = 0; ox < outW; ++ox)
        for (int64_t c = 0; c < ch; ++c)
          *y++ = poolWindow(input, inputZp, attrs, stage, isMax, n, oy, ox, c);
  out = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// Broadcasting and per-axis helpers
//===----------------------------------------------------------------------===//

/// Numpy broadcasting of lhs and rhs: the result shape, and each operand's
/// strides in the result's index space (0 along broadcast dimensions).
static bool broadcast(const Tensor &lhs, const Tensor &rhs, const char *kernel,
                      std::vector<int64_t> &shape, std::vector<int64_t> &sl,
                      std::vector<int64_t> &sr, std::string &error) {
  size_t rank = std::max(lhs.shape().size(), rhs.shape().size());
  shape.assign(rank, 1);
  sl.assign(rank, 0);
  sr.assign(rank, 0);
  std::vector<int64_t> stl = stridesOf(lhs.shape()),
                       str = stridesOf(rhs.shape());
  for (size_t i = 0; i < rank; ++i) {
    // Dimension i of the result, counted from the end.
    size_t fromEnd = rank - 1 - i;
    int64_t dl = 1, dr = 1;
    if (fromEnd < lhs.shape().size())
      dl = lhs.shape()[lhs.shape().size() - 1 - fromEnd];
    if (fromEnd < rhs.shape().size())
      dr = rhs.shape()[rhs.shape().size() - 1 - fromEnd];
    if (dl != dr && dl != 1 && dr != 1)
      return fail(kernel,
                  "shapes " + lhs.describe() + " and " + rhs.describe() +
                      " do not broadcast",
                  error);
    shape[i] = dl == 1 ? dr : dl;
    if (dl != 1)
      sl[i] = stl[lhs.shape().size() - 1 - fromEnd];
    if (dr != 1)
      sr[i] = str[rhs.shape().size() - 1 - fromEnd];
  }
  return true;
}

/// A binary elementwise kernel with broadcasting: out[i] = fn(l, r).
template <typename Fn>
static bool runBinary(const Tensor &lhs, const Tensor &rhs, const char *kernel,
                      Tensor &out, std::string &error, Fn fn) {
  std::vector<int64_t> shape, sl, sr;
  Tensor result;
  if (!checkI32(lhs, kernel, "lhs", error) ||
      !checkI32(rhs, kernel, "rhs", error) ||
      !broadcast(lhs, rhs, kernel, shape, sl, sr, error) ||
      !makeOutput(DType::I32, shape, kernel, result, error))
    return false;
  const int32_t *a = lhs.data<int32_t>();
  const int32_t *b = rhs.data<int32_t>();
  int32_t *y = result.data<int32_t>();
  walk(shape, sl, sr,
       [&](int64_t i, int64_t ia, int64_t ib) { y[i] = fn(a[ia], b[ib]); });
  out = std::move(result);
  return true;
}

/// For per-axis vectors: `axis` must name a dimension whenever a vector has
/// more than one entry, and then every vector has 1 or dim(axis) entries.
/// Returns the inner size (elements per step along the axis) and the axis
/// size, with (1, 1) for per-tensor use.
static bool
checkAxisVectors(const Tensor &t, int64_t axis,
                 std::initializer_list<std::pair<size_t, const char *>> vectors,
                 const char *kernel, int64_t &inner, int64_t &size,
                 std::string &error) {
  inner = 1;
  size = 1;
  bool perAxis = false;
  for (const auto &v : vectors)
    perAxis |= v.first != 1;
  if (!perAxis)
    return true;
  if (axis < 0 || axis >= t.rank())
    return fail(kernel,
                "axis " + std::to_string(axis) + " is out of range for " +
                    t.describe(),
                error);
  size = t.dim(axis);
  inner = productOfRange(t.shape(), axis + 1, t.rank());
  for (const auto &v : vectors)
    if (!checkLength(v.first, size, kernel, v.second, error))
      return false;
  return true;
}

/// Channel (index along the axis) of row-major element i.
static int64_t channelOf(int64_t i, int64_t inner, int64_t size) {
  return size == 1 ? 0 : (i / inner) % size;
}

//===----------------------------------------------------------------------===//
// Matrix products and data movement
//===----------------------------------------------------------------------===//

/// The padded shape: dim_i + low_i + high_i, each padding in [0, 2^31).
static bool padShape(const Tensor &input, const std::vector<int64_t> &padding,
                     std::vector<int64_t> &shape, std::string &error) {
  int64_t rank = input.rank();
  if (static_cast<int64_t>(padding.size()) != 2 * rank)
    return fail("pad",
                "padding needs 2 entries per dimension of " + input.describe(),
                error);
  shape.resize(rank);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t lo = padding[2 * d], hi = padding[2 * d + 1];
    if (lo < 0 || hi < 0 || lo > kMaxExtent || hi > kMaxExtent)
      return fail("pad", "padding entries must be in [0, 2^31)", error);
    shape[d] = input.dim(d) + lo + hi;
  }
  return true;
}

/// lhs [..., M, K] and rhs [..., K, N] with equal batch dimensions.
static bool checkMatmulShapes(const Tensor &lhs, const Tensor &rhs,
                              std::string &error) {
  if (!checkI32(lhs, "matmul", "lhs", error) ||
      !checkI32(rhs, "matmul", "rhs", error))
    return false;
  int64_t r = lhs.rank();
  bool batchEqual = r >= 2 && rhs.rank() == r &&
                    std::equal(lhs.shape().begin(), lhs.shape().end() - 2,
                               rhs.shape().begin());
  if (batchEqual && lhs.dim(r - 1) == rhs.dim(r - 2))
    return true;
  return fail("matmul",
              "need [..., M, K] x [..., K, N] with equal batch dimensions, "
              "got " +
                  lhs.describe() + " and " + rhs.describe(),
              error);
}

/// sat32(sum_t (a[t] - za)(b[t * strideB] - zb)), summed exactly.
static int32_t dotProduct(const int32_t *a, int32_t za, const int32_t *b,
                          int32_t zb, int64_t len, int64_t strideB) {
  Wide acc = 0;
  for (int64_t t = 0; t < len; ++t)
    acc += static_cast<Wide>(static_cast<int64_t>(a[t]) - za) *
           (static_cast<int64_t>(b[t * strideB]) - zb);
  return sat32(acc);
}

static bool isPermutation(const std::vector<int64_t> &permutation,
                          int64_t rank) {
  if (static_cast<int64_t>(permutation.size()) != rank)
    return false;
  std::vector<bool> seen(rank, false);
  for (int64_t p : permutation) {
    if (p < 0 || p >= rank || seen[p])
      return false;
    seen[p] = true;
  }
  return true;
}

/// One zero point and one per-tensor stage for each non-null i32 input.
static bool checkConcatInputs(const std::vector<const Tensor *> &inputs,
                              const std::vector<int32_t> &inputZps,
                              const std::vector<OutputStage> &stages,
                              std::string &error) {
  const char *k = "concat";
  if (inputs.empty() || inputZps.size() != inputs.size() ||
      stages.size() != inputs.size())
    return fail(k,
                "need one zero point and one stage per input, and at "
                "least one input",
                error);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i] || stages[i].multipliers.size() != 1)
      return fail(k,
                  "input " + std::to_string(i) +
                      " is null or its stage does not have exactly one "
                      "multiplier (concat inputs are per tensor)",
                  error);
    if (!checkI32(*inputs[i], k, "input", error) ||
        !checkStage(stages[i], 1, k, error))
      return false;
  }
  return true;
}

/// The joined shape: equal dimensions except `axis`, whose sizes add up.
static bool concatShape(const std::vector<const Tensor *> &inputs, int64_t axis,
                        std::vector<int64_t> &shape, std::string &error) {
  const Tensor &first = *inputs[0];
  int64_t rank = first.rank();
  if (axis < 0 || axis >= rank)
    return fail("concat", "axis out of range", error);
  shape = first.shape();
  shape[axis] = 0;
  for (const Tensor *t : inputs) {
    bool same = t->rank() == rank;
    for (int64_t d = 0; same && d < rank; ++d)
      same = d == axis || t->dim(d) == first.dim(d);
    if (!same)
      return fail("concat", "inputs differ outside the concatenation axis",
                  error);
    shape[axis] += t->dim(axis);
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

static bool checkSoftmaxParams(const SoftmaxParams &p, std::string &error) {
  if (p.expTable.empty() || p.expTable[0] < 1 || p.reciprocalScale < 1 ||
      p.reciprocalScale > kMaxReciprocal || p.lo > p.hi)
    return fail("softmax",
                "parameters are not those of prepareSoftmax (empty table, "
                "T[0] < 1, R outside [1, 2^38] or lo > hi)",
                error);
  for (int64_t t : p.expTable)
    if (t < 0 || t > kMaxExpEntry)
      return fail("softmax", "table entry outside [0, 2^24]", error);
  return true;
}

/// One softmax row of `len` elements `stride` apart.
static bool softmaxRow(const int32_t *x, int32_t *y, int64_t len,
                       int64_t stride, const SoftmaxParams &p,
                       std::string &error) {
  int32_t max = INT32_MIN;
  for (int64_t j = 0; j < len; ++j)
    max = std::max(max, x[j * stride]);
  int64_t entries = static_cast<int64_t>(p.expTable.size());
  int64_t sum = 0;
  for (int64_t j = 0; j < len; ++j) {
    int64_t d = static_cast<int64_t>(max) - x[j * stride];
    if (d >= entries)
      return fail("softmax",
                  "input values span more than the table's storage range",
                  error);
    sum += p.expTable[d];
  }
  // sum <= len * 2^24 < 2^43, so the divisor stays below 2^63.
  int64_t den = sum << kSoftmaxReciprocalBits;
  for (int64_t j = 0; j < len; ++j) {
    int64_t d = static_cast<int64_t>(max) - x[j * stride];
    int64_t num = p.expTable[d] * p.reciprocalScale;
    int64_t q = static_cast<int64_t>(roundHalfAwayDiv(num, den));
    y[j * stride] = static_cast<int32_t>(
        std::min<int64_t>(std::max<int64_t>(p.zeroPoint + q, p.lo), p.hi));
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Convolutions and matrix products
//===----------------------------------------------------------------------===//

bool q::conv2d(const Tensor &input, int32_t inputZp, const Tensor &weight,
               const std::vector<int32_t> &weightZps, const Tensor *bias,
               const ConvAttrs &attrs, const OutputStage &stage, Tensor &out,
               std::string &error) {
  const char *k = "conv2d";
  if (!checkI32Rank(input, 4, k, "input", error) ||
      !checkI32Rank(weight, 4, k, "weight", error))
    return false;
  int64_t g = attrs.groups, c = input.dim(3), o = weight.dim(0);
  if (g < 1 || c == 0 || o == 0 || c % g != 0 || o % g != 0 ||
      weight.dim(3) != c / g)
    return fail(k,
                "input " + input.describe() + ", weight " + weight.describe() +
                    " and groups " + std::to_string(g) +
                    " do not match: need C and O multiples of groups and a "
                    "weight [O, KH, KW, C / groups]",
                error);
  ConvPlan p;
  if (!checkConvWindows(input, weight.dim(1), weight.dim(2), attrs, k, p,
                        error) ||
      !checkLayerOperands(bias, o, weightZps, stage, k, error))
    return false;
  p.outC = o;
  p.outPerGroup = o / g;
  p.inPerGroup = c / g;
  p.wW = p.inPerGroup;
  p.wH = p.kW * p.wW;
  p.wO = p.kH * p.wH;
  return runConv(p, attrs, input, inputZp, weight, weightZps, bias, stage, k,
                 out, error);
}

bool q::depthwiseConv2d(const Tensor &input, int32_t inputZp,
                        const Tensor &weight,
                        const std::vector<int32_t> &weightZps,
                        const Tensor *bias, const ConvAttrs &attrs,
                        const OutputStage &stage, Tensor &out,
                        std::string &error) {
  const char *k = "depthwise_conv2d";
  if (!checkI32Rank(input, 4, k, "input", error) ||
      !checkI32Rank(weight, 4, k, "weight", error))
    return false;
  int64_t c = input.dim(3), cm = weight.dim(3);
  if (weight.dim(0) != 1 || c == 0 || cm == 0 || cm % c != 0)
    return fail(k,
                "weight " + weight.describe() +
                    " must be [1, KH, KW, C * M] "
                    "for input " +
                    input.describe(),
                error);
  ConvPlan p;
  if (!checkConvWindows(input, weight.dim(1), weight.dim(2), attrs, k, p,
                        error) ||
      !checkLayerOperands(bias, cm, weightZps, stage, k, error))
    return false;
  // Output channel c * M + m reads input channel c (TFLite layout).
  p.outC = cm;
  p.outPerGroup = cm / c;
  p.inPerGroup = 1;
  p.wO = 1;
  p.wW = cm;
  p.wH = p.kW * cm;
  return runConv(p, attrs, input, inputZp, weight, weightZps, bias, stage, k,
                 out, error);
}

bool q::fullyConnected(const Tensor &input, int32_t inputZp,
                       const Tensor &weight,
                       const std::vector<int32_t> &weightZps,
                       const Tensor *bias, const OutputStage &stage,
                       Tensor &out, std::string &error) {
  const char *k = "fully_connected";
  if (!checkI32Rank(input, 2, k, "input", error) ||
      !checkI32Rank(weight, 2, k, "weight", error))
    return false;
  if (weight.dim(1) != input.dim(1) || weight.dim(0) == 0)
    return fail(k,
                "weight " + weight.describe() + " must be [O, K] for input " +
                    input.describe(),
                error);
  if (!checkLayerOperands(bias, weight.dim(0), weightZps, stage, k, error))
    return false;
  // A 1x1 convolution over a 1x1 image with K channels.
  ConvPlan p;
  p.batch = input.dim(0);
  p.inC = p.inPerGroup = input.dim(1);
  p.outC = p.outPerGroup = weight.dim(0);
  p.wO = input.dim(1);
  Tensor result;
  if (!runConv(p, ConvAttrs(), input, inputZp, weight, weightZps, bias, stage,
               k, result, error))
    return false;
  out = result.reshaped({p.batch, p.outC});
  return true;
}

bool q::matmul(const Tensor &lhs, int32_t lhsZp, const Tensor &rhs,
               const std::vector<int32_t> &rhsZps, const OutputStage &stage,
               Tensor &out, std::string &error) {
  const char *k = "matmul";
  if (!checkMatmulShapes(lhs, rhs, error))
    return false;
  int64_t r = lhs.rank();
  int64_t m = lhs.dim(r - 2), kk = lhs.dim(r - 1), n = rhs.dim(r - 1);
  if (!checkLength(rhsZps.size(), n, k, "rhs zero points", error) ||
      !checkStage(stage, n, k, error))
    return false;
  std::vector<int64_t> shape = lhs.shape();
  shape.back() = n;
  Tensor result;
  if (!makeOutput(DType::I32, shape, k, result, error))
    return false;
  int64_t batches = productOfRange(shape, 0, r - 2);
  const int32_t *a = lhs.data<int32_t>();
  const int32_t *b = rhs.data<int32_t>();
  int32_t *y = result.data<int32_t>();
  for (int64_t bi = 0; bi < batches; ++bi)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        *y++ =
            applyStage(stage, j,
                       dotProduct(a + (bi * m + i) * kk, lhsZp,
                                  b + bi * kk * n + j, pick(rhsZps, j), kk, n));
  out = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

bool q::add(const Tensor &lhs, const Tensor &rhs, const AddParams &params,
            Tensor &out, std::string &error) {
  const char *k = "add";
  if (params.leftShift < 0 || params.leftShift > 30)
    return fail(k, "left shift must be in [0, 30]", error);
  if (params.output.multipliers.size() != 1)
    return fail(k, "add is per tensor: need exactly one output multiplier",
                error);
  if (!checkStage(params.output, 1, k, error))
    return false;
  // TFLite's reference add: headroom shift, rescale both inputs to a common
  // scale, add, rescale to the output.
  auto scaled = [&](int32_t v, int32_t zp, const Multiplier &m) {
    int64_t shifted =
        (static_cast<int64_t>(v) - zp) * (INT64_C(1) << params.leftShift);
    return applyFixedPointMul(sat32(shifted), m.m0, m.shift,
                              params.output.rounding);
  };
  return runBinary(lhs, rhs, k, out, error, [&](int32_t a, int32_t b) {
    int64_t sum =
        static_cast<int64_t>(scaled(a, params.zeroPointA, params.multiplierA)) +
        scaled(b, params.zeroPointB, params.multiplierB);
    return applyStage(params.output, 0, sat32(sum));
  });
}

bool q::mul(const Tensor &lhs, const Tensor &rhs, const MulParams &params,
            Tensor &out, std::string &error) {
  const char *k = "mul";
  if (params.output.multipliers.size() != 1)
    return fail(k, "mul is per tensor: need exactly one output multiplier",
                error);
  if (!checkStage(params.output, 1, k, error))
    return false;
  return runBinary(lhs, rhs, k, out, error, [&](int32_t a, int32_t b) {
    Wide product =
        static_cast<Wide>(static_cast<int64_t>(a) - params.zeroPointA) *
        (static_cast<int64_t>(b) - params.zeroPointB);
    return applyStage(params.output, 0, sat32(product));
  });
}

//===----------------------------------------------------------------------===//
// Rescales and pooling
//===----------------------------------------------------------------------===//

bool q::rescale(const Tensor &input, const std::vector<int32_t> &inputZps,
                int64_t axis, const OutputStage &stage, Tensor &out,
                std::string &error) {
  const char *k = "rescale";
  int64_t inner, size;
  if (!checkI32(input, k, "input", error) ||
      !checkAxisVectors(
          input, axis,
          {{inputZps.size(), "input zero points"},
           {stage.multipliers.size(), "output stage multipliers"}},
          k, inner, size, error) ||
      !checkStage(stage, size, k, error))
    return false;
  Tensor result;
  if (!makeOutput(DType::I32, input.shape(), k, result, error))
    return false;
  const int32_t *x = input.data<int32_t>();
  int32_t *y = result.data<int32_t>();
  int64_t n = productOf(input.shape());
  for (int64_t i = 0; i < n; ++i) {
    int64_t c = channelOf(i, inner, size);
    y[i] = applyStage(stage, c, offsetOf(x[i], pick(inputZps, c)));
  }
  out = std::move(result);
  return true;
}

bool q::maxPool2d(const Tensor &input, int32_t inputZp, const PoolAttrs &attrs,
                  const OutputStage &stage, Tensor &out, std::string &error) {
  return runPool(input, inputZp, attrs, stage, /*isMax=*/true, "max_pool2d",
                 out, error);
}

bool q::avgPool2d(const Tensor &input, int32_t inputZp, const PoolAttrs &attrs,
                  const OutputStage &stage, Tensor &out, std::string &error) {
  return runPool(input, inputZp, attrs, stage, /*isMax=*/false, "avg_pool2d",
                 out, error);
}

bool q::globalAvgPool(const Tensor &input, int32_t inputZp,
                      const OutputStage &stage, Tensor &out,
                      std::string &error) {
  const char *k = "global_avg_pool";
  if (!checkI32Rank(input, 4, k, "input", error))
    return false;
  PoolAttrs attrs;
  attrs.kernelH = input.dim(1);
  attrs.kernelW = input.dim(2);
  return runPool(input, inputZp, attrs, stage, /*isMax=*/false, k, out, error);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

bool q::pad(const Tensor &input, int32_t inputZp,
            const std::vector<int64_t> &padding, int32_t padValue,
            const OutputStage &stage, Tensor &out, std::string &error) {
  const char *k = "pad";
  if (stage.multipliers.size() != 1)
    return fail(k, "pad is per tensor: need exactly one output multiplier",
                error);
  if (!checkI32(input, k, "input", error) || !checkStage(stage, 1, k, error))
    return false;
  int64_t rank = input.rank();
  std::vector<int64_t> shape;
  Tensor result;
  if (!padShape(input, padding, shape, error) ||
      !makeOutput(DType::I32, shape, k, result, error))
    return false;
  int32_t *y = result.data<int32_t>();
  std::fill(y, y + productOf(shape), padValue);
  // Interior elements land at their index plus the low padding.
  std::vector<int64_t> outStrides = stridesOf(shape);
  int64_t base = 0;
  for (int64_t d = 0; d < rank; ++d)
    base += padding[2 * d] * outStrides[d];
  const int32_t *x = input.data<int32_t>();
  walk(input.shape(), outStrides, outStrides,
       [&](int64_t i, int64_t o, int64_t) {
         y[base + o] = applyStage(stage, 0, offsetOf(x[i], inputZp));
       });
  out = std::move(result);
  return true;
}

bool q::transpose(const Tensor &input, const std::vector<int64_t> &permutation,
                  Tensor &out, std::string &error) {
  const char *k = "transpose";
  int64_t rank = input.rank(), n;
  size_t elem = dtypeSize(input.dtype());
  if (!countOf(input.shape(), n) ||
      input.byteSize() != static_cast<size_t>(n) * elem)
    return fail(k, "input " + input.describe() + " is inconsistent", error);
  if (!isPermutation(permutation, rank))
    return fail(k, "permutation is not a permutation of [0, rank)", error);
  std::vector<int64_t> shape(rank), inStrides = stridesOf(input.shape()),
                                    from(rank);
  for (int64_t d = 0; d < rank; ++d) {
    shape[d] = input.dim(permutation[d]);
    from[d] = inStrides[permutation[d]];
  }
  Tensor result;
  if (!makeOutput(input.dtype(), shape, k, result, error))
    return false;
  const unsigned char *x = input.raw();
  unsigned char *y = result.raw();
  walk(shape, from, from, [&](int64_t i, int64_t src, int64_t) {
    std::memcpy(y + i * elem, x + src * elem, elem);
  });
  out = std::move(result);
  return true;
}

bool q::concat(const std::vector<const Tensor *> &inputs,
               const std::vector<int32_t> &inputZps,
               const std::vector<OutputStage> &stages, int64_t axis,
               Tensor &out, std::string &error) {
  std::vector<int64_t> shape;
  Tensor result;
  if (!checkConcatInputs(inputs, inputZps, stages, error) ||
      !concatShape(inputs, axis, shape, error) ||
      !makeOutput(DType::I32, shape, "concat", result, error))
    return false;
  int64_t outer = productOfRange(shape, 0, axis);
  int64_t inner =
      productOfRange(shape, axis + 1, static_cast<int64_t>(shape.size()));
  int32_t *y = result.data<int32_t>();
  int64_t offset = 0; // along the axis
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int32_t *x = inputs[i]->data<int32_t>();
    int64_t block = inputs[i]->dim(axis) * inner;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < block; ++j)
        y[(o * shape[axis] + offset) * inner + j] =
            applyStage(stages[i], 0, offsetOf(x[o * block + j], inputZps[i]));
    offset += inputs[i]->dim(axis);
  }
  out = std::move(result);
  return true;
}

bool q::softmax(const Tensor &input, int64_t axis, const SoftmaxParams &params,
                Tensor &out, std::string &error) {
  const char *k = "softmax";
  if (!checkI32(input, k, "input", error) || !checkSoftmaxParams(params, error))
    return false;
  int64_t rank = input.rank();
  if (axis < -rank || axis >= rank)
    return fail(k, "axis out of range for " + input.describe(), error);
  if (axis < 0)
    axis += rank;
  int64_t len = input.dim(axis);
  if (len >= kMaxSoftmaxAxis)
    return fail(k, "axis longer than 2^19 - 1 elements (int64 overflow)",
                error);
  Tensor result;
  if (!makeOutput(DType::I32, input.shape(), k, result, error))
    return false;
  int64_t outer = productOfRange(input.shape(), 0, axis);
  int64_t inner = productOfRange(input.shape(), axis + 1, rank);
  const int32_t *x = input.data<int32_t>();
  int32_t *y = result.data<int32_t>();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      int64_t start = o * len * inner + j;
      if (!softmaxRow(x + start, y + start, len, inner, params, error))
        return false;
    }
  out = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// qnt.fixed_point_mul
//===----------------------------------------------------------------------===//

int32_t q::applyFixedPointMul(int32_t value, int32_t m0, int32_t shift,
                              Rounding rounding) {
  switch (rounding) {
  case Rounding::Gemmlowp:
    return qc_multiply_by_quantized_multiplier(value, m0, shift);
  case Rounding::HalfEven:
    return qc_multiply_by_quantized_multiplier_half_even(value, m0, shift);
  case Rounding::TosaSingle:
  case Rounding::TosaDouble:
    // M = m0 * 2^(shift - 31) is TOSA's multiplier * 2^-(31 - shift), the
    // mapping of FixedPointMulOp::applyTo. 31 - shift cannot overflow for a
    // shift the verifier accepts; for the rest it is computed in 64 bits
    // and clamped like qc_apply_scale_tosa clamps it.
    int64_t tosaShift = std::clamp<int64_t>(INT64_C(31) - shift, 0, 63);
    return qc_apply_scale_tosa(value, m0, static_cast<int32_t>(tosaShift),
                               rounding == Rounding::TosaDouble);
  }
  return value;
}

bool q::fixedPointMul(const Tensor &input, const std::vector<int32_t> &m0,
                      const std::vector<int32_t> &shift, int64_t axis,
                      Rounding rounding, Tensor &out, std::string &error) {
  const char *k = "fixed_point_mul";
  int64_t inner, size;
  if (m0.empty() || m0.size() != shift.size())
    return fail(k, "need as many shifts as multipliers, at least one", error);
  if (!checkI32(input, k, "input", error) ||
      !checkAxisVectors(input, axis, {{m0.size(), "multipliers"}}, k, inner,
                        size, error))
    return false;
  Tensor result;
  if (!makeOutput(DType::I32, input.shape(), k, result, error))
    return false;
  const int32_t *x = input.data<int32_t>();
  int32_t *y = result.data<int32_t>();
  int64_t n = productOf(input.shape());
  for (int64_t i = 0; i < n; ++i) {
    int64_t c = channelOf(i, inner, size);
    y[i] = applyFixedPointMul(x[i], pick(m0, c), pick(shift, c), rounding);
  }
  out = std::move(result);
  return true;
}
