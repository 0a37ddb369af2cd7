//===- QntShapeInferenceTest.cpp - graph op shape inference ---------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Runs InferShapedTypeOpInterface on every graph op of the lit test files
// test/Dialect/Qnt/graph-ops{,-shapes}.mlir and checks that the inferred
// shape equals the declared result shape. The verifiers check the same rule
// through the op accessors; this covers the adaptor path the interface uses.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir;

namespace {

class QntShapeInferenceTest : public ::testing::TestWithParam<const char *> {};

TEST_P(QntShapeInferenceTest, InferredShapesMatchDeclared) {
  MLIRContext ctx;
  ctx.loadDialect<qc::qnt::QntDialect, func::FuncDialect>();
  std::string path = std::string(QC_SOURCE_DIR) + "/" + GetParam();
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(path, &ctx);
  ASSERT_TRUE(module) << "cannot parse " << path;

  int checked = 0;
  module->walk([&](InferShapedTypeOpInterface op) {
    SmallVector<ShapedTypeComponents> inferred;
    ASSERT_TRUE(succeeded(op.inferReturnTypeComponents(
        &ctx, op->getLoc(), op->getOperands(), op->getAttrDictionary(),
        op->getPropertiesStorage(), op->getRegions(), inferred)))
        << "inference failed on " << op->getName().getStringRef().str();
    ASSERT_EQ(inferred.size(), op->getNumResults());
    for (auto [components, result] : llvm::zip(inferred, op->getResults())) {
      auto type = cast<RankedTensorType>(result.getType());
      ASSERT_TRUE(components.hasRank());
      // `?` on either side is compatible (a broadcast of `?` with 4 infers
      // `?`; a declared `?` may be less precise than the inference); two
      // static sizes must be equal.
      ArrayRef<int64_t> dims = components.getDims();
      ASSERT_EQ(dims.size(), type.getShape().size());
      for (auto [want, got] : llvm::zip(dims, type.getShape()))
        if (!ShapedType::isDynamic(want) && !ShapedType::isDynamic(got)) {
          EXPECT_EQ(want, got) << op->getName().getStringRef().str();
        }
    }
    ++checked;
  });
  EXPECT_GT(checked, 10);
}

INSTANTIATE_TEST_SUITE_P(GraphOps, QntShapeInferenceTest,
                         ::testing::Values("test/Dialect/Qnt/graph-ops.mlir",
                                           "test/Dialect/Qnt/graph-ops-shapes.mlir"));

} // namespace
