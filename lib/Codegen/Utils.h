//===- Utils.h - Helpers shared by the codegen passes -----------*- C++ -*-===//

#ifndef CONVFORGE_LIB_CODEGEN_UTILS_H
#define CONVFORGE_LIB_CODEGEN_UTILS_H

#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace convforge {

/// Canonicalizes and CSEs everything under `root`. Used between the steps of
/// a pass, e.g. to fold the `affine.min` of peeled tiles into static sizes.
void canonicalizeAndCse(mlir::Operation *root);

/// Applies the patterns that `populate` adds, greedily, in a run of their
/// own (mixing some vector lowering groups in one run does not terminate).
void applyPatternGroup(
    mlir::Operation *root,
    llvm::function_ref<void(mlir::RewritePatternSet &)> populate);

/// The offset along dimension `dim` of `value` within the tensor its chain
/// of 4-D `tensor.extract_slice`s (unit stride along `dim`) starts from,
/// the offsets summed with folded `affine.apply`s (an attribute when they
/// are all constants), and that tensor. std::nullopt when a slice of the
/// chain is of another kind.
struct ComposedOffset {
  mlir::OpFoldResult offset;
  mlir::Value source;
};
std::optional<ComposedOffset> composeSliceOffset(mlir::RewriterBase &rewriter,
                                                 mlir::Location loc,
                                                 mlir::Value value,
                                                 unsigned dim);

} // namespace convforge

#endif // CONVFORGE_LIB_CODEGEN_UTILS_H
