func.func @f64_relu(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = cnn.relu %x : (tensor<4xf64>) -> tensor<4xf64>
  return %0 : tensor<4xf64>
}
