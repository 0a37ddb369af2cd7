// RUN: quant-opt %s --split-input-file --qnt-quantize | FileCheck %s --check-prefix=DEFAULT
// RUN: quant-opt %s --split-input-file --qnt-quantize="rounding=half_even" | FileCheck %s --check-prefix=EVEN
// RUN: quant-opt %s --split-input-file --qnt-quantize="rounding=half_even" --qnt-lower-to-integer | FileCheck %s --check-prefix=LOWER
// RUN: quant-opt %s --split-input-file --qnt-quantize="rounding=half_even" --qnt-lower-to-integer | FileCheck %s --check-prefix=NOGEMM

// qnt-quantize records the rounding as the module's qnt.rounding; the
// default (gemmlowp) leaves no attribute, and the integer lowering emits
// every rescale with the module's mode.

// DEFAULT-NOT: qnt.rounding
// DEFAULT-LABEL: func.func @layer
// EVEN: module attributes {qnt.rounding = "half_even"}
// EVEN-LABEL: func.func @layer
// LOWER-LABEL: func.func @layer
// The layer's output stage, the add's two input rescales and its output
// stage.
// LOWER-COUNT-4: qnt.fixed_point_mul {{.*}} rounding half_even
// NOGEMM-NOT: shift [{{[-0-9, ]+}}] :
func.func @layer(%x: tensor<1x2xf32> {qnt.range = #qnt.range<0.0, 1.0>})
    -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, -0.5], [0.25, 0.125]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %y = qnt.fully_connected %x, %w, %b {qnt.range = #qnt.range<-1.0, 2.0>}
      : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %z = qnt.add %y, %x {qnt.range = #qnt.range<-1.0, 3.0>}
      : tensor<1x2xf32>, tensor<1x2xf32> -> tensor<1x2xf32>
  return %z : tensor<1x2xf32>
}

// -----

// A model that already asks for half_even (e.g. imported from ONNX) keeps
// it under the default option.
// DEFAULT: module attributes {qnt.rounding = "half_even"}
// EVEN: module attributes {qnt.rounding = "half_even"}
module attributes {qnt.rounding = "half_even"} {
  func.func @kept(%x: tensor<2xf32> {qnt.range = #qnt.range<0.0, 1.0>})
      -> tensor<2xf32> {
    %y = qnt.relu %x {qnt.range = #qnt.range<0.0, 1.0>}
        : tensor<2xf32> -> tensor<2xf32>
    return %y : tensor<2xf32>
  }
}
