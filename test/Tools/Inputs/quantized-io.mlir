func.func @main(%x: tensor<4x!qnt.uniform<u8:f32, 0.5:128>>) -> tensor<4x!qnt.uniform<u8:f32, 0.5:128>> {
  %r = qnt.relu %x : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> -> tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
  return %r : tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
}
