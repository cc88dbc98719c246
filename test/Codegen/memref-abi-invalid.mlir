// A public function must take and return ranked tensors only.
// RUN: convforge-opt %s --convforge-memref-abi -split-input-file -verify-diagnostics

// expected-error @+1 {{public functions must take and return ranked tensors only to get a memref signature, got 'tensor<*xf32>'}}
func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  return %x : tensor<*xf32>
}

// -----

// expected-error @+1 {{public functions must take and return ranked tensors only to get a memref signature, got 'f32'}}
func.func @scalar(%x: tensor<4xf32>, %s: f32) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
