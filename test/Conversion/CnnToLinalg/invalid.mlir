// RUN: convforge-opt %s --convert-cnn-to-linalg -split-input-file -verify-diagnostics

// The lowering needs every shape: an unranked result (shape inference has
// not run) is reported on the op, with the fix.
func.func @unranked_result(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'cnn.conv2d' op the lowering needs static shapes; run --cnn-shape-inference first}}
  %0 = cnn.conv2d %x, %w : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A dynamic batch is not supported either.
func.func @dynamic_batch(%x: tensor<?x8x8x3xf32>) -> tensor<?x4x4x3xf32> {
  // expected-error @+1 {{'cnn.max_pool2d' op the lowering needs static shapes; run --cnn-shape-inference first}}
  %0 = cnn.max_pool2d %x window [2] stride [2] : (tensor<?x8x8x3xf32>) -> tensor<?x4x4x3xf32>
  return %0 : tensor<?x4x4x3xf32>
}

// -----

// Every op with an unknown shape is reported, not only the first.
func.func @several(%x: tensor<?x10xf32>, %w: tensor<5x10xf32>) -> tensor<?x5xf32> {
  // expected-error @+1 {{'cnn.dense' op the lowering needs static shapes}}
  %0 = cnn.dense %x, %w : (tensor<?x10xf32>, tensor<5x10xf32>) -> tensor<?x5xf32>
  // expected-error @+1 {{'cnn.relu' op the lowering needs static shapes}}
  %1 = cnn.relu %0 : (tensor<?x5xf32>) -> tensor<?x5xf32>
  return %1 : tensor<?x5xf32>
}
