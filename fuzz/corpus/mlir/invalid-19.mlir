func.func @dense_features(%x: tensor<2x10xf32>, %w: tensor<4x12xf32>) -> tensor<*xf32> {
  %0 = cnn.dense %x, %w : (tensor<2x10xf32>, tensor<4x12xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
