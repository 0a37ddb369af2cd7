//===- quant-translate.cpp - quant translation driver ---------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Registers quant's translations (--emit-obj) and the upstream ones
// (--mlir-to-llvmir, ...), then hands off to mlirTranslateMain.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/HeaderEmitter.h"
#include "qc/Target/Cpu/ObjectEmitter.h"
#include "qc/Target/Npu/NpuEmitter.h"
#include "qc/Target/Onnx/OnnxExporter.h"
#include "qc/Target/Onnx/OnnxImporter.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  qc::registerObjectEmission();
  qc::registerHeaderEmission();
  qc::registerOnnxImport();
  qc::registerOnnxExport();
  qc::registerNpuEmission();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv,
      "quant translation driver: ONNX to MLIR, MLIR to LLVM IR and native "
      "object files, NPU program blobs\n"));
}
