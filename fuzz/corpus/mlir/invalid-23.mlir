func.func @byte_count_overflow(%x: tensor<2x1152921504606846976xf32>) -> tensor<*xf32> {
  %0 = cnn.softmax %x : (tensor<2x1152921504606846976xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
