// Every rule of the #cnn.strategy verifier (the attribute itself) and of the
// dialect's check of the `cnn.strategy` attribute against the op it annotates.
// RUN: convforge-opt %s -split-input-file -verify-diagnostics

func.func @reduction_length(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{register and reduction tiles must cover the same loops, got 3 and 2}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 8, 0], reduction = [0, 0], vector_width = 8>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @cache_length(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{cache tiles must be empty or cover the 3 loops, got 2}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [1, 8], interchange = [], register = [1, 8, 0], reduction = [0, 0, 0], vector_width = 8>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @interchange_length(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{interchange must be a permutation of the 3 loops}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [1, 8, 0], interchange = [1, 0], register = [1, 8, 0], reduction = [0, 0, 0], vector_width = 8>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @interchange_repeated(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{interchange must be a permutation of the 3 loops}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [1, 8, 0], interchange = [1, 1, 0], register = [1, 8, 0], reduction = [0, 0, 0], vector_width = 8>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @interchange_out_of_range(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{interchange must be a permutation of the 3 loops}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [1, 8, 0], interchange = [0, 1, 3], register = [1, 8, 0], reduction = [0, 0, 0], vector_width = 8>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @negative_register_tile(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{tile sizes must be non-negative}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, -8, 0], reduction = [0, 0, 0], vector_width = 8>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @negative_cache_tile(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{tile sizes must be non-negative}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [-1, 0, 0], interchange = [], register = [1, 8, 0], reduction = [0, 0, 0], vector_width = 8>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @negative_reduction_tile(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{tile sizes must be non-negative}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 8, 0], reduction = [0, 0, -4], vector_width = 8>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @vector_width_zero(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{vector_width must be positive}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 8, 0], reduction = [0, 0, 0], vector_width = 0>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @missing_key(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{expected 'interchange'}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [], register = [1, 8, 0], reduction = [0, 0, 0], vector_width = 8>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// A conv strategy (7 loops) on a matmul (3 loops).
func.func @loop_count(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{strategy covers 7 loops but the op has 3}}
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 11, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 16>}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @not_tileable(%a: f32, %b: f32) -> f32 {
  // expected-error @+1 {{'cnn.strategy' needs an op that can be tiled}}
  %0 = arith.addf %a, %b {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1], reduction = [0], vector_width = 8>} : f32
  return %0 : f32
}

// -----

func.func @not_a_strategy(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{'cnn.strategy' must be a #cnn.strategy}}
  %0 = linalg.matmul {cnn.strategy = [1, 8, 0]}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @unknown_cnn_attribute(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{unknown cnn attribute 'cnn.tiles'}}
  %0 = linalg.matmul {cnn.tiles = [1, 8, 0]}
    ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @nonzero_rows_order(%x: tensor<1x6x6x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'cnn.nonzero_input_rows' must be an array [begin, end, height] with 0 <= begin <= end <= height}}
  %0 = linalg.conv_2d_nhwc_hwcf {cnn.nonzero_input_rows = array<i64: 5, 1, 6>}
    ins(%x, %w : tensor<1x6x6x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

func.func @nonzero_rows_length(%x: tensor<1x6x6x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'cnn.nonzero_input_rows' must be an array [begin, end, height]}}
  %0 = linalg.conv_2d_nhwc_hwcf {cnn.nonzero_input_rows = array<i64: 1, 5>}
    ins(%x, %w : tensor<1x6x6x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

func.func @nonzero_columns_range(%x: tensor<1x6x6x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'cnn.nonzero_input_columns' must be an array [begin, end, width] with 0 <= begin <= end <= width}}
  %0 = linalg.conv_2d_nhwc_hwcf {cnn.nonzero_input_columns = array<i64: 1, 7, 6>}
    ins(%x, %w : tensor<1x6x6x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}
