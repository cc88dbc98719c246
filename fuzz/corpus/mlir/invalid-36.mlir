func.func @softmax_rank(%x: tensor<f32>) -> tensor<f32> {
  %0 = cnn.softmax %x : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
