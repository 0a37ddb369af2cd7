// The quantize pipeline on a model it cannot handle: every offending op
// is reported with its location, all at once, and the run fails.
// RUN: not quant-opt %s --qnt-quantize-pipeline 2>&1 | FileCheck %s

// CHECK-DAG: quantize-pipeline-invalid.mlir:[[@LINE+5]]:8: error: 'arith.addf' on float tensors cannot be quantized
// CHECK-DAG: quantize-pipeline-invalid.mlir:[[@LINE+5]]:8: error: 'arith.mulf' on float tensors cannot be quantized
// CHECK-DAG: quantize-pipeline-invalid.mlir:[[@LINE+5]]:8: error: this value has no range
func.func @main(%x: tensor<4xf32> {qnt.range = #qnt.range<0.0, 1.0>}) -> tensor<4xf32> {
  %r = qnt.relu %x : tensor<4xf32> -> tensor<4xf32>
  %a = arith.addf %r, %r : tensor<4xf32>
  %m = arith.mulf %a, %a : tensor<4xf32>
  %s = qnt.add %m, %r : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}
