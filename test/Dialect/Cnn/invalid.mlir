// Every verifier rule, each with its own message.
// RUN: convforge-opt %s -split-input-file -verify-diagnostics

// The seed's rule: (W - F + 2P)/S + 1 must be an integer. The message shows
// the arithmetic and the nearest fixes.
func.func @conv_not_exact(%x: tensor<1x224x224x3xf32>, %w: tensor<96x11x11x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'cnn.conv2d' op output height (224 - 11 + 2*0)/4 + 1 = 54.25 is not an integer; nearest fixes: padding top 1, bottom 2 (output 55), stride 3 (output 72), or rounding = floor (output 54) or ceil (output 55)}}
  %0 = cnn.conv2d %x, %w stride [4] : (tensor<1x224x224x3xf32>, tensor<96x11x11x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Only the width does not divide; symmetric paddings are suggested.
func.func @conv_width_not_exact(%x: tensor<1x9x9x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{output width (9 - 3 + 2*2)/4 + 1 = 3.5 is not an integer; nearest fixes: padding 1 (output 3), padding 3 (output 4), stride 2 (output 6), stride 5 (output 3), or rounding = floor or ceil (output 3)}}
  %0 = cnn.conv2d %x, %w stride [2, 4] padding [2] : (tensor<1x9x9x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pool_not_exact(%x: tensor<1x55x56x96xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'cnn.max_pool2d' op output width (56 - 3 + 2*0)/2 + 1 = 27.5 is not an integer}}
  %0 = cnn.max_pool2d %x window [3] stride [2] : (tensor<1x55x56x96xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @lc_not_exact(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x4x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'cnn.locally_connected2d' op output height (8 - 3 + 2*0)/2 + 1 = 3.5 is not an integer}}
  %0 = cnn.locally_connected2d %x, %w stride [2] : (tensor<1x8x8x3xf32>, tensor<3x3x4x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @filter_depth(%x: tensor<1x32x32x3xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter depth 4 does not match input depth 3 (a filter extends through the full depth of the input volume)}}
  %0 = cnn.conv2d %x, %w : (tensor<1x32x32x3xf32>, tensor<8x3x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @lc_filter_depth(%x: tensor<1x5x5x3xf32>, %w: tensor<3x3x4x3x3x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter depth 2 does not match input depth 3}}
  %0 = cnn.locally_connected2d %x, %w : (tensor<1x5x5x3xf32>, tensor<3x3x4x3x3x2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @filter_larger_than_input(%x: tensor<1x5x5x3xf32>, %w: tensor<8x7x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter height 7 is larger than the padded input height 5 (input 5 + padding 0 + 0)}}
  %0 = cnn.conv2d %x, %w : (tensor<1x5x5x3xf32>, tensor<8x7x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @window_larger_than_input(%x: tensor<1x5x2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{window width 3 is larger than the padded input width 2 (input 2 + padding 0 + 0)}}
  %0 = cnn.avg_pool2d %x window [3] : (tensor<1x5x2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @zero_stride(%x: tensor<1x5x5x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{stride must be positive, got 0}}
  %0 = cnn.conv2d %x, %w stride [1, 0] : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @negative_stride(%x: tensor<1x5x5x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{stride must be positive, got -2}}
  %0 = cnn.max_pool2d %x window [2] stride [-2] : (tensor<1x5x5x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @zero_window(%x: tensor<1x5x5x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{window height must be positive, got 0}}
  %0 = cnn.max_pool2d %x window [0, 2] : (tensor<1x5x5x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @zero_filter_width(%x: tensor<1x5x5x3xf32>, %w: tensor<8x3x0x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter width must be positive, got 0}}
  %0 = cnn.conv2d %x, %w : (tensor<1x5x5x3xf32>, tensor<8x3x0x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @empty_input(%x: tensor<1x0x5x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input height must be positive, got 0}}
  %0 = cnn.conv2d %x, %w : (tensor<1x0x5x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @negative_padding(%x: tensor<1x5x5x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{padding must be non-negative, got -1}}
  %0 = cnn.conv2d %x, %w padding [1, -1, 1, 1] : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pool_padding_not_smaller_than_window(%x: tensor<1x6x6x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{padding 2 on the left is not smaller than the window width 2: a window would cover padding only}}
  %0 = cnn.max_pool2d %x window [3, 2] padding [1, 2] : (tensor<1x6x6x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @bias_length(%x: tensor<1x5x5x3xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<7xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{bias has 7 values but there are 8 filters (one bias per filter)}}
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>, tensor<7xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @lc_bias_shape(%x: tensor<1x5x5x3xf32>, %w: tensor<3x3x4x3x3x3xf32>, %b: tensor<3x3x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{bias 'tensor<3x3x5xf32>' does not match the filter's H2×W2×K = 3×3×4 (one bias per output neuron)}}
  %0 = cnn.locally_connected2d %x, %w, %b : (tensor<1x5x5x3xf32>, tensor<3x3x4x3x3x3xf32>, tensor<3x3x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @lc_positions(%x: tensor<1x5x5x3xf32>, %w: tensor<3x2x4x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter has 2 output positions along the width but the output width is 3 (the filter is H2×W2×K×FH×FW×D, one bank per output position)}}
  %0 = cnn.locally_connected2d %x, %w : (tensor<1x5x5x3xf32>, tensor<3x2x4x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @dense_bias_length(%x: tensor<2x10xf32>, %w: tensor<4x10xf32>, %b: tensor<5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{bias has 5 values but there are 4 units (one bias per unit)}}
  %0 = cnn.dense %x, %w, %b : (tensor<2x10xf32>, tensor<4x10xf32>, tensor<5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @dense_features(%x: tensor<2x10xf32>, %w: tensor<4x12xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{weights take 12 input features but the input has 10 (weights are M×D, one row per unit)}}
  %0 = cnn.dense %x, %w : (tensor<2x10xf32>, tensor<4x12xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Sizes whose products overflow int64.
func.func @element_count_overflow(%x: tensor<4294967296x4294967296x1x1xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input 'tensor<4294967296x4294967296x1x1xf32>' has more elements than int64 can count}}
  %0 = cnn.relu %x : (tensor<4294967296x4294967296x1x1xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @result_count_overflow(%x: tensor<1x1x1x4294967296xf32>, %w: tensor<4294967296x1x1x4294967296xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter 'tensor<4294967296x1x1x4294967296xf32>' has more elements than int64 can count}}
  %0 = cnn.conv2d %x, %w : (tensor<1x1x1x4294967296xf32>, tensor<4294967296x1x1x4294967296xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @flatten_overflow(%x: tensor<3x3037000500x3037000500xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input 'tensor<3x3037000500x3037000500xf32>' has more elements than int64 can count}}
  %0 = cnn.flatten %x : (tensor<3x3037000500x3037000500xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// 2^61 elements fit in int64, their 2^63 bytes do not; 2^61 - 1 elements do
// (the only error below is the result type's).
func.func @byte_count_overflow(%x: tensor<2x1152921504606846976xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input 'tensor<2x1152921504606846976xf32>' has 2305843009213693952 elements, whose size in bytes overflows int64}}
  %0 = cnn.softmax %x : (tensor<2x1152921504606846976xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @byte_count_at_limit(%x: tensor<2305843009213693951xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{result type 'tensor<2xf32>' does not match the inferred type 'tensor<2305843009213693951xf32>'}}
  %0 = cnn.softmax %x : (tensor<2305843009213693951xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// An input whose padded height would overflow int64 already has too many
// bytes (the padded-extent check itself is unit-tested in WindowArithmetic).
func.func @padded_extent_overflow(%x: tensor<1x9223372036854775000x1x1xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input 'tensor<1x9223372036854775000x1x1xf32>' has 9223372036854775000 elements, whose size in bytes overflows int64}}
  %0 = cnn.max_pool2d %x window [1001, 1] padding [1000, 0] : (tensor<1x9223372036854775000x1x1xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Element types other than f32.
func.func @f16_input(%x: tensor<1x5x5x3xf16>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input element type must be f32, got 'f16'}}
  %0 = cnn.conv2d %x, %w : (tensor<1x5x5x3xf16>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @i8_filter(%x: tensor<1x5x5x3xf32>, %w: tensor<8x3x3x3xi8>) -> tensor<*xf32> {
  // expected-error @+1 {{filter element type must be f32, got 'i8'}}
  %0 = cnn.conv2d %x, %w : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xi8>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @f64_relu(%x: tensor<4xf64>) -> tensor<4xf64> {
  // expected-error @+1 {{'cnn.relu' op input element type must be f32, got 'f64'}}
  %0 = cnn.relu %x : (tensor<4xf64>) -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

func.func @bf16_softmax(%x: tensor<2x4xbf16>) -> tensor<2x4xbf16> {
  // expected-error @+1 {{'cnn.softmax' op input element type must be f32, got 'bf16'}}
  %0 = cnn.softmax %x : (tensor<2x4xbf16>) -> tensor<2x4xbf16>
  return %0 : tensor<2x4xbf16>
}

// -----

func.func @i32_result(%x: tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xi32> {
  // expected-error @+1 {{result element type must be f32, got 'i32'}}
  %0 = cnn.avg_pool2d %x window [2] stride [2] : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xi32>
  return %0 : tensor<1x2x2x3xi32>
}

// -----

// Ranks and attribute arity.
func.func @input_rank(%x: tensor<5x5x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input must be a 4-D tensor (N×H×W×D, NHWC), got 'tensor<5x5x3xf32>'}}
  %0 = cnn.conv2d %x, %w : (tensor<5x5x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @filter_rank(%x: tensor<1x5x5x3xf32>, %w: tensor<3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter must be a 4-D tensor (K×FH×FW×D), got 'tensor<3x3x3xf32>'}}
  %0 = cnn.conv2d %x, %w : (tensor<1x5x5x3xf32>, tensor<3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @bias_rank(%x: tensor<1x5x5x3xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<1x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{bias must be a 1-D tensor (K), got 'tensor<1x8xf32>'}}
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>, tensor<1x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @dense_input_rank(%x: tensor<1x6x6x8xf32>, %w: tensor<10x288xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input must be a 2-D tensor (N×D; flatten a volume first), got 'tensor<1x6x6x8xf32>'}}
  %0 = cnn.dense %x, %w : (tensor<1x6x6x8xf32>, tensor<10x288xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @flatten_rank(%x: tensor<8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input must have a batch dimension and at least one more dimension, got 'tensor<8xf32>'}}
  %0 = cnn.flatten %x : (tensor<8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @softmax_rank(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{input must have at least one dimension, got 'tensor<f32>'}}
  %0 = cnn.softmax %x : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @stride_arity(%x: tensor<1x5x5x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{stride must have 1 or 2 values ([S] or [SH, SW]), got 3}}
  %0 = cnn.conv2d %x, %w stride [1, 1, 1] : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @padding_arity(%x: tensor<1x5x5x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{padding must have 1, 2 or 4 values ([P], [PH, PW] or [top, bottom, left, right]), got 3}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1] : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @window_arity(%x: tensor<1x5x5x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{window must have 1 or 2 values ([F] or [FH, FW]), got 0}}
  %0 = cnn.max_pool2d %x window [] : (tensor<1x5x5x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A result type that contradicts the inferred one.
func.func @result_mismatch(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>) -> tensor<1x54x54x96xf32> {
  // expected-error @+1 {{result type 'tensor<1x54x54x96xf32>' does not match the inferred type 'tensor<1x55x55x96xf32>'}}
  %0 = cnn.conv2d %x, %w stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>) -> tensor<1x54x54x96xf32>
  return %0 : tensor<1x54x54x96xf32>
}

// -----

func.func @result_rank(%x: tensor<2x10xf32>) -> tensor<20xf32> {
  // expected-error @+1 {{result must be a 2-D tensor (N×features), got 'tensor<20xf32>'}}
  %0 = cnn.flatten %x : (tensor<2x10xf32>) -> tensor<20xf32>
  return %0 : tensor<20xf32>
}

// -----

func.func @unknown_rounding(%x: tensor<1x5x5x3xf32>) -> tensor<*xf32> {
  // expected-error @+2 {{expected ::convforge::cnn::Rounding to be one of: exact, floor, ceil}}
  // expected-error @+1 {{failed to parse Cnn_RoundingAttr parameter 'value'}}
  %0 = cnn.max_pool2d %x window [2] rounding nearest : (tensor<1x5x5x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @transpose_not_permutation(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{perm [0, 2, 2] is not a permutation of 0..2}}
  %0 = cnn.transpose %x perm [0, 2, 2] : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @transpose_rank(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{perm has 2 values but the input 'tensor<2x3x4xf32>' has rank 3}}
  %0 = cnn.transpose %x perm [1, 0] : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @transpose_result(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{result type 'tensor<2x3x4xf32>' does not match the inferred type 'tensor<4x3x2xf32>'}}
  %0 = cnn.transpose %x perm [2, 1, 0] : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @transpose_f16(%x: tensor<2x3xf16>) -> tensor<*xf16> {
  // expected-error @+1 {{input element type must be f32, got 'f16'}}
  %0 = cnn.transpose %x perm [1, 0] : (tensor<2x3xf16>) -> tensor<*xf16>
  return %0 : tensor<*xf16>
}

// -----

func.func @reshape_count(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{shape [5, 5] holds 25 elements but the input 'tensor<2x3x4xf32>' has 24}}
  %0 = cnn.reshape %x shape [5, 5] : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reshape_extent(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{shape extents must be positive, got -1}}
  %0 = cnn.reshape %x shape [-1, 4] : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reshape_empty(%x: tensor<1xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{shape must have at least one value}}
  %0 = cnn.reshape %x shape [] : (tensor<1xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A blocked filter is (K/B)×FH×FW×D×B.
func.func @conv_blocked_filter_rank(%x: tensor<1x8x8x4xf32>, %w: tensor<16x3x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter must be a 5-D tensor ((K/B)×FH×FW×D×B, blocked), got 'tensor<16x3x3x4xf32>'}}
  %0 = cnn.conv2d %x, %w filter_block 16 : (tensor<1x8x8x4xf32>, tensor<16x3x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_blocked_filter_lanes(%x: tensor<1x8x8x4xf32>, %w: tensor<2x3x3x4x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter's last dimension 8 must be the filter_block 16 (a blocked filter is (K/B)×FH×FW×D×B)}}
  %0 = cnn.conv2d %x, %w filter_block 16 : (tensor<1x8x8x4xf32>, tensor<2x3x3x4x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_blocked_filter_zero(%x: tensor<1x8x8x4xf32>, %w: tensor<2x3x3x4x0xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter_block must be positive, got 0}}
  %0 = cnn.conv2d %x, %w filter_block 0 : (tensor<1x8x8x4xf32>, tensor<2x3x3x4x0xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// K = 2 blocks of 8: one bias per filter, 16 of them.
func.func @conv_blocked_filter_bias(%x: tensor<1x8x8x4xf32>, %w: tensor<2x3x3x4x8xf32>, %b: tensor<8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{bias has 8 values but there are 16 filters (one bias per filter)}}
  %0 = cnn.conv2d %x, %w, %b filter_block 8 : (tensor<1x8x8x4xf32>, tensor<2x3x3x4x8xf32>, tensor<8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_blocked_filter_depth(%x: tensor<1x8x8x4xf32>, %w: tensor<2x3x3x5x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{filter depth 5 does not match input depth 4}}
  %0 = cnn.conv2d %x, %w filter_block 8 : (tensor<1x8x8x4xf32>, tensor<2x3x3x5x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
