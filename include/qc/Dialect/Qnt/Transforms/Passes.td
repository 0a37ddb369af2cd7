//===- Passes.td - qnt pass declarations -------------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_TRANSFORMS_PASSES_TD
#define QC_DIALECT_QNT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QntVerifyIntegerOnlyPass : Pass<"qnt-verify-integer-only"> {
  let summary = "Report every op that still computes in floating point";
  let description = [{
    Checks that a program is integer-only, as the integer arithmetic contract
    requires before code generation: every op whose operands or results are
    floating point (scalars, or tensors, vectors or memrefs of floats) is
    reported with an error at its location, all of them in one run, and the
    pass fails. Ops on quantized `!qnt.uniform` tensors are accepted: their
    lowering is integer-only by construction. `qnt.quantize` and
    `qnt.dequantize` at the edges of a model are reported unless
    `allow-edge-casts` is set.
  }];
  let options = [
    Option<"allowEdgeCasts", "allow-edge-casts", "bool", /*default=*/"false",
           "Accept qnt.quantize of function arguments and qnt.dequantize "
           "feeding func.return (float at the model's edges only)">
  ];
}

def QntImportQuantTypesPass : Pass<"qnt-import-quant-types", "::mlir::ModuleOp"> {
  let summary = "Convert upstream !quant.uniform types and quant casts to qnt";
  let description = [{
    Rewrites every upstream `!quant.uniform` type (per tensor and per axis)
    in the module, in op results, block arguments, function signatures and
    type attributes, into the equivalent `!qnt.uniform`, and the upstream
    casts `quant.qcast`, `quant.dcast` and `quant.scast` into
    `qnt.quantize`, `qnt.dequantize` and `qnt.storage_cast`. Quantized types
    without a qnt equivalent (sub-channel, calibrated, any) are reported at
    the op that uses them.
  }];
  let dependentDialects = ["::qc::qnt::QntDialect"];
}

def QntExportQuantTypesPass : Pass<"qnt-export-quant-types", "::mlir::ModuleOp"> {
  let summary = "Convert !qnt.uniform types and qnt casts to upstream quant";
  let description = [{
    The inverse of `qnt-import-quant-types`: per-tensor and per-axis
    `!qnt.uniform` types become `!quant.uniform`, and `qnt.quantize`,
    `qnt.dequantize` and `qnt.storage_cast` become `quant.qcast`,
    `quant.dcast` and `quant.scast`, so that other MLIR front ends and
    tools can consume quant's output. Per-group types and 2-bit storage have
    no upstream equivalent and are reported at the op that uses them.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
}

#endif // QC_DIALECT_QNT_TRANSFORMS_PASSES_TD
