func.func @result_mismatch(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>) -> tensor<1x54x54x96xf32> {
  %0 = cnn.conv2d %x, %w stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>) -> tensor<1x54x54x96xf32>
  return %0 : tensor<1x54x54x96xf32>
}
