//===- StorageBoundary.cpp - quantized edges become storage integers ------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-storage-boundary: a C caller hands compiled code plain uint8_t/int8_t
// buffers, so the entry function's quantized arguments and results take
// their signless storage types; storage_casts at the edges keep the body a
// quantized graph, and `qnt.type` remembers what the integers mean.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/Passes.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/IR/QntTypes.h"

#include "mlir/IR/Builders.h"

namespace qc {
#define GEN_PASS_DEF_QNTSTORAGEBOUNDARYPASS
#include "qc/Target/Cpu/Passes.h.inc"
} // namespace qc

using namespace mlir;
using namespace qc;

namespace {

/// The storage tensor type of a quantized tensor type, or null when `type`
/// is not quantized.
RankedTensorType storageTypeOf(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  qnt::UniformType q = qnt::getUniformElementType(type);
  if (!ranked || !q)
    return nullptr;
  return RankedTensorType::get(
      ranked.getShape(), IntegerType::get(type.getContext(),
                                          q.getStorageWidth()));
}

LogicalResult checkWidth(func::FuncOp f, Type type, StringRef what,
                         unsigned index) {
  qnt::UniformType q = qnt::getUniformElementType(type);
  if (q.getStorageWidth() % 8 == 0)
    return success();
  return f.emitError() << what << " " << index << " has " << q.getStorageWidth()
                       << "-bit storage (" << type
                       << "): compiled code takes whole bytes at its edges; "
                          "make the edge 8-bit and pack inside the model";
}

LogicalResult exposeStorage(func::FuncOp f) {
  if (f.isExternal())
    return success();
  MLIRContext *ctx = f.getContext();
  Block &entry = f.getBody().front();
  OpBuilder b(ctx);
  b.setInsertionPointToStart(&entry);
  SmallVector<Type> argTypes(f.getArgumentTypes());
  for (auto [i, arg] : llvm::enumerate(entry.getArguments())) {
    RankedTensorType storage = storageTypeOf(arg.getType());
    if (!storage)
      continue;
    if (failed(checkWidth(f, arg.getType(), "argument", i)))
      return failure();
    Type quantized = arg.getType();
    arg.setType(storage);
    auto cast = qnt::StorageCastOp::create(b, arg.getLoc(), quantized, arg);
    arg.replaceAllUsesExcept(cast.getResult(), cast);
    argTypes[i] = storage;
    f.setArgAttr(i, "qnt.type", TypeAttr::get(quantized));
  }
  // Public entry points are called from C: _mlir_ciface_NAME.
  if (f.isPublic())
    f->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
  // Inputs are the caller's: bufferization must not write into them.
  for (unsigned i = 0; i < f.getNumArguments(); ++i)
    if (isa<TensorType>(argTypes[i]))
      f.setArgAttr(i, "bufferization.writable", BoolAttr::get(ctx, false));
  SmallVector<Type> resultTypes(f.getResultTypes());
  for (auto [i, type] : llvm::enumerate(f.getResultTypes())) {
    RankedTensorType storage = storageTypeOf(type);
    if (!storage)
      continue;
    if (failed(checkWidth(f, type, "result", i)))
      return failure();
    resultTypes[i] = storage;
    f.setResultAttr(i, "qnt.type", TypeAttr::get(type));
  }
  f.walk([&](func::ReturnOp ret) {
    b.setInsertionPoint(ret);
    for (OpOperand &operand : ret->getOpOperands()) {
      Type storage = resultTypes[operand.getOperandNumber()];
      if (storage != operand.get().getType())
        operand.set(qnt::StorageCastOp::create(b, ret.getLoc(), storage,
                                               operand.get()));
    }
  });
  f.setFunctionType(FunctionType::get(ctx, argTypes, resultTypes));
  return success();
}

struct QntStorageBoundary
    : public qc::impl::QntStorageBoundaryPassBase<QntStorageBoundary> {
  void runOnOperation() override {
    for (auto f : getOperation().getOps<func::FuncOp>())
      if (failed(exposeStorage(f)))
        return signalPassFailure();
  }
};

} // namespace
