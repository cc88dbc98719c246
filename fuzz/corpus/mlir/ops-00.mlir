func.func @conv2d_seed(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>, %b: tensor<96xf32>) -> tensor<1x55x55x96xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<1x55x55x96xf32>
  return %0 : tensor<1x55x55x96xf32>
}

func.func @conv2d_all_attributes(%x: tensor<2x9x8x4xf32>, %w: tensor<5x3x3x4xf32>) -> tensor<2x5x9x5xf32> {
  %0 = cnn.conv2d %x, %w stride [2, 1] padding [1, 2, 0, 3] rounding floor : (tensor<2x9x8x4xf32>, tensor<5x3x3x4xf32>) -> tensor<2x5x9x5xf32>
  return %0 : tensor<2x5x9x5xf32>
}

func.func @conv2d_unrefined_results(%x: tensor<1x56x56x64xf32>, %w: tensor<256x1x1x64xf32>) -> (tensor<*xf32>, tensor<?x56x?x256xf32>) {
  %0 = cnn.conv2d %x, %w padding [0, 1] : (tensor<1x56x56x64xf32>, tensor<256x1x1x64xf32>) -> tensor<*xf32>
  %1 = cnn.conv2d %x, %w rounding ceil : (tensor<1x56x56x64xf32>, tensor<256x1x1x64xf32>) -> tensor<?x56x?x256xf32>
  return %0, %1 : tensor<*xf32>, tensor<?x56x?x256xf32>
}

func.func @locally_connected(%x: tensor<1x7x7x3xf32>, %w: tensor<3x3x4x3x3x3xf32>, %b: tensor<3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %0 = cnn.locally_connected2d %x, %w, %b stride [2] : (tensor<1x7x7x3xf32>, tensor<3x3x4x3x3x3xf32>, tensor<3x3x4xf32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

func.func @pools(%x: tensor<1x55x55x96xf32>) -> (tensor<1x27x27x96xf32>, tensor<1x28x27x96xf32>, tensor<1x55x55x96xf32>, tensor<1x11x11x96xf32>) {
  %0 = cnn.max_pool2d %x window [3] stride [2] : (tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32>
  %1 = cnn.max_pool2d %x window [2, 3] stride [2] rounding ceil : (tensor<1x55x55x96xf32>) -> tensor<1x28x27x96xf32>
  %2 = cnn.avg_pool2d %x window [3] padding [1] count_include_pad : (tensor<1x55x55x96xf32>) -> tensor<1x55x55x96xf32>
  %3 = cnn.avg_pool2d %x window [5] stride [5] : (tensor<1x55x55x96xf32>) -> tensor<1x11x11x96xf32>
  return %0, %1, %2, %3 : tensor<1x27x27x96xf32>, tensor<1x28x27x96xf32>, tensor<1x55x55x96xf32>, tensor<1x11x11x96xf32>
}

func.func @classifier(%x: tensor<2x6x6x256xf32>, %w: tensor<10x9216xf32>, %b: tensor<10xf32>, %w2: tensor<3x10xf32>) -> tensor<2x3xf32> {
  %0 = cnn.relu %x : (tensor<2x6x6x256xf32>) -> tensor<2x6x6x256xf32>
  %1 = cnn.flatten %0 : (tensor<2x6x6x256xf32>) -> tensor<2x9216xf32>
  %2 = cnn.dense %1, %w, %b : (tensor<2x9216xf32>, tensor<10x9216xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  %3 = cnn.dense %2, %w2 : (tensor<2x10xf32>, tensor<3x10xf32>) -> tensor<2x3xf32>
  %4 = cnn.softmax %3 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %4 : tensor<2x3xf32>
}
