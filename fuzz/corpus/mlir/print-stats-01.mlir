func.func @by_hand(%x: tensor<2x6x6x8xf32>, %w: tensor<4x3x3x8xf32>, %lw: tensor<3x3x5x2x2x4xf32>, %lb: tensor<3x3x5xf32>,
                   %fw: tensor<7x5xf32>, %fb: tensor<7xf32>) -> tensor<2x7xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<2x6x6x8xf32>, tensor<4x3x3x8xf32>) -> tensor<2x6x6x4xf32> loc("conv")
  %1 = cnn.locally_connected2d %0, %lw, %lb stride [2] : (tensor<2x6x6x4xf32>, tensor<3x3x5x2x2x4xf32>, tensor<3x3x5xf32>) -> tensor<2x3x3x5xf32> loc("lc")
  %2 = cnn.max_pool2d %1 window [3] : (tensor<2x3x3x5xf32>) -> tensor<2x1x1x5xf32> loc("pool")
  %3 = cnn.flatten %2 : (tensor<2x1x1x5xf32>) -> tensor<2x5xf32> loc("flatten")
  %4 = cnn.dense %3, %fw, %fb : (tensor<2x5xf32>, tensor<7x5xf32>, tensor<7xf32>) -> tensor<2x7xf32> loc("fc")
  return %4 : tensor<2x7xf32>
}
