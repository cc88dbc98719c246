//===- SafeTensorsFileTest.cpp - Reading and writing .safetensors ---------===//
//
// Round trips through files, hand-written headers for every validation, and
// the messages of unknown names, other dtypes and file-system errors.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Support/SafeTensorsFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "TemporaryDirectoryTest.h"
#include "TextAssertions.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace convforge;

namespace {

using convforge::testing::containsText;
using convforge::testing::startsWithText;

/// A .safetensors file: the 8-byte length of `header`, `header`, `data`.
std::string fileBytes(llvm::StringRef header, llvm::StringRef data) {
  char length[8];
  llvm::support::endian::write64le(length, header.size());
  return std::string(length, 8) + header.str() + data.str();
}

std::string floatBytes(llvm::ArrayRef<float> values) {
  return std::string(reinterpret_cast<const char *>(values.data()),
                     values.size() * sizeof(float));
}

llvm::Expected<SafeTensorsFile> parseBytes(llvm::StringRef bytes) {
  return SafeTensorsFile::parse(llvm::MemoryBuffer::getMemBufferCopy(bytes));
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

/// The error of parsing a file with `header` and `data`.
std::string parseError(llvm::StringRef header, llvm::StringRef data = "") {
  return errorOf(parseBytes(fileBytes(header, data)));
}

Tensor makeTensor(llvm::ArrayRef<int64_t> shape, float start) {
  Tensor tensor(shape);
  for (size_t i = 0; i < tensor.data.size(); ++i)
    tensor.data[i] = start + static_cast<float>(i) * 0.5f;
  return tensor;
}

void expectSameTensor(const Tensor &actual, const Tensor &expected) {
  EXPECT_EQ(actual.shape, expected.shape);
  ASSERT_EQ(actual.data.size(), expected.data.size());
  // (memcmp must not see the null data() of an empty vector.)
  if (!expected.data.empty())
    EXPECT_EQ(std::memcmp(actual.data.data(), expected.data.data(),
                          expected.data.size() * sizeof(float)),
              0);
}

class SafeTensorsOnDisk : public convforge::testing::TemporaryDirectoryTest {};

TEST_F(SafeTensorsOnDisk, RoundTrip) {
  Tensor weight = makeTensor({96, 11, 11, 3}, -1.0f);
  Tensor bias = makeTensor({96}, 2.0f);
  Tensor scalar = makeTensor({}, 42.0f);
  Tensor empty = makeTensor({4, 0, 2}, 0.0f);
  Tensor rank6 = makeTensor({2, 1, 3, 1, 2, 2}, 7.0f);
  std::string file = path("weights.safetensors");
  ASSERT_FALSE(
      static_cast<bool>(SafeTensorsFile::write(file, {{"conv1.weight", &weight},
                                                      {"conv1.bias", &bias},
                                                      {"scale", &scalar},
                                                      {"empty", &empty},
                                                      {"rank6", &rank6}})));

  llvm::Expected<SafeTensorsFile> opened = SafeTensorsFile::open(file);
  ASSERT_TRUE(static_cast<bool>(opened)) << llvm::toString(opened.takeError());
  EXPECT_EQ(opened->getNames(),
            llvm::ArrayRef<std::string>(
                {"conv1.bias", "conv1.weight", "empty", "rank6", "scale"}));
  EXPECT_TRUE(opened->contains("conv1.bias"));
  EXPECT_FALSE(opened->contains("conv1"));
  const std::pair<const char *, const Tensor *> expected[] = {
      {"conv1.weight", &weight},
      {"conv1.bias", &bias},
      {"scale", &scalar},
      {"empty", &empty},
      {"rank6", &rank6}};
  for (const auto &[name, tensor] : expected) {
    SCOPED_TRACE(name);
    llvm::Expected<Tensor> read = opened->read(name);
    ASSERT_TRUE(static_cast<bool>(read)) << llvm::toString(read.takeError());
    expectSameTensor(*read, *tensor);
  }
}

TEST_F(SafeTensorsOnDisk, WrittenLayout) {
  Tensor a = makeTensor({2, 3}, 1.0f);
  Tensor b = makeTensor({1}, 9.0f);
  std::string file = path("layout.safetensors");
  // Given out of order: the file is laid out in name order.
  ASSERT_FALSE(
      static_cast<bool>(SafeTensorsFile::write(file, {{"b", &b}, {"a", &a}})));
  auto buffer = llvm::MemoryBuffer::getFile(file);
  ASSERT_TRUE(static_cast<bool>(buffer));
  llvm::StringRef bytes = (*buffer)->getBuffer();
  ASSERT_GE(bytes.size(), 8u);
  uint64_t length = llvm::support::endian::read64le(bytes.data());
  // The data starts 8-byte aligned, as the reference writer does it.
  EXPECT_EQ(length % 8, 0u);
  llvm::StringRef header = bytes.substr(8, length).rtrim(' ');
  EXPECT_EQ(header, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],"
                    "\"data_offsets\":[0,24]},\"b\":{\"dtype\":\"F32\","
                    "\"shape\":[1],\"data_offsets\":[24,28]}}");
  EXPECT_EQ(bytes.drop_front(8 + length),
            floatBytes({1, 1.5, 2, 2.5, 3, 3.5, 9}));
}

TEST(SafeTensorsFile, HandWrittenFile) {
  // Keys in any order, spaces, metadata, a non-F32 tensor, an empty tensor
  // at an offset inside another one's range (it occupies no bytes), and a
  // gap before the last tensor.
  std::string header =
      R"({"__metadata__": {"format": "pt"},
          "b": {"data_offsets": [8, 12], "shape": [2], "dtype": "F16"},
          "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
          "none": {"dtype": "F32", "shape": [0, 3], "data_offsets": [4, 4]},
          "c": {"dtype": "F32", "shape": [], "data_offsets": [16, 20]}})";
  std::string data =
      floatBytes({1.5f, -2.0f}) + std::string(8, '\0') + floatBytes({3.25f});
  llvm::Expected<SafeTensorsFile> file = parseBytes(fileBytes(header, data));
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  EXPECT_EQ(file->getNames(),
            llvm::ArrayRef<std::string>({"a", "b", "c", "none"}));
  EXPECT_FALSE(file->contains("__metadata__"));
  llvm::Expected<Tensor> a = file->read("a");
  ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(a->data, (AlignedFloats{1.5f, -2.0f}));
  llvm::Expected<Tensor> c = file->read("c");
  ASSERT_TRUE(static_cast<bool>(c)) << llvm::toString(c.takeError());
  EXPECT_TRUE(c->shape.empty());
  EXPECT_EQ(c->data, AlignedFloats{3.25f});
  llvm::Expected<Tensor> none = file->read("none");
  ASSERT_TRUE(static_cast<bool>(none)) << llvm::toString(none.takeError());
  EXPECT_EQ(none->shape, (llvm::SmallVector<int64_t, 6>{0, 3}));
  EXPECT_TRUE(none->data.empty());

  // Shapes and dtypes are known without reading (callers check them first).
  ASSERT_TRUE(file->getShape("none"));
  EXPECT_EQ(*file->getShape("none"), (llvm::SmallVector<int64_t, 6>{0, 3}));
  EXPECT_EQ(file->getDtype("b"), "F16");
  EXPECT_EQ(file->getShape("missing"), nullptr);
  EXPECT_EQ(file->getDtype("missing"), "");

  std::string f16 = errorOf(file->read("b"));
  EXPECT_PRED_FORMAT2(containsText, f16,
                      "tensor 'b' has dtype F16; ConvForge reads F32 only");
  EXPECT_PRED_FORMAT2(containsText, f16, "tensor.float()");
}

TEST(SafeTensorsFile, EmptyHeader) {
  llvm::Expected<SafeTensorsFile> file = parseBytes(fileBytes("{}", ""));
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  EXPECT_TRUE(file->getNames().empty());
  EXPECT_PRED_FORMAT2(containsText, errorOf(file->read("x")),
                      "no tensor named 'x': the file holds no tensors");
}

TEST(SafeTensorsFile, UnknownDtypeIsReadableAround) {
  // A dtype from a newer writer does not make the other tensors unreadable.
  llvm::Expected<SafeTensorsFile> file = parseBytes(fileBytes(
      R"({"new": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]},
          "old": {"dtype": "F32", "shape": [1], "data_offsets": [16, 20]}})",
      std::string(16, '\0') + floatBytes({5})));
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  llvm::Expected<Tensor> old = file->read("old");
  ASSERT_TRUE(static_cast<bool>(old)) << llvm::toString(old.takeError());
  EXPECT_EQ(old->data, AlignedFloats{5});
  EXPECT_PRED_FORMAT2(containsText, errorOf(file->read("new")),
                      "has dtype F128");
}

TEST(SafeTensorsFile, UnknownName) {
  std::string header = "{";
  std::string data;
  for (int i = 0; i < 14; ++i) {
    if (i)
      header += ", ";
    header += "\"layer" + std::to_string(i) + ".weight\": {\"dtype\": " +
              "\"F32\", \"shape\": [1], \"data_offsets\": [" +
              std::to_string(4 * i) + ", " + std::to_string(4 * i + 4) + "]}";
    data += floatBytes({static_cast<float>(i)});
  }
  header += "}";
  llvm::Expected<SafeTensorsFile> file = parseBytes(fileBytes(header, data));
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());

  std::string typo = errorOf(file->read("layer3.wieght"));
  EXPECT_PRED_FORMAT2(startsWithText, typo,
                      "no tensor named 'layer3.wieght'; did you mean "
                      "'layer3.weight'? The file has 14 tensors: "
                      "'layer0.weight', 'layer1.weight', 'layer10.weight'");
  EXPECT_PRED_FORMAT2(containsText, typo, ", ... (4 more)");
  std::string unrelated = errorOf(file->read("fc8.bias"));
  EXPECT_PRED_FORMAT2(startsWithText, unrelated,
                      "no tensor named 'fc8.bias'. The file has 14 tensors");
}

TEST(SafeTensorsFile, TooShort) {
  EXPECT_PRED_FORMAT2(containsText, errorOf(parseBytes("")),
                      "not a .safetensors file: it has 0 bytes, fewer than "
                      "the 8-byte header length");
  EXPECT_PRED_FORMAT2(containsText, errorOf(parseBytes("abc")),
                      "it has 3 bytes");
}

TEST(SafeTensorsFile, HeaderLength) {
  char huge[8];
  llvm::support::endian::write64le(huge, 100'000'001);
  EXPECT_PRED_FORMAT2(containsText,
                      errorOf(parseBytes(std::string(huge, 8) + "{}")),
                      "the header length 100000001 is larger than the 100 MB "
                      "limit");
  llvm::support::endian::write64le(huge, ~uint64_t(0));
  EXPECT_PRED_FORMAT2(containsText,
                      errorOf(parseBytes(std::string(huge, 8) + "{}")),
                      "larger than the 100 MB limit");
  // Other formats: their first bytes are not a length at all.
  std::string npy("\x93NUMPY\x01\x00v\x00{'descr': '<f4'}", 26);
  EXPECT_PRED_FORMAT2(containsText, errorOf(parseBytes(npy)),
                      "this is a .npy file, not a .safetensors file");
  EXPECT_PRED_FORMAT2(containsText,
                      errorOf(parseBytes(std::string(
                          "PK\x03\x04\x14\x00\x00\x00\x08\x00...", 13))),
                      "this is a zip archive");

  std::string truncated = fileBytes("{}", "");
  truncated[0] = 100;
  EXPECT_PRED_FORMAT2(containsText, errorOf(parseBytes(truncated)),
                      "truncated .safetensors file: the header length is 100 "
                      "bytes but only 2 bytes follow it");
}

TEST(SafeTensorsFile, InvalidJson) {
  std::string message = parseError("{\"a\": {\"dtype\": \"F32\",}");
  EXPECT_PRED_FORMAT2(startsWithText, message,
                      "invalid JSON in the .safetensors header: ");
  EXPECT_PRED_FORMAT2(containsText, message, "[1:");
  EXPECT_PRED_FORMAT2(containsText, parseError(""), "invalid JSON");
  EXPECT_PRED_FORMAT2(containsText, parseError("{\"a\": 1} trailing"),
                      "invalid JSON");
  // llvm::json keeps one of two values of a key; another reader may keep
  // the other, so the file is ambiguous and rejected.
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(
          R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                     "b\"": {"a": 1, "a": 2},
                     "a" : {"dtype": "F32", "shape": [0], "data_offsets": [4, 4]}})",
          floatBytes({1})),
      "the .safetensors header has the key 'a' twice");
  EXPECT_PRED_FORMAT2(containsText, parseError("[1, 2]"),
                      "the .safetensors header must be a JSON object, found "
                      "an array");
}

TEST(SafeTensorsFile, MalformedEntries) {
  struct Case {
    const char *header;
    const char *phrase;
  } cases[] = {
      {R"({"w": [1, 2]})",
       "the header entry 'w' must be an object with \"dtype\", \"shape\" and "
       "\"data_offsets\", found an array"},
      {R"({"w": {"shape": [1], "data_offsets": [0, 4]}})",
       "tensor 'w' has no \"dtype\" field"},
      {R"({"w": {"dtype": "F32", "data_offsets": [0, 4]}})",
       "tensor 'w' has no \"shape\" field"},
      {R"({"w": {"dtype": "F32", "shape": [1]}})",
       "tensor 'w' has no \"data_offsets\" field"},
      {R"({"w": {"dtype": 32, "shape": [1], "data_offsets": [0, 4]}})",
       "tensor 'w': \"dtype\" must be a string such as \"F32\", found a "
       "number"},
      {R"({"w": {"dtype": "F32", "shape": 1, "data_offsets": [0, 4]}})",
       "tensor 'w': \"shape\" must be an array of integers, found a number"},
      {R"({"w": {"dtype": "F32", "shape": ["1"], "data_offsets": [0, 4]}})",
       "\"shape\" must be an array of integers, found a string in it"},
      {R"({"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}})",
       "\"shape\" must be an array of integers, found a number in it"},
      {R"({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})",
       "tensor 'w': the shape has a negative dimension -1"},
      // 2^63 written as a floating-point number: beyond int64 (converting
      // it was undefined behaviour, found by fuzzing).
      {R"({"w": {"dtype": "F32", "shape": [9223372036854775808.0],
                 "data_offsets": [0, 4]}})",
       "\"shape\" must be an array of integers, found a number in it"},
      {R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4.0, 4]}})",
       "\"data_offsets\" must be non-negative integers, found a number "
       "(negative)"},
      {R"({"w": {"dtype": "F32", "shape": [18446744073709551615],
                 "data_offsets": [0, 4]}})",
       "a dimension of the shape does not fit in 64 bits"},
      {R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}})",
       "\"data_offsets\" must be an array of two integers [begin, end], "
       "found 3 elements"},
      {R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": "0-4"}})",
       "[begin, end], found a string"},
      {R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 4]}})",
       "\"data_offsets\" must be non-negative integers, found a number "
       "(negative)"},
      {R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, null]}})",
       "must be non-negative integers, found null"},
      {R"({"__metadata__": ["a"]})",
       "\"__metadata__\" must be an object of strings, found an array"},
      {R"({"__metadata__": {"epoch": 3}})",
       "\"__metadata__\" must be an object of strings, but \"epoch\" is a "
       "number"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.header);
    EXPECT_PRED_FORMAT2(containsText, parseError(c.header, floatBytes({1})),
                        c.phrase);
  }
}

TEST(SafeTensorsFile, InvalidOffsets) {
  std::string data = floatBytes({1, 2, 3, 4, 5, 6});
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(
          R"({"w": {"dtype": "F32", "shape": [], "data_offsets": [8, 4]}})",
          data),
      "tensor 'w': data_offsets [8, 4] end before they begin");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(
          R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [20, 28]}})",
          data),
      "tensor 'w': data_offsets [20, 28] go beyond the end of the data buffer "
      "(24 bytes)");
  EXPECT_PRED_FORMAT2(containsText,
                      parseError(R"({"w": {"dtype": "F32", "shape": [1],
                        "data_offsets": [18446744073709551612,
                                         18446744073709551615]}})",
                                 data),
                      "go beyond the end of the data buffer");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(
          R"({"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 12]},
                     "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}})",
          data),
      "tensors 'a' (data_offsets [0, 12]) and 'b' (data_offsets [8, 16]) "
      "overlap");
  // A range nested in an earlier, longer one.
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(
          R"({"a": {"dtype": "F32", "shape": [6], "data_offsets": [0, 24]},
                     "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]},
                     "c": {"dtype": "F32", "shape": [1], "data_offsets": [12, 16]}})",
          data),
      "tensors 'a' (data_offsets [0, 24]) and 'b' (data_offsets [4, 8]) "
      "overlap");
  // The same range twice.
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(
          R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                     "b": {"dtype": "I32", "shape": [1], "data_offsets": [0, 4]}})",
          data),
      "overlap");
}

TEST(SafeTensorsFile, SizeMismatch) {
  std::string data = floatBytes({1, 2, 3, 4, 5, 6});
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(
          R"({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 20]}})",
          data),
      "tensor 'w' of dtype F32 and shape [2, 3] needs 24 bytes, but its "
      "data_offsets [0, 20] span 20 bytes");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(
          R"({"w": {"dtype": "F16", "shape": [3], "data_offsets": [0, 8]}})",
          data),
      "of dtype F16 and shape [3] needs 6 bytes, but its data_offsets [0, 8] "
      "span 8 bytes");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(
          R"({"w": {"dtype": "F4", "shape": [3], "data_offsets": [0, 2]}})",
          data),
      "needs 1 bytes and a fraction");
}

TEST(SafeTensorsFile, OverflowingShape) {
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296],
                        "data_offsets": [0, 0]}})"),
      "tensor 'w': the shape [4294967296, 4294967296] has more elements than "
      "fit in 64 bits");
  EXPECT_PRED_FORMAT2(
      containsText,
      parseError(R"({"w": {"dtype": "F64", "shape": [4611686018427387904],
                        "data_offsets": [0, 0]}})"),
      "the shape [4611686018427387904] of F64 has more bytes than fit in 64 "
      "bits");
}

TEST_F(SafeTensorsOnDisk, OpenErrors) {
  std::string missing = path("missing.safetensors");
  EXPECT_EQ(errorOf(SafeTensorsFile::open(missing)),
            missing + ": no such file");
  EXPECT_EQ(errorOf(SafeTensorsFile::open(dir)),
            std::string(dir) + ": is a directory, not a .safetensors file");
  writeBytes("empty.safetensors", "");
  EXPECT_EQ(errorOf(SafeTensorsFile::open(path("empty.safetensors"))),
            path("empty.safetensors") +
                ": the file is empty (0 bytes), not a .safetensors file");
  writeBytes("bad.safetensors", fileBytes("{\"a\": 1}", ""));
  EXPECT_PRED_FORMAT2(startsWithText,
                      errorOf(SafeTensorsFile::open(path("bad.safetensors"))),
                      path("bad.safetensors") + ": the header entry 'a'");
}

TEST_F(SafeTensorsOnDisk, UnreadableFile) {
  writeBytes("secret.safetensors", fileBytes("{}", ""));
  std::string file = path("secret.safetensors");
  ASSERT_FALSE(llvm::sys::fs::setPermissions(file, llvm::sys::fs::no_perms));
  // Root (as in containers) reads the file regardless of its permissions.
  if (auto probe = llvm::MemoryBuffer::getFile(file))
    GTEST_SKIP() << "permissions are not enforced for this user";
  EXPECT_PRED_FORMAT2(startsWithText, errorOf(SafeTensorsFile::open(file)),
                      file + ": cannot read the file: ");
}

TEST_F(SafeTensorsOnDisk, ReadErrorsStartWithThePath) {
  Tensor tensor = makeTensor({2}, 0.0f);
  std::string file = path("w.safetensors");
  ASSERT_FALSE(
      static_cast<bool>(SafeTensorsFile::write(file, {{"w", &tensor}})));
  llvm::Expected<SafeTensorsFile> opened = SafeTensorsFile::open(file);
  ASSERT_TRUE(static_cast<bool>(opened)) << llvm::toString(opened.takeError());
  EXPECT_EQ(errorOf(opened->read("v")),
            file + ": no tensor named 'v'; did you mean 'w'? The file has 1 "
                   "tensor: 'w'");
}

TEST_F(SafeTensorsOnDisk, WriteErrors) {
  Tensor tensor = makeTensor({2}, 0.0f);
  std::string file = path("out.safetensors");
  EXPECT_EQ(
      errorOf(SafeTensorsFile::write(file, {{"a", &tensor}, {"a", &tensor}})),
      file + ": cannot write two tensors named 'a'");
  EXPECT_PRED_FORMAT2(
      containsText,
      errorOf(SafeTensorsFile::write(file, {{"__metadata__", &tensor}})),
      "the name is reserved for the metadata");
  Tensor malformed({2, 3}, 0.0f);
  malformed.data.resize(5);
  EXPECT_PRED_FORMAT2(
      containsText, errorOf(SafeTensorsFile::write(file, {{"m", &malformed}})),
      "cannot write tensor 'm': its shape 2x3 and its 5 elements disagree");
  EXPECT_PRED_FORMAT2(containsText,
                      errorOf(SafeTensorsFile::write(file, {{"n", nullptr}})),
                      "cannot write tensor 'n': it is null");
  EXPECT_FALSE(llvm::sys::fs::exists(file));
  std::string noDir = path("no-such-dir/out.safetensors");
  EXPECT_PRED_FORMAT2(startsWithText,
                      errorOf(SafeTensorsFile::write(noDir, {{"a", &tensor}})),
                      noDir + ": cannot write the file");
}

} // namespace
