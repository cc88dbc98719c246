// The whole compiler on small networks: only LLVM dialect ops are left, each
// public function has its `_mlir_ciface_` wrapper, and the module translates
// to LLVM IR.
// RUN: convforge-opt %s --convforge-lower-to-llvm="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   | FileCheck %s
// RUN: convforge-opt %s --convforge-lower-to-llvm="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   | FileCheck %s --check-prefix=ONLY-LLVM
// RUN: convforge-opt %s --convforge-lower-to-llvm="vector-bits=256 vector-registers=16 l1-kib=32 l2-kib=256" \
// RUN:   | FileCheck %s --check-prefix=ONLY-LLVM
// RUN: convforge-opt %s --convforge-lower-to-llvm="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   | convforge-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR

// Nothing but LLVM dialect ops (an op name follows a space or a quote;
// intrinsics such as llvm.intr.vector.reduce.fadd are LLVM ops), and no call
// into MLIR's runtime library.
// ONLY-LLVM-NOT: {{[ "]}}func.
// ONLY-LLVM-NOT: {{[ "]}}scf.
// ONLY-LLVM-NOT: {{[ "]}}cf.
// ONLY-LLVM-NOT: {{[ "]}}vector.
// ONLY-LLVM-NOT: {{[ "]}}memref.
// ONLY-LLVM-NOT: {{[ "]}}bufferization.
// ONLY-LLVM-NOT: {{[ "]}}tensor.
// ONLY-LLVM-NOT: {{[ "]}}linalg.
// ONLY-LLVM-NOT: {{[ "]}}cnn.
// ONLY-LLVM-NOT: {{[ "]}}arith.
// ONLY-LLVM-NOT: {{[ "]}}math.
// ONLY-LLVM-NOT: {{[ "]}}affine.
// ONLY-LLVM-NOT: {{[ "]}}ub.
// ONLY-LLVM-NOT: unrealized_conversion_cast
// ONLY-LLVM-NOT: memrefCopy

// Conv + ReLU + max pool: 16 output channels in one 16-lane vector, filter
// taps as vector FMAs, in a function of their own (the conv's loop nest,
// outlined: checked at the end, where it is), the pool after the call.
// Its temporaries (the padded input) live in a workspace passed last.
// CHECK-LABEL: llvm.func @conv_relu_pool
// CHECK-SAME: attributes {convforge.workspace_bytes = {{[0-9]+}} : i64, llvm.emit_c_interface}
// CHECK: llvm.call @conv_relu_pool_nest0
// CHECK: llvm.intr.maximum
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_conv_relu_pool
// CHECK-SAME: (%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// CHECK: llvm.call @conv_relu_pool
// LLVMIR-DAG: define void @conv_relu_pool(
// LLVMIR-DAG: define void @_mlir_ciface_conv_relu_pool(ptr {{.*}}, ptr {{.*}}, ptr {{.*}}, ptr {{.*}}, ptr {{.*}})
// LLVMIR-DAG: define internal void @conv_relu_pool_nest0({{.*}}) #[[NOINLINE:[0-9]+]]
// LLVMIR-DAG: attributes #[[NOINLINE]] = { noinline }
func.func @conv_relu_pool(%x: tensor<1x12x12x3xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x12x12x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<*xf32>
  %1 = cnn.relu %0 : (tensor<*xf32>) -> tensor<*xf32>
  %2 = cnn.max_pool2d %1 window [2] stride [2] : (tensor<*xf32>) -> tensor<*xf32>
  return %2 : tensor<*xf32>
}

// Dense + softmax: the exponential is an LLVM intrinsic.
// CHECK-LABEL: llvm.func @dense_softmax
// CHECK: llvm.intr.exp
// CHECK: llvm.fdiv
// CHECK-LABEL: llvm.func @_mlir_ciface_dense_softmax
// LLVMIR-DAG: define void @dense_softmax(
// LLVMIR-DAG: define void @_mlir_ciface_dense_softmax(
func.func @dense_softmax(%x: tensor<1x84xf32>, %w: tensor<10x84xf32>, %b: tensor<10xf32>) -> tensor<*xf32> {
  %0 = cnn.dense %x, %w, %b : (tensor<1x84xf32>, tensor<10x84xf32>, tensor<10xf32>) -> tensor<*xf32>
  %1 = cnn.softmax %0 : (tensor<*xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}

// Locally-connected (not vectorized: its filter map is not a projected
// permutation; scalar loops).
// CHECK-LABEL: llvm.func @locally_connected
// CHECK-LABEL: llvm.func @_mlir_ciface_locally_connected
// LLVMIR-DAG: define void @locally_connected(
// LLVMIR-DAG: define void @_mlir_ciface_locally_connected(
func.func @locally_connected(%x: tensor<1x6x6x3xf32>, %w: tensor<4x4x8x3x3x3xf32>, %b: tensor<4x4x8xf32>) -> tensor<*xf32> {
  %0 = cnn.locally_connected2d %x, %w, %b : (tensor<1x6x6x3xf32>, tensor<4x4x8x3x3x3xf32>, tensor<4x4x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// Average pool with padding: the divisor varies at the borders (counted per
// window from the output position).
// CHECK-LABEL: llvm.func @avg_pool_padded
// CHECK: llvm.sitofp
// CHECK: llvm.fdiv
// CHECK-LABEL: llvm.func @_mlir_ciface_avg_pool_padded
// CHECK-SAME: (%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// LLVMIR-DAG: define void @avg_pool_padded(
// LLVMIR-DAG: define void @_mlir_ciface_avg_pool_padded(ptr {{.*}}, ptr {{.*}})
func.func @avg_pool_padded(%x: tensor<1x7x7x8xf32>) -> tensor<*xf32> {
  %0 = cnn.avg_pool2d %x window [3] stride [2] padding [1] : (tensor<1x7x7x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// The outlined loop nest of @conv_relu_pool's convolution, at the end of the
// module.
// CHECK-LABEL: llvm.func internal @conv_relu_pool_nest0
// CHECK-SAME: passthrough = ["noinline"]
// CHECK: llvm.intr.fmuladd
// CHECK-SAME: vector<16xf32>
