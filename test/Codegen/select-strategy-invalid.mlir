// The target override must describe whole f32 lanes.
// RUN: convforge-opt %s --convforge-select-strategy="vector-bits=100 vector-registers=16 l1-kib=32 l2-kib=1024" -verify-diagnostics

// expected-error @+1 {{vector-bits must be a positive multiple of 32, got 100}}
func.func @bad_vector_bits(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  return %x : tensor<1x4xf32>
}
