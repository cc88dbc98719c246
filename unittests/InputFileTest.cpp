//===- InputFileTest.cpp - Opening users' data files ----------------------===//
//
// Every way a path can fail to be a readable regular file gets its own
// message, and nothing is read from a file that could be endless (a device,
// a pipe) or is larger than the caller allows. (Missing files, directories,
// empty and unreadable files are tested through the readers in
// NumpyFileTest and SafeTensorsFileTest.)
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Support/InputFile.h"
#include "ConvForge/Support/NumpyFile.h"

#include "TemporaryDirectoryTest.h"
#include "TextAssertions.h"

#include "gtest/gtest.h"

#include <sys/stat.h>

using namespace convforge;
using convforge::testing::containsText;

namespace {

std::string
errorOf(llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer) {
  if (buffer)
    return "(no error)";
  return llvm::toString(buffer.takeError());
}

class InputFile : public convforge::testing::TemporaryDirectoryTest {};

TEST_F(InputFile, CharacterDeviceIsRefusedUnread) {
  // /dev/zero never ends: reading it would exhaust memory.
  EXPECT_EQ(errorOf(mapInputFile("/dev/zero", ".npy")),
            "is a character device, not a .npy file");
  EXPECT_EQ(errorOf(openInputFile("/dev/zero", ".safetensors")),
            "/dev/zero: is a character device, not a .safetensors file");
  // Through a link too (the type is the target's).
  ASSERT_FALSE(llvm::sys::fs::create_link("/dev/zero", path("zero.npy")));
  EXPECT_PRED_FORMAT2(containsText,
                      errorOf(openInputFile(path("zero.npy"), ".npy")),
                      "zero.npy: is a character device, not a .npy file");
}

TEST_F(InputFile, NamedPipeIsRefusedWithoutBlocking) {
  // Opening a FIFO nobody writes to would block forever.
  std::string fifo = path("pipe.npy");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(errorOf(mapInputFile(fifo, ".npy")),
            "is a named pipe, not a .npy file");
}

TEST_F(InputFile, SizeLimit) {
  writeBytes("ten.bin", "0123456789");
  InputFileOptions options;
  options.maxBytes = 9;
  EXPECT_EQ(errorOf(mapInputFile(path("ten.bin"), "test", options)),
            "the file has 10 bytes, more than the limit of 9 bytes for a "
            "test file");
  options.maxBytes = 10;
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      mapInputFile(path("ten.bin"), "test", options);
  ASSERT_TRUE(static_cast<bool>(buffer)) << llvm::toString(buffer.takeError());
  EXPECT_EQ((*buffer)->getBuffer(), "0123456789");
}

TEST_F(InputFile, NullTerminatedOnRequest) {
  writeBytes("text.yaml", "a: 1\n");
  InputFileOptions options;
  options.nullTerminated = true;
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      mapInputFile(path("text.yaml"), "test", options);
  ASSERT_TRUE(static_cast<bool>(buffer)) << llvm::toString(buffer.takeError());
  EXPECT_EQ((*buffer)->getBufferEnd()[0], '\0');
}

TEST_F(InputFile, MessagesWithAndWithoutThePath) {
  EXPECT_EQ(errorOf(mapInputFile(path("none.npy"), ".npy")), "no such file");
  EXPECT_EQ(errorOf(openInputFile(path("none.npy"), ".npy")),
            path("none.npy") + ": no such file");
  EXPECT_EQ(errorOf(mapInputFile(dir, ".npy")),
            "is a directory, not a .npy file");
  writeBytes("empty.npy", "");
  EXPECT_EQ(errorOf(mapInputFile(path("empty.npy"), ".npy")),
            "the file is empty (0 bytes), not a .npy file");
}

} // namespace
