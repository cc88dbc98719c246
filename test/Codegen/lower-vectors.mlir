// convforge-lower-vectors reads the scalars that FMAs broadcast one by one:
// a tensor read whose every use extracts a scalar becomes a tensor.extract
// per scalar (a load LLVM folds into a broadcast from memory), at the read's
// indices plus the scalar's position. A read with a vector use is kept.
// RUN: convforge-opt %s --split-input-file --convforge-lower-vectors | FileCheck %s

// CHECK-LABEL: func.func @scalars
// CHECK-SAME: (%[[T:.+]]: tensor<1x9x3xf32>, %[[I:.+]]: index)
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-NOT: vector.transfer_read
// CHECK: %[[ROW:.+]] = arith.addi %[[I]], %[[C2]] : index
// CHECK: %[[A:.+]] = tensor.extract %[[T]][%[[C0]], %[[ROW]], %[[C2]]] : tensor<1x9x3xf32>
// CHECK: %[[B:.+]] = tensor.extract %[[T]][%[[C0]], %[[I]], %[[C0]]] : tensor<1x9x3xf32>
// CHECK: arith.addf %[[A]], %[[B]] : f32
func.func @scalars(%t: tensor<1x9x3xf32>, %i: index) -> f32 {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %t[%c0, %i, %c0], %pad {in_bounds = [true, true]}
      : tensor<1x9x3xf32>, vector<5x3xf32>
  %a = vector.extract %v[2, 2] : f32 from vector<5x3xf32>
  %b = vector.extract %v[0, 0] : f32 from vector<5x3xf32>
  %s = arith.addf %a, %b : f32
  return %s : f32
}

// -----

// CHECK-LABEL: func.func @vector_use
// CHECK: vector.transfer_read
// CHECK-NOT: tensor.extract
func.func @vector_use(%t: tensor<1x9x3xf32>, %i: index) -> (f32, vector<3xf32>) {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %t[%c0, %i, %c0], %pad {in_bounds = [true, true]}
      : tensor<1x9x3xf32>, vector<5x3xf32>
  %a = vector.extract %v[2, 2] : f32 from vector<5x3xf32>
  %row = vector.extract %v[1] : vector<3xf32> from vector<5x3xf32>
  return %a, %row : f32, vector<3xf32>
}

// -----

// A read that may run out of bounds (padded with %pad) is kept.
// CHECK-LABEL: func.func @out_of_bounds
// CHECK: vector.transfer_read
// CHECK-NOT: tensor.extract
func.func @out_of_bounds(%t: tensor<1x9x3xf32>, %i: index) -> f32 {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %t[%c0, %i, %c0], %pad {in_bounds = [false, true]}
      : tensor<1x9x3xf32>, vector<5x3xf32>
  %a = vector.extract %v[2, 2] : f32 from vector<5x3xf32>
  return %a : f32
}
