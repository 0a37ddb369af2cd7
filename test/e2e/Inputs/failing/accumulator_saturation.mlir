func.func @main(%arg0: tensor<1x1x!qnt.uniform<i8:f32, 1.0:0>>) -> tensor<1x1x!qnt.uniform<i8:f32, 33554432.0:0>> {
  %c0 = arith.constant dense<[[1]]> : tensor<1x1xi8>
  %w = qnt.storage_cast %c0 : tensor<1x1xi8> to tensor<1x1x!qnt.uniform<i8<-127:127>:f32, 1.0:0>>
  %c1 = arith.constant dense<[2147483647]> : tensor<1xi32>
  %b = qnt.storage_cast %c1 : tensor<1xi32> to tensor<1x!qnt.uniform<i32:f32, 1.0:0>>
  %y = qnt.fully_connected %arg0, %w, %b : (tensor<1x1x!qnt.uniform<i8:f32, 1.0:0>>, tensor<1x1x!qnt.uniform<i8<-127:127>:f32, 1.0:0>>, tensor<1x!qnt.uniform<i32:f32, 1.0:0>>) -> tensor<1x1x!qnt.uniform<i8:f32, 33554432.0:0>>
  return %y : tensor<1x1x!qnt.uniform<i8:f32, 33554432.0:0>>
}
