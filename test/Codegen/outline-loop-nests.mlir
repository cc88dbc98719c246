// Large top-level loop nests move into functions of their own, which the JIT
// compiles on several threads; small ones, and loops inside others, stay.
// RUN: convforge-opt %s --convforge-outline-loop-nests="min-ops=8" | FileCheck %s

// CHECK-LABEL: func.func @two_layers
// CHECK-SAME: (%[[IN:.+]]: memref<16xf32>, %[[MID:.+]]: memref<16xf32>, %[[OUT:.+]]: memref<16xf32>)
// The first nest is large enough: a call passing what it uses from outside
// (constants are cloned in instead).
// CHECK: call @two_layers_nest0(%[[IN]], %[[MID]]) : (memref<16xf32>, memref<16xf32>) -> ()
// The second is too small: it stays.
// CHECK: scf.for
// CHECK: memref.store
// A nest with a result returns it.
// CHECK: %[[SUM:.+]] = call @two_layers_nest1(%[[OUT]]) : (memref<16xf32>) -> f32
// CHECK: return %[[SUM]]

// CHECK: func.func private @two_layers_nest0(%[[A:.+]]: memref<16xf32>, %[[B:.+]]: memref<16xf32>)
// CHECK-SAME: llvm.linkage = #llvm.linkage<internal>
// CHECK-SAME: passthrough = ["noinline"]
// CHECK-DAG: arith.constant 2.0
// CHECK-DAG: arith.constant 16 : index
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.load %[[A]]
// CHECK: memref.store %{{.+}}, %[[B]]
// CHECK: return

// CHECK: func.func private @two_layers_nest1(%{{.+}}: memref<16xf32>) -> f32
// CHECK: %[[R:.+]] = scf.for
// CHECK: return %[[R]] : f32
func.func @two_layers(%in: memref<16xf32>, %mid: memref<16xf32>,
                      %out: memref<16xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %two = arith.constant 2.0 : f32
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c16 step %c4 {
    scf.for %j = %c0 to %c4 step %c1 {
      %k = arith.addi %i, %j : index
      %x = memref.load %in[%k] : memref<16xf32>
      %y = arith.mulf %x, %two : f32
      memref.store %y, %mid[%k] : memref<16xf32>
    }
  }
  scf.for %i = %c0 to %c16 step %c1 {
    memref.store %zero, %out[%i] : memref<16xf32>
  }
  %sum = scf.for %i = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %out[%i] : memref<16xf32>
    %a = arith.addf %acc, %x : f32
    %b = arith.mulf %a, %two : f32
    %c = arith.addf %b, %x : f32
    %d = arith.mulf %c, %two : f32
    %e = arith.addf %d, %x : f32
    scf.yield %e : f32
  }
  return %sum : f32
}
