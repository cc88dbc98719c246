func.func @dynamic_dims(%x: tensor<?x8x8x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<?x8x8x3xf32>, tensor<8x3x3x3xf32>) -> tensor<?x?x?x8xf32>
  %1 = cnn.max_pool2d %0 window [2] stride [2] : (tensor<?x?x?x8xf32>) -> tensor<?x?x?x?xf32>
  return %1 : tensor<?x?x?x?xf32>
}
