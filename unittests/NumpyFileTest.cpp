//===- NumpyFileTest.cpp - Reading and writing .npy files -----------------===//
//
// Round trips, the exact bytes NumPy writes, the header grammar, and one
// hand-written file per error, checking that the message says what is wrong.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Support/NumpyFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "TemporaryDirectoryTest.h"
#include "TextAssertions.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace convforge;

namespace {

using convforge::testing::containsText;
using convforge::testing::startsWithText;

/// The bytes of `values` as little-endian float32 (the tests run on
/// little-endian hosts, like every platform ConvForge targets).
std::string floatBytes(llvm::ArrayRef<float> values) {
  return std::string(reinterpret_cast<const char *>(values.data()),
                     values.size() * sizeof(float));
}

/// A .npy file with `header` verbatim (no padding) and `data`; `major`
/// selects the header length field (16 bits for 1, 32 bits otherwise).
std::string npyBytes(llvm::StringRef header, llvm::StringRef data,
                     unsigned major = 1) {
  std::string bytes("\x93NUMPY", 6);
  bytes.push_back(static_cast<char>(major));
  bytes.push_back(0);
  unsigned lengthSize = major == 1 ? 2 : 4;
  for (unsigned i = 0; i < lengthSize; ++i)
    bytes.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
  bytes += header;
  bytes += data;
  return bytes;
}

std::string header(llvm::StringRef shape, llvm::StringRef descr = "<f4",
                   llvm::StringRef fortran = "False") {
  return ("{'descr': '" + descr + "', 'fortran_order': " + fortran +
          ", 'shape': " + shape + ", }\n")
      .str();
}

/// The message of a failed result; a test failure if it succeeded.
template <typename T> std::string errorOf(llvm::Expected<T> result) {
  if (result) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(result.takeError());
}

std::string errorOf(llvm::Error error) {
  if (!error) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(std::move(error));
}

std::string parseError(llvm::StringRef bytes) {
  return errorOf(parseNpy(bytes));
}

/// A tensor of `shape` with distinct, non-trivial values (including a
/// negative zero, an infinity and a denormal when there is room).
Tensor makeTensor(llvm::ArrayRef<int64_t> shape) {
  Tensor tensor(shape);
  for (size_t i = 0; i < tensor.data.size(); ++i)
    tensor.data[i] = static_cast<float>(i) * 0.25f - 3.0f;
  if (tensor.data.size() > 3) {
    tensor.data[0] = -0.0f;
    tensor.data[1] = std::numeric_limits<float>::infinity();
    tensor.data[2] = std::numeric_limits<float>::denorm_min();
  }
  return tensor;
}

/// Bitwise equality (so that -0.0 and NaN payloads count).
void expectSameTensor(const Tensor &actual, const Tensor &expected) {
  EXPECT_EQ(actual.shape, expected.shape);
  ASSERT_EQ(actual.data.size(), expected.data.size());
  // (memcmp must not see the null data() of an empty vector.)
  if (!expected.data.empty())
    EXPECT_EQ(std::memcmp(actual.data.data(), expected.data.data(),
                          expected.data.size() * sizeof(float)),
              0);
}

const std::vector<llvm::SmallVector<int64_t, 6>> kShapes = {{},
                                                            {0},
                                                            {1},
                                                            {7},
                                                            {2, 3},
                                                            {2, 0, 3},
                                                            {1, 2, 3, 4},
                                                            {2, 1, 3, 1, 2, 2},
                                                            {1, 1, 1, 1, 1, 1},
                                                            {3, 100},
                                                            {123456, 1}};

TEST(NumpyFile, RoundTrip) {
  for (const auto &shape : kShapes) {
    SCOPED_TRACE(formatShape(shape));
    Tensor tensor = makeTensor(shape);
    std::string bytes = serializeNpy(tensor);
    llvm::Expected<Tensor> parsed = parseNpy(bytes);
    ASSERT_TRUE(static_cast<bool>(parsed))
        << llvm::toString(parsed.takeError());
    expectSameTensor(*parsed, tensor);
  }
}

TEST(NumpyFile, NaNPayloadSurvives) {
  Tensor tensor({2}, 0.0f);
  uint32_t payload = 0x7fc01234;
  std::memcpy(&tensor.data[0], &payload, sizeof(payload));
  llvm::Expected<Tensor> parsed = parseNpy(serializeNpy(tensor));
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  expectSameTensor(*parsed, tensor);
}

// np.save(f, np.arange(6, dtype=np.float32).reshape(2, 3)) with NumPy 1.x:
// the dict, 21 - len("2") = 20 spaces of room for the first axis to grow,
// padding spaces and a newline so that the 10-byte preamble plus the header
// is 128 bytes; 'v' = 118 = 128 - 10 is the header length.
TEST(NumpyFile, SerializeMatchesNumpyBytes) {
  std::string expected("\x93NUMPY\x01\x00v\x00", 10);
  expected += "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  expected.append(128 - 1 - expected.size(), ' ');
  expected += '\n';
  ASSERT_EQ(expected.size(), 128u);
  expected += floatBytes({0, 1, 2, 3, 4, 5});

  Tensor tensor({2, 3}, AlignedFloats{0, 1, 2, 3, 4, 5});
  EXPECT_EQ(serializeNpy(tensor), expected);
}

TEST(NumpyFile, SerializeScalarAndVectorHeaders) {
  // A scalar's shape is () and gets no growth room; a vector's is (n,).
  std::string scalar = serializeNpy(Tensor({}, AlignedFloats{1.5f}));
  EXPECT_PRED_FORMAT2(containsText, scalar, "'shape': (), }");
  std::string vector = serializeNpy(Tensor({5}, 0.0f));
  EXPECT_PRED_FORMAT2(containsText, vector, "'shape': (5,), }");
}

TEST(NumpyFile, HeaderIsPaddedTo64Bytes) {
  for (const auto &shape : kShapes) {
    SCOPED_TRACE(formatShape(shape));
    std::string bytes = serializeNpy(Tensor(shape));
    ASSERT_GE(bytes.size(), 10u);
    size_t length = static_cast<uint8_t>(bytes[8]) |
                    static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8;
    EXPECT_EQ((10 + length) % 64, 0u);
    EXPECT_EQ(bytes[10 + length - 1], '\n');
    EXPECT_EQ(bytes.size() - 10 - length,
              Tensor(shape).data.size() * sizeof(float));
  }
  // A header longer than 128 bytes goes to the next multiple of 64.
  std::string longer = serializeNpy(
      Tensor({1000000000, 1000000000, 1000000000, 1000000000, 0, 1000000000}));
  EXPECT_EQ(longer[8], static_cast<char>(192 - 10));
  EXPECT_EQ(longer.size(), 192u);
  // Like NumPy, a header that is already aligned (here the preamble plus the
  // dict, growth room and newline make exactly 128 bytes) still gets 64
  // bytes of padding, never 0.
  std::string aligned =
      serializeNpy(Tensor({0, 1000000000, 1000000000, 1000000000, 100}));
  EXPECT_EQ(aligned.find('}') + 1 + (21 - 1) + 1, 128u);
  EXPECT_EQ(aligned.size(), 192u);
}

TEST(NumpyFile, Version2And3Headers) {
  std::string data = floatBytes({1, 2, 3, 4, 5, 6});
  for (unsigned major : {2u, 3u}) {
    SCOPED_TRACE(major);
    llvm::Expected<Tensor> parsed =
        parseNpy(npyBytes(header("(3, 2)"), data, major));
    ASSERT_TRUE(static_cast<bool>(parsed))
        << llvm::toString(parsed.takeError());
    EXPECT_EQ(parsed->shape, (llvm::SmallVector<int64_t, 6>{3, 2}));
    EXPECT_EQ(parsed->data, (AlignedFloats{1, 2, 3, 4, 5, 6}));
  }
}

TEST(NumpyFile, HeaderGrammarVariants) {
  std::string data = floatBytes({1, 2, 3, 4, 5, 6});
  const char *headers[] = {
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
      "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
      "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}",
      "{'descr':'<f4','fortran_order':False,'shape':(2,3,)}",
      "  { 'descr' :'<f4' ,\n'fortran_order' :False,'shape': ( 2 ,3 ) ,}\n",
      "{'fortran_order': False, 'descr': '<f4', 'shape': (2, 3)}\r\n",
  };
  for (const char *text : headers) {
    SCOPED_TRACE(text);
    llvm::Expected<Tensor> parsed = parseNpy(npyBytes(text, data));
    ASSERT_TRUE(static_cast<bool>(parsed))
        << llvm::toString(parsed.takeError());
    EXPECT_EQ(parsed->shape, (llvm::SmallVector<int64_t, 6>{2, 3}));
  }
  llvm::Expected<Tensor> vector = parseNpy(npyBytes(header("(6,)"), data));
  ASSERT_TRUE(static_cast<bool>(vector)) << llvm::toString(vector.takeError());
  EXPECT_EQ(vector->shape, (llvm::SmallVector<int64_t, 6>{6}));
  llvm::Expected<Tensor> scalar =
      parseNpy(npyBytes(header("()"), floatBytes({7})));
  ASSERT_TRUE(static_cast<bool>(scalar)) << llvm::toString(scalar.takeError());
  EXPECT_TRUE(scalar->shape.empty());
  EXPECT_EQ(scalar->data, AlignedFloats{7});
}

TEST(NumpyFile, BadMagic) {
  EXPECT_PRED_FORMAT2(containsText, parseError(""), "not a .npy file");
  EXPECT_PRED_FORMAT2(containsText, parseError("PK\x03\x04 a zip file"),
                      "not a .npy file");
  EXPECT_PRED_FORMAT2(containsText, parseError("\x93NUM"), "not a .npy file");
}

TEST(NumpyFile, UnsupportedVersion) {
  std::string bytes = npyBytes(header("(1,)"), floatBytes({1}));
  bytes[6] = 4;
  EXPECT_PRED_FORMAT2(containsText, parseError(bytes),
                      "unsupported .npy format version 4.0");
  bytes[6] = 1;
  bytes[7] = 1;
  EXPECT_PRED_FORMAT2(containsText, parseError(bytes),
                      "unsupported .npy format version 1.1");
}

TEST(NumpyFile, TruncatedPreamble) {
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(llvm::StringRef("\x93NUMPY\x01", 7)),
                      "ends inside the format version");
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(llvm::StringRef("\x93NUMPY\x01\x00\x10", 9)),
                      "ends inside the header length");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(llvm::StringRef("\x93NUMPY\x02\x00\x10\x00", 10)),
      "ends inside the header length");
}

TEST(NumpyFile, HeaderLengthBeyondFile) {
  std::string bytes = npyBytes(header("(1,)"), "");
  bytes[8] = static_cast<char>(0xff);
  bytes[9] = static_cast<char>(0xff);
  EXPECT_PRED_FORMAT2(containsText, parseError(bytes),
                      "the header length is 65535 bytes but only");
  // Version 2.0: a 32-bit length within the limit but beyond the file.
  std::string v2 = npyBytes(header("(1,)"), "", 2);
  v2[10] = static_cast<char>(0x0f);
  EXPECT_PRED_FORMAT2(containsText, parseError(v2),
                      "truncated .npy file: the header "
                      "length is");
}

TEST(NumpyFile, ShapeIsCheckedBeforeTheData) {
  std::string bytes =
      npyBytes(header("(2, 3)"), floatBytes({1, 2, 3, 4, 5, 6}));
  std::vector<std::vector<int64_t>> seen;
  auto refuse = [&](llvm::ArrayRef<int64_t> shape) -> llvm::Error {
    seen.emplace_back(shape.begin(), shape.end());
    return llvm::createStringError("not this shape");
  };
  // The caller's error, as is (not a parse error).
  EXPECT_EQ(errorOf(parseNpy(bytes, refuse)), "not this shape");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], (std::vector<int64_t>{2, 3}));
  auto accept = [&](llvm::ArrayRef<int64_t>) { return llvm::Error::success(); };
  llvm::Expected<Tensor> tensor = parseNpy(bytes, accept);
  ASSERT_TRUE(static_cast<bool>(tensor)) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->data.size(), 6u);
  // Not called for a file that is invalid anyway.
  seen.clear();
  EXPECT_PRED_FORMAT2(startsWithText,
                      errorOf(parseNpy(npyBytes(header("(2, 3)"), ""), refuse)),
                      "truncated .npy file");
  EXPECT_TRUE(seen.empty());
}

TEST(NumpyFile, HugeHeader) {
  // A 32-bit length near 4 GiB is refused as such, file size regardless.
  std::string v2 = npyBytes(header("(1,)"), floatBytes({1}), 2);
  v2[11] = static_cast<char>(0xff);
  EXPECT_PRED_FORMAT2(startsWithText, parseError(v2),
                      "corrupt .npy file: the header length is");
  EXPECT_PRED_FORMAT2(containsText, parseError(v2),
                      "more than the limit of 1 MiB (1048576 bytes)");
  // So is a header of 1 MiB + 1 byte that is all there (spaces are valid
  // padding), while one of exactly 1 MiB is read.
  for (uint64_t length : {uint64_t(1 << 20) + 1, uint64_t(1 << 20)}) {
    std::string text = "{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (1,), }";
    text.append(length - text.size() - 1, ' ');
    text.push_back('\n');
    std::string bytes("\x93NUMPY\x02\x00", 8);
    for (unsigned i = 0; i < 4; ++i)
      bytes.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
    bytes += text + floatBytes({2.5f});
    llvm::Expected<Tensor> tensor = parseNpy(bytes);
    if (length > (1 << 20)) {
      ASSERT_FALSE(tensor);
      EXPECT_PRED_FORMAT2(containsText, llvm::toString(tensor.takeError()),
                          "more than the limit of 1 MiB");
    } else {
      ASSERT_TRUE(static_cast<bool>(tensor))
          << llvm::toString(tensor.takeError());
      EXPECT_EQ(tensor->data, AlignedFloats{2.5f});
    }
  }
}

TEST(NumpyFile, MalformedHeader) {
  std::string data = floatBytes({1, 2});
  struct Case {
    const char *header;
    const char *phrase;
  } cases[] = {
      {"", "expected '{' (the header is a Python dict literal)"},
      {"['descr', '<f4']", "expected '{'"},
      {"{'descr' '<f4', 'fortran_order': False, 'shape': (2,)}",
       "expected ':' after the key 'descr' at character 9"},
      {"{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}",
       "expected ',' or '}' after the value of 'descr'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)",
       "expected ',' or '}' after the value of 'shape'"},
      {"{descr: '<f4', 'fortran_order': False, 'shape': (2,)}",
       "expected a quoted key or '}' at character 1, found 'd'"},
      {"{'descr': '<f4', 'fortran_order': false, 'shape': (2,)}",
       "expected True or False as the value of 'fortran_order'"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}",
       "expected True or False"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [2]}",
       "expected a tuple such as (3, 4), (3,) or () as the value of 'shape'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2)}",
       "a one-element tuple is written (2,)"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2 1)}",
       "expected ',' or ')' in the shape tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2L,)}",
       "expected ',' or ')' in the shape tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (,)}",
       "expected an integer dimension"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (02,)}",
       "expected an integer without leading zeros"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,)}",
       "expected ',' or ')' in the shape tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x",
       "expected only spaces and a newline after the closing '}'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,),,}",
       "expected a quoted key or '}'"},
      {"{'descr': 42, 'fortran_order': False, 'shape': (2,)}",
       "expected a quoted dtype such as '<f4' as the value of 'descr'"},
      {"{'descr': '<\\x66\\x34', 'fortran_order': False, 'shape': (2,)}",
       "expected a string without escape sequences"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
       "unexpected key 'x'"},
      {"{'descr': '<f4', 'shape': (1,), 'fortran_order': False, "
       "'shape': (2,)}",
       "the key 'shape' appears twice"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.header);
    std::string message = parseError(npyBytes(c.header, data));
    EXPECT_PRED_FORMAT2(containsText, message, c.phrase);
    EXPECT_PRED_FORMAT2(startsWithText, message, "malformed .npy header");
  }
  // A NUL byte in the padding is named by its value.
  std::string withNul = "{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (2,)}";
  withNul.push_back('\0');
  EXPECT_PRED_FORMAT2(containsText, parseError(npyBytes(withNul, data)),
                      "found byte 0x0");
}

TEST(NumpyFile, MissingKey) {
  std::string data = floatBytes({1, 2});
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(npyBytes("{'descr': '<f4', 'shape': (2,)}", data)),
      "missing key 'fortran_order'");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(npyBytes("{'descr': '<f4', 'fortran_order': False}", data)),
      "missing key 'shape'");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(npyBytes("{'fortran_order': False, 'shape': (2,)}", data)),
      "missing key 'descr'");
  EXPECT_PRED_FORMAT2(containsText, parseError(npyBytes("{}", data)),
                      "missing key");
}

TEST(NumpyFile, UnsupportedDtype) {
  std::string data = floatBytes({1, 2});
  std::string float64 = parseError(npyBytes(header("(1,)", "<f8"), data));
  EXPECT_PRED_FORMAT2(containsText, float64,
                      "unsupported dtype '<f8' (float64)");
  EXPECT_PRED_FORMAT2(containsText, float64, "x.astype(np.float32)");
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(npyBytes(header("(2,)", "<f2"), data)),
                      "'<f2' (float16)");
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(npyBytes(header("(2,)", "<i8"), data)),
                      "'<i8' (int64)");
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(npyBytes(header("(8,)", "|u1"), data)),
                      "'|u1' (uint8)");
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(npyBytes(header("(8,)", "|b1"), data)),
                      "'|b1' (bool)");
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(npyBytes(header("(1,)", ">f8"), data)),
                      "(big-endian float64)");
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(npyBytes(header("(1,)", "<M8[ns]"), data)),
                      "unsupported dtype '<M8[ns]': ConvForge reads float32");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, "
                          "'shape': (2,)}",
                          data)),
      "structured dtype");
}

TEST(NumpyFile, BigEndianFloat32) {
  std::string message =
      parseError(npyBytes(header("(2,)", ">f4"), floatBytes({1, 2})));
  EXPECT_PRED_FORMAT2(containsText, message,
                      "unsupported dtype '>f4' (big-endian float32)");
  EXPECT_PRED_FORMAT2(containsText, message, "x.astype('<f4')");
}

TEST(NumpyFile, FortranOrder) {
  std::string data = floatBytes({1, 2, 3, 4, 5, 6});
  std::string message =
      parseError(npyBytes(header("(2, 3)", "<f4", "True"), data));
  EXPECT_PRED_FORMAT2(containsText, message, "Fortran order");
  EXPECT_PRED_FORMAT2(containsText, message,
                      "save a C-order array: np.save(path, "
                      "np.ascontiguousarray(x))");
  // With at most one dimension larger than 1 the two orders are the same
  // bytes, so these are accepted.
  for (const char *shape : {"(6,)", "(1, 6)", "(6, 1, 1)", "()"}) {
    SCOPED_TRACE(shape);
    llvm::Expected<Tensor> parsed = parseNpy(
        npyBytes(header(shape, "<f4", "True"),
                 llvm::StringRef(shape) == "()" ? floatBytes({1}) : data));
    EXPECT_TRUE(static_cast<bool>(parsed))
        << llvm::toString(parsed.takeError());
  }
}

TEST(NumpyFile, InvalidShape) {
  EXPECT_PRED_FORMAT2(containsText, parseError(npyBytes(header("(2, -3)"), "")),
                      "invalid shape (2, -3): dimension -3 is negative");
  EXPECT_PRED_FORMAT2(
      containsText, parseError(npyBytes(header("(99999999999999999999,)"), "")),
      "dimension 99999999999999999999 does not fit in 64 "
      "bits");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(npyBytes(header("(4294967296, 4294967296)"), "")),
      "invalid shape (4294967296, 4294967296): the number "
      "of elements overflows 64 bits");
  // The element count fits but the byte count (x4) does not.
  EXPECT_PRED_FORMAT2(
      containsText, parseError(npyBytes(header("(4611686018427387904,)"), "")),
      "overflows 64 bits");
}

TEST(NumpyFile, DataSizeMismatch) {
  std::string truncated =
      parseError(npyBytes(header("(2, 3)"), floatBytes({1, 2, 3, 4, 5})));
  EXPECT_PRED_FORMAT2(containsText, truncated, "truncated .npy file");
  EXPECT_PRED_FORMAT2(containsText, truncated,
                      "needs 24 bytes of data but the file has "
                      "20 bytes after the header");
  std::string trailing =
      parseError(npyBytes(header("(2, 3)"), floatBytes({1, 2, 3, 4, 5, 6, 7})));
  EXPECT_PRED_FORMAT2(containsText, trailing, "trailing data");
  EXPECT_PRED_FORMAT2(containsText, trailing,
                      "needs 24 bytes of data but the file has "
                      "28 bytes after the header (4 bytes too "
                      "many)");
  // A huge shape with no data is rejected before anything is allocated.
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(npyBytes(header("(1000000000000,)"), "")),
                      "needs 4000000000000 bytes of data but the file has "
                      "0 bytes");
  EXPECT_PRED_FORMAT2(containsText, parseError(npyBytes(header("(0,)"), "x")),
                      "1 bytes too many");
}

class NumpyFileOnDisk : public convforge::testing::TemporaryDirectoryTest {};

TEST_F(NumpyFileOnDisk, WriteThenRead) {
  for (const auto &shape : kShapes) {
    SCOPED_TRACE(formatShape(shape));
    Tensor tensor = makeTensor(shape);
    std::string file = path("tensor.npy");
    ASSERT_FALSE(static_cast<bool>(writeNpyFile(file, tensor)));
    llvm::Expected<Tensor> read = readNpyFile(file);
    ASSERT_TRUE(static_cast<bool>(read)) << llvm::toString(read.takeError());
    expectSameTensor(*read, tensor);
  }
}

TEST_F(NumpyFileOnDisk, FileWrittenIsSerializeNpy) {
  Tensor tensor = makeTensor({3, 5});
  std::string file = path("a.npy");
  ASSERT_FALSE(static_cast<bool>(writeNpyFile(file, tensor)));
  auto buffer = llvm::MemoryBuffer::getFile(file);
  ASSERT_TRUE(static_cast<bool>(buffer));
  EXPECT_EQ((*buffer)->getBuffer(), serializeNpy(tensor));
}

TEST_F(NumpyFileOnDisk, LargeFile) {
  // Large enough to be memory-mapped rather than read.
  Tensor tensor = makeTensor({256, 1024});
  std::string file = path("large.npy");
  ASSERT_FALSE(static_cast<bool>(writeNpyFile(file, tensor)));
  llvm::Expected<Tensor> read = readNpyFile(file);
  ASSERT_TRUE(static_cast<bool>(read)) << llvm::toString(read.takeError());
  expectSameTensor(*read, tensor);
}

TEST_F(NumpyFileOnDisk, MissingFile) {
  std::string file = path("missing.npy");
  std::string message = errorOf(readNpyFile(file));
  EXPECT_EQ(message, file + ": no such file");
}

TEST_F(NumpyFileOnDisk, Directory) {
  std::string message = errorOf(readNpyFile(dir));
  EXPECT_EQ(message, std::string(dir) + ": is a directory, not a .npy file");
}

TEST_F(NumpyFileOnDisk, EmptyFile) {
  writeBytes("empty.npy", "");
  std::string file = path("empty.npy");
  EXPECT_EQ(errorOf(readNpyFile(file)),
            file + ": the file is empty (0 bytes), not a .npy file");
}

TEST_F(NumpyFileOnDisk, UnreadableFile) {
  writeBytes("secret.npy", serializeNpy(Tensor({1}, 0.0f)));
  std::string file = path("secret.npy");
  ASSERT_FALSE(llvm::sys::fs::setPermissions(file, llvm::sys::fs::no_perms));
  // Root (as in containers) reads the file regardless of its permissions.
  if (auto probe = llvm::MemoryBuffer::getFile(file))
    GTEST_SKIP() << "permissions are not enforced for this user";
  std::string message = errorOf(readNpyFile(file));
  EXPECT_PRED_FORMAT2(startsWithText, message,
                      file + ": cannot read the file: ");
  EXPECT_PRED_FORMAT2(containsText, message, "ermission denied");
}

TEST_F(NumpyFileOnDisk, ShapeCheckErrorsAreNotPrefixed) {
  writeBytes("x.npy", serializeNpy(Tensor({2, 2}, 1.0f)));
  EXPECT_EQ(errorOf(readNpyFile(path("x.npy"),
                                [](llvm::ArrayRef<int64_t>) {
                                  return llvm::createStringError("refused");
                                })),
            "refused");
  // Other errors still start with the path.
  writeBytes("bad.npy", "garbage");
  EXPECT_PRED_FORMAT2(startsWithText,
                      errorOf(readNpyFile(path("bad.npy"),
                                          [](llvm::ArrayRef<int64_t>) {
                                            return llvm::Error::success();
                                          })),
                      path("bad.npy") + ": not a .npy file");
}

TEST_F(NumpyFileOnDisk, ParseErrorsStartWithThePath) {
  writeBytes("bad.npy", "not numpy at all");
  std::string file = path("bad.npy");
  EXPECT_PRED_FORMAT2(startsWithText, errorOf(readNpyFile(file)),
                      file + ": not a .npy file");
  writeBytes("f64.npy", npyBytes(header("(1,)", "<f8"), "12345678"));
  EXPECT_PRED_FORMAT2(startsWithText, errorOf(readNpyFile(path("f64.npy"))),
                      path("f64.npy") + ": unsupported dtype '<f8'");
}

TEST_F(NumpyFileOnDisk, WriteErrors) {
  std::string file = path("no-such-dir/out.npy");
  EXPECT_PRED_FORMAT2(startsWithText,
                      errorOf(writeNpyFile(file, Tensor({2}, 1.0f))),
                      file + ": cannot write the file");
  Tensor malformed({2, 3}, 0.0f);
  malformed.data.pop_back();
  EXPECT_PRED_FORMAT2(containsText,
                      errorOf(writeNpyFile(path("m.npy"), malformed)),
                      "the shape and the data disagree");
  EXPECT_FALSE(llvm::sys::fs::exists(path("m.npy")));
}

} // namespace
