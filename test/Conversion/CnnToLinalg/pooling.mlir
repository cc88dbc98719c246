// RUN: convforge-opt %s --convert-cnn-to-linalg --split-input-file | FileCheck %s

// Max pooling without padding: no tensor.pad; the maximum starts at -inf and
// the window operand is an empty FH×FW tensor.
// CHECK-LABEL: func.func @max_pool
// CHECK-SAME: (%[[X:.+]]: tensor<1x55x55x96xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[WINDOW:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x27x27x96xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[EMPTY]] : tensor<1x27x27x96xf32>)
// CHECK: %[[Y:.+]] = linalg.pooling_nhwc_max
// CHECK-SAME: dilations = dense<1> : vector<2xi64>
// CHECK-SAME: strides = dense<2> : vector<2xi64>
// CHECK-SAME: ins(%[[X]], %[[WINDOW]] : tensor<1x55x55x96xf32>, tensor<3x3xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<1x27x27x96xf32>)
// CHECK: return %[[Y]]
func.func @max_pool(%x: tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32> {
  %0 = cnn.max_pool2d %x window [3] stride [2] : (tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32>
  return %0 : tensor<1x27x27x96xf32>
}

// -----

// Explicit padding and the ceil overhang are both padded with -inf, so they
// never win: (6 - 3 + 2*1)/2 + 1 = 3.5 -> 4 windows need 9 columns; the rows,
// (7 - 3 + 2*1)/2 + 1 = 4, need none.
// CHECK-LABEL: func.func @max_pool_padding_ceil
// CHECK-SAME: (%[[X:.+]]: tensor<1x7x6x2xf32>)
// CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 2, 0]
// CHECK: tensor.yield %[[NEG_INF]] : f32
// CHECK: } : tensor<1x7x6x2xf32> to tensor<1x9x9x2xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK: linalg.pooling_nhwc_max
// CHECK-SAME: strides = dense<2> : vector<2xi64>
// CHECK-SAME: ins(%[[PADDED]], %{{.+}} : tensor<1x9x9x2xf32>, tensor<3x3xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<1x4x4x2xf32>)
func.func @max_pool_padding_ceil(%x: tensor<1x7x6x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = cnn.max_pool2d %x window [3] stride [2] padding [1] rounding ceil : (tensor<1x7x6x2xf32>) -> tensor<1x4x4x2xf32>
  return %0 : tensor<1x4x4x2xf32>
}

// -----

// Average pooling whose windows all fit: sum pooling into zeros, then a
// division by the constant window size FH*FW = 2*3.
// CHECK-LABEL: func.func @avg_pool_constant_divisor
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x9x16xf32>)
// CHECK-NOT: tensor.pad
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[WINDOW:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<1x4x3x16xf32>)
// CHECK: %[[SUM:.+]] = linalg.pooling_nhwc_sum
// CHECK-SAME: strides = dense<[2, 3]> : vector<2xi64>
// CHECK-SAME: ins(%[[X]], %[[WINDOW]] : tensor<1x8x9x16xf32>, tensor<2x3xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<1x4x3x16xf32>)
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x4x3x16xf32>
// CHECK: %[[DIVISOR:.+]] = arith.constant 6.000000e+00 : f32
// CHECK: %[[Y:.+]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-SAME: ins(%[[SUM]] : tensor<1x4x3x16xf32>) outs(%[[EMPTY]] : tensor<1x4x3x16xf32>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// CHECK-NOT: linalg.index
// CHECK: %[[AVG:.+]] = arith.divf %[[IN]], %[[DIVISOR]] : f32
// CHECK: linalg.yield %[[AVG]] : f32
// CHECK: return %[[Y]]
func.func @avg_pool_constant_divisor(%x: tensor<1x8x9x16xf32>) -> tensor<1x4x3x16xf32> {
  %0 = cnn.avg_pool2d %x window [2, 3] stride [2, 3] : (tensor<1x8x9x16xf32>) -> tensor<1x4x3x16xf32>
  return %0 : tensor<1x4x3x16xf32>
}

// -----

// With count_include_pad, padding counts: when no window overhangs, every
// divisor is the full 3*3 window, a constant.
// CHECK-LABEL: func.func @avg_pool_count_include_pad_constant
// CHECK: tensor.pad %{{.+}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: linalg.pooling_nhwc_sum
// CHECK: %[[DIVISOR:.+]] = arith.constant 9.000000e+00 : f32
// CHECK: linalg.generic
// CHECK-NOT: linalg.index
// CHECK: arith.divf %{{.+}}, %[[DIVISOR]] : f32
func.func @avg_pool_count_include_pad_constant(%x: tensor<1x7x7x2xf32>) -> tensor<1x3x3x2xf32> {
  %0 = cnn.avg_pool2d %x window [3] stride [3] padding [1] count_include_pad : (tensor<1x7x7x2xf32>) -> tensor<1x3x3x2xf32>
  return %0 : tensor<1x3x3x2xf32>
}

// -----

// The ceil overhang never counts: (5 - 2)/2 + 1 = 2.5 -> 3 windows, the last
// one covering 1 input row (column) of 2. The divisor is computed per output
// position as rows * columns, each min(start + 2, 5) - max(start, 0) with
// start = 2 * index.
// CHECK-LABEL: func.func @avg_pool_ceil_divisor
// CHECK-SAME: (%[[X:.+]]: tensor<1x5x5x2xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<1x5x5x2xf32> to tensor<1x6x6x2xf32>
// CHECK: %[[SUM:.+]] = linalg.pooling_nhwc_sum
// CHECK-SAME: ins(%[[PADDED]], %{{.+}} : tensor<1x6x6x2xf32>, tensor<2x2xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[SUM]] : tensor<1x3x3x2xf32>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[Y:.+]] = linalg.index 1 : index
// CHECK: %[[S:.+]] = arith.constant 2 : index
// CHECK: %[[YS:.+]] = arith.muli %[[Y]], %[[S]] : index
// CHECK: %[[PAD:.+]] = arith.constant 0 : index
// CHECK: %[[ROW_START:.+]] = arith.subi %[[YS]], %[[PAD]] : index
// CHECK: %[[ROW_END:.+]] = arith.addi %[[ROW_START]], %[[S]] : index
// CHECK: %[[H:.+]] = arith.constant 5 : index
// CHECK: %[[ROW_HI:.+]] = arith.minsi %[[ROW_END]], %[[H]] : index
// CHECK: %[[ROW_LO:.+]] = arith.maxsi %[[ROW_START]], %[[PAD]] : index
// CHECK: %[[ROWS:.+]] = arith.subi %[[ROW_HI]], %[[ROW_LO]] : index
// CHECK: %[[X_IDX:.+]] = linalg.index 2 : index
// CHECK: %[[XS:.+]] = arith.muli %[[X_IDX]], %[[S]] : index
// CHECK: %[[COL_START:.+]] = arith.subi %[[XS]], %[[PAD]] : index
// CHECK: %[[COL_END:.+]] = arith.addi %[[COL_START]], %[[S]] : index
// CHECK: %[[COL_HI:.+]] = arith.minsi %[[COL_END]], %[[H]] : index
// CHECK: %[[COL_LO:.+]] = arith.maxsi %[[COL_START]], %[[PAD]] : index
// CHECK: %[[COLS:.+]] = arith.subi %[[COL_HI]], %[[COL_LO]] : index
// CHECK: %[[COUNT:.+]] = arith.muli %[[ROWS]], %[[COLS]] : index
// CHECK: %[[COUNT_I64:.+]] = arith.index_cast %[[COUNT]] : index to i64
// CHECK: %[[DIVISOR:.+]] = arith.sitofp %[[COUNT_I64]] : i64 to f32
// CHECK: %[[AVG:.+]] = arith.divf %[[IN]], %[[DIVISOR]] : f32
// CHECK: linalg.yield %[[AVG]] : f32
func.func @avg_pool_ceil_divisor(%x: tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32> {
  %0 = cnn.avg_pool2d %x window [2] stride [2] rounding ceil : (tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32>
  return %0 : tensor<1x3x3x2xf32>
}

// -----

// Without count_include_pad, padded positions do not count either: the rows
// are clipped to [0, 6), start = index - 1 (stride 1, padding top 1).
// CHECK-LABEL: func.func @avg_pool_padding_divisor
// CHECK: tensor.pad %{{.+}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: linalg.generic
// CHECK: %[[Y:.+]] = linalg.index 1 : index
// CHECK: %[[ONE:.+]] = arith.constant 1 : index
// CHECK: %[[YS:.+]] = arith.muli %[[Y]], %[[ONE]] : index
// CHECK: %[[START:.+]] = arith.subi %[[YS]], %[[ONE]] : index
// CHECK: %[[F:.+]] = arith.constant 3 : index
// CHECK: %[[END:.+]] = arith.addi %[[START]], %[[F]] : index
// CHECK: %[[H:.+]] = arith.constant 6 : index
// CHECK: arith.minsi %[[END]], %[[H]] : index
// CHECK: %[[ZERO:.+]] = arith.constant 0 : index
// CHECK: arith.maxsi %[[START]], %[[ZERO]] : index
// CHECK: linalg.index 2 : index
// CHECK: arith.divf
func.func @avg_pool_padding_divisor(%x: tensor<1x6x6x2xf32>) -> tensor<1x6x6x2xf32> {
  %0 = cnn.avg_pool2d %x window [3] padding [1] : (tensor<1x6x6x2xf32>) -> tensor<1x6x6x2xf32>
  return %0 : tensor<1x6x6x2xf32>
}

// -----

// With count_include_pad, the limits are those of the explicitly padded
// input, [-1, 7 + 1) rows and [-1, 6 + 1) columns, still without the ceil
// overhang (2 columns beyond the padding). Every window has 3 rows, a
// constant (it shares its index constant with the window size); the columns
// vary (3, 3, 3, then 2).
// CHECK-LABEL: func.func @avg_pool_count_include_pad_ceil
// CHECK: tensor.pad %{{.+}} low[0, 1, 1, 0] high[0, 1, 2, 0]
// CHECK: linalg.generic
// CHECK: %[[THREE:.+]] = arith.constant 3 : index
// CHECK-NOT: linalg.index 1
// CHECK: %[[X_IDX:.+]] = linalg.index 2 : index
// CHECK: %[[S:.+]] = arith.constant 2 : index
// CHECK: %[[XS:.+]] = arith.muli %[[X_IDX]], %[[S]] : index
// CHECK: %[[PAD:.+]] = arith.constant 1 : index
// CHECK: %[[START:.+]] = arith.subi %[[XS]], %[[PAD]] : index
// CHECK: %[[END:.+]] = arith.addi %[[START]], %[[THREE]] : index
// CHECK: %[[LIMIT:.+]] = arith.constant 7 : index
// CHECK: %[[HI:.+]] = arith.minsi %[[END]], %[[LIMIT]] : index
// CHECK: %[[LOWER:.+]] = arith.constant -1 : index
// CHECK: %[[LO:.+]] = arith.maxsi %[[START]], %[[LOWER]] : index
// CHECK: %[[COLS:.+]] = arith.subi %[[HI]], %[[LO]] : index
// CHECK: arith.muli %[[THREE]], %[[COLS]] : index
// CHECK: arith.divf
func.func @avg_pool_count_include_pad_ceil(%x: tensor<1x7x6x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = cnn.avg_pool2d %x window [3] stride [2] padding [1] rounding ceil count_include_pad : (tensor<1x7x6x2xf32>) -> tensor<1x4x4x2xf32>
  return %0 : tensor<1x4x4x2xf32>
}
