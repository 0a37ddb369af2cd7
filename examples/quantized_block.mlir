// A small quantized block, the bundled example of the README's main job
// until the CPU back end lands: float input quantized at the edge, a ReLU on
// u8 activations, a requantize to a finer i16 scale and back (exact, so
// --canonicalize folds it away), and a dequantize at the output edge.
func.func @block(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
  %q = qnt.quantize %x : tensor<1x8x8x4xf32> to tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05:128>>
  %r = qnt.relu %q : tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05:128>> -> tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05:128>>
  %w = qnt.requantize %r : tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05:128>> to tensor<1x8x8x4x!qnt.uniform<i16:f32, 0.025>>
  %n = qnt.requantize %w : tensor<1x8x8x4x!qnt.uniform<i16:f32, 0.025>> to tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05:128>>
  %y = qnt.dequantize %n : tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05:128>> to tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}
