//===- InputFile.cpp - Open a user's data file with clear errors ----------===//

#include "ConvForge/Support/InputFile.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"

using namespace convforge;

/// "a character device" for the file types that are neither regular files
/// nor directories, or null.
static const char *describeFileType(llvm::sys::fs::file_type type) {
  using llvm::sys::fs::file_type;
  switch (type) {
  case file_type::block_file:
    return "a block device";
  case file_type::character_file:
    return "a character device";
  case file_type::fifo_file:
    return "a named pipe";
  case file_type::socket_file:
    return "a socket";
  default:
    return nullptr;
  }
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
convforge::mapInputFile(llvm::StringRef path, llvm::StringRef kind,
                        const InputFileOptions &options) {
  auto fail = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status)) {
    if (ec == std::errc::no_such_file_or_directory)
      return fail("no such file");
    return fail("cannot access the file: " + ec.message());
  }
  if (llvm::sys::fs::is_directory(status))
    return fail("is a directory, not a " + kind + " file");
  // Devices and pipes have no size and may never end (/dev/zero, a FIFO
  // nobody writes to): reading them could exhaust memory or block forever.
  if (!llvm::sys::fs::is_regular_file(status)) {
    if (const char *type = describeFileType(status.type()))
      return fail(llvm::Twine("is ") + type + ", not a " + kind + " file");
    return fail("is not a regular file, so not a " + kind + " file");
  }
  uint64_t size = status.getSize();
  if (size == 0)
    return fail("the file is empty (0 bytes), not a " + kind + " file");
  if (size > options.maxBytes)
    return fail("the file has " + llvm::Twine(size) +
                " bytes, more than the limit of " +
                llvm::Twine(options.maxBytes) + " bytes for a " + kind +
                " file");
  // Without a null terminator the file is mapped, not copied, whatever its
  // size.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  options.nullTerminated);
  if (!buffer)
    return fail("cannot read the file: " + buffer.getError().message());
  // The file may have shrunk since its status was read.
  if ((*buffer)->getBufferSize() == 0)
    return fail("the file is empty (0 bytes), not a " + kind + " file");
  return std::move(*buffer);
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
convforge::openInputFile(llvm::StringRef path, llvm::StringRef kind,
                         const InputFileOptions &options) {
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      mapInputFile(path, kind, options);
  if (!buffer)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": " +
                                       llvm::toString(buffer.takeError()));
  return buffer;
}
