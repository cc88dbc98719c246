func.func @element_count_overflow(%x: tensor<4294967296x4294967296x1x1xf32>) -> tensor<*xf32> {
  %0 = cnn.relu %x : (tensor<4294967296x4294967296x1x1xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
