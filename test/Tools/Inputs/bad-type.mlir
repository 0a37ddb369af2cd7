func.func @f(%x: tensor<4x!qnt.uniform<i8:f32, 0.5:999>>) {
  return
}
