//===- Workspace.h - One caller-provided buffer for temporaries -*- C++ -*-===//
//
// The compiled code's temporaries (activations between layers, padded
// inputs) are views into one workspace buffer that the caller passes, laid
// out at compile time by convforge-plan-workspace. This header names the
// attributes through which the rest of the compiler finds it.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_CODEGEN_WORKSPACE_H
#define CONVFORGE_CODEGEN_WORKSPACE_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace convforge {

/// On a function: its workspace size in bytes (an i64 attribute), when it
/// takes one. The workspace is then its last argument, a memref<Nxi8>.
constexpr llvm::StringLiteral kWorkspaceBytesAttrName =
    "convforge.workspace_bytes";

/// The alignment of the workspace's base and of every buffer in it.
constexpr int64_t kWorkspaceAlignment = 64;

} // namespace convforge

#endif // CONVFORGE_CODEGEN_WORKSPACE_H
