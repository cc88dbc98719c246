func.func @dense_bias_length(%x: tensor<2x10xf32>, %w: tensor<4x10xf32>, %b: tensor<5xf32>) -> tensor<*xf32> {
  %0 = cnn.dense %x, %w, %b : (tensor<2x10xf32>, tensor<4x10xf32>, tensor<5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
