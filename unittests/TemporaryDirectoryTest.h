//===- TemporaryDirectoryTest.h - Tests that write files ---------*- C++
//-*-===//

#ifndef CONVFORGE_UNITTESTS_TEMPORARYDIRECTORYTEST_H
#define CONVFORGE_UNITTESTS_TEMPORARYDIRECTORYTEST_H

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <string>

namespace convforge::testing {

/// A fresh temporary directory per test, removed with its contents at the
/// end.
class TemporaryDirectoryTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("convforge-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  /// The path of `name` in the directory.
  std::string path(llvm::StringRef name) const {
    llvm::SmallString<128> result(dir);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }

  /// Writes `bytes` to the file `name` in the directory.
  void writeBytes(llvm::StringRef name, llvm::StringRef bytes) const {
    std::error_code ec;
    llvm::raw_fd_ostream os(path(name), ec);
    ASSERT_FALSE(ec) << ec.message();
    os << bytes;
  }

  llvm::SmallString<128> dir;
};

} // namespace convforge::testing

#endif // CONVFORGE_UNITTESTS_TEMPORARYDIRECTORYTEST_H
