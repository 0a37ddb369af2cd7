//===- Passes.td - passes of the CPU target ----------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_CPU_PASSES_TD
#define QC_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def QntStorageBoundaryPass : Pass<"qnt-storage-boundary", "::mlir::ModuleOp"> {
  let summary = "Give quantized function arguments and results their storage types";
  let description = [{
    Compiled code is called with plain integer buffers: a function argument
    or result of type `tensor<...x!qnt.uniform<u8:f32, s:z>>` becomes
    `tensor<...xi8>` (the signless storage integers) and a
    `qnt.storage_cast` at the function's entry (or before its return)
    restores the quantized type for the ops inside, so the integer lowering
    sees an ordinary quantized graph. The original type is kept as the
    argument/result attribute `qnt.type`; the C header and the runners read
    scale, zero point and signedness from it.

    Storage narrower than a byte (`i4`, `u4`, `i2`, `u2`) has no C element
    type and is rejected at the boundary (pack such tensors inside the
    model). Functions without a body are left alone.
  }];
  let dependentDialects = ["::qc::qnt::QntDialect"];
}

#endif // QC_TARGET_CPU_PASSES_TD
