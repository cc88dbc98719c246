func.func @i32_result(%x: tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xi32> {
  %0 = cnn.avg_pool2d %x window [2] stride [2] : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xi32>
  return %0 : tensor<1x2x2x3xi32>
}
