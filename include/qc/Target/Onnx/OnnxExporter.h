//===- OnnxExporter.h - qnt models as ONNX QDQ models -------------*- C++
//-*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_ONNX_ONNXEXPORTER_H
#define QC_TARGET_ONNX_ONNXEXPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace qc {

struct OnnxExportOptions {
  /// Results produced by a qnt.dequantize are returned as its quantized
  /// input (the integers, int8/uint8) instead: the model's last
  /// DequantizeLinear is dropped, so outputs compare LSB by LSB.
  bool quantizedOutputs = false;
  /// The function to export (default: @main, or the only function).
  std::string entry;
};

/// Writes the entry function of `module` (qnt graph ops on float or
/// quantized tensors; docs/onnx-export.md) as a serialized ONNX ModelProto,
/// opset 13, in QDQ form: every quantized op becomes DequantizeLinear on its
/// inputs, the float ONNX op, and QuantizeLinear on its output, with the
/// module's own scales, zero points and integer weights. Layouts: NHWC
/// values are exported as NCHW tensors (ONNX's layout) and a Transpose is
/// emitted only where a consumer needs another layout. Every op that cannot
/// be exported gets an error at its location and the result is failure
/// (nothing is written).
mlir::LogicalResult exportOnnxQdq(mlir::ModuleOp module, llvm::raw_ostream &os,
                                  const OnnxExportOptions &options);

/// Registers quant-translate --export-onnx-qdq (with
/// --export-onnx-qdq-quantized-outputs and --export-onnx-entry).
void registerOnnxExport();

} // namespace qc

#endif // QC_TARGET_ONNX_ONNXEXPORTER_H
