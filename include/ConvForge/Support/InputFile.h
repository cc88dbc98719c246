//===- InputFile.h - Open a user's data file with clear errors --*- C++ -*-===//

#ifndef CONVFORGE_SUPPORT_INPUTFILE_H
#define CONVFORGE_SUPPORT_INPUTFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

namespace convforge {

/// Maps `path` into memory, with a distinct message for each way a path can
/// fail to be a readable, non-empty file: missing, a directory, unreadable,
/// empty. Errors start with the path; `kind` (e.g. ".npy") completes them
/// ("is a directory, not a .npy file").
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
openInputFile(llvm::StringRef path, llvm::StringRef kind);

} // namespace convforge

#endif // CONVFORGE_SUPPORT_INPUTFILE_H
