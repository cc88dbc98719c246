//===- Passes.td - Code generation passes -------------------*- tablegen -*-===//

#ifndef CONVFORGE_CODEGEN_PASSES_TD
#define CONVFORGE_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvForgeExpandCopies : Pass<"convforge-expand-copies", "mlir::func::FuncOp"> {
  let summary = "Turn memref.copy into linalg.copy, lowered to loops";
  let description = [{
    Bufferization copies buffers with `memref.copy` (e.g. the input of a
    padded convolution into the interior of its padded buffer). Lowered to
    LLVM, a copy between non-contiguous buffers becomes a call to MLIR's
    runtime library (`memrefCopy`), which native code built by ConvForge must
    not depend on. As a `linalg.copy`, it becomes plain loops instead.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def ConvForgeOutlineLoopNests : Pass<"convforge-outline-loop-nests", "mlir::ModuleOp"> {
  let summary = "Move each large top-level loop nest into a function of its own";
  let description = [{
    LLVM optimizes and compiles a function on one thread. Serial code is one
    function holding every layer's loop nest, so the JIT could not spread
    it over several threads (code for several threads is split already: the
    OpenMP translation outlines each parallel loop nest). This pass moves
    each `scf.for` directly in a function's body that holds at least
    `min-ops` operations into a private function, marked `noinline` for LLVM, that the
    original calls. Values from outside the nest become arguments, except
    constants, which are cloned in.
  }];
  let options = [
    Option<"minOps", "min-ops", "int64_t", /*default=*/"100",
           "Outline only loop nests of at least this many operations">,
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::LLVM::LLVMDialect"];
}

def ConvForgeLowerVectors : Pass<"convforge-lower-vectors", "mlir::func::FuncOp"> {
  let summary = "Lower vector ops to the forms the LLVM conversion handles well";
  let description = [{
    Contractions become outer products and then `vector.fma` (a broadcast
    input times a vector of output channels); transfers are lowered towards
    1-D where their permutation maps allow (the remaining unit dimensions go
    away in `convert-vector-to-scf` with full unrolling); multi-reductions
    become `vector.reduction` along their innermost dimension (a dense
    layer's dot products); broadcasts, transposes and shape casts are
    lowered. A tensor read whose every use extracts one scalar (the inputs
    that the FMAs broadcast) becomes one `tensor.extract` per scalar: loads
    that LLVM folds into broadcasts from memory. Each group of patterns runs in its own greedy rewrite: mixed
    together with canonicalization they need not converge.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect",
  ];
}

def ConvForgeMemRefAbi : Pass<"convforge-memref-abi", "mlir::ModuleOp"> {
  let summary = "Give public functions a caller-owned memref signature";
  let description = [{
    Rewrites every public function on tensors into destination-passing style
    on memrefs: each tensor argument becomes a memref of the same shape, each
    result becomes one more memref argument (after the inputs) that the
    function writes, and the function returns nothing. In the body, arguments
    are read through `bufferization.to_tensor restrict` and results written
    with `bufferization.materialize_in_destination ... restrict writable`, so
    that bufferization computes the last layer straight into the caller's
    output buffer. The function gets `llvm.emit_c_interface`, so it can be
    called as `_mlir_ciface_<name>(descriptor *...)`.

    The caller guarantees that the buffers do not overlap.
  }];
  let dependentDialects = [
    "mlir::bufferization::BufferizationDialect",
    "mlir::memref::MemRefDialect",
  ];
}

def ConvForgePadInProducer : Pass<"convforge-pad-in-producer", "mlir::func::FuncOp"> {
  let summary = "Let a layer write its output into the next layer's padded input";
  let description = [{
    A padded convolution or pool reads its input through `tensor.pad`,
    which bufferizes to a copy of the whole input into a larger buffer. When
    that input is the output of a linalg op or of the tile loops computing
    one, used by nothing else (the previous layer, or its fused ReLU), the
    pad becomes an insertion into a
    buffer whose border strips alone are filled with the padding value; the
    buffer is created before the producer's destination, so that empty-tensor
    elimination makes the producer compute straight into the buffer's
    interior. No padded copy of the activations is made. It runs right
    before bufferization: earlier, CSE would merge the identical buffers of
    two layers.

    The pad of a value computed elsewhere (a function argument: the
    network's input) needs a copy; the pass's early run (`copy-inputs`,
    after strategy selection) makes it a `linalg.generic` copying the value
    into the buffer's interior, which then gets a strategy and is tiled,
    vectorized and shared among threads like any elementwise op. Either way
    only the borders are filled. The early run leaves alone the zero pads of
    arguments that convolutions alone read and whose strategies give width
    tiles clear of the padding: `convforge-tile` makes those tiles read the
    argument itself, and the others narrow padded strips of its columns.
  }];
  let options = [
    Option<"copyInputs", "copy-inputs", "bool", /*default=*/"false",
           "Rewrite only the pads of values computed elsewhere, copying them "
           "with a linalg.generic (the early run)">,
  ];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def ConvForgePackFilters : Pass<"convforge-pack-filters", "mlir::func::FuncOp"> {
  let summary = "Store constant conv filters in the blocked layout the kernels read";
  let description = [{
    Rewrites every `cnn.conv2d` whose filter is a constant (dense elements or
    a dense resource, f32) to read a new constant holding the same weights
    blocked by output channels, `(K/B)×FH×FW×D×B` (`filter_block B`), with B
    the register tile of output channels that the strategy will choose (two
    vectors when they divide K, else one, else K when smaller than a
    vector). The packing is done once, at compile time: the kernels then
    stream each filter block contiguously instead of transposing the filter
    on every call. Filters that are not constants (function arguments) and
    channel counts that no block divides are left as they are.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"0",
           "Vector register width in bits (0: the host's)">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def ConvForgePlanWorkspace : Pass<"convforge-plan-workspace", "mlir::ModuleOp"> {
  let summary = "Lay a function's temporaries out in one caller-provided workspace";
  let description = [{
    For every public function (after bufferization and deallocation): the
    static allocations of its body's top block that are freed in the same
    block (activations between layers, padded inputs, transposed filters)
    become views (`memref.view`) into one workspace, a `memref<Nxi8>`
    argument appended after the function's outputs. Temporaries alive at the
    same time get disjoint ranges, 64-byte aligned, placed largest first at
    the lowest offset that fits; the function gets the attribute
    `convforge.workspace_bytes = N`. Functions without temporaries are left
    as they are.

    Why: a block from malloc on every call is cheap to allocate but, when
    large, comes from fresh pages that fault on first touch. A workspace the
    caller keeps across calls is already mapped; concurrent callers pass
    their own, so the code stays re-entrant.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::memref::MemRefDialect",
  ];
}

def ConvForgeSelectStrategy : Pass<"convforge-select-strategy", "mlir::func::FuncOp"> {
  let summary = "Choose tile sizes, loop order and vector width per linalg op";
  let description = [{
    Annotates every convolution, pooling, matmul, locally-connected and
    elementwise linalg op of static shape with a `cnn.strategy` attribute
    (#cnn.strategy) chosen from its shape and the target description. The
    target is the host CPU unless the options override it, which makes the
    choice reproducible. See docs/CodegenStrategy.md for the rules.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"0",
           "Vector register width in bits (0: the host's)">,
    Option<"numVectorRegisters", "vector-registers", "int64_t",
           /*default=*/"0", "Number of vector registers (0: the host's)">,
    Option<"l1KiB", "l1-kib", "int64_t", /*default=*/"0",
           "L1 data cache size in KiB (0: the host's)">,
    Option<"l2KiB", "l2-kib", "int64_t", /*default=*/"0",
           "L2 cache size in KiB (0: the host's)">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "Threads the generated code may use (1: serial code)">,
  ];
  let dependentDialects = ["convforge::cnn::CnnDialect"];
}

def ConvForgeSplitDotProducts : Pass<"convforge-split-dot-products", "mlir::func::FuncOp"> {
  let summary = "Accumulate a dense layer's dot products in vectors of partial sums";
  let description = [{
    Rewrites every dense layer (a `linalg.matmul` with a transposed right
    operand, M×K times (N×K)ᵀ, static) whose K is a multiple of L = 16 (or
    of 8) into two generics: the products accumulated in L lanes of partial
    sums, `partial[m, n, j] = Σ_kk x[m, kk·L + j] · w[n, kk·L + j]`, then
    `out[m, n] = bias[m, n] + Σ_j partial[m, n, j]`. The first streams the
    weights with one vector FMA per weight vector and no horizontal sum; the
    second adds each output's L partial sums once. A dense layer on a batch
    of one is bound by the memory its weights come from; reduced chunk by
    chunk into scalars, it was bound by the shuffles of those sums instead,
    at half the bandwidth.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def ConvForgeTile : Pass<"convforge-tile", "mlir::func::FuncOp"> {
  let summary = "Tile ops as their cnn.strategy says, fusing producers and consumers";
  let description = [{
    For every op with a `cnn.strategy`:

    1. If its only user is an elementwise op of the same shape (the ReLU
       after a convolution, the divisor of an average pool), that consumer
       becomes the root of the tile loops and the op is fused into it, so the
       epilogue runs on the tile while it is in registers.
    2. The root is tiled at the cache level (in the strategy's loop order),
       then at the register level, with the op and the `linalg.fill` or
       `linalg.broadcast` that initializes its accumulator fused into the
       tile (TilingInterface, `scf::tileConsumerAndFuseProducersUsingSCF`).
    3. Register-level loops whose tile does not divide their range are peeled
       (`scf::peelForLoopAndSimplifyBounds`), so that the main tiles and the
       remainder both have static shapes and both vectorize.
    4. The reduction loops of every tiled copy are tiled
       (`scf::tileUsingSCF`). A convolution's loop over filter rows skips
       the padding rows (`cnn.nonzero_input_rows`); before that, its edge
       tiles are split by filter columns so as to skip the padding columns'
       taps (`cnn.nonzero_input_columns`), where those are at least 4 % of
       the taps and no consumer is fused.
    5. Tiles of a convolution with a blocked filter (`filter_block`), which
       the conversion rebuilds in HWCF layout, read their filter slices from
       the blocked filter itself when they lie within one block: the rebuilt
       filter is then dead and never computed.

    The ops of each register tile carry the unit attribute
    `cnn.register_tile`, which tells `convforge-vectorize` what to vectorize
    even where a single-iteration tile loop has been folded away.

    Aggregate ops (`linalg.softmax`) are first decomposed into generics.
  }];
  let dependentDialects = [
    "mlir::affine::AffineDialect",
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def ConvForgeVectorize : Pass<"convforge-vectorize", "mlir::func::FuncOp"> {
  let summary = "Decompose tiled convolutions and pools to 1-D and vectorize";
  let description = [{
    Rewrites tiled 2-D convolutions and pools whose height and filter height
    tiles are 1 into their 1-D forms (`linalg::populateDecomposeConvolutionPatterns`),
    vectorizes every op of a register tile (`linalg::vectorize`), and
    hoists the accumulator reads and writes out of the reduction loops so the
    output tile stays in registers. Other ops (e.g. the filter transpose) are
    left to loops: vectorizing a large untiled op would unroll it entirely.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect",
  ];
}

#endif // CONVFORGE_CODEGEN_PASSES_TD
