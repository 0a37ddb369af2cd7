//===- IntegerProgramsTest.cpp - Whole integer-only programs --------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// linalg and tensor programs parsed from text and run through
// qc::Interpreter: i32 accumulation that wraps, linalg.fill from a scalar
// argument, indexing maps with floordiv/mod (the non-linear path), the
// ~1.8M-point convolution whose speed matters, float corner cases, and the
// located errors of undefined behaviour and unsupported IR.
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdio>
#include <cstring>

using namespace qc;
using namespace qc::test;

namespace {

TEST(IntegerProgramsTest, MatmulAccumulatesWrappingAt32Bits) {
  // Products of large i32 values overflow the i32 accumulator: linalg's
  // semantics wrap, like uint32_t arithmetic.
  const char *source = R"mlir(
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>
func.func @main(%a: tensor<3x64xi32>, %b: tensor<64x2xi32>,
                %zero: i32) -> (tensor<3x2xi32>, tensor<3x2xi32>) {
  %e = tensor.empty() : tensor<3x2xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<3x2xi32>)
      -> tensor<3x2xi32>
  %g = linalg.generic {indexing_maps = [#lhs, #rhs, #acc],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<3x64xi32>, tensor<64x2xi32>)
      outs(%init : tensor<3x2xi32>) {
  ^bb0(%x: i32, %y: i32, %s: i32):
    %p = arith.muli %x, %y : i32
    %r = arith.addi %s, %p : i32
    linalg.yield %r : i32
  } -> tensor<3x2xi32>
  %m = linalg.matmul ins(%a, %b : tensor<3x64xi32>, tensor<64x2xi32>)
                     outs(%init : tensor<3x2xi32>) -> tensor<3x2xi32>
  return %g, %m : tensor<3x2xi32>, tensor<3x2xi32>
}
)mlir";
  std::vector<int32_t> a = randomValues<int32_t>(3 * 64, 11);
  std::vector<int32_t> b = randomValues<int32_t>(64 * 2, 12);
  int32_t start = -123456;
  rt::Tensor zero(rt::DType::I32, {});
  zero.setFromInt(0, start);
  InterpreterHarness harness;
  std::vector<rt::Tensor> out;
  ASSERT_TRUE(harness.run(source,
                          {makeTensor(rt::DType::I32, a, {3, 64}),
                           makeTensor(rt::DType::I32, b, {64, 2}), zero},
                          out))
      << harness.diagnostics();
  for (int m = 0; m < 3; ++m)
    for (int n = 0; n < 2; ++n) {
      uint32_t sum = static_cast<uint32_t>(start);
      for (int k = 0; k < 64; ++k)
        sum += static_cast<uint32_t>(a[m * 64 + k]) *
               static_cast<uint32_t>(b[k * 2 + n]);
      EXPECT_EQ(out[0].getAsInt(m * 2 + n), static_cast<int32_t>(sum));
      EXPECT_EQ(out[1].getAsInt(m * 2 + n), static_cast<int32_t>(sum));
    }
}

TEST(IntegerProgramsTest, NonLinearIndexingMaps) {
  // (d0) -> (d0 floordiv 3, d0 mod 3) flattens a 4x3 tensor; the reverse
  // map reads it backwards with a negative coefficient (still linear).
  const char *source = R"mlir(
func.func @main(%x: tensor<4x3xi16>) -> (tensor<12xi16>, tensor<12xi16>) {
  %e = tensor.empty() : tensor<12xi16>
  %flat = linalg.generic {
      indexing_maps = [affine_map<(d0) -> (d0 floordiv 3, d0 mod 3)>,
                       affine_map<(d0) -> (d0)>],
      iterator_types = ["parallel"]}
      ins(%x : tensor<4x3xi16>) outs(%e : tensor<12xi16>) {
  ^bb0(%v: i16, %o: i16):
    linalg.yield %v : i16
  } -> tensor<12xi16>
  %rev = linalg.generic {
      indexing_maps = [affine_map<(d0) -> (11 - d0)>,
                       affine_map<(d0) -> (d0)>],
      iterator_types = ["parallel"]}
      ins(%flat : tensor<12xi16>) outs(%e : tensor<12xi16>) {
  ^bb0(%v: i16, %o: i16):
    linalg.yield %v : i16
  } -> tensor<12xi16>
  return %flat, %rev : tensor<12xi16>, tensor<12xi16>
}
)mlir";
  std::vector<int> values;
  for (int i = 0; i < 12; ++i)
    values.push_back(i * 100 - 500);
  InterpreterHarness harness;
  std::vector<rt::Tensor> out;
  ASSERT_TRUE(
      harness.run(source, {makeTensor(rt::DType::I16, values, {4, 3})}, out))
      << harness.diagnostics();
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(out[0].getAsInt(i), values[i]);
    EXPECT_EQ(out[1].getAsInt(i), values[11 - i]);
  }
}

TEST(IntegerProgramsTest, ConvOfTwoMillionPointsIsFast) {
  // 1x28x28x16 (padded to 30x30) * 3x3x16x16: 28*28*16*3*3*16 = 1.8M loop
  // points, the size of a small CNN layer.
  const char *source = R"mlir(
#in  = affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#flt = affine_map<(n, oh, ow, f, kh, kw, c) -> (kh, kw, c, f)>
#out = affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh, ow, f)>
func.func @main(%x: tensor<1x30x30x16xi8>, %w: tensor<3x3x16x16xi8>)
    -> tensor<1x28x28x16xi32> {
  %init = tensor.empty() : tensor<1x28x28x16xi32>
  %r = linalg.generic {indexing_maps = [#in, #flt, #out],
      iterator_types = ["parallel", "parallel", "parallel", "parallel",
                        "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x30x30x16xi8>, tensor<3x3x16x16xi8>)
      outs(%init : tensor<1x28x28x16xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %zp = arith.constant -3 : i32
    %ae = arith.extsi %a : i8 to i32
    %as = arith.subi %ae, %zp : i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %as, %be : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<1x28x28x16xi32>
  return %r : tensor<1x28x28x16xi32>
}
)mlir";
  std::vector<int8_t> x = randomValues<int8_t>(30 * 30 * 16, 21);
  std::vector<int8_t> w = randomValues<int8_t>(3 * 3 * 16 * 16, 22);
  InterpreterHarness harness;
  std::vector<rt::Tensor> out;
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(harness.run(source,
                          {makeTensor(rt::DType::I8, x, {1, 30, 30, 16}),
                           makeTensor(rt::DType::I8, w, {3, 3, 16, 16})},
                          out))
      << harness.diagnostics();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("[ timing   ] 1.8M-point conv generic: %.1f ms\n", seconds * 1e3);
  // Generous bound: it takes tens of milliseconds; a regression to an
  // op-by-op walk of the body would take seconds.
  EXPECT_LT(seconds, 1.0);
  for (int oh = 0; oh < 28; ++oh)
    for (int ow = 0; ow < 28; ++ow)
      for (int f = 0; f < 16; ++f) {
        int32_t sum = 0;
        for (int kh = 0; kh < 3; ++kh)
          for (int kw = 0; kw < 3; ++kw)
            for (int c = 0; c < 16; ++c)
              sum += (x[((oh + kh) * 30 + ow + kw) * 16 + c] + 3) *
                     w[((kh * 3 + kw) * 16 + c) * 16 + f];
        ASSERT_EQ(out[0].getAsInt((oh * 28 + ow) * 16 + f), sum)
            << oh << "," << ow << "," << f;
      }
}

TEST(IntegerProgramsTest, FloatCornerCases) {
  // sitofp rounds once (i64 -> f32 directly, not through f64); bitcast
  // reinterprets bits; mulsi_extended gives the high half of the product.
  const char *source = R"mlir(
#id = affine_map<(d0) -> (d0)>
func.func @main(%a: tensor<3xi64>, %b: tensor<3xi32>)
    -> (tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>) {
  %f = arith.sitofp %a : tensor<3xi64> to tensor<3xf32>
  %bits = tensor.bitcast %b : tensor<3xi32> to tensor<3xf32>
  %back = arith.bitcast %bits : tensor<3xf32> to tensor<3xi32>
  %low, %high = arith.mulsi_extended %b, %b : tensor<3xi32>
  return %f, %bits, %back, %high
      : tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>
}
)mlir";
  // 2^60 + 2^36 + 1: through double it rounds to 2^60 + 2^36, then to a
  // tie that float breaks to even (2^60); directly it rounds up.
  std::vector<int64_t> a = {(int64_t(1) << 60) + (int64_t(1) << 36) + 1, -7,
                            std::numeric_limits<int64_t>::min()};
  std::vector<int32_t> b = {0x3f800000, -1,
                            std::numeric_limits<int32_t>::min()};
  InterpreterHarness harness;
  std::vector<rt::Tensor> out;
  ASSERT_TRUE(harness.run(
      source, {makeTensor(rt::DType::I64, a), makeTensor(rt::DType::I32, b)},
      out))
      << harness.diagnostics();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(out[0].getAsDouble(i), static_cast<float>(a[i])) << i;
    float f;
    std::memcpy(&f, &b[i], sizeof(f));
    float got = out[1].data<float>()[i];
    EXPECT_EQ(std::memcmp(&got, &f, sizeof(f)), 0) << i;
    EXPECT_EQ(out[2].getAsInt(i), b[i]);
    EXPECT_EQ(out[3].getAsInt(i), (int64_t(b[i]) * b[i]) >> 32);
  }
  EXPECT_EQ(out[1].getAsDouble(0), 1.0);
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

/// Runs `source` on `inputs`, expecting failure with `message` among the
/// diagnostics.
void expectError(const std::string &source, std::vector<rt::Tensor> inputs,
                 const std::string &message) {
  InterpreterHarness harness;
  std::vector<rt::Tensor> out;
  EXPECT_FALSE(harness.run(source, std::move(inputs), out));
  EXPECT_NE(harness.diagnostics().find(message), std::string::npos)
      << "expected \"" << message << "\" in:\n"
      << harness.diagnostics();
}

TEST(IntegerProgramsTest, UndefinedBehaviourIsALocatedError) {
  std::string generic = R"mlir(
#id = affine_map<(d0) -> (d0)>
func.func @main(%x: tensor<3xi4>, %y: tensor<3xi4>) -> tensor<3xi4> {
  %r = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel"]}
      ins(%x, %y : tensor<3xi4>, tensor<3xi4>) outs(%x : tensor<3xi4>) {
  ^bb0(%a: i4, %b: i4, %o: i4):
    %q = arith.OP %a, %b : i4
    linalg.yield %q : i4
  } -> tensor<3xi4>
  return %r : tensor<3xi4>
}
)mlir";
  auto withOp = [&](const std::string &op) {
    std::string text = generic;
    return text.replace(text.find("OP"), 2, op);
  };
  auto i4 = [](std::vector<int> v) { return makeTensor(rt::DType::I8, v); };
  expectError(withOp("divsi"), {i4({1, 2, 3}), i4({1, 0, 1})},
              "interpreter: division by zero in arith.divsi");
  expectError(withOp("remui"), {i4({1, 2, 3}), i4({1, 1, 0})},
              "interpreter: division by zero in arith.remui");
  // -8 / -1 = 8 does not fit in i4.
  expectError(withOp("divsi"), {i4({1, -8, 3}), i4({1, -1, 1})},
              "signed division overflow (INT_MIN / -1) in arith.divsi");
  expectError(withOp("floordivsi"), {i4({1, -8, 3}), i4({1, -1, 1})},
              "signed division overflow (INT_MIN / -1) in arith.floordivsi");
  expectError(withOp("shrsi"), {i4({1, 2, 3}), i4({1, 4, 1})},
              "shift amount 4 is not less than the bit width 4 in arith.shrsi");
  // The failing op and the linalg op running it are both located.
  expectError(withOp("ceildivsi"), {i4({1, 2, 3}), i4({0, 1, 1})},
              "note: while executing 'linalg.generic'");
  // Wrap-around is fine without flags (7 * 7 = 49 = 1 mod 16) and an
  // error with them.
  InterpreterHarness harness;
  std::vector<rt::Tensor> out;
  ASSERT_TRUE(harness.run(withOp("muli"), {i4({7, 2, 3}), i4({7, 1, 1})}, out))
      << harness.diagnostics();
  EXPECT_EQ(out[0].getAsInt(0), 1);
  std::string nuw = withOp("muli");
  nuw.replace(nuw.find(" : i4\n    linalg"), 0, " overflow<nuw>");
  expectError(nuw, {i4({1, 2, 3}), i4({1, 1, 6})},
              "unsigned wrap-around despite the nuw flag in arith.muli");
}

TEST(IntegerProgramsTest, WrongInputsAndUnsupportedIrAreReported) {
  const char *add = R"mlir(
func.func @main(%x: tensor<4xi8>) -> tensor<4xi8> {
  %r = arith.addi %x, %x : tensor<4xi8>
  return %r : tensor<4xi8>
}
)mlir";
  expectError(add, {makeTensor(rt::DType::I32, std::vector<int>{1, 2, 3, 4})},
              "interpreter: operand #0 is i32[4], expected i8[4]");

  // An op the body compiler does not know makes the whole generic
  // unsupported, reported before anything runs.
  const char *unknownBodyOp = R"mlir(
#id = affine_map<(d0) -> (d0)>
func.func @main(%x: tensor<4xi32>) -> tensor<4xi32> {
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xi32>) outs(%x : tensor<4xi32>) {
  ^bb0(%a: i32, %o: i32):
    %sum, %carry = arith.addui_extended %a, %o : i32, i1
    linalg.yield %sum : i32
  } -> tensor<4xi32>
  return %r : tensor<4xi32>
}
)mlir";
  expectError(unknownBodyOp, {rt::Tensor(rt::DType::I32, {4})},
              "'linalg.generic' is not supported by the reference interpreter");

  // tensor.extract can only read constants: the interpreter does not pass
  // values captured from the enclosing function.
  const char *capturedArgument = R"mlir(
#id = affine_map<(d0) -> (d0)>
func.func @main(%x: tensor<4xindex>, %t: tensor<8xi32>) -> tensor<4xi32> {
  %e = tensor.empty() : tensor<4xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xindex>) outs(%e : tensor<4xi32>) {
  ^bb0(%i: index, %o: i32):
    %v = tensor.extract %t[%i] : tensor<8xi32>
    linalg.yield %v : i32
  } -> tensor<4xi32>
  return %r : tensor<4xi32>
}
)mlir";
  expectError(
      capturedArgument,
      {rt::Tensor(rt::DType::I64, {4}), rt::Tensor(rt::DType::I32, {8})},
      "is not supported");

  // Out-of-bounds windows are caught before the loop runs.
  const char *outOfBounds = R"mlir(
func.func @main(%x: tensor<?xi32>) -> tensor<4xi32> {
  %e = tensor.empty() : tensor<4xi32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(d0) -> (d0 * 2)>, affine_map<(d0) -> (d0)>],
      iterator_types = ["parallel"]}
      ins(%x : tensor<?xi32>) outs(%e : tensor<4xi32>) {
  ^bb0(%a: i32, %o: i32):
    linalg.yield %a : i32
  } -> tensor<4xi32>
  return %r : tensor<4xi32>
}
)mlir";
  expectError(outOfBounds, {rt::Tensor(rt::DType::I32, {6})},
              "reads outside its shape i32[6] over loop ranges 4");
}

} // namespace
