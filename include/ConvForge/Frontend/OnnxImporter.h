//===- OnnxImporter.h - ONNX models to the cnn dialect -----------*- C++
//-*-===//
//
// The ONNX frontend: a model (a serialized onnx.ModelProto, read with the
// protobuf classes of Debian's libonnx-dev) becomes a function of cnn ops
// whose weights are the model's initializers. ONNX tensors are NCHW; the
// function takes and returns tensors in ONNX's layout and converts to and
// from the dialect's NHWC inside (docs/OnnxImport.md). Every operator,
// attribute value or type the importer cannot map is refused with an error
// naming the node and its operator.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_FRONTEND_ONNXIMPORTER_H
#define CONVFORGE_FRONTEND_ONNXIMPORTER_H

#include "ConvForge/Support/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace convforge {

struct OnnxImportOptions {
  /// Models whose weights (after the import's transformations, e.g. grouped
  /// filters expanded) need more bytes are refused.
  uint64_t maxWeightBytes = 16ull << 30;
};

/// Imports the ONNX model `bytes` (the contents of the file `path`, which
/// names the model in messages and, by its stem, the function) into a module
/// holding `func.func @<stem>(%input: tensor<...>) -> tensor<...>` of cnn
/// ops. The argument and the result have the shapes of the graph's input and
/// output, in ONNX's layout. Weights are `arith.constant dense_resource<...>`;
/// every op is located at NameLoc(node name, FileLineColLoc(path, 0, 0)).
/// Errors are emitted as MLIR diagnostics at FileLineColLoc(path, 0, 0),
/// e.g. "node 'conv1' (Conv): dilations [2, 2] are not supported ..."; returns
/// null on any error.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnx(llvm::StringRef bytes, llvm::StringRef path,
           mlir::MLIRContext *context, const OnnxImportOptions &options = {});

/// The operators (default domain) the importer maps; some of their attribute
/// values and configurations are refused with a reason.
llvm::ArrayRef<llvm::StringLiteral> getOnnxOperators();

/// Reads a serialized onnx.TensorProto of float32 (the `.pb` files of ONNX's
/// test data) as a Tensor.
llvm::Expected<Tensor> parseOnnxTensor(llvm::StringRef bytes);

} // namespace convforge

#endif // CONVFORGE_FRONTEND_ONNXIMPORTER_H
