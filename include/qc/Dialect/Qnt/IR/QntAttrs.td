//===- QntAttrs.td - qnt attributes ------------------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_IR_QNTATTRS_TD
#define QC_DIALECT_QNT_IR_QNTATTRS_TD

include "qc/Dialect/Qnt/IR/QntDialect.td"
include "mlir/IR/AttrTypeBase.td"

def Qnt_RangeAttr : AttrDef<Qnt_Dialect, "Range"> {
  let mnemonic = "range";
  let summary = "real value range of a tensor";
  let description = [{
    The interval `[lo, hi]` that a float tensor's values are expected to
    lie in, as found by `qnt-propagate-ranges` (static interval analysis,
    calibration statistics, or both merged) and consumed by `qnt-quantize`.
    Attached to an op as `qnt.range` (its single result) and to function
    arguments as the argument attribute `qnt.range`; a user may also set an
    argument's range by hand (e.g. `[0, 1]` for normalized images).

    ```mlir
    %y = qnt.relu6 %x {qnt.range = #qnt.range<0.0, 5.75>} : ...
    ```
  }];
  let parameters = (ins APFloatParameter<"">:$lo, APFloatParameter<"">:$hi);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "double":$lo, "double":$hi), [{
      return $_get($_ctxt, ::llvm::APFloat(lo), ::llvm::APFloat(hi));
    }]>
  ];
  let extraClassDeclaration = [{
    double getLoValue() const { return getLo().convertToDouble(); }
    double getHiValue() const { return getHi().convertToDouble(); }
  }];
}

#endif // QC_DIALECT_QNT_IR_QNTATTRS_TD
