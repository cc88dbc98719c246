// The first layer of AlexNet, as in the CS231n notes: a 227x227x3 image,
// 96 filters of 11x11x3, stride 4, no padding -> 55x55x96.
//
// Only the input and weight shapes are written: every intermediate volume is
// tensor<*xf32> and is inferred by --cnn-shape-inference. Try:
//   convforge-opt --cnn-shape-inference --cnn-print-stats -o /dev/null examples/alexnet-conv1.mlir
//
func.func @alexnet_conv1(%input: tensor<1x227x227x3xf32>,
    %conv1_w: tensor<96x11x11x3xf32>,
    %conv1_b: tensor<96xf32>) -> tensor<*xf32> {
  %conv1 = cnn.conv2d %input, %conv1_w, %conv1_b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<*xf32> loc("conv1")
  return %conv1 : tensor<*xf32>
}
