//===- ConstantsTest.cpp - f32 constant helpers and BN folding ------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Round trips of the constant helpers (qc/Dialect/Qnt/Utils/Constants.h)
// through every form a model brings weights in: dense literals, splats and
// dense_resource blobs, in memory and through printed text. Then the
// numerics of qnt-fold-batch-norm: conv2d, depthwise_conv2d and
// fully_connected layers with many channels and random parameters are
// built in C++, folded by the pass, and compared with a direct double
// computation.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/Utils/Constants.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>

using namespace mlir;
using namespace qc::qnt;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Loads the dialects the tests use into a fresh context.
void loadDialects(MLIRContext &ctx) {
  ctx.loadDialect<QntDialect, arith::ArithDialect, func::FuncDialect>();
}

/// `count` uniformly distributed floats in [lo, hi), reproducible per seed.
std::vector<float> randomFloats(size_t count, float lo, float hi,
                                unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> values(count);
  for (float &v : values)
    v = dist(gen);
  return values;
}

/// Bitwise equality, so that -0.0 vs 0.0 and NaN payloads count.
bool sameBits(ArrayRef<float> a, ArrayRef<float> b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

/// Holds a module whose body is where the constant-helper tests build.
class ConstantsTest : public ::testing::Test {
protected:
  ConstantsTest() : builder(&ctx) {
    loadDialects(ctx);
    module = ModuleOp::create(UnknownLoc::get(&ctx));
    builder.setInsertionPointToEnd(module->getBody());
  }

  RankedTensorType f32Tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  /// Creates a constant and returns its elements attribute.
  ElementsAttr create(ArrayRef<int64_t> shape, ArrayRef<float> values,
                      StringRef hint = "test_blob") {
    Value v = createF32Constant(builder, builder.getUnknownLoc(),
                                f32Tensor(shape), values, hint);
    return getConstantElements(v);
  }

  /// Parses `text` as a module in this test's context.
  OwningOpRef<ModuleOp> parse(StringRef text) {
    return parseSourceString<ModuleOp>(text, &ctx);
  }

  /// The value of the first arith.constant in `m`.
  static Value firstConstant(ModuleOp m) {
    Value found;
    m.walk([&](arith::ConstantOp op) {
      if (!found)
        found = op.getResult();
    });
    return found;
  }

  MLIRContext ctx;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

//===----------------------------------------------------------------------===//
// createF32Constant / readF32Constant
//===----------------------------------------------------------------------===//

TEST_F(ConstantsTest, SmallTensorIsDenseLiteral) {
  std::vector<float> values =
      randomFloats(kMaxInlineConstantElements, -1, 1, 1);
  ElementsAttr attr = create({8, 8}, values);
  ASSERT_TRUE(isa<DenseElementsAttr>(attr));
  EXPECT_FALSE(cast<DenseElementsAttr>(attr).isSplat());
  std::optional<std::vector<float>> read = readF32Elements(attr);
  ASSERT_TRUE(read);
  EXPECT_TRUE(sameBits(*read, values));
}

TEST_F(ConstantsTest, LargerTensorIsResourceBlob) {
  std::vector<float> values =
      randomFloats(kMaxInlineConstantElements + 1, -1, 1, 2);
  ElementsAttr attr = create({kMaxInlineConstantElements + 1}, values, "w");
  ASSERT_TRUE(isa<DenseF32ResourceElementsAttr>(attr));
  std::optional<std::vector<float>> read = readF32Elements(attr);
  ASSERT_TRUE(read);
  EXPECT_TRUE(sameBits(*read, values));
}

TEST_F(ConstantsTest, LargeTensorRoundTrip) {
  // 4M elements (16 MB), the size of a real layer's weights.
  std::vector<float> values = randomFloats(size_t(1) << 22, -8, 8, 3);
  Value v = createF32Constant(builder, builder.getUnknownLoc(),
                              f32Tensor({1024, 64, 64}), values, "big");
  EXPECT_TRUE(isa<DenseResourceElementsAttr>(getConstantElements(v)));
  std::optional<std::vector<float>> read = readF32Constant(v);
  ASSERT_TRUE(read);
  EXPECT_TRUE(sameBits(*read, values));
}

TEST_F(ConstantsTest, EqualValuesBecomeSplat) {
  std::vector<float> values(1000, 2.5f);
  ElementsAttr attr = create({10, 100}, values);
  ASSERT_TRUE(isa<DenseElementsAttr>(attr));
  EXPECT_TRUE(cast<DenseElementsAttr>(attr).isSplat());
  std::optional<std::vector<float>> read = readF32Elements(attr);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->size(), 1000u);
  EXPECT_TRUE(sameBits(*read, values));
}

TEST_F(ConstantsTest, SplatComparesBits) {
  // 0.0 and -0.0 compare equal as floats but are different values.
  std::vector<float> values(100, 0.0f);
  values[50] = -0.0f;
  ElementsAttr attr = create({100}, values);
  EXPECT_FALSE(isa<DenseElementsAttr>(attr) &&
               cast<DenseElementsAttr>(attr).isSplat());
  std::optional<std::vector<float>> read = readF32Elements(attr);
  ASSERT_TRUE(read);
  EXPECT_TRUE(sameBits(*read, values));
}

TEST_F(ConstantsTest, InlineLimitIsAParameter) {
  std::vector<float> values = {1.0f, 2.0f};
  ElementsAttr attr = createF32ElementsAttr(f32Tensor({2}), values, "tiny",
                                            /*maxInlineElements=*/0);
  EXPECT_TRUE(isa<DenseF32ResourceElementsAttr>(attr));
  EXPECT_TRUE(sameBits(*readF32Elements(attr), values));
}

TEST_F(ConstantsTest, EmptyTensor) {
  ElementsAttr attr = create({0, 3}, {});
  std::optional<std::vector<float>> read = readF32Elements(attr);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->empty());
}

TEST_F(ConstantsTest, BlobNamesAreUniqueAndReadable) {
  std::vector<float> values = randomFloats(100, 0, 1, 4);
  Value a = createF32Constant(builder, builder.getUnknownLoc(),
                              f32Tensor({100}), values, "conv1_weight");
  Value b = createF32Constant(builder, builder.getUnknownLoc(),
                              f32Tensor({100}), values, "conv1_weight");
  EXPECT_EQ(getResourceKey(a), "conv1_weight");
  EXPECT_FALSE(getResourceKey(b).empty());
  EXPECT_NE(getResourceKey(a), getResourceKey(b));
  // Dense literals have no key.
  Value c = createF32Constant(builder, builder.getUnknownLoc(), f32Tensor({2}),
                              {1.0f, 2.0f});
  EXPECT_TRUE(getResourceKey(c).empty());
}

TEST_F(ConstantsTest, PrintedResourceParsesBack) {
  std::vector<float> values = randomFloats(5000, -100, 100, 5);
  createF32Constant(builder, builder.getUnknownLoc(), f32Tensor({50, 100}),
                    values, "printed");
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  ASSERT_NE(text.find("dense_resource<printed>"), std::string::npos);
  ASSERT_NE(text.find("dialect_resources"), std::string::npos);

  // A fresh context: the values must come from the text, not the manager.
  MLIRContext other;
  loadDialects(other);
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(text, &other);
  ASSERT_TRUE(parsed);
  std::optional<std::vector<float>> read =
      readF32Constant(firstConstant(*parsed));
  ASSERT_TRUE(read);
  EXPECT_TRUE(sameBits(*read, values));
}

//===----------------------------------------------------------------------===//
// Reading parsed constants
//===----------------------------------------------------------------------===//

TEST_F(ConstantsTest, ReadsParsedForms) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    %a = arith.constant dense<[[1.0, -2.0], [0.5, 3.0]]> : tensor<2x2xf32>
    %b = arith.constant dense<2.5> : tensor<3x4xf32>
    %c = arith.constant dense_resource<blob> : tensor<2xf32>
    %d = arith.constant sparse<[[1]], [4.0]> : tensor<3xf32>
    {-# dialect_resources: { builtin: {
      blob: "0x040000000000803F000000C0"
    } } #-}
  )mlir");
  ASSERT_TRUE(m);
  SmallVector<Value> constants;
  m->walk([&](arith::ConstantOp op) { constants.push_back(op.getResult()); });
  ASSERT_EQ(constants.size(), 4u);
  for (Value v : constants)
    EXPECT_TRUE(isF32Constant(v));
  EXPECT_EQ(*readF32Constant(constants[0]),
            (std::vector<float>{1.0f, -2.0f, 0.5f, 3.0f}));
  EXPECT_EQ(*readF32Constant(constants[1]), std::vector<float>(12, 2.5f));
  EXPECT_EQ(*readF32Constant(constants[2]), (std::vector<float>{1.0f, -2.0f}));
  EXPECT_EQ(getResourceKey(constants[2]), "blob");
  // Other elements attributes go through the generic APFloat iterator.
  EXPECT_EQ(*readF32Constant(constants[3]),
            (std::vector<float>{0.0f, 4.0f, 0.0f}));
}

TEST_F(ConstantsTest, RejectsWhatIsNotAnF32Constant) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @f(%arg: tensor<2xf32>) -> tensor<2xf32> {
      return %arg : tensor<2xf32>
    }
    %d = arith.constant dense<1.0> : tensor<2xf64>
    %i = arith.constant dense<1> : tensor<2xi32>
    %s = arith.constant 1.0 : f32
    %missing = arith.constant dense_resource<not_in_file> : tensor<2xf32>
    %short = arith.constant dense_resource<short> : tensor<3xf32>
    {-# dialect_resources: { builtin: {
      short: "0x040000000000803F000000C0"
    } } #-}
  )mlir");
  ASSERT_TRUE(m);
  auto func = *m->getOps<func::FuncOp>().begin();
  EXPECT_FALSE(readF32Constant(func.getArgument(0)));
  EXPECT_FALSE(isF32Constant(func.getArgument(0)));
  EXPECT_FALSE(readF32Constant(Value()));
  int count = 0;
  m->walk([&](arith::ConstantOp op) {
    EXPECT_FALSE(readF32Constant(op.getResult())) << "constant " << count;
    EXPECT_FALSE(isF32Constant(op.getResult())) << "constant " << count;
    ++count;
  });
  EXPECT_EQ(count, 5);
}

//===----------------------------------------------------------------------===//
// qnt-fold-batch-norm numerics
//===----------------------------------------------------------------------===//

/// The layer kinds a batch norm folds into.
enum class LayerKind { Conv2D, Depthwise, FullyConnected };

/// Random batch norm parameters for `channels` channels.
struct BatchNorm {
  explicit BatchNorm(size_t channels, unsigned seed)
      : gamma(randomFloats(channels, -2, 2, seed)),
        beta(randomFloats(channels, -1, 1, seed + 1)),
        mean(randomFloats(channels, -3, 3, seed + 2)),
        variance(randomFloats(channels, 0.01f, 4, seed + 3)) {}
  std::vector<float> gamma, beta, mean, variance;
  float epsilon = 1e-3f;

  double scale(size_t c) const {
    return gamma[c] / std::sqrt(double(variance[c]) + double(epsilon));
  }
};

/// One layer + batch norm function, built in C++, and what it was built
/// from.
struct FoldCase {
  OwningOpRef<ModuleOp> module;
  std::vector<float> weight, bias;
  /// The output channel of each weight element.
  std::function<size_t(size_t)> channelOf;
};

/// Builds `func @f(x) { return batch_norm(layer(x, W, b)) }` with random
/// weights and bias.
FoldCase buildCase(MLIRContext &ctx, LayerKind kind, const BatchNorm &bn,
                   unsigned seed) {
  OpBuilder b(&ctx);
  Location loc = b.getUnknownLoc();
  Type f32 = b.getF32Type();
  auto tensor = [&](ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, f32);
  };
  auto channels = static_cast<int64_t>(bn.gamma.size());
  FoldCase result;
  result.module = ModuleOp::create(loc);

  // Shapes per kind: input, weight, output.
  SmallVector<int64_t> in, w, out;
  switch (kind) {
  case LayerKind::Conv2D:
    in = {1, 5, 5, 16}, w = {channels, 3, 3, 16}, out = {1, 3, 3, channels};
    result.channelOf = [=](size_t i) { return i / (3 * 3 * 16); };
    break;
  case LayerKind::Depthwise:
    in = {1, 5, 5, channels / 3}, w = {1, 3, 3, channels},
    out = {1, 3, 3, channels};
    result.channelOf = [=](size_t i) { return i % channels; };
    break;
  case LayerKind::FullyConnected:
    in = {2, 64}, w = {channels, 64}, out = {2, channels};
    result.channelOf = [=](size_t i) { return i / 64; };
    break;
  }
  auto func = func::FuncOp::create(
      b, loc, "f", b.getFunctionType({tensor(in)}, {tensor(out)}));
  b.setInsertionPointToEnd(func.addEntryBlock());
  result.module->push_back(func);

  int64_t weightCount = ShapedType::getNumElements(w);
  result.weight = randomFloats(weightCount, -1, 1, seed);
  result.bias = randomFloats(channels, -1, 1, seed + 1);
  Value weight = createF32Constant(b, loc, tensor(w), result.weight, "w");
  Value bias = createF32Constant(b, loc, tensor({channels}), result.bias, "b");
  Value x = func.getArgument(0);
  Value y;
  switch (kind) {
  case LayerKind::Conv2D:
    y = Conv2DOp::create(b, loc, tensor(out), x, weight, bias);
    break;
  case LayerKind::Depthwise:
    y = DepthwiseConv2DOp::create(b, loc, tensor(out), x, weight, bias);
    break;
  case LayerKind::FullyConnected:
    y = FullyConnectedOp::create(b, loc, tensor(out), x, weight, bias);
    break;
  }
  auto param = [&](ArrayRef<float> values, StringRef name) {
    return createF32Constant(b, loc, tensor({channels}), values, name);
  };
  Value normalized = BatchNormOp::create(
      b, loc, tensor(out), y, param(bn.gamma, "gamma"), param(bn.beta, "beta"),
      param(bn.mean, "mean"), param(bn.variance, "variance"),
      b.getF32FloatAttr(bn.epsilon));
  func::ReturnOp::create(b, loc, normalized);
  return result;
}

/// |got - want| <= 1e-6 |want|: the folded f32 value is the double result
/// rounded once (relative error 2^-24), so this holds with a margin.
void expectClose(float got, double want, const char *what, size_t index) {
  EXPECT_LE(std::abs(got - want), 1e-6 * std::abs(want))
      << what << "[" << index << "] = " << got << ", expected " << want;
}

class FoldBatchNormNumericsTest : public ::testing::TestWithParam<LayerKind> {};

TEST_P(FoldBatchNormNumericsTest, MatchesDoubleComputation) {
  MLIRContext ctx;
  loadDialects(ctx);
  // 96 channels: a multiple of 3 for the depthwise multiplier.
  BatchNorm bn(96, 100);
  FoldCase c = buildCase(ctx, GetParam(), bn, 200);
  ASSERT_TRUE(succeeded(verify(*c.module)));

  PassManager pm(&ctx);
  pm.addPass(createQntFoldBatchNormPass());
  ASSERT_TRUE(succeeded(pm.run(*c.module)));

  // Exactly one layer with constant weight and bias remains, no batch norm.
  Operation *layer = nullptr;
  int batchNorms = 0;
  c.module->walk([&](Operation *op) {
    if (isa<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp>(op))
      layer = op;
    batchNorms += isa<BatchNormOp>(op);
  });
  ASSERT_TRUE(layer);
  EXPECT_EQ(batchNorms, 0);
  std::optional<std::vector<float>> weight =
      readF32Constant(layer->getOperand(1));
  std::optional<std::vector<float>> bias =
      readF32Constant(layer->getOperand(2));
  ASSERT_TRUE(weight && bias);
  ASSERT_EQ(weight->size(), c.weight.size());
  ASSERT_EQ(bias->size(), c.bias.size());

  for (size_t i = 0; i < weight->size(); ++i)
    expectClose((*weight)[i], c.weight[i] * bn.scale(c.channelOf(i)), "W'", i);
  for (size_t o = 0; o < bias->size(); ++o)
    expectClose((*bias)[o],
                bn.beta[o] + (double(c.bias[o]) - bn.mean[o]) * bn.scale(o),
                "b'", o);
}

INSTANTIATE_TEST_SUITE_P(
    Layers, FoldBatchNormNumericsTest,
    ::testing::Values(LayerKind::Conv2D, LayerKind::Depthwise,
                      LayerKind::FullyConnected),
    [](const ::testing::TestParamInfo<LayerKind> &info) -> std::string {
      switch (info.param) {
      case LayerKind::Conv2D:
        return "Conv2D";
      case LayerKind::Depthwise:
        return "DepthwiseMultiplier3";
      case LayerKind::FullyConnected:
        return "FullyConnected";
      }
      return "Unknown";
    });

} // namespace
