func.func @alexnet_head(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>, %b: tensor<96xf32>,
                        %lw: tensor<6x6x8x3x3x96xf32>, %dw: tensor<10x288xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<*xf32>
  %1 = cnn.relu %0 : (tensor<*xf32>) -> tensor<*xf32>
  %2 = cnn.max_pool2d %1 window [3] stride [2] : (tensor<*xf32>) -> tensor<*xf32>
  %3 = cnn.avg_pool2d %2 window [2] stride [2] rounding ceil : (tensor<*xf32>) -> tensor<*xf32>
  %4 = cnn.locally_connected2d %3, %lw stride [2] rounding floor : (tensor<*xf32>, tensor<6x6x8x3x3x96xf32>) -> tensor<*xf32>
  %5 = cnn.flatten %4 : (tensor<*xf32>) -> tensor<*xf32>
  %6 = cnn.dense %5, %dw : (tensor<*xf32>, tensor<10x288xf32>) -> tensor<*xf32>
  %7 = cnn.softmax %6 : (tensor<*xf32>) -> tensor<*xf32>
  return %7 : tensor<*xf32>
}
