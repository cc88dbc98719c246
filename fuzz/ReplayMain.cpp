//===- ReplayMain.cpp - Run a fuzz target on given inputs -----------------===//
//
// The main() of a fuzz target built without libFuzzer: runs
// LLVMFuzzerTestOneInput once on every file given, and on every file of
// every directory given (sorted, not recursively), as
// `convforge-fuzz-<name> corpus/<name> regressions/<name>` does under ctest.
// A crash is a crash of the target; the last "running" line names the
// input.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int runFile(const std::string &path) {
  llvm::errs() << "running " << path << "\n";
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer) {
    llvm::errs() << "error: cannot read " << path << ": "
                 << buffer.getError().message() << "\n";
    return 1;
  }
  // A copy of exactly the input's size, as libFuzzer passes it, so that a
  // read past its end is caught by AddressSanitizer.
  std::vector<uint8_t> bytes((*buffer)->getBufferStart(),
                             (*buffer)->getBufferEnd());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return 0;
}

int main(int argc, char **argv) {
  unsigned inputs = 0;
  for (int i = 1; i < argc; ++i) {
    std::string path = argv[i];
    if (!llvm::sys::fs::is_directory(path)) {
      if (runFile(path))
        return 1;
      ++inputs;
      continue;
    }
    std::vector<std::string> files;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
         it.increment(ec))
      if (!llvm::sys::fs::is_directory(it->path()))
        files.push_back(it->path());
    if (ec) {
      llvm::errs() << "error: cannot list " << path << ": " << ec.message()
                   << "\n";
      return 1;
    }
    llvm::sort(files);
    for (const std::string &file : files) {
      if (runFile(file))
        return 1;
      ++inputs;
    }
  }
  llvm::errs() << "ran " << inputs << " inputs\n";
  return inputs ? 0 : 1;
}
