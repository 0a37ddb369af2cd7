//===- FloatKernels.cpp - Reference float kernels -------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the f32 reference kernels of FloatKernels.h, one per
// qnt graph op, in the layouts of docs/layout.md (NHWC activations, OHWI
// convolution weights, [1, KH, KW, C * M] depthwise weights, [O, K] fully
// connected weights, padding [top, bottom, left, right]).
//
// They are the oracle of the float path, so they favour obviousness over
// speed: plain loops over the output, every sum accumulated in double and
// rounded to float once, so that a result does not depend on loop order and
// agrees with a float64 computation (NumPy, PyTorch) to within one rounding.
//
// Each kernel validates dtypes, ranks, shapes and attributes before it
// touches any data, and computes every derived size with overflow checks,
// so that bad operands give a message instead of an out-of-bounds access.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/FloatKernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qc::rt::f32 {

//===----------------------------------------------------------------------===//
// Validation helpers
//===----------------------------------------------------------------------===//

/// Sets `error` to "op: message" and returns false.
static bool fail(std::string &error, const char *op, const std::string &msg) {
  error = std::string(op) + ": " + msg;
  return false;
}

static std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s + "]";
}

/// Element count of an f32 tensor of `shape`; false when the count or its
/// byte size overflows.
static bool f32Count(const std::vector<int64_t> &shape, int64_t &count) {
  return checkedProductOf(shape, count) &&
         count <= std::numeric_limits<int64_t>::max() /
                      static_cast<int64_t>(sizeof(float));
}

/// Checks that `t` is an f32 tensor whose storage matches its shape and,
/// when `rank` is not negative, that it has that rank.
static bool checkOperand(const Tensor &t, int64_t rank, const char *op,
                         const char *name, std::string &error) {
  int64_t count;
  if (t.dtype() != DType::F32 || (rank >= 0 && t.rank() != rank)) {
    std::string want =
        rank >= 0 ? "f32 of rank " + std::to_string(rank) : std::string("f32");
    return fail(error, op,
                std::string(name) + " must be " + want + ", got " +
                    t.describe());
  }
  if (!f32Count(t.shape(), count) ||
      t.byteSize() != static_cast<uint64_t>(count) * sizeof(float))
    return fail(error, op,
                std::string(name) + " " + t.describe() +
                    " has storage that does not match its shape");
  return true;
}

/// Checks an optional 1-D operand of `size` elements (bias).
static bool checkVector(const Tensor *t, int64_t size, const char *op,
                        const char *name, std::string &error) {
  if (!t)
    return true;
  if (!checkOperand(*t, 1, op, name, error))
    return false;
  if (t->dim(0) != size)
    return fail(error, op,
                std::string(name) + " has " + std::to_string(t->dim(0)) +
                    " elements, expected " + std::to_string(size));
  return true;
}

/// Allocates `out` as an f32 tensor of `shape`, refusing element counts
/// whose byte size would overflow.
static bool makeOutput(const std::vector<int64_t> &shape, Tensor &out,
                       const char *op, std::string &error) {
  int64_t count;
  if (!f32Count(shape, count))
    return fail(error, op,
                "output shape " + shapeString(shape) + " is too large");
  out = Tensor(DType::F32, shape);
  return true;
}

/// Output size of a window sliding over one padded dimension; fails when
/// the window does not fit or a size overflows.
static bool windowOutput(int64_t in, int64_t k, int64_t stride,
                         int64_t dilation, int64_t lo, int64_t hi,
                         const char *op, const char *dim, int64_t &size,
                         std::string &error) {
  int64_t padded, span;
  if (__builtin_add_overflow(in, lo, &padded) ||
      __builtin_add_overflow(padded, hi, &padded) ||
      __builtin_mul_overflow(dilation, k - 1, &span) ||
      __builtin_add_overflow(span, 1, &span))
    return fail(error, op, std::string("window size overflows along ") + dim);
  if (span > padded)
    return fail(error, op,
                std::string("window of extent ") + std::to_string(span) +
                    " does not fit the padded input of size " +
                    std::to_string(padded) + " along " + dim);
  size = (padded - span) / stride + 1;
  return true;
}

static bool checkConvAttrs(const ConvAttrs &a, const char *op,
                           std::string &error) {
  if (a.strideH < 1 || a.strideW < 1)
    return fail(error, op, "strides must be >= 1");
  if (a.dilationH < 1 || a.dilationW < 1)
    return fail(error, op, "dilations must be >= 1");
  if (a.padTop < 0 || a.padBottom < 0 || a.padLeft < 0 || a.padRight < 0)
    return fail(error, op, "padding must be >= 0");
  return true;
}

namespace {
/// Sizes of a 2-D window op over an NHWC input.
struct Window {
  int64_t n, h, w, c; // input
  int64_t kh, kw;     // kernel
  int64_t oh, ow;     // output spatial size
  int64_t sh, sw;     // strides
  int64_t dh, dw;     // dilations
  int64_t pt, pl;     // leading padding
};
} // namespace

/// The window geometry of an NHWC input, without the output size.
static Window windowOf(const Tensor &input, int64_t kh, int64_t kw, int64_t sh,
                       int64_t sw, int64_t dh, int64_t dw, int64_t pt,
                       int64_t pl) {
  Window g;
  g.n = input.dim(0), g.h = input.dim(1), g.w = input.dim(2);
  g.c = input.dim(3);
  g.kh = kh, g.kw = kw, g.oh = 0, g.ow = 0;
  g.sh = sh, g.sw = sw, g.dh = dh, g.dw = dw, g.pt = pt, g.pl = pl;
  return g;
}

/// Fills the geometry of a convolution with kernel kh x kw.
static bool convWindow(const Tensor &input, int64_t kh, int64_t kw,
                       const ConvAttrs &a, const char *op, Window &g,
                       std::string &error) {
  if (kh < 1 || kw < 1)
    return fail(error, op, "kernel must be at least 1x1");
  g = windowOf(input, kh, kw, a.strideH, a.strideW, a.dilationH, a.dilationW,
               a.padTop, a.padLeft);
  return windowOutput(g.h, kh, a.strideH, a.dilationH, a.padTop, a.padBottom,
                      op, "H", g.oh, error) &&
         windowOutput(g.w, kw, a.strideW, a.dilationW, a.padLeft, a.padRight,
                      op, "W", g.ow, error);
}

//===----------------------------------------------------------------------===//
// Convolutions and products
//===----------------------------------------------------------------------===//

/// Sum, in double, over the window of output pixel (n, oy, ox) and over
/// input channels [cBegin, cBegin + cCount) of input times weight, where
/// `wAt(ky, kx, j)` is the weight of kernel position (ky, kx) for input
/// channel cBegin + j. Positions in the padding are skipped (they are zero).
template <typename WeightAt>
static double windowDot(const float *x, const Window &g, int64_t n, int64_t oy,
                        int64_t ox, int64_t cBegin, int64_t cCount,
                        WeightAt wAt) {
  double acc = 0;
  for (int64_t ky = 0; ky < g.kh; ++ky) {
    int64_t iy = oy * g.sh - g.pt + ky * g.dh;
    if (iy < 0 || iy >= g.h)
      continue;
    for (int64_t kx = 0; kx < g.kw; ++kx) {
      int64_t ix = ox * g.sw - g.pl + kx * g.dw;
      if (ix < 0 || ix >= g.w)
        continue;
      const float *px = x + ((n * g.h + iy) * g.w + ix) * g.c + cBegin;
      for (int64_t j = 0; j < cCount; ++j)
        acc += static_cast<double>(px[j]) * wAt(ky, kx, j);
    }
  }
  return acc;
}

bool conv2d(const Tensor &input, const Tensor &weight, const Tensor *bias,
            const ConvAttrs &attrs, Tensor &out, std::string &error) {
  const char *op = "conv2d";
  // Built aside and moved into `out` last: `out` may alias an input.
  Tensor result;
  if (!checkOperand(input, 4, op, "input", error) ||
      !checkOperand(weight, 4, op, "weight", error) ||
      !checkConvAttrs(attrs, op, error))
    return false;
  int64_t c = input.dim(3), o = weight.dim(0), groups = attrs.groups;
  if (groups < 1)
    return fail(error, op, "groups must be >= 1");
  if (c % groups != 0 || o % groups != 0)
    return fail(error, op,
                "input channels (" + std::to_string(c) +
                    ") and output channels (" + std::to_string(o) +
                    ") must be divisible by groups (" + std::to_string(groups) +
                    ")");
  int64_t cg = c / groups, og = o / groups;
  if (weight.dim(3) != cg)
    return fail(error, op,
                "weight " + weight.describe() + " must have " +
                    std::to_string(cg) + " input channels per group");
  Window g;
  if (!checkVector(bias, o, op, "bias", error) ||
      !convWindow(input, weight.dim(1), weight.dim(2), attrs, op, g, error) ||
      !makeOutput({g.n, g.oh, g.ow, o}, result, op, error))
    return false;
  const float *x = input.data<float>(), *w = weight.data<float>();
  float *y = result.data<float>();
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox)
        for (int64_t oc = 0; oc < o; ++oc) {
          const float *wRow = w + oc * g.kh * g.kw * cg;
          auto wAt = [&](int64_t ky, int64_t kx, int64_t j) {
            return static_cast<double>(wRow[(ky * g.kw + kx) * cg + j]);
          };
          double acc = windowDot(x, g, n, oy, ox, (oc / og) * cg, cg, wAt);
          if (bias)
            acc += bias->data<float>()[oc];
          *y++ = static_cast<float>(acc);
        }
  out = std::move(result);
  return true;
}

bool depthwiseConv2d(const Tensor &input, const Tensor &weight,
                     const Tensor *bias, const ConvAttrs &attrs, Tensor &out,
                     std::string &error) {
  const char *op = "depthwise_conv2d";
  Tensor result;
  if (!checkOperand(input, 4, op, "input", error) ||
      !checkOperand(weight, 4, op, "weight", error) ||
      !checkConvAttrs(attrs, op, error))
    return false;
  int64_t c = input.dim(3), oc = weight.dim(3);
  if (weight.dim(0) != 1 || c < 1 || oc % c != 0 || oc == 0)
    return fail(error, op,
                "weight " + weight.describe() + " must be [1, KH, KW, " +
                    std::to_string(c) + " * M] with M >= 1 for input " +
                    input.describe());
  int64_t m = oc / c;
  Window g;
  if (!checkVector(bias, oc, op, "bias", error) ||
      !convWindow(input, weight.dim(1), weight.dim(2), attrs, op, g, error) ||
      !makeOutput({g.n, g.oh, g.ow, oc}, result, op, error))
    return false;
  const float *x = input.data<float>(), *w = weight.data<float>();
  float *y = result.data<float>();
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox)
        for (int64_t k = 0; k < oc; ++k) {
          // Output channel k = ic * M + mm reads input channel ic only.
          auto wAt = [&](int64_t ky, int64_t kx, int64_t) {
            return static_cast<double>(w[(ky * g.kw + kx) * oc + k]);
          };
          double acc = windowDot(x, g, n, oy, ox, k / m, 1, wAt);
          if (bias)
            acc += bias->data<float>()[k];
          *y++ = static_cast<float>(acc);
        }
  out = std::move(result);
  return true;
}

/// out[b, i, j] = colBias[j] + sum_k lhs[b, i, k] * rhs[b, k, j] for
/// `batch` matrices, with rhs element (k, j) at rhs + k * rkStride +
/// j * rjStride; colBias may be null.
static void batchedProduct(const float *lhs, const float *rhs,
                           const float *colBias, float *out, int64_t batch,
                           int64_t rows, int64_t inner, int64_t cols,
                           int64_t rkStride, int64_t rjStride,
                           int64_t rBatchStride) {
  for (int64_t b = 0; b < batch; ++b) {
    const float *l = lhs + b * rows * inner, *r = rhs + b * rBatchStride;
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        double acc = colBias ? colBias[j] : 0.0;
        for (int64_t k = 0; k < inner; ++k)
          acc += static_cast<double>(l[i * inner + k]) *
                 r[k * rkStride + j * rjStride];
        *out++ = static_cast<float>(acc);
      }
  }
}

bool fullyConnected(const Tensor &input, const Tensor &weight,
                    const Tensor *bias, Tensor &out, std::string &error) {
  const char *op = "fully_connected";
  Tensor result;
  if (!checkOperand(input, 2, op, "input", error) ||
      !checkOperand(weight, 2, op, "weight", error))
    return false;
  int64_t n = input.dim(0), k = input.dim(1), o = weight.dim(0);
  if (weight.dim(1) != k)
    return fail(error, op,
                "weight " + weight.describe() + " must be [O, " +
                    std::to_string(k) + "] for input " + input.describe());
  if (!checkVector(bias, o, op, "bias", error) ||
      !makeOutput({n, o}, result, op, error))
    return false;
  // The weight is [O, K]: element (k, o) of the rhs is at o * K + k.
  batchedProduct(input.data<float>(), weight.data<float>(),
                 bias ? bias->data<float>() : nullptr, result.data<float>(), 1,
                 n, k, o, 1, k, 0);
  out = std::move(result);
  return true;
}

bool matmul(const Tensor &lhs, const Tensor &rhs, Tensor &out,
            std::string &error) {
  const char *op = "matmul";
  Tensor result;
  if (!checkOperand(lhs, -1, op, "lhs", error) ||
      !checkOperand(rhs, -1, op, "rhs", error))
    return false;
  int64_t rank = lhs.rank();
  if (rank < 2 || rhs.rank() != rank)
    return fail(error, op,
                "operands must have the same rank >= 2, got " + lhs.describe() +
                    " and " + rhs.describe());
  std::vector<int64_t> shape(lhs.shape().begin(), lhs.shape().end() - 2);
  if (!std::equal(shape.begin(), shape.end(), rhs.shape().begin()) ||
      lhs.dim(rank - 1) != rhs.dim(rank - 2))
    return fail(error, op,
                "shapes " + lhs.describe() + " and " + rhs.describe() +
                    " do not match [..., M, K] x [..., K, N]");
  int64_t batch = productOf(shape), m = lhs.dim(rank - 2),
          k = lhs.dim(rank - 1), n = rhs.dim(rank - 1);
  shape.push_back(m);
  shape.push_back(n);
  if (!makeOutput(shape, result, op, error))
    return false;
  batchedProduct(lhs.data<float>(), rhs.data<float>(), nullptr,
                 result.data<float>(), batch, m, k, n, n, 1, k * n);
  out = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

bool batchNorm(const Tensor &input, const Tensor &gamma, const Tensor &beta,
               const Tensor &mean, const Tensor &variance, double epsilon,
               Tensor &out, std::string &error) {
  const char *op = "batch_norm";
  Tensor result;
  if (!checkOperand(input, -1, op, "input", error))
    return false;
  if (input.rank() < 1)
    return fail(error, op, "input must have rank >= 1");
  int64_t c = input.dim(input.rank() - 1);
  if (!checkVector(&gamma, c, op, "gamma", error) ||
      !checkVector(&beta, c, op, "beta", error) ||
      !checkVector(&mean, c, op, "mean", error) ||
      !checkVector(&variance, c, op, "variance", error))
    return false;
  if (!(epsilon >= 0) || !std::isfinite(epsilon))
    return fail(error, op, "epsilon must be finite and >= 0");
  std::vector<double> scale(c);
  for (int64_t i = 0; i < c; ++i) {
    double v = static_cast<double>(variance.data<float>()[i]) + epsilon;
    if (!(v > 0))
      return fail(error, op,
                  "variance + epsilon must be > 0 (channel " +
                      std::to_string(i) + ")");
    scale[i] = gamma.data<float>()[i] / std::sqrt(v);
  }
  if (!makeOutput(input.shape(), result, op, error))
    return false;
  const float *x = input.data<float>(), *mu = mean.data<float>(),
              *b = beta.data<float>();
  float *y = result.data<float>();
  int64_t count = input.numElements();
  for (int64_t i = 0; i < count; ++i) {
    int64_t ch = i % c;
    y[i] = static_cast<float>((static_cast<double>(x[i]) - mu[ch]) * scale[ch] +
                              b[ch]);
  }
  out = std::move(result);
  return true;
}

/// Numpy broadcasting: aligns the shapes at their last dimension; sizes
/// must match or be 1. Fills the output shape and, for each operand, its
/// strides over the output index space (0 along broadcast dimensions).
static bool broadcast(const Tensor &a, const Tensor &b, const char *op,
                      std::vector<int64_t> &shape, std::vector<int64_t> &sa,
                      std::vector<int64_t> &sb, std::string &error) {
  size_t rank = std::max(a.shape().size(), b.shape().size());
  shape.assign(rank, 1);
  sa.assign(rank, 0);
  sb.assign(rank, 0);
  std::vector<int64_t> strideA = stridesOf(a.shape()),
                       strideB = stridesOf(b.shape());
  for (size_t i = 0; i < rank; ++i) {
    // i counts from the last dimension.
    size_t ia = a.shape().size(), ib = b.shape().size();
    int64_t da = i < ia ? a.shape()[ia - 1 - i] : 1;
    int64_t db = i < ib ? b.shape()[ib - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      return fail(error, op,
                  "shapes " + a.describe() + " and " + b.describe() +
                      " are not broadcast-compatible");
    size_t o = rank - 1 - i;
    shape[o] = da == 1 ? db : da;
    if (da != 1)
      sa[o] = strideA[ia - 1 - i];
    if (db != 1)
      sb[o] = strideB[ib - 1 - i];
  }
  return true;
}

/// Applies `fn` elementwise with broadcasting.
template <typename Fn>
static bool broadcastBinary(const Tensor &lhs, const Tensor &rhs,
                            const char *op, Tensor &out, std::string &error,
                            Fn fn) {
  std::vector<int64_t> shape, sa, sb;
  Tensor result;
  if (!checkOperand(lhs, -1, op, "lhs", error) ||
      !checkOperand(rhs, -1, op, "rhs", error) ||
      !broadcast(lhs, rhs, op, shape, sa, sb, error) ||
      !makeOutput(shape, result, op, error))
    return false;
  const float *a = lhs.data<float>(), *b = rhs.data<float>();
  float *y = result.data<float>();
  int64_t count = result.numElements();
  // An odometer over the output index keeps both input offsets current.
  std::vector<int64_t> index(shape.size(), 0);
  int64_t offA = 0, offB = 0;
  for (int64_t i = 0; i < count; ++i) {
    y[i] = static_cast<float>(
        fn(static_cast<double>(a[offA]), static_cast<double>(b[offB])));
    for (size_t d = shape.size(); d-- > 0;) {
      offA += sa[d];
      offB += sb[d];
      if (++index[d] < shape[d])
        break;
      offA -= sa[d] * shape[d];
      offB -= sb[d] * shape[d];
      index[d] = 0;
    }
  }
  out = std::move(result);
  return true;
}

bool add(const Tensor &lhs, const Tensor &rhs, Tensor &out,
         std::string &error) {
  return broadcastBinary(lhs, rhs, "add", out, error,
                         [](double a, double b) { return a + b; });
}

bool mul(const Tensor &lhs, const Tensor &rhs, Tensor &out,
         std::string &error) {
  return broadcastBinary(lhs, rhs, "mul", out, error,
                         [](double a, double b) { return a * b; });
}

bool clamp(const Tensor &input, double lo, double hi, Tensor &out,
           std::string &error) {
  const char *op = "clamp";
  Tensor result;
  if (!checkOperand(input, -1, op, "input", error))
    return false;
  if (!(lo <= hi))
    return fail(error, op, "bounds must satisfy lo <= hi (and not be NaN)");
  if (!makeOutput(input.shape(), result, op, error))
    return false;
  const float *x = input.data<float>();
  float *y = result.data<float>();
  for (int64_t i = 0, e = input.numElements(); i < e; ++i) {
    // Written so that NaN passes through, as with np.clip.
    double v = x[i];
    y[i] = static_cast<float>(v < lo ? lo : v > hi ? hi : v);
  }
  out = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Validates pool attributes and fills the window geometry. Padding smaller
/// than the kernel (as in ONNX Runtime and TFLite's SAME) guarantees that
/// every window holds at least one real input position.
static bool poolWindow(const Tensor &input, const PoolAttrs &a, const char *op,
                       Window &g, std::string &error) {
  if (!checkOperand(input, 4, op, "input", error))
    return false;
  if (a.kernelH < 1 || a.kernelW < 1)
    return fail(error, op, "kernel must be at least 1x1");
  if (a.strideH < 1 || a.strideW < 1)
    return fail(error, op, "strides must be >= 1");
  if (a.padTop < 0 || a.padBottom < 0 || a.padLeft < 0 || a.padRight < 0)
    return fail(error, op, "padding must be >= 0");
  if (a.padTop >= a.kernelH || a.padBottom >= a.kernelH ||
      a.padLeft >= a.kernelW || a.padRight >= a.kernelW)
    return fail(error, op, "padding must be smaller than the kernel");
  if (input.dim(1) < 1 || input.dim(2) < 1)
    return fail(error, op, "input " + input.describe() + " has no pixels");
  g = windowOf(input, a.kernelH, a.kernelW, a.strideH, a.strideW, 1, 1,
               a.padTop, a.padLeft);
  return windowOutput(g.h, g.kh, g.sh, 1, a.padTop, a.padBottom, op, "H", g.oh,
                      error) &&
         windowOutput(g.w, g.kw, g.sw, 1, a.padLeft, a.padRight, op, "W", g.ow,
                      error);
}

/// Runs `reduce(window values of one channel) -> float` over every output
/// position; `reduce` receives the input base pointer, the channel stride
/// and the clipped window [y0, y1) x [x0, x1).
template <typename Reduce>
static void poolLoop(const float *x, const Window &g, float *y, Reduce reduce) {
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        int64_t y0 = oy * g.sh - g.pt, x0 = ox * g.sw - g.pl;
        int64_t y1 = std::min(y0 + g.kh, g.h), x1 = std::min(x0 + g.kw, g.w);
        y0 = std::max<int64_t>(y0, 0);
        x0 = std::max<int64_t>(x0, 0);
        for (int64_t c = 0; c < g.c; ++c) {
          const float *base = x + n * g.h * g.w * g.c + c;
          *y++ = reduce(base, y0, y1, x0, x1);
        }
      }
}

bool maxPool2d(const Tensor &input, const PoolAttrs &attrs, Tensor &out,
               std::string &error) {
  const char *op = "max_pool2d";
  Tensor result;
  Window g;
  if (!poolWindow(input, attrs, op, g, error) ||
      !makeOutput({g.n, g.oh, g.ow, g.c}, result, op, error))
    return false;
  // Only real positions are visited, so padding never wins.
  poolLoop(
      input.data<float>(), g, result.data<float>(),
      [&](const float *base, int64_t y0, int64_t y1, int64_t x0, int64_t x1) {
        float best = -std::numeric_limits<float>::infinity();
        for (int64_t iy = y0; iy < y1; ++iy)
          for (int64_t ix = x0; ix < x1; ++ix) {
            float v = base[(iy * g.w + ix) * g.c];
            if (v > best || std::isnan(v))
              best = v;
            if (std::isnan(best))
              return best; // NaN propagates, as in PyTorch.
          }
        return best;
      });
  out = std::move(result);
  return true;
}

bool avgPool2d(const Tensor &input, const PoolAttrs &attrs, Tensor &out,
               std::string &error) {
  const char *op = "avg_pool2d";
  Tensor result;
  Window g;
  if (!poolWindow(input, attrs, op, g, error) ||
      !makeOutput({g.n, g.oh, g.ow, g.c}, result, op, error))
    return false;
  bool includePad = attrs.countIncludePad;
  poolLoop(
      input.data<float>(), g, result.data<float>(),
      [&](const float *base, int64_t y0, int64_t y1, int64_t x0, int64_t x1) {
        double sum = 0;
        for (int64_t iy = y0; iy < y1; ++iy)
          for (int64_t ix = x0; ix < x1; ++ix)
            sum += base[(iy * g.w + ix) * g.c];
        int64_t count = includePad ? g.kh * g.kw : (y1 - y0) * (x1 - x0);
        return static_cast<float>(sum / static_cast<double>(count));
      });
  out = std::move(result);
  return true;
}

bool globalAvgPool(const Tensor &input, Tensor &out, std::string &error) {
  const char *op = "global_avg_pool";
  Tensor result;
  if (!checkOperand(input, 4, op, "input", error))
    return false;
  int64_t n = input.dim(0), h = input.dim(1), w = input.dim(2),
          c = input.dim(3);
  if (h < 1 || w < 1)
    return fail(error, op, "input " + input.describe() + " has no pixels");
  if (!makeOutput({n, 1, 1, c}, result, op, error))
    return false;
  const float *x = input.data<float>();
  float *y = result.data<float>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch) {
      double sum = 0;
      for (int64_t p = 0; p < h * w; ++p)
        sum += x[(b * h * w + p) * c + ch];
      y[b * c + ch] = static_cast<float>(sum / static_cast<double>(h * w));
    }
  out = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// Splits linear index `i` of `shape` (row-major `strides`) into `index`.
static void unravel(int64_t i, const std::vector<int64_t> &strides,
                    std::vector<int64_t> &index) {
  for (size_t d = 0; d < strides.size(); ++d) {
    index[d] = strides[d] ? i / strides[d] : 0;
    i -= index[d] * strides[d];
  }
}

bool pad(const Tensor &input, const std::vector<int64_t> &padding, double value,
         Tensor &out, std::string &error) {
  const char *op = "pad";
  Tensor result;
  if (!checkOperand(input, -1, op, "input", error))
    return false;
  size_t rank = input.shape().size();
  if (padding.size() != 2 * rank)
    return fail(
        error, op,
        "padding has " + std::to_string(padding.size()) +
            " entries, expected 2 * rank = " + std::to_string(2 * rank));
  std::vector<int64_t> shape(rank);
  for (size_t d = 0; d < rank; ++d) {
    if (padding[2 * d] < 0 || padding[2 * d + 1] < 0)
      return fail(error, op, "padding must be >= 0");
    if (__builtin_add_overflow(input.dim(d), padding[2 * d], &shape[d]) ||
        __builtin_add_overflow(shape[d], padding[2 * d + 1], &shape[d]))
      return fail(error, op, "padded size overflows");
  }
  if (!makeOutput(shape, result, op, error))
    return false;
  float *y = result.data<float>();
  const float *x = input.data<float>();
  float fill = static_cast<float>(value);
  for (int64_t i = 0, e = result.numElements(); i < e; ++i)
    y[i] = fill;
  std::vector<int64_t> inStrides = stridesOf(input.shape()),
                       outStrides = stridesOf(shape), index(rank);
  for (int64_t i = 0, e = input.numElements(); i < e; ++i) {
    unravel(i, inStrides, index);
    int64_t o = 0;
    for (size_t d = 0; d < rank; ++d)
      o += (index[d] + padding[2 * d]) * outStrides[d];
    y[o] = x[i];
  }
  out = std::move(result);
  return true;
}

bool transpose(const Tensor &input, const std::vector<int64_t> &permutation,
               Tensor &out, std::string &error) {
  const char *op = "transpose";
  Tensor result;
  if (!checkOperand(input, -1, op, "input", error))
    return false;
  size_t rank = input.shape().size();
  std::vector<bool> used(rank, false);
  bool valid = permutation.size() == rank;
  for (size_t i = 0; valid && i < rank; ++i) {
    int64_t p = permutation[i];
    valid = p >= 0 && static_cast<size_t>(p) < rank && !used[p];
    if (valid)
      used[p] = true;
  }
  if (!valid)
    return fail(error, op,
                "permutation " + shapeString(permutation) +
                    " is not a permutation of the " + std::to_string(rank) +
                    " dimensions of " + input.describe());
  std::vector<int64_t> shape(rank);
  for (size_t i = 0; i < rank; ++i)
    shape[i] = input.dim(permutation[i]);
  if (!makeOutput(shape, result, op, error))
    return false;
  std::vector<int64_t> inStrides = stridesOf(input.shape()),
                       outStrides = stridesOf(shape), index(rank);
  const float *x = input.data<float>();
  float *y = result.data<float>();
  for (int64_t i = 0, e = result.numElements(); i < e; ++i) {
    unravel(i, outStrides, index);
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d)
      src += index[d] * inStrides[permutation[d]];
    y[i] = x[src];
  }
  out = std::move(result);
  return true;
}

/// Maps a possibly negative axis into [0, rank).
static bool normalizeAxis(int64_t axis, int64_t rank, const char *op,
                          int64_t &result, std::string &error) {
  if (axis < -rank || axis >= rank)
    return fail(error, op,
                "axis " + std::to_string(axis) + " is out of range for rank " +
                    std::to_string(rank));
  result = axis < 0 ? axis + rank : axis;
  return true;
}

bool concat(const std::vector<const Tensor *> &inputs, int64_t axis,
            Tensor &out, std::string &error) {
  const char *op = "concat";
  Tensor result;
  if (inputs.empty())
    return fail(error, op, "needs at least one input");
  for (const Tensor *t : inputs)
    if (!t)
      return fail(error, op, "input is null");
  const Tensor &first = *inputs.front();
  int64_t rank = first.rank(), ax;
  if (!checkOperand(first, -1, op, "input", error) ||
      !normalizeAxis(axis, rank, op, ax, error))
    return false;
  std::vector<int64_t> shape = first.shape();
  for (size_t i = 1; i < inputs.size(); ++i) {
    const Tensor &t = *inputs[i];
    if (!checkOperand(t, rank, op, "input", error))
      return false;
    for (int64_t d = 0; d < rank; ++d)
      if (d != ax && t.dim(d) != shape[d])
        return fail(error, op,
                    "input " + t.describe() + " does not match " +
                        first.describe() + " outside axis " +
                        std::to_string(ax));
    if (__builtin_add_overflow(shape[ax], t.dim(ax), &shape[ax]))
      return fail(error, op, "concatenated size overflows");
  }
  if (!makeOutput(shape, result, op, error))
    return false;
  // Each input contributes one contiguous run per outer index.
  int64_t outer = productOf({shape.begin(), shape.begin() + ax});
  int64_t inner = productOf({shape.begin() + ax + 1, shape.end()});
  float *y = result.data<float>();
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : inputs) {
      int64_t run = t->dim(ax) * inner;
      const float *x = t->data<float>() + o * run;
      for (int64_t j = 0; j < run; ++j)
        *y++ = x[j];
    }
  out = std::move(result);
  return true;
}

bool softmax(const Tensor &input, int64_t axis, Tensor &out,
             std::string &error) {
  const char *op = "softmax";
  Tensor result;
  int64_t ax;
  if (!checkOperand(input, -1, op, "input", error) ||
      !normalizeAxis(axis, input.rank(), op, ax, error) ||
      !makeOutput(input.shape(), result, op, error))
    return false;
  const std::vector<int64_t> &shape = input.shape();
  int64_t outer = productOf({shape.begin(), shape.begin() + ax});
  int64_t len = shape[ax];
  int64_t inner = productOf({shape.begin() + ax + 1, shape.end()});
  const float *x = input.data<float>();
  float *y = result.data<float>();
  std::vector<double> e(len);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      const float *px = x + o * len * inner + in;
      float *py = y + o * len * inner + in;
      // Subtracting the max keeps exp() from overflowing.
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < len; ++j)
        mx = std::max(mx, static_cast<double>(px[j * inner]));
      double sum = 0;
      for (int64_t j = 0; j < len; ++j)
        sum += e[j] = std::exp(px[j * inner] - mx);
      for (int64_t j = 0; j < len; ++j)
        py[j * inner] = static_cast<float>(e[j] / sum);
    }
  out = std::move(result);
  return true;
}

} // namespace qc::rt::f32
