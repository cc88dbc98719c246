//===- SpecImporter.h - Network spec (YAML) to the cnn dialect --*- C++ -*-===//
//
// The network spec frontend: a network written as YAML (docs/SpecFormat.md)
// becomes a function of cnn ops whose weights are constants, loaded from
// .npy / .safetensors files or generated deterministically from a seed.
// Every error, from YAML syntax to a stride that does not divide, is an MLIR
// diagnostic at the spec's file:line:col.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_FRONTEND_SPECIMPORTER_H
#define CONVFORGE_FRONTEND_SPECIMPORTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/SourceMgr.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>

namespace convforge {

struct SpecImportOptions {
  /// Overrides the spec's `seed`.
  std::optional<uint64_t> seed;
  /// Specs whose weights need more bytes are refused (with an error, before
  /// anything is allocated).
  uint64_t maxWeightBytes = 16ull << 30;
  /// Specs with more layers are refused once the YAML is read.
  unsigned maxLayers = std::numeric_limits<unsigned>::max();
  /// Called on the function once every layer is built and verified, before
  /// any weight is read or generated (the weights are then operand-less
  /// placeholders of their final types); a failure (it reports its own
  /// error) stops the import. The tools check their memory limit here.
  std::function<mlir::LogicalResult(mlir::func::FuncOp)> checkNetwork;
};

/// Imports the spec in `sourceMgr`'s main buffer into a module holding
/// `func.func @<name>(%input: tensor<NxHxWxDxf32>) -> tensor<...>` of cnn
/// ops, weights as `arith.constant dense_resource<...>`
/// (DenseResourceElementsAttr with a HeapAsmResourceBlob, which avoids
/// uniquing hundreds of MB), every op located at NameLoc(layer name,
/// FileLineColLoc(spec file, line, col of the layer's `type` key)). Errors
/// are emitted as MLIR diagnostics at the offending spec location and
/// mention the layer name (e.g. "layer 'conv1': unknown key 'fitlers' ...");
/// returns null on any error. Relative paths in the spec are relative to the
/// directory of the buffer's identifier.
mlir::OwningOpRef<mlir::ModuleOp>
importSpec(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context,
           const SpecImportOptions &options = {});

} // namespace convforge

#endif // CONVFORGE_FRONTEND_SPECIMPORTER_H
