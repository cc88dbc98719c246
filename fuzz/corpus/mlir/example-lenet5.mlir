// LeNet-5 on a 32x32 grey image (ReLU in place of tanh).
//
// Only the input and weight shapes are written: every intermediate volume is
// tensor<*xf32> and is inferred by --cnn-shape-inference. Try:
//   convforge-opt --cnn-shape-inference --cnn-print-stats -o /dev/null examples/lenet5.mlir
//
func.func @lenet5(%input: tensor<1x32x32x1xf32>,
    %conv1_w: tensor<6x5x5x1xf32>,
    %conv1_b: tensor<6xf32>,
    %conv2_w: tensor<16x5x5x6xf32>,
    %conv2_b: tensor<16xf32>,
    %fc1_w: tensor<120x400xf32>,
    %fc1_b: tensor<120xf32>,
    %fc2_w: tensor<84x120xf32>,
    %fc2_b: tensor<84xf32>,
    %fc3_w: tensor<10x84xf32>,
    %fc3_b: tensor<10xf32>) -> tensor<*xf32> {
  %conv1 = cnn.conv2d %input, %conv1_w, %conv1_b : (tensor<1x32x32x1xf32>, tensor<6x5x5x1xf32>, tensor<6xf32>) -> tensor<*xf32> loc("conv1")
  %relu1 = cnn.relu %conv1 : (tensor<*xf32>) -> tensor<*xf32> loc("relu1")
  %pool1 = cnn.avg_pool2d %relu1 window [2] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool1")
  %conv2 = cnn.conv2d %pool1, %conv2_w, %conv2_b : (tensor<*xf32>, tensor<16x5x5x6xf32>, tensor<16xf32>) -> tensor<*xf32> loc("conv2")
  %relu2 = cnn.relu %conv2 : (tensor<*xf32>) -> tensor<*xf32> loc("relu2")
  %pool2 = cnn.avg_pool2d %relu2 window [2] stride [2] : (tensor<*xf32>) -> tensor<*xf32> loc("pool2")
  %flatten = cnn.flatten %pool2 : (tensor<*xf32>) -> tensor<*xf32> loc("flatten")
  %fc1 = cnn.dense %flatten, %fc1_w, %fc1_b : (tensor<*xf32>, tensor<120x400xf32>, tensor<120xf32>) -> tensor<*xf32> loc("fc1")
  %relu3 = cnn.relu %fc1 : (tensor<*xf32>) -> tensor<*xf32> loc("relu3")
  %fc2 = cnn.dense %relu3, %fc2_w, %fc2_b : (tensor<*xf32>, tensor<84x120xf32>, tensor<84xf32>) -> tensor<*xf32> loc("fc2")
  %relu4 = cnn.relu %fc2 : (tensor<*xf32>) -> tensor<*xf32> loc("relu4")
  %fc3 = cnn.dense %relu4, %fc3_w, %fc3_b : (tensor<*xf32>, tensor<10x84xf32>, tensor<10xf32>) -> tensor<*xf32> loc("fc3")
  %prob = cnn.softmax %fc3 : (tensor<*xf32>) -> tensor<*xf32> loc("prob")
  return %prob : tensor<*xf32>
}
