//===- VnniDot.cpp - 4-byte dot products as AVX-512 VNNI vpdpbusd ---------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The kernels write each u8 x s8 dot product portably (extend, multiply,
// reduce groups of four lanes); where the CPU has AVX-512 VNNI this pass
// replaces the group with the one instruction that computes the same sums
// (Intel SDM, VPDPBUSD: per 32-bit lane, four unsigned-by-signed byte
// products added to the accumulator without saturation).
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/CpuFeatures.h"
#include "qc/Target/Cpu/Passes.h"

namespace qc {
#define GEN_PASS_DEF_QNTCPUVNNIPASS
#include "qc/Target/Cpu/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace {

/// For `acc + ((s0 + s1) + (s2 + s3))` with s_j = shuffle(p, p, [j, j+4,
/// ..., j+60]) and p = extui(a : vector<64xi8>) * extsi(w : vector<64xi8>):
/// (acc, a, w); nulls otherwise.
struct Dot {
  Value acc, a, w;
};

std::optional<Dot> matchDot(arith::AddIOp op) {
  auto v16i32 = VectorType::get({16}, IntegerType::get(op.getContext(), 32));
  if (op.getType() != v16i32)
    return std::nullopt;
  auto top = op.getRhs().getDefiningOp<arith::AddIOp>();
  if (!top)
    return std::nullopt;
  auto left = top.getLhs().getDefiningOp<arith::AddIOp>();
  auto right = top.getRhs().getDefiningOp<arith::AddIOp>();
  if (!left || !right)
    return std::nullopt;
  Value parts[4] = {left.getLhs(), left.getRhs(), right.getLhs(),
                    right.getRhs()};
  Value product;
  for (int j = 0; j < 4; ++j) {
    auto shuffle = parts[j].getDefiningOp<vector::ShuffleOp>();
    if (!shuffle || shuffle.getV1() != shuffle.getV2() ||
        (product && shuffle.getV1() != product))
      return std::nullopt;
    product = shuffle.getV1();
    ArrayRef<int64_t> mask = shuffle.getMask();
    if (mask.size() != 16)
      return std::nullopt;
    for (int64_t i = 0; i < 16; ++i)
      if (mask[i] != 4 * i + j)
        return std::nullopt;
  }
  auto mul = product.getDefiningOp<arith::MulIOp>();
  auto x = mul ? mul.getLhs().getDefiningOp<arith::ExtUIOp>() : nullptr;
  auto y = mul ? mul.getRhs().getDefiningOp<arith::ExtSIOp>() : nullptr;
  auto v64i8 = VectorType::get({64}, IntegerType::get(op.getContext(), 8));
  if (!x || !y || x.getIn().getType() != v64i8 || y.getIn().getType() != v64i8)
    return std::nullopt;
  return Dot{op.getLhs(), x.getIn(), y.getIn()};
}

struct QntCpuVnni : public qc::impl::QntCpuVnniPassBase<QntCpuVnni> {
  using QntCpuVnniPassBase::QntCpuVnniPassBase;

  void runOnOperation() override {
    if (cpu.empty()) // no CPU chosen: the portable form stays
      return;
    std::string error;
    std::optional<qc::ResolvedCpu> target = qc::resolveCpu(cpu, error);
    if (!target) {
      getOperation()->emitError("qnt-cpu-vnni: ") << error;
      return signalPassFailure();
    }
    if (!target->avx512vnni)
      return;
    SmallVector<arith::AddIOp> dots;
    getOperation()->walk([&](arith::AddIOp op) {
      if (matchDot(op))
        dots.push_back(op);
    });
    for (arith::AddIOp op : dots) {
      Dot d = *matchDot(op);
      OpBuilder b(op);
      // LLVM 22's signature: (<16 x i32> acc, <64 x i8> u8, <64 x i8> s8).
      auto v16i32 = VectorType::get({16}, b.getI32Type());
      Value dot = LLVM::CallIntrinsicOp::create(
                      b, op.getLoc(), v16i32,
                      b.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
                      ValueRange{d.acc, d.a, d.w})
                      ->getResult(0);
      op.getResult().replaceAllUsesWith(dot);
      // The generic chain dies with the add; erase what has no other use.
      SmallVector<Operation *> chain = {op};
      for (size_t i = 0; i < chain.size(); ++i)
        for (Value operand : chain[i]->getOperands())
          if (Operation *def = operand.getDefiningOp())
            if (isa<arith::AddIOp, vector::ShuffleOp, arith::MulIOp,
                    arith::ExtUIOp, arith::ExtSIOp>(def) &&
                !llvm::is_contained(chain, def))
              chain.push_back(def);
      for (Operation *dead : chain)
        if (dead->use_empty())
          dead->erase();
    }
  }
};

} // namespace
