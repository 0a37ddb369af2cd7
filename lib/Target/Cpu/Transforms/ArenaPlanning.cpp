//===- ArenaPlanning.cpp - every intermediate buffer in one arena ---------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-plan-arena: an embedded caller gives the model one block of memory
// (its size is in the generated header) and the model allocates nothing.
// Lifetimes are intervals over the function's top-level operations; offsets
// come from the greedy-by-size strategy TFLite Micro's planner uses
// (largest buffer first, lowest free offset during its lifetime).
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/Passes.h"

#include "mlir/IR/SymbolTable.h"

#include <algorithm>

namespace qc {
#define GEN_PASS_DEF_QNTPLANARENAPASS
#include "qc/Target/Cpu/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64; // a cache line, and any vector load

struct Buffer {
  memref::AllocOp alloc;
  int64_t size = 0;
  int64_t first = 0, last = 0; // top-level operation indices
  int64_t offset = -1;
};

/// Bytes of a static memref (sub-byte elements take a byte each, as in
/// the LLVM lowering), rounded up to the alignment.
int64_t byteSize(MemRefType type) {
  int64_t bits = type.getElementTypeBitWidth();
  int64_t bytes = type.getNumElements() * std::max<int64_t>(1, (bits + 7) / 8);
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

/// The lifetime of `alloc` as top-level operation indices, or failure when
/// the buffer escapes (returned, yielded, passed to a call) and so cannot
/// live in the arena.
LogicalResult lifetime(Buffer &b, Block &body,
                       const DenseMap<Operation *, int64_t> &index) {
  auto topLevel = [&](Operation *op) {
    return index.lookup(body.findAncestorOpInBlock(*op));
  };
  b.first = b.last = topLevel(b.alloc);
  SmallVector<Value> worklist = {b.alloc.getResult()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isa<func::ReturnOp, scf::YieldOp, func::CallOp>(user) ||
          user->hasTrait<OpTrait::IsTerminator>())
        return failure();
      b.last = std::max(b.last, topLevel(user));
      // Any memref an op derives from the buffer (subview, expand_shape,
      // collapse_shape, cast, view, ...) may alias it: its uses keep the
      // buffer alive.
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()))
          worklist.push_back(result);
    }
  }
  return success();
}

/// Greedy by size: each buffer at the lowest aligned offset that no
/// already placed buffer with an overlapping lifetime occupies.
int64_t place(std::vector<Buffer> &buffers) {
  std::vector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  // Largest first; ties in program order (deterministic offsets).
  llvm::sort(order, [](Buffer *x, Buffer *y) {
    return x->size != y->size ? x->size > y->size : x->first < y->first;
  });
  int64_t total = 0;
  std::vector<Buffer *> placed;
  for (Buffer *b : order) {
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (Buffer *p : placed)
      if (p->first <= b->last && b->first <= p->last)
        busy.push_back({p->offset, p->offset + p->size});
    std::sort(busy.begin(), busy.end());
    int64_t offset = 0;
    for (auto [start, end] : busy) {
      if (offset + b->size <= start)
        break;
      offset = std::max(offset, end);
    }
    b->offset = offset;
    total = std::max(total, offset + b->size);
    placed.push_back(b);
  }
  return total;
}

LogicalResult planFunction(func::FuncOp f) {
  Block &body = f.getBody().front();
  DenseMap<Operation *, int64_t> index;
  int64_t i = 0;
  for (Operation &op : body)
    index[&op] = i++;
  std::vector<Buffer> buffers;
  f.walk([&](memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
        type.getMemorySpace())
      return;
    Buffer b{alloc, byteSize(type)};
    if (succeeded(lifetime(b, body, index)))
      buffers.push_back(b);
  });
  int64_t size = place(buffers);

  MLIRContext *ctx = f.getContext();
  auto arenaType = MemRefType::get({size}, IntegerType::get(ctx, 8));
  unsigned arg = f.getNumArguments();
  if (failed(f.insertArgument(arg, arenaType,
                              DictionaryAttr::get(ctx, {NamedAttribute(
                                  StringAttr::get(ctx, "qnt.arena"),
                                  UnitAttr::get(ctx))}),
                              f.getLoc())))
    return failure();
  Value arena = f.getArgument(arg);
  for (Buffer &b : buffers) {
    OpBuilder builder(b.alloc);
    Value offset =
        arith::ConstantIndexOp::create(builder, b.alloc.getLoc(), b.offset);
    Value view = memref::ViewOp::create(builder, b.alloc.getLoc(),
                                        b.alloc.getType(), arena, offset,
                                        ValueRange{});
    b.alloc.getResult().replaceAllUsesWith(view);
    b.alloc.erase();
  }
  auto i64 = IntegerType::get(ctx, 64);
  f->setAttr("qnt.arena_size", IntegerAttr::get(i64, size));
  // Also exported by the object as `const int64_t NAME_arena_size`, so a
  // caller can check the header's figure against the code it links.
  OpBuilder builder(f);
  auto scalar = MemRefType::get({}, i64);
  memref::GlobalOp::create(
      builder, f.getLoc(), (f.getSymName() + "_arena_size").str(),
      builder.getStringAttr("public"), scalar,
      DenseElementsAttr::get(RankedTensorType::get({}, i64),
                             builder.getI64IntegerAttr(size)),
      /*constant=*/true, IntegerAttr());
  return success();
}

struct QntPlanArena : public qc::impl::QntPlanArenaPassBase<QntPlanArena> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto f : module.getOps<func::FuncOp>()) {
      // Entry points only: a callee's signature is fixed by its callers.
      if (f.isExternal() || !SymbolTable::symbolKnownUseEmpty(f, module))
        continue;
      if (failed(planFunction(f)))
        return signalPassFailure();
    }
  }
};

} // namespace
