func.func @result_rank(%x: tensor<2x10xf32>) -> tensor<20xf32> {
  %0 = cnn.flatten %x : (tensor<2x10xf32>) -> tensor<20xf32>
  return %0 : tensor<20xf32>
}
