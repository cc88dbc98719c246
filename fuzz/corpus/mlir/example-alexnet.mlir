// AlexNet (one tower, 227x227x3 input as in the CS231n notes).
//
// Only the input and weight shapes are written: every intermediate volume is
// tensor<*xf32> and is inferred by --cnn-shape-inference. Try:
//   convforge-opt --cnn-shape-inference --cnn-print-stats -o /dev/null examples/alexnet.mlir
//
func.func @alexnet(%input: tensor<1x227x227x3xf32>,
    %conv1_w: tensor<96x11x11x3xf32>,
    %conv1_b: tensor<96xf32>,
    %conv2_w: tensor<256x5x5x96xf32>,
    %conv2_b: tensor<256xf32>,
    %conv3_w: tensor<384x3x3x256xf32>,
    %conv3_b: tensor<384xf32>,
    %conv4_w: tensor<384x3x3x384xf32>,
    %conv4_b: tensor<384xf32>,
    %conv5_w: tensor<256x3x3x384xf32>,
    %conv5_b: tensor<256xf32>,
    %fc6_w: tensor<4096x9216xf32>,
    %fc6_b: tensor<4096xf32>,
    %fc7_w: tensor<4096x4096xf32>,
    %fc7_b: tensor<4096xf32>,
    %fc8_w: tensor<1000x4096xf32>,
    %fc8_b: tensor<1000xf32>) -> tensor<*xf32> {
  %conv1 = cnn.conv2d %input, %conv1_w, %conv1_b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<*xf32> loc("conv1")
  %relu1 = cnn.relu %conv1 : (tensor<*xf32>) -> tensor<*xf32> loc("relu1")
  %pool1 = cnn.max_pool2d %relu1 window [3] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool1")
  %conv2 = cnn.conv2d %pool1, %conv2_w, %conv2_b padding [2] : (tensor<*xf32>, tensor<256x5x5x96xf32>, tensor<256xf32>) -> tensor<*xf32> loc("conv2")
  %relu2 = cnn.relu %conv2 : (tensor<*xf32>) -> tensor<*xf32> loc("relu2")
  %pool2 = cnn.max_pool2d %relu2 window [3] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool2")
  %conv3 = cnn.conv2d %pool2, %conv3_w, %conv3_b padding [1] : (tensor<*xf32>, tensor<384x3x3x256xf32>, tensor<384xf32>) -> tensor<*xf32> loc("conv3")
  %relu3 = cnn.relu %conv3 : (tensor<*xf32>) -> tensor<*xf32> loc("relu3")
  %conv4 = cnn.conv2d %relu3, %conv4_w, %conv4_b padding [1] : (tensor<*xf32>, tensor<384x3x3x384xf32>, tensor<384xf32>) -> tensor<*xf32> loc("conv4")
  %relu4 = cnn.relu %conv4 : (tensor<*xf32>) -> tensor<*xf32> loc("relu4")
  %conv5 = cnn.conv2d %relu4, %conv5_w, %conv5_b padding [1] : (tensor<*xf32>, tensor<256x3x3x384xf32>, tensor<256xf32>) -> tensor<*xf32> loc("conv5")
  %relu5 = cnn.relu %conv5 : (tensor<*xf32>) -> tensor<*xf32> loc("relu5")
  %pool5 = cnn.max_pool2d %relu5 window [3] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool5")
  %flatten = cnn.flatten %pool5 : (tensor<*xf32>) -> tensor<*xf32> loc("flatten")
  %fc6 = cnn.dense %flatten, %fc6_w, %fc6_b : (tensor<*xf32>, tensor<4096x9216xf32>, tensor<4096xf32>) -> tensor<*xf32> loc("fc6")
  %relu6 = cnn.relu %fc6 : (tensor<*xf32>) -> tensor<*xf32> loc("relu6")
  %fc7 = cnn.dense %relu6, %fc7_w, %fc7_b : (tensor<*xf32>, tensor<4096x4096xf32>, tensor<4096xf32>) -> tensor<*xf32> loc("fc7")
  %relu7 = cnn.relu %fc7 : (tensor<*xf32>) -> tensor<*xf32> loc("relu7")
  %fc8 = cnn.dense %relu7, %fc8_w, %fc8_b : (tensor<*xf32>, tensor<1000x4096xf32>, tensor<1000xf32>) -> tensor<*xf32> loc("fc8")
  %prob = cnn.softmax %fc8 : (tensor<*xf32>) -> tensor<*xf32> loc("prob")
  return %prob : tensor<*xf32>
}
