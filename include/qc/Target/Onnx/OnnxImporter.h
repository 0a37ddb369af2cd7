//===- OnnxImporter.h - ONNX models into the qnt dialect ----------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_ONNX_ONNXIMPORTER_H
#define QC_TARGET_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <string>
#include <vector>

namespace qc {

struct OnnxImportOptions {
  /// Shapes for inputs with symbolic or unknown dimensions, by input name.
  std::map<std::string, std::vector<int64_t>> inputShapes;
};

/// Reads an ONNX model (the bytes of a .onnx file named `name`; opsets 10
/// to 17) and returns a module with one function @main of qnt graph ops:
/// on float tensors for a float model; quantized ops (after qnt-fuse-qdq,
/// with qnt.rounding = "half_even") for QDQ and QLinear* models
/// (docs/onnx-import.md). 4-D activations are
/// NHWC inside the function; the function's arguments and results keep
/// ONNX's NCHW. Every problem (unreadable file, unsupported opset, unknown
/// dimensions, unsupported nodes: all of them listed) is reported as an
/// error diagnostic at the file's location, and the result is null.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxBytes(llvm::StringRef bytes, llvm::StringRef name,
                mlir::MLIRContext *context, const OnnxImportOptions &options);

/// Registers quant-translate --import-onnx (with --input-shape).
void registerOnnxImport();

} // namespace qc

#endif // QC_TARGET_ONNX_ONNXIMPORTER_H
