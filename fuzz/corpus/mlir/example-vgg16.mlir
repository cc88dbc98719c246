// VGG-16 (configuration D) on a 224x224x3 image.
//
// Only the input and weight shapes are written: every intermediate volume is
// tensor<*xf32> and is inferred by --cnn-shape-inference. Try:
//   convforge-opt --cnn-shape-inference --cnn-print-stats -o /dev/null examples/vgg16.mlir
//
func.func @vgg16(%input: tensor<1x224x224x3xf32>,
    %conv1_1_w: tensor<64x3x3x3xf32>,
    %conv1_1_b: tensor<64xf32>,
    %conv1_2_w: tensor<64x3x3x64xf32>,
    %conv1_2_b: tensor<64xf32>,
    %conv2_1_w: tensor<128x3x3x64xf32>,
    %conv2_1_b: tensor<128xf32>,
    %conv2_2_w: tensor<128x3x3x128xf32>,
    %conv2_2_b: tensor<128xf32>,
    %conv3_1_w: tensor<256x3x3x128xf32>,
    %conv3_1_b: tensor<256xf32>,
    %conv3_2_w: tensor<256x3x3x256xf32>,
    %conv3_2_b: tensor<256xf32>,
    %conv3_3_w: tensor<256x3x3x256xf32>,
    %conv3_3_b: tensor<256xf32>,
    %conv4_1_w: tensor<512x3x3x256xf32>,
    %conv4_1_b: tensor<512xf32>,
    %conv4_2_w: tensor<512x3x3x512xf32>,
    %conv4_2_b: tensor<512xf32>,
    %conv4_3_w: tensor<512x3x3x512xf32>,
    %conv4_3_b: tensor<512xf32>,
    %conv5_1_w: tensor<512x3x3x512xf32>,
    %conv5_1_b: tensor<512xf32>,
    %conv5_2_w: tensor<512x3x3x512xf32>,
    %conv5_2_b: tensor<512xf32>,
    %conv5_3_w: tensor<512x3x3x512xf32>,
    %conv5_3_b: tensor<512xf32>,
    %fc6_w: tensor<4096x25088xf32>,
    %fc6_b: tensor<4096xf32>,
    %fc7_w: tensor<4096x4096xf32>,
    %fc7_b: tensor<4096xf32>,
    %fc8_w: tensor<1000x4096xf32>,
    %fc8_b: tensor<1000xf32>) -> tensor<*xf32> {
  %conv1_1 = cnn.conv2d %input, %conv1_1_w, %conv1_1_b padding [1] : (tensor<1x224x224x3xf32>, tensor<64x3x3x3xf32>, tensor<64xf32>) -> tensor<*xf32> loc("conv1_1")
  %relu1_1 = cnn.relu %conv1_1 : (tensor<*xf32>) -> tensor<*xf32> loc("relu1_1")
  %conv1_2 = cnn.conv2d %relu1_1, %conv1_2_w, %conv1_2_b padding [1] : (tensor<*xf32>, tensor<64x3x3x64xf32>, tensor<64xf32>) -> tensor<*xf32> loc("conv1_2")
  %relu1_2 = cnn.relu %conv1_2 : (tensor<*xf32>) -> tensor<*xf32> loc("relu1_2")
  %pool1 = cnn.max_pool2d %relu1_2 window [2] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool1")
  %conv2_1 = cnn.conv2d %pool1, %conv2_1_w, %conv2_1_b padding [1] : (tensor<*xf32>, tensor<128x3x3x64xf32>, tensor<128xf32>) -> tensor<*xf32> loc("conv2_1")
  %relu2_1 = cnn.relu %conv2_1 : (tensor<*xf32>) -> tensor<*xf32> loc("relu2_1")
  %conv2_2 = cnn.conv2d %relu2_1, %conv2_2_w, %conv2_2_b padding [1] : (tensor<*xf32>, tensor<128x3x3x128xf32>, tensor<128xf32>) -> tensor<*xf32> loc("conv2_2")
  %relu2_2 = cnn.relu %conv2_2 : (tensor<*xf32>) -> tensor<*xf32> loc("relu2_2")
  %pool2 = cnn.max_pool2d %relu2_2 window [2] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool2")
  %conv3_1 = cnn.conv2d %pool2, %conv3_1_w, %conv3_1_b padding [1] : (tensor<*xf32>, tensor<256x3x3x128xf32>, tensor<256xf32>) -> tensor<*xf32> loc("conv3_1")
  %relu3_1 = cnn.relu %conv3_1 : (tensor<*xf32>) -> tensor<*xf32> loc("relu3_1")
  %conv3_2 = cnn.conv2d %relu3_1, %conv3_2_w, %conv3_2_b padding [1] : (tensor<*xf32>, tensor<256x3x3x256xf32>, tensor<256xf32>) -> tensor<*xf32> loc("conv3_2")
  %relu3_2 = cnn.relu %conv3_2 : (tensor<*xf32>) -> tensor<*xf32> loc("relu3_2")
  %conv3_3 = cnn.conv2d %relu3_2, %conv3_3_w, %conv3_3_b padding [1] : (tensor<*xf32>, tensor<256x3x3x256xf32>, tensor<256xf32>) -> tensor<*xf32> loc("conv3_3")
  %relu3_3 = cnn.relu %conv3_3 : (tensor<*xf32>) -> tensor<*xf32> loc("relu3_3")
  %pool3 = cnn.max_pool2d %relu3_3 window [2] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool3")
  %conv4_1 = cnn.conv2d %pool3, %conv4_1_w, %conv4_1_b padding [1] : (tensor<*xf32>, tensor<512x3x3x256xf32>, tensor<512xf32>) -> tensor<*xf32> loc("conv4_1")
  %relu4_1 = cnn.relu %conv4_1 : (tensor<*xf32>) -> tensor<*xf32> loc("relu4_1")
  %conv4_2 = cnn.conv2d %relu4_1, %conv4_2_w, %conv4_2_b padding [1] : (tensor<*xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<*xf32> loc("conv4_2")
  %relu4_2 = cnn.relu %conv4_2 : (tensor<*xf32>) -> tensor<*xf32> loc("relu4_2")
  %conv4_3 = cnn.conv2d %relu4_2, %conv4_3_w, %conv4_3_b padding [1] : (tensor<*xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<*xf32> loc("conv4_3")
  %relu4_3 = cnn.relu %conv4_3 : (tensor<*xf32>) -> tensor<*xf32> loc("relu4_3")
  %pool4 = cnn.max_pool2d %relu4_3 window [2] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool4")
  %conv5_1 = cnn.conv2d %pool4, %conv5_1_w, %conv5_1_b padding [1] : (tensor<*xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<*xf32> loc("conv5_1")
  %relu5_1 = cnn.relu %conv5_1 : (tensor<*xf32>) -> tensor<*xf32> loc("relu5_1")
  %conv5_2 = cnn.conv2d %relu5_1, %conv5_2_w, %conv5_2_b padding [1] : (tensor<*xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<*xf32> loc("conv5_2")
  %relu5_2 = cnn.relu %conv5_2 : (tensor<*xf32>) -> tensor<*xf32> loc("relu5_2")
  %conv5_3 = cnn.conv2d %relu5_2, %conv5_3_w, %conv5_3_b padding [1] : (tensor<*xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<*xf32> loc("conv5_3")
  %relu5_3 = cnn.relu %conv5_3 : (tensor<*xf32>) -> tensor<*xf32> loc("relu5_3")
  %pool5 = cnn.max_pool2d %relu5_3 window [2] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool5")
  %flatten = cnn.flatten %pool5 : (tensor<*xf32>) -> tensor<*xf32> loc("flatten")
  %fc6 = cnn.dense %flatten, %fc6_w, %fc6_b : (tensor<*xf32>, tensor<4096x25088xf32>, tensor<4096xf32>) -> tensor<*xf32> loc("fc6")
  %relu6 = cnn.relu %fc6 : (tensor<*xf32>) -> tensor<*xf32> loc("relu6")
  %fc7 = cnn.dense %relu6, %fc7_w, %fc7_b : (tensor<*xf32>, tensor<4096x4096xf32>, tensor<4096xf32>) -> tensor<*xf32> loc("fc7")
  %relu7 = cnn.relu %fc7 : (tensor<*xf32>) -> tensor<*xf32> loc("relu7")
  %fc8 = cnn.dense %relu7, %fc8_w, %fc8_b : (tensor<*xf32>, tensor<1000x4096xf32>, tensor<1000xf32>) -> tensor<*xf32> loc("fc8")
  %prob = cnn.softmax %fc8 : (tensor<*xf32>) -> tensor<*xf32> loc("prob")
  return %prob : tensor<*xf32>
}
