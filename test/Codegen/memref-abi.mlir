// convforge-memref-abi: public functions on tensors get a caller-owned
// memref signature; private and external functions are left alone; a second
// run changes nothing.
// RUN: convforge-opt %s --convforge-memref-abi | FileCheck %s
// RUN: convforge-opt %s --convforge-memref-abi --convforge-memref-abi | FileCheck %s
// RUN: convforge-opt %s --convforge-memref-abi | convforge-opt --convforge-memref-abi | FileCheck %s

// Inputs become memrefs read through `to_tensor restrict`; each result
// becomes one more memref argument, written with `materialize_in_destination
// restrict writable`; nothing is returned.
// CHECK-LABEL: func.func @net
// CHECK-SAME: (%[[X:[^:]+]]: memref<1x4xf32>, %[[B:[^:]+]]: memref<4xf32>, %[[OUT0:[^:]+]]: memref<1x4xf32>, %[[OUT1:[^:]+]]: memref<4xf32>)
// CHECK-NOT: ->
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: %[[XT:.+]] = bufferization.to_tensor %[[X]] restrict : memref<1x4xf32> to tensor<1x4xf32>
// CHECK: %[[BT:.+]] = bufferization.to_tensor %[[B]] restrict : memref<4xf32> to tensor<4xf32>
// CHECK: %[[SUM:.+]] = arith.addf %[[XT]], %{{.+}} : tensor<1x4xf32>
// CHECK: bufferization.materialize_in_destination %[[SUM]] in restrict writable %[[OUT0]] : (tensor<1x4xf32>, memref<1x4xf32>) -> ()
// CHECK: bufferization.materialize_in_destination %[[BT]] in restrict writable %[[OUT1]] : (tensor<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT: return{{$}}
func.func @net(%x: tensor<1x4xf32>, %b: tensor<4xf32>) -> (tensor<1x4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<1x4xf32>
  %bb = linalg.broadcast ins(%b : tensor<4xf32>) outs(%e : tensor<1x4xf32>) dimensions = [0]
  %0 = arith.addf %x, %bb : tensor<1x4xf32>
  return %0, %b : tensor<1x4xf32>, tensor<4xf32>
}

// Private and external functions keep their tensor signatures.
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: (%{{.+}}: tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT: bufferization
// CHECK: return %{{.+}} : tensor<4xf32>
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// CHECK-LABEL: func.func private @external(tensor<4xf32>) -> tensor<4xf32>
func.func private @external(tensor<4xf32>) -> tensor<4xf32>

// A public function already on memrefs is untouched (no c interface added).
// CHECK-LABEL: func.func @already_memrefs
// CHECK-SAME: (%{{.+}}: memref<4xf32>)
// CHECK-NOT: llvm.emit_c_interface
// CHECK-NOT: bufferization
// CHECK: return
func.func @already_memrefs(%m: memref<4xf32>) {
  return
}
