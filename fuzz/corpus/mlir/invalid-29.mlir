func.func @bf16_softmax(%x: tensor<2x4xbf16>) -> tensor<2x4xbf16> {
  %0 = cnn.softmax %x : (tensor<2x4xbf16>) -> tensor<2x4xbf16>
  return %0 : tensor<2x4xbf16>
}
