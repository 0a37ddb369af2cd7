//===- QntTypesTest.cpp - !qnt.uniform C++ API tests ----------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The C++ side of !qnt.uniform: storage ranges, parameter indexing for every
// granularity (against a plain reference over many indices), the lossless
// requantization test, print/parse round trips of random types, and the
// conversion to and from upstream !quant.uniform.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntDialect.h"
#include "qc/Dialect/Qnt/IR/QntTypes.h"
#include "qc/Dialect/Qnt/Transforms/QuantTypeInterop.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

#include <iostream>
#include <random>
#include <string>

using namespace mlir;
using namespace qc::qnt;

namespace {

class QntTypesTest : public ::testing::Test {
protected:
  QntTypesTest() {
    ctx.getOrLoadDialect<QntDialect>();
    ctx.getOrLoadDialect<quant::QuantDialect>();
  }

  IntegerType storage(unsigned width, bool isSigned = true) {
    return IntegerType::get(&ctx, width,
                            isSigned ? IntegerType::Signless
                                     : IntegerType::Unsigned);
  }
  FloatType f32() { return Float32Type::get(&ctx); }

  UniformType perAxis(int32_t axis, int64_t groupSize,
                      ArrayRef<double> scales) {
    SmallVector<int64_t> zps(scales.size(), 0);
    return UniformType::get(storage(8), -128, 127, f32(), axis, groupSize,
                            scales, zps);
  }

  std::string print(Type type) {
    std::string text;
    llvm::raw_string_ostream os(text);
    type.print(os);
    return text;
  }

  MLIRContext ctx;
};

TEST_F(QntTypesTest, StorageRanges) {
  struct Case {
    unsigned width;
    bool isSigned;
    int64_t min, max;
  } cases[] = {{2, true, -2, 1},         {4, true, -8, 7},
               {8, true, -128, 127},     {16, true, -32768, 32767},
               {32, true, INT32_MIN, INT32_MAX}, {2, false, 0, 3},
               {4, false, 0, 15},        {8, false, 0, 255}};
  for (const Case &c : cases) {
    IntegerType s = storage(c.width, c.isSigned);
    EXPECT_EQ(UniformType::getStorageTypeMin(s), c.min) << c.width;
    EXPECT_EQ(UniformType::getStorageTypeMax(s), c.max) << c.width;
    auto type = UniformType::get(s, f32(), 0.5, c.isSigned ? 0 : 1);
    EXPECT_FALSE(type.hasNarrowRange());
    EXPECT_EQ(type.isSigned(), c.isSigned);
    EXPECT_TRUE(type.isPerTensor());
  }
  auto narrow = UniformType::get(storage(8), -127, 127, f32(), -1, 0,
                                 ArrayRef<double>(0.5), ArrayRef<int64_t>(0));
  EXPECT_TRUE(narrow.hasNarrowRange());
}

/// Per-group parameter index against a direct computation: the index of
/// (i / G) along the axis in the grid [d0, ..., d_axis / G, ...].
TEST_F(QntTypesTest, ParamIndexPerGroupMatchesReference) {
  std::mt19937 rng(7);
  int64_t checked = 0;
  for (int trial = 0; trial < 200; ++trial) {
    int rank = 1 + rng() % 4;
    int axis = rng() % rank;
    int64_t group = 1 + rng() % 4;
    SmallVector<int64_t> shape(rank);
    for (int d = 0; d < rank; ++d)
      shape[d] = 1 + rng() % 5;
    shape[axis] *= group;
    int64_t count = 1;
    for (int d = 0; d < rank; ++d)
      count *= d == axis ? shape[d] / group : shape[d];
    SmallVector<double> scales(count, 1.0);
    UniformType type = perAxis(axis, group, scales);
    ASSERT_TRUE(succeeded(type.verifyShape(
        [&] { return emitError(UnknownLoc::get(&ctx)); }, shape)));
    // Walk every element; the reference index is built dimension by
    // dimension from the grid strides.
    SmallVector<int64_t> index(rank, 0);
    int64_t total = 1;
    for (int64_t s : shape)
      total *= s;
    for (int64_t flat = 0; flat < total; ++flat) {
      int64_t rem = flat;
      for (int d = rank - 1; d >= 0; --d) {
        index[d] = rem % shape[d];
        rem /= shape[d];
      }
      int64_t expected = 0, stride = 1;
      for (int d = rank - 1; d >= 0; --d) {
        int64_t extent = d == axis ? shape[d] / group : shape[d];
        int64_t pos = d == axis ? index[d] / group : index[d];
        expected += pos * stride;
        stride *= extent;
      }
      ASSERT_EQ(type.getParamIndex(index, shape), expected);
      ASSERT_LT(expected, count);
      ++checked;
    }
  }
  std::cout << "per-group indices checked: " << checked << "\n";
}

TEST_F(QntTypesTest, ParamIndexPerAxisAndPerTensor) {
  UniformType axis1 = perAxis(1, 0, {1.0, 2.0, 3.0});
  EXPECT_TRUE(axis1.isPerAxis());
  SmallVector<int64_t> shape = {2, 3, 4};
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 3; ++j)
      for (int64_t k = 0; k < 4; ++k)
        EXPECT_EQ(axis1.getParamIndex({i, j, k}, shape), j);
  UniformType tensor = UniformType::get(storage(8), f32(), 0.1, 3);
  EXPECT_EQ(tensor.getParamIndex({1, 2, 3}, shape), 0);
}

TEST_F(QntTypesTest, VerifyShapeRejectsMismatches) {
  std::string message;
  ScopedDiagnosticHandler capture(&ctx, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  auto emit = [&] { return emitError(UnknownLoc::get(&ctx)); };
  UniformType axis1 = perAxis(1, 0, {1.0, 2.0, 3.0});
  EXPECT_TRUE(failed(axis1.verifyShape(emit, {3})));
  EXPECT_EQ(message, "quantization axis 1 is out of range for a tensor of rank 1");
  EXPECT_TRUE(failed(axis1.verifyShape(emit, {2, 4})));
  EXPECT_EQ(message, "per-axis quantization has 3 scales but dimension 1 has size 4");
  EXPECT_TRUE(succeeded(axis1.verifyShape(emit, {2, ShapedType::kDynamic})));
  UniformType grouped = perAxis(0, 4, {1.0, 2.0});
  EXPECT_TRUE(succeeded(grouped.verifyShape(emit, {8})));
  EXPECT_TRUE(failed(grouped.verifyShape(emit, {6})));
  EXPECT_EQ(message, "dimension 0 of size 6 is not a multiple of the group size 4");
  EXPECT_TRUE(failed(grouped.verifyShape(emit, {12})));
  EXPECT_EQ(message, "per-group quantization has 2 scales but the tensor has 3 groups of 4 along axis 0");
}

/// Verifier messages that the textual syntax cannot reach (the parser always
/// produces matching lists), checked through the C++ builder.
TEST_F(QntTypesTest, VerifierRejectsMalformedParameters) {
  std::string message;
  ScopedDiagnosticHandler capture(&ctx, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  auto emit = [&] { return emitError(UnknownLoc::get(&ctx)); };
  auto check = [&](int32_t axis, int64_t group, ArrayRef<double> scales,
                   ArrayRef<int64_t> zps) {
    message.clear();
    return UniformType::getChecked(
        emit, &ctx, storage(8), int64_t(-128), int64_t(127), f32(), axis, group,
        DenseF64ArrayAttr::get(&ctx, scales),
        DenseI64ArrayAttr::get(&ctx, zps));
  };
  EXPECT_FALSE(check(-1, 0, {}, {}));
  EXPECT_EQ(message, "expected at least one scale");
  EXPECT_FALSE(check(0, 0, {1.0, 2.0}, {0}));
  EXPECT_EQ(message, "got 2 scales but 1 zero points");
  EXPECT_FALSE(check(-1, 0, {1.0, 2.0}, {0, 0}));
  EXPECT_EQ(message, "per-tensor quantization takes one scale, got 2");
  EXPECT_FALSE(check(-1, 4, {1.0}, {0}));
  EXPECT_EQ(message, "group size 4 needs a quantization axis and must be positive");
  EXPECT_FALSE(check(-2, 0, {1.0}, {0}));
  EXPECT_EQ(message, "quantization axis must be non-negative");
  EXPECT_TRUE(check(0, 0, {1.0, 2.0}, {0, 0}));
  EXPECT_TRUE(message.empty());
}

TEST_F(QntTypesTest, ExactlyRepresentable) {
  auto t = [&](unsigned width, bool isSigned, double scale, int64_t zp) {
    return UniformType::get(storage(width, isSigned), f32(), scale, zp);
  };
  EXPECT_TRUE(isExactlyRepresentableIn(t(8, true, 0.5, 0), t(16, true, 0.25, 0)));
  EXPECT_TRUE(isExactlyRepresentableIn(t(8, true, 0.5, 0), t(8, true, 0.5, 0)));
  EXPECT_TRUE(isExactlyRepresentableIn(t(8, true, 1.0, -128), t(8, false, 1.0, 0)));
  // Non-integer ratio, range overflow, zero-point shift out of range.
  EXPECT_FALSE(isExactlyRepresentableIn(t(8, true, 0.5, 0), t(8, true, 0.75, 0)));
  EXPECT_FALSE(isExactlyRepresentableIn(t(8, true, 0.5, 0), t(8, true, 0.25, 0)));
  EXPECT_FALSE(isExactlyRepresentableIn(t(8, true, 1.0, 0), t(8, false, 1.0, 0)));
  // A coarser target loses values.
  EXPECT_FALSE(isExactlyRepresentableIn(t(16, true, 0.25, 0), t(8, true, 0.5, 0)));
  // Per-axis is never claimed lossless.
  EXPECT_FALSE(isExactlyRepresentableIn(perAxis(0, 0, {1.0}), perAxis(0, 0, {1.0})));
}

/// Random types survive print -> parse unchanged, including scales that
/// need all 17 significant digits.
TEST_F(QntTypesTest, RandomPrintParseRoundTrip) {
  std::mt19937_64 rng(42);
  const unsigned widths[] = {2, 4, 8, 16, 32};
  int cases = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    bool isSigned = rng() % 2 == 0;
    unsigned width = widths[rng() % 5];
    if (!isSigned && width > 8)
      width = 8;
    IntegerType s = storage(width, isSigned);
    int64_t lo = UniformType::getStorageTypeMin(s);
    int64_t hi = UniformType::getStorageTypeMax(s);
    if (rng() % 4 == 0)
      ++lo; // narrow range
    int granularity = rng() % 3; // tensor, axis, group
    int32_t axis = granularity ? static_cast<int32_t>(rng() % 4) : -1;
    int64_t group = granularity == 2 ? 1 + rng() % 64 : 0;
    size_t count = granularity ? 1 + rng() % 6 : 1;
    SmallVector<double> scales;
    SmallVector<int64_t> zps;
    std::uniform_real_distribution<double> mant(1.0, 2.0);
    for (size_t i = 0; i < count; ++i) {
      scales.push_back(std::ldexp(mant(rng), static_cast<int>(rng() % 60) - 40));
      zps.push_back(lo + static_cast<int64_t>(rng() % (hi - lo + 1)));
    }
    auto type = UniformType::get(s, lo, hi, f32(), axis, group, scales, zps);
    std::string text = print(type);
    Type parsed = parseType(text, &ctx);
    ASSERT_EQ(parsed, Type(type)) << text;
    ++cases;
  }
  std::cout << "random round trips: " << cases << "\n";
}

/// Upstream per-tensor and per-axis types convert both ways losslessly.
TEST_F(QntTypesTest, UpstreamInteropRoundTrip) {
  std::mt19937_64 rng(3);
  int cases = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    bool isSigned = rng() % 2;
    unsigned width = isSigned ? (rng() % 2 ? 8 : 16) : 8;
    unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
    int64_t lo = quant::QuantizedType::getDefaultMinimumForInteger(isSigned, width);
    int64_t hi = quant::QuantizedType::getDefaultMaximumForInteger(isSigned, width);
    double scale = std::ldexp(1.0 + (rng() % 1000) / 1000.0, -(int)(rng() % 20));
    int64_t zp = lo + static_cast<int64_t>(rng() % (hi - lo + 1));
    quant::QuantizedType upstream;
    if (rng() % 2) {
      upstream = quant::UniformQuantizedType::get(
          flags, IntegerType::get(&ctx, width), f32(), scale, zp, lo, hi);
    } else {
      SmallVector<double> scales(1 + rng() % 4, scale);
      SmallVector<int64_t> zps(scales.size(), zp);
      upstream = quant::UniformQuantizedPerAxisType::get(
          flags, IntegerType::get(&ctx, width), f32(), scales, zps,
          static_cast<int32_t>(rng() % 3), lo, hi);
    }
    UniformType imported = importQuantType(upstream);
    ASSERT_TRUE(imported) << print(upstream);
    EXPECT_EQ(imported.isSigned(), isSigned);
    ASSERT_EQ(exportQntType(imported), upstream) << print(upstream);
    ++cases;
  }
  // Per-group has no upstream uniform equivalent.
  EXPECT_FALSE(exportQntType(perAxis(0, 2, {1.0, 2.0})));
  std::cout << "interop round trips: " << cases << "\n";
}

} // namespace
