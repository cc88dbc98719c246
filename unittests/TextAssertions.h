//===- TextAssertions.h - gtest predicates on messages ----------*- C++ -*-===//
//
// For EXPECT_PRED_FORMAT2 on error messages, with both strings in the
// failure output.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_UNITTESTS_TEXTASSERTIONS_H
#define CONVFORGE_UNITTESTS_TEXTASSERTIONS_H

#include "llvm/ADT/StringRef.h"

#include "gtest/gtest.h"

#include <string>

namespace convforge::testing {

/// Whether `text` contains `part`.
inline ::testing::AssertionResult containsText(const char *textExpr,
                                               const char *partExpr,
                                               const std::string &text,
                                               llvm::StringRef part) {
  if (llvm::StringRef(text).contains(part))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << textExpr << " does not contain " << partExpr << "\n  text: \""
         << text << "\"\n  part: \"" << part.str() << "\"";
}

/// Whether `text` starts with `prefix`.
inline ::testing::AssertionResult startsWithText(const char *textExpr,
                                                 const char *prefixExpr,
                                                 const std::string &text,
                                                 llvm::StringRef prefix) {
  if (llvm::StringRef(text).starts_with(prefix))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << textExpr << " does not start with " << prefixExpr << "\n  text: \""
         << text << "\"\n  prefix: \"" << prefix.str() << "\"";
}

} // namespace convforge::testing

#endif // CONVFORGE_UNITTESTS_TEXTASSERTIONS_H
