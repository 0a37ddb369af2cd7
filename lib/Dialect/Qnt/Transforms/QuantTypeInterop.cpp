//===- QuantTypeInterop.cpp - qnt <-> upstream quant types ----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/Transforms/QuantTypeInterop.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace qc::qnt;

UniformType qc::qnt::importQuantType(quant::QuantizedType type) {
  if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          type))
    return {};
  auto storage = dyn_cast<IntegerType>(type.getStorageType());
  auto expressed = dyn_cast_or_null<FloatType>(type.getExpressedType());
  if (!storage || !expressed)
    return {};
  MLIRContext *ctx = type.getContext();
  auto qntStorage = IntegerType::get(ctx, storage.getWidth(),
                                     type.isSigned() ? IntegerType::Signless
                                                     : IntegerType::Unsigned);
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  int32_t axis = -1;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    scales.push_back(perTensor.getScale());
    zeroPoints.push_back(perTensor.getZeroPoint());
  } else if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    llvm::append_range(scales, perAxis.getScales());
    llvm::append_range(zeroPoints, perAxis.getZeroPoints());
    axis = perAxis.getQuantizedDimension();
  } else {
    return {};
  }
  // Upstream accepts storage widths and ranges qnt does not: check quietly,
  // the caller reports the failure where the type is used.
  ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });
  if (failed(UniformType::verify(
          [ctx] { return emitError(UnknownLoc::get(ctx)); }, qntStorage,
          type.getStorageTypeMin(), type.getStorageTypeMax(), expressed, axis,
          /*groupSize=*/0, DenseF64ArrayAttr::get(ctx, scales),
          DenseI64ArrayAttr::get(ctx, zeroPoints))))
    return {};
  return UniformType::get(qntStorage, type.getStorageTypeMin(),
                          type.getStorageTypeMax(), expressed, axis,
                          /*groupSize=*/0, scales, zeroPoints);
}

quant::QuantizedType qc::qnt::exportQntType(UniformType type) {
  if (type.isPerGroup())
    return {};
  MLIRContext *ctx = type.getContext();
  unsigned flags = type.isSigned() ? quant::QuantizationFlags::Signed : 0;
  auto storage = IntegerType::get(ctx, type.getStorageWidth());
  if (type.isPerTensor())
    return quant::UniformQuantizedType::get(
        flags, storage, type.getExpressedType(), type.getScale(),
        type.getZeroPoint(), type.getStorageMin(), type.getStorageMax());
  return quant::UniformQuantizedPerAxisType::get(
      flags, storage, type.getExpressedType(), type.getScales().asArrayRef(),
      type.getZeroPoints().asArrayRef(), type.getAxis(), type.getStorageMin(),
      type.getStorageMax());
}

/// The first type under `op` (results, block arguments, attributes) that
/// `map` recognises but cannot convert, or null.
static Type findUnconvertible(Operation *op, TypeMapping map) {
  Type bad;
  AttrTypeWalker walker;
  walker.addWalk([&](Type type) {
    std::optional<Type> mapped = map(type);
    if (mapped && !*mapped) {
      bad = type;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  for (Type t : op->getResultTypes())
    if (walker.walk(t).wasInterrupted())
      return bad;
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (BlockArgument arg : block.getArguments())
        if (walker.walk(arg.getType()).wasInterrupted())
          return bad;
  if (walker.walk(op->getAttrDictionary()).wasInterrupted())
    return bad;
  return {};
}

LogicalResult qc::qnt::replaceTypesEverywhere(Operation *root, TypeMapping map,
                                              StringRef what) {
  bool failed = false;
  root->walk([&](Operation *op) {
    if (Type bad = findUnconvertible(op, map)) {
      op->emitError() << bad << " has no " << what << " equivalent";
      failed = true;
    }
  });
  if (failed)
    return failure();
  AttrTypeReplacer replacer;
  replacer.addReplacement([&](Type type) -> std::optional<Type> {
    std::optional<Type> mapped = map(type);
    if (mapped && *mapped)
      return *mapped;
    return std::nullopt;
  });
  replacer.recursivelyReplaceElementsIn(root, /*replaceAttrs=*/true,
                                        /*replaceLocs=*/false,
                                        /*replaceTypes=*/true);
  return success();
}
