//===- CnnBase.td - The cnn dialect and its attributes -----*- tablegen -*-===//

#ifndef CONVFORGE_DIALECT_CNN_IR_CNNBASE_TD
#define CONVFORGE_DIALECT_CNN_IR_CNNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Cnn_Dialect : Dialect {
  let name = "cnn";
  let cppNamespace = "::convforge::cnn";
  let summary = "Layers of convolutional networks, with checked shapes";
  let description = [{
    The `cnn` dialect describes the layers of a convolutional network as in
    the CS231n notes: convolution with shared weights, locally-connected
    layers (unshared weights), max and average pooling, ReLU, fully-connected
    layers, flatten and softmax; and `transpose` and `reshape`, with which
    imported models convert between their layouts and NHWC.

    Conventions shared by every op:

    * Values are ranked tensors with value semantics, element type `f32`
      (any other element type is rejected by the verifier).
    * Activations use the NHWC layout: `N×H×W×D` (batch, height, width,
      depth). The notes' `W1×H1×D1` volume is `tensor<N×H1×W1×D1xf32>`.
    * Every op infers its result type from its operands and attributes, so a
      network needs only its input shape; intermediate results may be written
      `tensor<*xf32>` or with `?` dimensions and refined by the
      `cnn-shape-inference` pass.
    * Sliding-window ops (`conv2d`, `locally_connected2d`, `max_pool2d`,
      `avg_pool2d`) compute, per spatial dimension,
      `out = (in - F + pad_before + pad_after)/S + 1`. Under the default
      `exact` rounding, the division must be exact, as the notes require; the
      verifier shows the arithmetic and the nearest paddings, strides or
      rounding modes that fix it. `floor` drops the windows that do not fit,
      `ceil` keeps a last partial window as frameworks do.
  }];
  let useDefaultAttributePrinterParser = 1;
  // Checks `cnn.strategy` attributes against the op they annotate.
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Name of the discardable attribute holding a #cnn.strategy.
    static constexpr ::llvm::StringLiteral kStrategyAttrName = "cnn.strategy";
    /// Unit attribute marking the ops of one register tile (set by
    /// convforge-tile, consumed by convforge-vectorize): the ops to vectorize,
    /// wherever canonicalization leaves them (a single-iteration tile loop
    /// folds away).
    static constexpr ::llvm::StringLiteral kRegisterTileAttrName =
        "cnn.register_tile";
    /// Dense i64 array [begin, end, height] on a linalg convolution whose
    /// input (N x height x W x C) is zero outside rows [begin, end): its
    /// zero padding rows, which convforge-tile lets the kernels skip. Set by
    /// the conversion from cnn, which creates the padding.
    static constexpr ::llvm::StringLiteral kNonZeroInputRowsAttrName =
        "cnn.nonzero_input_rows";
    /// Dense i64 array [begin, end, width] on a linalg convolution whose
    /// input (N x H x width x C) is zero outside columns [begin, end): its
    /// zero padding columns, whose taps convforge-tile lets the register
    /// tiles at the edges skip. Set by the conversion from cnn.
    static constexpr ::llvm::StringLiteral kNonZeroInputColumnsAttrName =
        "cnn.nonzero_input_columns";
    /// Dense i64 array [first, end) on a convolution's register tile (within
    /// convforge-tile only): the columns of its padded input it reads.
    static constexpr ::llvm::StringLiteral kInputColumnsAttrName =
        "cnn.input_columns";
  }];
}

def Cnn_Rounding : I32EnumAttr<"Rounding",
    "how a non-integer output size of a sliding window is treated", [
      I32EnumAttrCase<"exact", 0>,
      I32EnumAttrCase<"floor", 1>,
      I32EnumAttrCase<"ceil", 2>
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::convforge::cnn";
}

def Cnn_RoundingAttr : EnumAttr<Cnn_Dialect, Cnn_Rounding, "rounding"> {
  let summary = "Rounding of sliding-window output sizes";
  let description = [{
    * `exact` (default): `(in - F + pad_before + pad_after)/S` must be an
      integer; otherwise the op is invalid.
    * `floor`: the output size is rounded down: windows that do not fit
      entirely inside the padded input are dropped.
    * `ceil`: the output size is rounded up: the last window may extend past
      the padded input; the overhang is implicit padding after the end
      (zeros for convolutions, ignored by max pooling and by the divisor of
      average pooling). As in PyTorch and ONNX, a window that would start in
      the trailing padding is not counted.
  }];
}

def Cnn_StrategyAttr : AttrDef<Cnn_Dialect, "Strategy"> {
  let mnemonic = "strategy";
  let summary = "How a linalg op is tiled and vectorized";
  let description = [{
    Chosen by `convforge-select-strategy` for one linalg op (a convolution,
    pooling, matmul or generic), consumed by `convforge-tile` and
    `convforge-vectorize`. Every list has one entry per loop of the op, in
    the op's loop order (for `linalg.conv_2d_nhwc_hwcf`: N, OH, OW, K, FH,
    FW, C); 0 means "not tiled at this level".

    * `cache`: the outer, cache-level tiles of the parallel loops (empty: no
      cache level). Chosen so that a tile's working set (the filter block it
      reuses) stays in L2.
    * `interchange`: the order of the cache-level tile loops (a permutation
      of the loops; empty: the op's order).
    * `register`: the register-level tiles of the parallel loops: the output
      block held in vector registers.
    * `reduction`: the tiles of the reduction loops, inside the register
      tile.
    * `vector_width`: f32 lanes of the target's vectors.
    * `threads` (printed only when more than 1): the cache-level tile loops
      are independent and run on that many threads (`scf.forall`, lowered
      to OpenMP); the cache tiles then cut the work into many equal pieces.

    ```mlir
    #cnn.strategy<cache = [], interchange = [], register = [1, 1, 11, 32, 0, 0, 0],
                  reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 16>
    #cnn.strategy<cache = [1, 1, 0, 0, 0, 0, 0], interchange = [],
                  register = [1, 1, 11, 32, 0, 0, 0],
                  reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 16,
                  threads = 2>
    ```
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t">:$cache_tiles,
    ArrayRefParameter<"int64_t">:$interchange,
    ArrayRefParameter<"int64_t">:$register_tiles,
    ArrayRefParameter<"int64_t">:$reduction_tiles,
    "int64_t":$vector_width,
    DefaultValuedParameter<"int64_t", "1">:$threads
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

class Cnn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Cnn_Dialect, mnemonic, traits>;

#endif // CONVFORGE_DIALECT_CNN_IR_CNNBASE_TD
