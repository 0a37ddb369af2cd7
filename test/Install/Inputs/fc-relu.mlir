// A quantized model in qnt graph ops (float edges): quantize, fully
// connected with int8 per-channel weights and an int32 bias, relu,
// dequantize. test/Install/install-consumer.test lowers it from C++.
func.func @fc_relu(%arg0: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %x = qnt.quantize %arg0 : tensor<1x2xf32> to tensor<1x2x!qnt.uniform<u8:f32, 0.5:128>>
  %wc = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %w = qnt.storage_cast %wc : tensor<2x2xi8> to tensor<2x2x!qnt.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>>
  %bc = arith.constant dense<[10, -5]> : tensor<2xi32>
  %b = qnt.storage_cast %bc : tensor<2xi32> to tensor<2x!qnt.uniform<i32:f32:0, {0.125, 0.25}>>
  %y = qnt.fully_connected %x, %w, %b : (tensor<1x2x!qnt.uniform<u8:f32, 0.5:128>>, tensor<2x2x!qnt.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>>, tensor<2x!qnt.uniform<i32:f32:0, {0.125, 0.25}>>) -> tensor<1x2x!qnt.uniform<u8:f32, 1.0>>
  %r = qnt.relu %y : tensor<1x2x!qnt.uniform<u8:f32, 1.0>> -> tensor<1x2x!qnt.uniform<u8:f32, 1.0>>
  %out = qnt.dequantize %r : tensor<1x2x!qnt.uniform<u8:f32, 1.0>> to tensor<1x2xf32>
  return %out : tensor<1x2xf32>
}
