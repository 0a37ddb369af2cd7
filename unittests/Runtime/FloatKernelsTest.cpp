//===- FloatKernelsTest.cpp - Tests of the reference float kernels --------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Small cases computed by hand for every kernel of FloatKernels.h (layouts
// of docs/layout.md), and the error paths: wrong dtypes, ranks, shapes and
// attributes, and sizes that would overflow. The randomized comparison
// against PyTorch and NumPy is test/Runtime/float-kernels-peer.test.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/FloatKernels.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace qc::rt;

namespace {

/// An f32 tensor of `shape` holding `values` (row-major).
Tensor make(std::vector<int64_t> shape, std::vector<float> values) {
  Tensor t(DType::F32, std::move(shape));
  EXPECT_EQ(static_cast<size_t>(t.numElements()), values.size());
  for (size_t i = 0; i < values.size() && i < size_t(t.numElements()); ++i)
    t.data<float>()[i] = values[i];
  return t;
}

/// An f32 tensor of `shape` holding 1, 2, 3, ...
Tensor iota(std::vector<int64_t> shape) {
  Tensor t(DType::F32, std::move(shape));
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.data<float>()[i] = static_cast<float>(i + 1);
  return t;
}

std::vector<float> values(const Tensor &t) {
  return std::vector<float>(t.data<float>(), t.data<float>() + t.numElements());
}

#define EXPECT_OK(call)                                                        \
  do {                                                                         \
    std::string error_;                                                        \
    EXPECT_TRUE(call) << error_;                                               \
  } while (0)

/// Runs `fn(error)` expecting failure with a message containing `phrase`.
template <typename Fn> void expectError(const char *phrase, Fn fn) {
  std::string error;
  EXPECT_FALSE(fn(error)) << "expected an error containing: " << phrase;
  EXPECT_NE(error.find(phrase), std::string::npos)
      << "message: " << error << "\nexpected: " << phrase;
}

TEST(FloatKernelsTest, Conv2dValid) {
  Tensor x = iota({1, 3, 3, 1}), w = make({1, 2, 2, 1}, {1, 1, 1, 1}), y;
  std::string error;
  ASSERT_TRUE(f32::conv2d(x, w, nullptr, {}, y, error)) << error;
  EXPECT_EQ(y.describe(), "f32[1x2x2x1]");
  EXPECT_EQ(values(y), (std::vector<float>{12, 16, 24, 28}));
}

TEST(FloatKernelsTest, Conv2dBiasPaddingStride) {
  // Two output channels (OHWI): a 3x3 box filter and a centre tap.
  Tensor x = iota({1, 3, 3, 1});
  Tensor w = make({2, 3, 3, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1, //
                                 0, 0, 0, 0, 1, 0, 0, 0, 0});
  Tensor b = make({2}, {100, -1});
  ConvAttrs a;
  a.strideH = a.strideW = 2;
  a.padTop = a.padBottom = a.padLeft = a.padRight = 1;
  Tensor y;
  std::string error;
  ASSERT_TRUE(f32::conv2d(x, w, &b, a, y, error)) << error;
  ASSERT_EQ(y.describe(), "f32[1x2x2x2]");
  // Windows centred on (0,0), (0,2), (2,0), (2,2); padding contributes 0.
  EXPECT_EQ(values(y), (std::vector<float>{100 + 12, 0, 100 + 16, 2, 100 + 24,
                                           6, 100 + 28, 8}));
}

TEST(FloatKernelsTest, Conv2dAsymmetricPaddingAndDilation) {
  Tensor x = iota({1, 3, 3, 1}), w = make({1, 2, 2, 1}, {1, 10, 100, 1000});
  ConvAttrs a;
  a.dilationH = a.dilationW = 2;
  Tensor y;
  std::string error;
  ASSERT_TRUE(f32::conv2d(x, w, nullptr, a, y, error)) << error;
  // Taps (0,0), (0,2), (2,0), (2,2).
  EXPECT_EQ(values(y), (std::vector<float>{1 + 30 + 700 + 9000}));
  ConvAttrs p; // SAME for an even input, stride 2: pad at the end only.
  p.strideH = p.strideW = 2;
  p.padBottom = p.padRight = 1;
  Tensor x4 = iota({1, 4, 4, 1});
  ASSERT_TRUE(
      f32::conv2d(x4, make({1, 2, 2, 1}, {1, 1, 1, 1}), nullptr, p, y, error))
      << error;
  EXPECT_EQ(values(y),
            (std::vector<float>{1 + 2 + 5 + 6, 3 + 4 + 7 + 8, 9 + 10 + 13 + 14,
                                11 + 12 + 15 + 16}));
}

TEST(FloatKernelsTest, Conv2dGroups) {
  // Input channels (1, 2) per pixel; groups = 2, one output per group.
  Tensor x = make({1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor w = make({2, 1, 2, 1}, {1, 1, 10, 100});
  ConvAttrs a;
  a.groups = 2;
  Tensor y;
  std::string error;
  ASSERT_TRUE(f32::conv2d(x, w, nullptr, a, y, error)) << error;
  // out0 = x[0,0,0,0] + x[0,0,1,0] = 1 + 3; out1 = 10*2 + 100*4.
  EXPECT_EQ(values(y), (std::vector<float>{4, 420}));
}

TEST(FloatKernelsTest, DepthwiseMultiplier2) {
  // C = 2, M = 2: output channel c*2+m reads input channel c.
  Tensor x = make({1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor w = make({1, 1, 2, 4}, {1, 2, 3, 4, 10, 20, 30, 40});
  Tensor b = make({4}, {0.5f, 0, 0, 0});
  Tensor y;
  std::string error;
  ASSERT_TRUE(f32::depthwiseConv2d(x, w, &b, {}, y, error)) << error;
  ASSERT_EQ(y.describe(), "f32[1x1x1x4]");
  EXPECT_EQ(values(y),
            (std::vector<float>{1 * 1 + 3 * 10 + 0.5f, 1 * 2 + 3 * 20,
                                2 * 3 + 4 * 30, 2 * 4 + 4 * 40}));
  // With M = 1 it is a per-channel convolution.
  ASSERT_TRUE(f32::depthwiseConv2d(x, make({1, 1, 2, 2}, {1, 1, 1, -1}),
                                   nullptr, {}, y, error));
  EXPECT_EQ(values(y), (std::vector<float>{4, -2}));
}

TEST(FloatKernelsTest, FullyConnectedAndMatmul) {
  Tensor x = make({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor w = make({2, 3}, {1, 0, -1, 1, 1, 1});
  Tensor b = make({2}, {10, 20});
  Tensor y;
  std::string error;
  ASSERT_TRUE(f32::fullyConnected(x, w, &b, y, error)) << error;
  EXPECT_EQ(values(y), (std::vector<float>{8, 26, 8, 35}));
  ASSERT_TRUE(f32::fullyConnected(x, w, nullptr, y, error)) << error;
  EXPECT_EQ(values(y), (std::vector<float>{-2, 6, -2, 15}));

  Tensor l = make({2, 1, 2}, {1, 2, 3, 4}), r = make({2, 2, 1}, {5, 6, 7, 8});
  ASSERT_TRUE(f32::matmul(l, r, y, error)) << error;
  EXPECT_EQ(y.describe(), "f32[2x1x1]");
  EXPECT_EQ(values(y), (std::vector<float>{17, 53}));
  ASSERT_TRUE(f32::matmul(make({1, 2}, {1, 2}),
                          make({2, 3}, {1, 2, 3, 4, 5, 6}), y, error));
  EXPECT_EQ(values(y), (std::vector<float>{9, 12, 15}));
}

TEST(FloatKernelsTest, AccumulatesInDouble) {
  // In float, 1e8 + 1 - 1e8 loses the 1; summed in double it survives.
  Tensor x = make({1, 3}, {1e8f, 1, -1e8f}), w = make({1, 3}, {1, 1, 1}), y;
  EXPECT_OK(f32::fullyConnected(x, w, nullptr, y, error_));
  EXPECT_EQ(values(y), (std::vector<float>{1}));
}

TEST(FloatKernelsTest, BatchNorm) {
  Tensor x = make({2, 2}, {1, 2, 3, 4});
  Tensor gamma = make({2}, {2, 1}), beta = make({2}, {0, 1}),
         mean = make({2}, {1, 2}), var = make({2}, {4, 0.25f}), y;
  std::string error;
  ASSERT_TRUE(f32::batchNorm(x, gamma, beta, mean, var, 0.0, y, error))
      << error;
  // Channel 0: 2 * (x - 1) / 2; channel 1: (x - 2) / 0.5 + 1.
  EXPECT_EQ(values(y), (std::vector<float>{0, 1, 2, 5}));
  expectError("variance + epsilon must be > 0", [&](std::string &e) {
    return f32::batchNorm(x, gamma, beta, mean, make({2}, {0, 1}), 0.0, y, e);
  });
  expectError("epsilon", [&](std::string &e) {
    return f32::batchNorm(x, gamma, beta, mean, var, -1.0, y, e);
  });
  expectError("beta has 3 elements, expected 2", [&](std::string &e) {
    return f32::batchNorm(x, gamma, make({3}, {0, 0, 0}), mean, var, 0, y, e);
  });
}

TEST(FloatKernelsTest, AddMulBroadcast) {
  Tensor a = make({2, 3}, {1, 2, 3, 4, 5, 6}), y;
  std::string error;
  ASSERT_TRUE(f32::add(a, make({3}, {10, 20, 30}), y, error)) << error;
  EXPECT_EQ(values(y), (std::vector<float>{11, 22, 33, 14, 25, 36}));
  ASSERT_TRUE(
      f32::mul(make({2, 1}, {2, 3}), make({1, 3}, {1, 10, 100}), y, error));
  EXPECT_EQ(y.describe(), "f32[2x3]");
  EXPECT_EQ(values(y), (std::vector<float>{2, 20, 200, 3, 30, 300}));
  ASSERT_TRUE(f32::mul(make({}, {-1}), a, y, error)); // rank-0 operand
  EXPECT_EQ(values(y), (std::vector<float>{-1, -2, -3, -4, -5, -6}));
  ASSERT_TRUE(
      f32::add(make({2, 1, 1}, {1, 2}), make({3, 1}, {10, 20, 30}), y, error));
  EXPECT_EQ(y.describe(), "f32[2x3x1]");
  EXPECT_EQ(values(y), (std::vector<float>{11, 21, 31, 12, 22, 32}));
  ASSERT_TRUE(f32::add(make({0, 3}, {}), make({3}, {1, 2, 3}), y, error));
  EXPECT_EQ(y.describe(), "f32[0x3]");
  expectError("not broadcast-compatible", [&](std::string &e) {
    return f32::add(a, make({2}, {1, 2}), y, e);
  });
}

TEST(FloatKernelsTest, Clamp) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor x = make({5}, {-3, 0.5f, 7, 6, nan}), y;
  std::string error;
  ASSERT_TRUE(f32::clamp(x, 0, 6, y, error)) << error;
  std::vector<float> v = values(y);
  EXPECT_EQ(std::vector<float>(v.begin(), v.end() - 1),
            (std::vector<float>{0, 0.5f, 6, 6}));
  EXPECT_TRUE(std::isnan(v.back()));
  ASSERT_TRUE(
      f32::clamp(x, 0, std::numeric_limits<double>::infinity(), y, error));
  EXPECT_EQ(values(y)[2], 7);
  expectError("lo <= hi",
              [&](std::string &e) { return f32::clamp(x, 1, 0, y, e); });
  expectError("lo <= hi", [&](std::string &e) {
    return f32::clamp(x, std::nan(""), 0, y, e);
  });
}

TEST(FloatKernelsTest, MaxPoolPaddingNeverWins) {
  Tensor x = make({1, 2, 2, 1}, {-4, -3, -2, -1}), y;
  PoolAttrs a;
  a.kernelH = a.kernelW = 2;
  a.padTop = a.padBottom = a.padLeft = a.padRight = 1;
  a.strideH = a.strideW = 2;
  std::string error;
  ASSERT_TRUE(f32::maxPool2d(x, a, y, error)) << error;
  // Each window holds one real value and three padded positions.
  EXPECT_EQ(values(y), (std::vector<float>{-4, -3, -2, -1}));
  PoolAttrs b;
  b.kernelH = 2;
  b.kernelW = 1;
  ASSERT_TRUE(f32::maxPool2d(iota({1, 3, 2, 2}), b, y, error));
  EXPECT_EQ(y.describe(), "f32[1x2x2x2]");
  EXPECT_EQ(values(y), (std::vector<float>{5, 6, 7, 8, 9, 10, 11, 12}));
}

TEST(FloatKernelsTest, AvgPoolCountIncludePad) {
  Tensor x = iota({1, 2, 2, 1}), y;
  PoolAttrs a;
  a.kernelH = a.kernelW = 2;
  a.padTop = a.padLeft = 1;
  std::string error;
  ASSERT_TRUE(f32::avgPool2d(x, a, y, error)) << error;
  ASSERT_EQ(y.describe(), "f32[1x2x2x1]");
  EXPECT_EQ(values(y), (std::vector<float>{1, 1.5f, 2, 2.5f}));
  a.countIncludePad = true;
  ASSERT_TRUE(f32::avgPool2d(x, a, y, error)) << error;
  EXPECT_EQ(values(y), (std::vector<float>{0.25f, 0.75f, 1, 2.5f}));
}

TEST(FloatKernelsTest, GlobalAvgPool) {
  Tensor x = iota({2, 2, 2, 2}), y;
  EXPECT_OK(f32::globalAvgPool(x, y, error_));
  EXPECT_EQ(y.describe(), "f32[2x1x1x2]");
  EXPECT_EQ(values(y), (std::vector<float>{4, 5, 12, 13}));
  expectError("has no pixels", [&](std::string &e) {
    return f32::globalAvgPool(Tensor(DType::F32, {1, 0, 2, 1}), y, e);
  });
}

TEST(FloatKernelsTest, Pad) {
  Tensor x = make({2, 2}, {1, 2, 3, 4}), y;
  std::string error;
  ASSERT_TRUE(f32::pad(x, {1, 0, 0, 2}, -1, y, error)) << error;
  EXPECT_EQ(y.describe(), "f32[3x4]");
  EXPECT_EQ(values(y),
            (std::vector<float>{-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1}));
  ASSERT_TRUE(f32::pad(make({}, {5}), {}, 0, y, error));
  EXPECT_EQ(values(y), (std::vector<float>{5}));
  expectError("expected 2 * rank = 4", [&](std::string &e) {
    return f32::pad(x, {1, 1}, 0, y, e);
  });
  expectError("padding must be >= 0", [&](std::string &e) {
    return f32::pad(x, {0, 0, -1, 0}, 0, y, e);
  });
  int64_t big = std::numeric_limits<int64_t>::max();
  expectError("overflows", [&](std::string &e) {
    return f32::pad(x, {0, 0, big, 0}, 0, y, e);
  });
  expectError("too large", [&](std::string &e) {
    return f32::pad(make({1}, {0}), {0, int64_t(1) << 62}, 0, y, e);
  });
}

TEST(FloatKernelsTest, Transpose) {
  Tensor x = iota({2, 3}), y;
  std::string error;
  ASSERT_TRUE(f32::transpose(x, {1, 0}, y, error)) << error;
  EXPECT_EQ(y.describe(), "f32[3x2]");
  EXPECT_EQ(values(y), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  // NHWC to NCHW.
  ASSERT_TRUE(f32::transpose(iota({1, 2, 2, 3}), {0, 3, 1, 2}, y, error));
  EXPECT_EQ(values(y),
            (std::vector<float>{1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12}));
  for (std::vector<int64_t> bad :
       {std::vector<int64_t>{0}, {0, 0}, {0, 2}, {-1, 0}, {0, 1, 2}})
    expectError("is not a permutation",
                [&](std::string &e) { return f32::transpose(x, bad, y, e); });
}

TEST(FloatKernelsTest, Concat) {
  Tensor a = iota({2, 1}), b = make({2, 2}, {7, 8, 9, 10}), y;
  std::string error;
  ASSERT_TRUE(f32::concat({&a, &b}, 1, y, error)) << error;
  EXPECT_EQ(values(y), (std::vector<float>{1, 7, 8, 2, 9, 10}));
  ASSERT_TRUE(f32::concat({&a, &b, &a}, -1, y, error)) << error;
  EXPECT_EQ(y.describe(), "f32[2x4]");
  ASSERT_TRUE(f32::concat({&b, &b}, 0, y, error)) << error;
  EXPECT_EQ(values(y), (std::vector<float>{7, 8, 9, 10, 7, 8, 9, 10}));
  expectError("does not match", [&](std::string &e) {
    return f32::concat({&a, &b}, 0, y, e);
  });
  expectError("axis 2 is out of range", [&](std::string &e) {
    return f32::concat({&a, &b}, 2, y, e);
  });
  expectError("at least one input",
              [&](std::string &e) { return f32::concat({}, 0, y, e); });
  expectError("null", [&](std::string &e) {
    return f32::concat({&a, nullptr}, 0, y, e);
  });
  Tensor scalar = make({}, {1});
  expectError("out of range for rank 0",
              [&](std::string &e) { return f32::concat({&scalar}, 0, y, e); });
}

TEST(FloatKernelsTest, Softmax) {
  Tensor x = make({2, 2}, {1000, 1001, 0, 0}), y;
  std::string error;
  ASSERT_TRUE(f32::softmax(x, -1, y, error)) << error;
  std::vector<float> v = values(y);
  double e = std::exp(1.0);
  EXPECT_FLOAT_EQ(v[0], static_cast<float>(1 / (1 + e)));
  EXPECT_FLOAT_EQ(v[1], static_cast<float>(e / (1 + e)));
  EXPECT_FLOAT_EQ(v[2], 0.5f);
  ASSERT_TRUE(f32::softmax(x, 0, y, error)) << error;
  EXPECT_FLOAT_EQ(values(y)[0], 1.0f); // exp(-1000) underflows to 0
  EXPECT_FLOAT_EQ(values(y)[2], 0.0f);
  ASSERT_TRUE(f32::softmax(x, -2, y, error)) << error;
  EXPECT_EQ(values(y)[0], 1.0f);
  expectError("axis -3 is out of range",
              [&](std::string &er) { return f32::softmax(x, -3, y, er); });
}

TEST(FloatKernelsTest, OutputMayAliasInput) {
  Tensor t = make({1, 2}, {-1, 8});
  EXPECT_OK(f32::clamp(t, 0, 6, t, error_));
  EXPECT_EQ(values(t), (std::vector<float>{0, 6}));
  EXPECT_OK(f32::pad(t, {1, 1, 0, 0}, 3, t, error_));
  EXPECT_EQ(values(t), (std::vector<float>{3, 3, 0, 6, 3, 3}));
  EXPECT_OK(f32::add(t, t, t, error_));
  EXPECT_EQ(values(t)[3], 12);
}

TEST(FloatKernelsTest, OperandErrors) {
  Tensor x = iota({1, 3, 3, 2}), w = iota({2, 2, 2, 2}), y;
  Tensor i32(DType::I32, {1, 3, 3, 2});
  expectError(
      "conv2d: input must be f32 of rank 4, got i32[1x3x3x2]",
      [&](std::string &e) { return f32::conv2d(i32, w, nullptr, {}, y, e); });
  expectError("weight must be f32 of rank 4, got f32[2x2]",
              [&](std::string &e) {
                return f32::conv2d(x, iota({2, 2}), nullptr, {}, y, e);
              });
  // A default tensor claims one element but has no storage; a tensor whose
  // byte size overflows gets none either (the constructor asserts on it in
  // a debug build).
  expectError("does not match its shape",
              [&](std::string &e) { return f32::add(Tensor(), x, y, e); });
#ifdef NDEBUG
  expectError("does not match its shape", [&](std::string &e) {
    return f32::softmax(Tensor(DType::F32, {int64_t(1) << 62}), 0, y, e);
  });
#endif
  Tensor bias = iota({3});
  expectError("bias has 3 elements, expected 2", [&](std::string &e) {
    return f32::conv2d(x, w, &bias, {}, y, e);
  });
  expectError("must have 1 input channels per group", [&](std::string &e) {
    ConvAttrs a;
    a.groups = 2;
    return f32::conv2d(x, w, nullptr, a, y, e);
  });
  expectError("divisible by groups", [&](std::string &e) {
    ConvAttrs a;
    a.groups = 3;
    return f32::conv2d(x, w, nullptr, a, y, e);
  });
  expectError("groups must be >= 1", [&](std::string &e) {
    ConvAttrs a;
    a.groups = 0;
    return f32::conv2d(x, w, nullptr, a, y, e);
  });
  expectError("strides must be >= 1", [&](std::string &e) {
    ConvAttrs a;
    a.strideW = 0;
    return f32::conv2d(x, w, nullptr, a, y, e);
  });
  expectError("dilations must be >= 1", [&](std::string &e) {
    ConvAttrs a;
    a.dilationH = -1;
    return f32::depthwiseConv2d(x, iota({1, 2, 2, 2}), nullptr, a, y, e);
  });
  expectError("padding must be >= 0", [&](std::string &e) {
    ConvAttrs a;
    a.padLeft = -1;
    return f32::conv2d(x, w, nullptr, a, y, e);
  });
  expectError("does not fit the padded input of size 3 along H",
              [&](std::string &e) {
                return f32::conv2d(x, iota({1, 4, 1, 2}), nullptr, {}, y, e);
              });
  expectError("window size overflows", [&](std::string &e) {
    ConvAttrs a;
    a.dilationW = std::numeric_limits<int64_t>::max();
    return f32::conv2d(x, w, nullptr, a, y, e);
  });
  expectError("kernel must be at least 1x1", [&](std::string &e) {
    return f32::conv2d(x, Tensor(DType::F32, {2, 0, 2, 2}), nullptr, {}, y, e);
  });
  expectError("with M >= 1", [&](std::string &e) {
    return f32::depthwiseConv2d(x, iota({1, 2, 2, 3}), nullptr, {}, y, e);
  });
  expectError("with M >= 1", [&](std::string &e) {
    return f32::depthwiseConv2d(x, iota({2, 2, 2, 2}), nullptr, {}, y, e);
  });
  expectError("must be [O, 3]", [&](std::string &e) {
    return f32::fullyConnected(iota({2, 3}), iota({3, 2}), nullptr, y, e);
  });
  expectError("same rank >= 2", [&](std::string &e) {
    return f32::matmul(iota({2, 3}), iota({1, 3, 2}), y, e);
  });
  expectError("do not match [..., M, K] x [..., K, N]", [&](std::string &e) {
    return f32::matmul(iota({2, 2, 3}), iota({3, 3, 2}), y, e);
  });
  expectError("do not match", [&](std::string &e) {
    return f32::matmul(iota({2, 3}), iota({2, 3}), y, e);
  });
}

TEST(FloatKernelsTest, PoolAttributeErrors) {
  Tensor x = iota({1, 3, 3, 1}), y;
  auto pool = [&](PoolAttrs a, std::string &e) {
    return f32::maxPool2d(x, a, y, e);
  };
  PoolAttrs k0;
  k0.kernelW = 0;
  expectError("kernel must be at least 1x1",
              [&](std::string &e) { return pool(k0, e); });
  PoolAttrs s0;
  s0.strideH = 0;
  expectError("strides must be >= 1",
              [&](std::string &e) { return pool(s0, e); });
  PoolAttrs padNeg;
  padNeg.kernelH = padNeg.kernelW = 2;
  padNeg.padBottom = -1;
  expectError("padding must be >= 0",
              [&](std::string &e) { return pool(padNeg, e); });
  PoolAttrs padBig;
  padBig.kernelH = padBig.kernelW = 2;
  padBig.padTop = 2;
  expectError("smaller than the kernel",
              [&](std::string &e) { return f32::avgPool2d(x, padBig, y, e); });
  PoolAttrs big;
  big.kernelH = big.kernelW = 4;
  expectError("does not fit", [&](std::string &e) { return pool(big, e); });
  expectError("has no pixels", [&](std::string &e) {
    return f32::maxPool2d(Tensor(DType::F32, {1, 0, 3, 1}), {}, y, e);
  });
  expectError("max_pool2d: input must be f32 of rank 4", [&](std::string &e) {
    return f32::maxPool2d(iota({3, 3}), {}, y, e);
  });
}

} // namespace
