func.func @dense_input_rank(%x: tensor<1x6x6x8xf32>, %w: tensor<10x288xf32>) -> tensor<*xf32> {
  %0 = cnn.dense %x, %w : (tensor<1x6x6x8xf32>, tensor<10x288xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
