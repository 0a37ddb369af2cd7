func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = qnt.relu %x : tensor<4xf32> -> tensor<4xf32>
  %s = qnt.softmax %r : tensor<4xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}
