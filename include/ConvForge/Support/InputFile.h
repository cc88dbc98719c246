//===- InputFile.h - Open a user's data file with clear errors --*- C++ -*-===//

#ifndef CONVFORGE_SUPPORT_INPUTFILE_H
#define CONVFORGE_SUPPORT_INPUTFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <limits>
#include <memory>

namespace convforge {

struct InputFileOptions {
  /// Files larger than this are refused before they are read.
  uint64_t maxBytes = std::numeric_limits<uint64_t>::max();
  /// Whether the buffer must end with a '\0' (parsers of text need it; it
  /// costs a copy instead of an mmap when the size is a multiple of the page
  /// size).
  bool nullTerminated = false;
};

/// Maps `path` into memory, with a distinct message for each way a path can
/// fail to be a readable, non-empty regular file: missing, a directory, a
/// device, pipe or socket (which could be endless, like /dev/zero),
/// unreadable, empty, or larger than `options.maxBytes`. The messages are
/// the reason alone ("no such file"); `kind` (e.g. ".npy") completes them
/// ("is a directory, not a .npy file").
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
mapInputFile(llvm::StringRef path, llvm::StringRef kind,
             const InputFileOptions &options = {});

/// mapInputFile with messages that start with the path
/// ("net/conv1.npy: no such file").
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
openInputFile(llvm::StringRef path, llvm::StringRef kind,
              const InputFileOptions &options = {});

} // namespace convforge

#endif // CONVFORGE_SUPPORT_INPUTFILE_H
