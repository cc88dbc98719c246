//===- InputFile.cpp - Open a user's data file with clear errors ----------===//

#include "ConvForge/Support/InputFile.h"

#include "llvm/Support/FileSystem.h"

using namespace convforge;

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
convforge::openInputFile(llvm::StringRef path, llvm::StringRef kind) {
  auto fail = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status)) {
    if (ec == std::errc::no_such_file_or_directory)
      return fail(path + ": no such file");
    return fail(path + ": cannot access the file: " + ec.message());
  }
  if (llvm::sys::fs::is_directory(status))
    return fail(path + ": is a directory, not a " + kind + " file");
  // No null terminator: it would force a copy instead of an mmap when the
  // size is a multiple of the page size.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(path +
                ": cannot read the file: " + buffer.getError().message());
  if ((*buffer)->getBufferSize() == 0)
    return fail(path + ": the file is empty (0 bytes), not a " + kind +
                " file");
  return std::move(*buffer);
}
