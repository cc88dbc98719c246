func.func @stride_does_not_divide(%x: tensor<1x224x224x3xf32>, %w: tensor<96x11x11x3xf32>) -> tensor<*xf32> {
  %0 = cnn.relu %x : (tensor<1x224x224x3xf32>) -> tensor<*xf32>
  %1 = cnn.conv2d %0, %w stride [4] : (tensor<*xf32>, tensor<96x11x11x3xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}
