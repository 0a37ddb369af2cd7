func.func @main(%a: tensor<2x3xf32> {qnt.name = "a"}, %b: tensor<2x3xf32> {qnt.name = "b"}) -> (tensor<2x3xf32> {qnt.name = "sum"}, tensor<2x3xf32>) {
  %s = qnt.add %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %r = qnt.relu %s : tensor<2x3xf32> -> tensor<2x3xf32>
  return %s, %r : tensor<2x3xf32>, tensor<2x3xf32>
}
