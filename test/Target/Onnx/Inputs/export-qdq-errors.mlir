// Models that --export-onnx-qdq refuses: every op without an ONNX form is
// reported at its location (all of them, not only the first), and so are
// types opset 13 cannot hold. Checked with -verify-diagnostics by
// export-qdq.test.

// Two unsupported ops, both reported; the op fed by one is not.
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{cannot export 'arith.negf' to ONNX: no ONNX form for this op}}
  %0 = arith.negf %arg0 : tensor<4xf32>
  // expected-error @+1 {{cannot export 'arith.addf' to ONNX: no ONNX form for this op}}
  %1 = arith.addf %arg0, %arg0 : tensor<4xf32>
  %2 = arith.mulf %0, %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// An integer-only (lowered) model: export before qnt-lower-to-integer.
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %q = qnt.quantize %arg0 : tensor<4xf32> to tensor<4x!qnt.uniform<i8:f32, 0.5>>
  %s = qnt.storage_cast %q : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4xi8>
  // expected-error @+1 {{cannot export 'arith.extsi' to ONNX}}
  %e = arith.extsi %s : tensor<4xi8> to tensor<4xi32>
  %m = qnt.fixed_point_mul %e by [1073741824] shift [0] : tensor<4xi32>
  %t = arith.trunci %m : tensor<4xi32> to tensor<4xi8>
  %b = qnt.storage_cast %t : tensor<4xi8> to tensor<4x!qnt.uniform<i8:f32, 0.5>>
  %d = qnt.dequantize %b : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// 16-bit activations need opset 21.
// expected-error @+1 {{cannot export argument 0 of type 'tensor<2x7x!qnt.uniform<i16:f32, 1.000000e-04>>' to ONNX}}
func.func @main(%arg0: tensor<2x7x!qnt.uniform<i16:f32, 1.0e-4>>) -> tensor<2x7x!qnt.uniform<i16:f32, 1.0e-4>> {
  %0 = qnt.relu %arg0 : tensor<2x7x!qnt.uniform<i16:f32, 1.0e-4>> -> tensor<2x7x!qnt.uniform<i16:f32, 1.0e-4>>
  return %0 : tensor<2x7x!qnt.uniform<i16:f32, 1.0e-4>>
}

// -----

// Per-group weights have no DequantizeLinear form before opset 21.
func.func @main(%arg0: tensor<1x64xf32>) -> tensor<1x2xf32> {
  %x = qnt.quantize %arg0 : tensor<1x64xf32> to tensor<1x64x!qnt.uniform<u8:f32, 0.05:128>>
  %c = arith.constant dense<1> : tensor<2x64xi8>
  %w = qnt.storage_cast %c : tensor<2x64xi8> to tensor<2x64x!qnt.uniform<i8<-127:127>:f32:1 group 32, {0.01, 0.02, 0.03, 0.04}>>
  // expected-error @+1 {{cannot export 'qnt.fully_connected' to ONNX: per-group quantization has no ONNX opset 13 form}}
  %y = qnt.fully_connected %x, %w : (tensor<1x64x!qnt.uniform<u8:f32, 0.05:128>>, tensor<2x64x!qnt.uniform<i8<-127:127>:f32:1 group 32, {0.01, 0.02, 0.03, 0.04}>>) -> tensor<1x2x!qnt.uniform<u8:f32, 0.1:128>>
  %d = qnt.dequantize %y : tensor<1x2x!qnt.uniform<u8:f32, 0.1:128>> to tensor<1x2xf32>
  return %d : tensor<1x2xf32>
}

// -----

// Several functions and no @main: say which to export.
// expected-error @+1 {{no @main and not exactly one function}}
module {
  func.func @a(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    return %arg0 : tensor<4xf32>
  }
  func.func @b(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    return %arg0 : tensor<4xf32>
  }
}
