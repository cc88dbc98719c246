func.func @callee(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %0 = cnn.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  %rank = tensor.rank %0 : tensor<*xf32>
  return %0 : tensor<*xf32>
}

func.func @caller(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %0 = func.call @callee(%x) : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
