func.func @main(%arg0: tensor<2x3x!qnt.uniform<i8:f32:1, {0.1:0, 0.2:0, 0.3:0}>>) -> tensor<3x2x!qnt.uniform<i8:f32:0, {0.1:0, 0.2:0, 0.3:0}>> {
  %y = qnt.transpose %arg0 permutation [1, 0] : tensor<2x3x!qnt.uniform<i8:f32:1, {0.1:0, 0.2:0, 0.3:0}>> -> tensor<3x2x!qnt.uniform<i8:f32:0, {0.1:0, 0.2:0, 0.3:0}>>
  return %y : tensor<3x2x!qnt.uniform<i8:f32:0, {0.1:0, 0.2:0, 0.3:0}>>
}
