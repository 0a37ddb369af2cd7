//===- TargetAttrs.cpp - the target CPU on every LLVM function ------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// LLVM compiles each function for its "target-cpu"/"target-features"
// attributes when present (as clang does), so the choice made by the
// kernels at MLIR level travels with the code into --emit-obj and the JIT.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/CpuFeatures.h"
#include "qc/Target/Cpu/Passes.h"

namespace qc {
#define GEN_PASS_DEF_QNTCPUTARGETATTRSPASS
#include "qc/Target/Cpu/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace {

struct QntCpuTargetAttrs
    : public qc::impl::QntCpuTargetAttrsPassBase<QntCpuTargetAttrs> {
  using QntCpuTargetAttrsPassBase::QntCpuTargetAttrsPassBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    std::optional<qc::ResolvedCpu> target;
    if (!cpu.empty()) {
      std::string error;
      target = qc::resolveCpu(cpu, error);
      if (!target) {
        getOperation()->emitError("qnt-cpu-target-attrs: ") << error;
        return signalPassFailure();
      }
    }
    getOperation().walk([&](LLVM::LLVMFuncOp f) {
      if (f.isExternal())
        return;
      if (target)
        f.setTargetCpuAttr(StringAttr::get(ctx, target->name));
      if (target && !target->features.empty())
        f.setTargetFeaturesAttr(
            LLVM::TargetFeaturesAttr::get(ctx, target->features));
      // qnt annotations of the edges (qnt.type, qnt.name, qnt.range) have
      // served the header and the runners; LLVM IR has no use for them.
      auto drop = [](DictionaryAttr attrs, auto remove) {
        if (!attrs)
          return;
        for (NamedAttribute attr : attrs)
          if (attr.getName().strref().starts_with("qnt."))
            remove(attr.getName());
      };
      for (unsigned i = 0; i < f.getNumArguments(); ++i)
        drop(f.getArgAttrDict(i),
             [&](StringAttr name) { f.removeArgAttr(i, name); });
      for (unsigned i = 0; i < f.getNumResults(); ++i)
        drop(f.getResultAttrDict(i),
             [&](StringAttr name) { f.removeResultAttr(i, name); });
    });
  }
};

} // namespace
