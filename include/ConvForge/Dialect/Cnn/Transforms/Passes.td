//===- Passes.td - Passes on the cnn dialect ----------------*- tablegen -*-===//

#ifndef CONVFORGE_DIALECT_CNN_TRANSFORMS_PASSES_TD
#define CONVFORGE_DIALECT_CNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CnnPrintStats : Pass<"cnn-print-stats", "mlir::ModuleOp"> {
  let summary = "Print the volume arithmetic of every layer";
  let description = [{
    For every function of the module, prints a table with one row per `cnn`
    layer: the output volume (H×W×D per image), the number of neurons, the
    weights and biases with parameter sharing, the parameters the layer
    would have without sharing (the locally-connected count: every neuron
    with its own F·F·D1 weights and bias), and the multiply-accumulates per
    image; then the totals, and the FLOPs (2 per multiply-accumulate) for the
    whole batch. For the first AlexNet layer of the CS231n notes (227×227×3
    input, 96 filters 11×11, stride 4) it shows 55×55×96, 290,400 neurons,
    34,944 parameters with sharing and 105,705,600 without.

    Every shape must be static: run `cnn-shape-inference` first. The IR is not
    changed.
  }];
  let options = [
    Option<"toStderr", "to-stderr", "bool", /*default=*/"false",
           "Print the report to stderr instead of stdout">,
  ];
}

def CnnShapeInference : Pass<"cnn-shape-inference", "mlir::func::FuncOp"> {
  let summary = "Refine unknown result shapes of cnn ops from the arguments";
  let description = [{
    Walks a function in order and replaces every `cnn` result type by the
    type the op infers from its (already refined) operands, so that a
    network written with `tensor<*xf32>` or `?` dimensions for its
    intermediate values becomes fully static once its argument shapes are
    known. Inferred types only ever refine: a known dimension is never
    changed (a conflict is left to the verifier, which reports it).

    Users of a refined value that are not `cnn` ops get a `tensor.cast` back
    to the type they saw. When the function is not called from within the
    module, its result types are refined too; otherwise a cast is inserted
    before the return.

    Invalid configurations that become visible only once shapes are known
    (e.g. a stride that does not divide) are reported by the verifier that
    runs after the pass, with the op's own message.
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

#endif // CONVFORGE_DIALECT_CNN_TRANSFORMS_PASSES_TD
