func.func @f(%x: tensor<4xi32>) -> tensor<4xi32> {
  %y = qnt.fixed_point_mul %x by [4294967296] shift [0] : tensor<4xi32>
  return %y : tensor<4xi32>
}
