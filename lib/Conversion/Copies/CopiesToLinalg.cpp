//===- CopiesToLinalg.cpp - memref.copy to linalg.copy --------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-copies-to-linalg: keeps compiled models free of the memrefCopy
// runtime call by expressing every copy as a linalg op that lowers to loops.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace qc {
#define GEN_PASS_DEF_QNTCOPIESTOLINALGPASS
#include "qc/Conversion/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace {

struct QntCopiesToLinalg
    : public qc::impl::QntCopiesToLinalgPassBase<QntCopiesToLinalg> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp op) { copies.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp op : copies) {
      rewriter.setInsertionPoint(op);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                  op.getTarget());
    }
  }
};

} // namespace
