func.func @flatten_overflow(%x: tensor<3x3037000500x3037000500xf32>) -> tensor<*xf32> {
  %0 = cnn.flatten %x : (tensor<3x3037000500x3037000500xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
