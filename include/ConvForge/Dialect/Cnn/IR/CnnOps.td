//===- CnnOps.td - The cnn dialect's operations -------------*- tablegen -*-===//

#ifndef CONVFORGE_DIALECT_CNN_IR_CNNOPS_TD
#define CONVFORGE_DIALECT_CNN_IR_CNNOPS_TD

include "ConvForge/Dialect/Cnn/IR/CnnBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Operands and results are any tensor: the verifier checks rank and element
// type itself, to say precisely what is wrong (and so that unranked results
// can be refined by shape inference).
defvar Cnn_Tensor = AnyTensor;

// Traits of every op: no side effects, result type inferred (results written
// in the IR may be less refined than the inferred ones, e.g. tensor<*xf32>).
defvar Cnn_OpTraits = [Pure, InferTypeOpAdaptorWithIsCompatible];

// The attributes of a sliding window, shared by conv, locally-connected and
// pooling ops.
defvar Cnn_WindowArgs = (ins
  OptionalAttr<DenseI64ArrayAttr>:$strides,
  OptionalAttr<DenseI64ArrayAttr>:$padding,
  OptionalAttr<Cnn_RoundingAttr>:$rounding
);

defvar Cnn_WindowAttrDoc = [{

    Attributes of the sliding window (all optional):

    * `stride [S]` or `stride [SH, SW]`: default 1.
    * `padding [P]` (all four sides), `padding [PH, PW]` (top and bottom PH,
      left and right PW) or `padding [top, bottom, left, right]`: default 0.
    * `rounding exact|floor|ceil`: default `exact`, see `#cnn.rounding`.

    Per spatial dimension the output size is
    `(in - F + pad_before + pad_after)/S + 1`.
}];

defvar Cnn_WindowFormat =
  "(`stride` $strides^)? (`padding` $padding^)? (`rounding` $rounding^)?";

def Cnn_Conv2DOp : Cnn_Op<"conv2d", Cnn_OpTraits> {
  let summary = "2-D convolution with shared weights (the notes' CONV layer)";
  let description = !strconcat([{
    Convolves `K` filters of spatial extent `FH×FW` over the input volume,
    each through its full depth, and adds one bias per filter.

    * input: `N×H1×W1×D1` (NHWC)
    * filter: `K×FH×FW×D1` — filter-major: filter `k` is the contiguous
      `FH×FW×D1` block `filter[k]`, laid out like an input volume
    * bias (optional): `K`
    * result: `N×H2×W2×K` with `H2 = (H1 - FH + pad_top + pad_bottom)/SH + 1`
      and likewise `W2`.

    Padding is with zeros. `output[n, y, x, k] = bias[k] + Σ_{i,j,c}
    input[n, y*SH + i - pad_top, x*SW + j - pad_left, c] * filter[k, i, j, c]`.
    With parameter sharing the layer has `FH·FW·D1·K` weights and `K` biases.

    `filter_block B` (optional) says the filter is stored blocked by output
    channels: `(K/B)×FH×FW×D1×B`, filter `k`'s weight at tap `(i, j, c)`
    being `filter[k / B, i, j, c, k % B]`. It is the layout the generated
    kernels read (a contiguous run of `B` output channels per tap, one block
    after the other); the compiler packs constant filters into it
    (`convforge-pack-filters`). `B` must divide `K`.

    Example (the notes' first AlexNet layer):
    ```mlir
    %y = cnn.conv2d %x, %w, %b stride [4] :
        (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>)
        -> tensor<1x55x55x96xf32>
    ```
  }], Cnn_WindowAttrDoc);
  let arguments = !con((ins Cnn_Tensor:$input, Cnn_Tensor:$filter,
                            Optional<Cnn_Tensor>:$bias), Cnn_WindowArgs,
                       (ins OptionalAttr<I64Attr>:$filter_block));
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = !strconcat(
      "$input `,` $filter (`,` $bias^)? ", Cnn_WindowFormat,
      " (`filter_block` $filter_block^)?",
      " attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The filter's logical K×FH×FW×D1 shape, whatever its storage
    /// (kDynamic where unknown).
    std::array<int64_t, 4> getFilterShape() {
      return getConvFilterShape(getFilter().getType(), getFilterBlock());
    }
  }];
}

def Cnn_LocallyConnected2DOp : Cnn_Op<"locally_connected2d", Cnn_OpTraits> {
  let summary = "2-D locally-connected layer: conv geometry, unshared weights";
  let description = !strconcat([{
    The notes' Locally-Connected Layer: the geometry of `cnn.conv2d`, but
    every output position has its own filters and biases (no parameter
    sharing).

    * input: `N×H1×W1×D1` (NHWC)
    * filter: `H2×W2×K×FH×FW×D1` — for each output position `(y, x)`, a bank
      of `K` filters laid out like `cnn.conv2d`'s filter
    * bias (optional): `H2×W2×K`
    * result: `N×H2×W2×K`, `H2` and `W2` as for `cnn.conv2d`; the filter's
      leading dimensions must equal them.

    `output[n, y, x, k] = bias[y, x, k] + Σ_{i,j,c}
    input[n, y*SH + i - pad_top, x*SW + j - pad_left, c] *
    filter[y, x, k, i, j, c]`.

    Example:
    ```mlir
    %y = cnn.locally_connected2d %x, %w, %b stride [2] :
        (tensor<1x7x7x3xf32>, tensor<3x3x4x3x3x3xf32>, tensor<3x3x4xf32>)
        -> tensor<1x3x3x4xf32>
    ```
  }], Cnn_WindowAttrDoc);
  let arguments = !con((ins Cnn_Tensor:$input, Cnn_Tensor:$filter,
                            Optional<Cnn_Tensor>:$bias), Cnn_WindowArgs);
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = !strconcat(
      "$input `,` $filter (`,` $bias^)? ", Cnn_WindowFormat,
      " attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def Cnn_MaxPool2DOp : Cnn_Op<"max_pool2d", Cnn_OpTraits> {
  let summary = "2-D max pooling (the notes' POOL layer)";
  let description = !strconcat([{
    Takes the maximum over each `FH×FW` window of every depth slice.

    * input: `N×H1×W1×D1` (NHWC); result: `N×H2×W2×D1`
    * `window [F]` or `window [FH, FW]` (required)

    Padded positions (explicit padding, and the overhang of `ceil`
    rounding) never win the maximum: they act as `-inf`. Padding on a side
    must be smaller than the window, so that every window covers at least one
    input element.

    The maximum of a window holding a NaN is unspecified (the generated code
    uses the CPU's `max` instructions, which do not propagate NaN, as
    oneDNN's pooling does), and so is the sign of a maximum of zeros.

    Example:
    ```mlir
    %y = cnn.max_pool2d %x window [3] stride [2] :
        (tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32>
    ```
  }], Cnn_WindowAttrDoc);
  let arguments = !con((ins Cnn_Tensor:$input, DenseI64ArrayAttr:$window),
                       Cnn_WindowArgs);
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = !strconcat(
      "$input `window` $window ", Cnn_WindowFormat,
      " attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def Cnn_AvgPool2DOp : Cnn_Op<"avg_pool2d", Cnn_OpTraits> {
  let summary = "2-D average pooling";
  let description = !strconcat([{
    Averages each `FH×FW` window of every depth slice.

    * input: `N×H1×W1×D1` (NHWC); result: `N×H2×W2×D1`
    * `window [F]` or `window [FH, FW]` (required)
    * `count_include_pad` (optional unit attribute)

    The divisor of a window: without `count_include_pad` (the default, as in
    ONNX), the number of its elements inside the input, so zero padding does
    not dilute border averages; with `count_include_pad` (as PyTorch's
    default), the number of its elements inside the explicitly padded input.
    The overhang of `ceil` rounding is never counted. Padding on a side must
    be smaller than the window.

    Example:
    ```mlir
    %y = cnn.avg_pool2d %x window [2] stride [2] :
        (tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32>
    ```
  }], Cnn_WindowAttrDoc);
  let arguments = !con((ins Cnn_Tensor:$input, DenseI64ArrayAttr:$window),
                       Cnn_WindowArgs, (ins UnitAttr:$count_include_pad));
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = !strconcat(
      "$input `window` $window ", Cnn_WindowFormat,
      " (`count_include_pad` $count_include_pad^)?",
      " attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def Cnn_ReluOp : Cnn_Op<"relu", Cnn_OpTraits> {
  let summary = "Rectified linear unit, max(x, 0) elementwise";
  let description = [{
    Applies `max(x, 0)` to every element; any rank, result of the input's
    type.

    ```mlir
    %y = cnn.relu %x : (tensor<1x55x55x96xf32>) -> tensor<1x55x55x96xf32>
    ```
  }];
  let arguments = (ins Cnn_Tensor:$input);
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Cnn_DenseOp : Cnn_Op<"dense", Cnn_OpTraits> {
  let summary = "Fully-connected layer";
  let description = [{
    Every output unit is connected to every input feature:
    `output[n, m] = bias[m] + Σ_d input[n, d] * weights[m, d]`.

    * input: `N×D` (flatten a volume first with `cnn.flatten`)
    * weights: `M×D` — unit-major: the weights of unit `m` are the contiguous
      row `weights[m]` (as PyTorch's `Linear` and ONNX's `Gemm` with `transB`)
    * bias (optional): `M`
    * result: `N×M`

    ```mlir
    %y = cnn.dense %x, %w, %b :
        (tensor<1x9216xf32>, tensor<4096x9216xf32>, tensor<4096xf32>)
        -> tensor<1x4096xf32>
    ```
  }];
  let arguments = (ins Cnn_Tensor:$input, Cnn_Tensor:$weights,
                       Optional<Cnn_Tensor>:$bias);
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = "$input `,` $weights (`,` $bias^)? attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Cnn_FlattenOp : Cnn_Op<"flatten", Cnn_OpTraits> {
  let summary = "Flattens every sample of a batch into a vector";
  let description = [{
    Reshapes `N×d1×…×dk` to `N×(d1·…·dk)` in row-major order; for an NHWC
    volume the feature index is `(y·W + x)·D + c`.

    ```mlir
    %y = cnn.flatten %x : (tensor<1x6x6x256xf32>) -> tensor<1x9216xf32>
    ```
  }];
  let arguments = (ins Cnn_Tensor:$input);
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Cnn_SoftmaxOp : Cnn_Op<"softmax", Cnn_OpTraits> {
  let summary = "Softmax over the innermost dimension";
  let description = [{
    `output[..., i] = exp(x[..., i] - m) / Σ_j exp(x[..., j] - m)` with
    `m = max_j x[..., j]` (subtracting the maximum avoids overflow); any rank
    of at least 1, result of the input's type.

    ```mlir
    %y = cnn.softmax %x : (tensor<1x1000xf32>) -> tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins Cnn_Tensor:$input);
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Cnn_TransposeOp : Cnn_Op<"transpose", Cnn_OpTraits> {
  let summary = "Permutes the dimensions of a tensor";
  let description = [{
    Result dimension `d` is input dimension `perm[d]`: the element at index
    `i` of the result is the input's at index `j` with `j[perm[d]] = i[d]`
    for every `d` (as NumPy's `transpose` and `linalg.transpose`). Any rank of at least 1; `perm` is a permutation of
    `0 … r-1`. Imported models use it to convert between their layout and
    NHWC at the network's boundary (`perm [0, 2, 3, 1]`: NCHW to NHWC).

    ```mlir
    %y = cnn.transpose %x perm [0, 2, 3, 1] :
        (tensor<1x3x224x224xf32>) -> tensor<1x224x224x3xf32>
    ```
  }];
  let arguments = (ins Cnn_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = "$input `perm` $perm attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Cnn_ReshapeOp : Cnn_Op<"reshape", Cnn_OpTraits> {
  let summary = "Gives a tensor a new shape, row-major order kept";
  let description = [{
    The elements in row-major order are unchanged; `shape` (positive
    extents, at least one) is the result's shape and must hold as many
    elements as the input. `cnn.flatten` is the special case `N×(d1·…·dk)`.

    ```mlir
    %y = cnn.reshape %x shape [6, 20] :
        (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
    ```
  }];
  let arguments = (ins Cnn_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Cnn_Tensor:$output);
  let assemblyFormat = "$input `shape` $shape attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // CONVFORGE_DIALECT_CNN_IR_CNNOPS_TD
