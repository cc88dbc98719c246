//===- Utils.h - Helpers shared by the codegen passes -----------*- C++ -*-===//

#ifndef CONVFORGE_LIB_CODEGEN_UTILS_H
#define CONVFORGE_LIB_CODEGEN_UTILS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"

namespace convforge {

/// Canonicalizes and CSEs everything under `root`. Used between the steps of
/// a pass, e.g. to fold the `affine.min` of peeled tiles into static sizes.
void canonicalizeAndCse(mlir::Operation *root);

/// Applies the patterns that `populate` adds, greedily, in a run of their
/// own (mixing some vector lowering groups in one run does not terminate).
void applyPatternGroup(
    mlir::Operation *root,
    llvm::function_ref<void(mlir::RewritePatternSet &)> populate);

} // namespace convforge

#endif // CONVFORGE_LIB_CODEGEN_UTILS_H
