func.func @flatten_rank(%x: tensor<8xf32>) -> tensor<*xf32> {
  %0 = cnn.flatten %x : (tensor<8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
