//===- NumpyFile.cpp - Read and write NumPy .npy files --------------------===//
//
// The header grammar accepted here is the subset of Python literals that
// NumPy writes (and that np.load accepts for a plain float32 array): a dict
// with exactly the keys 'descr', 'fortran_order' and 'shape', in any order,
// strings in single or double quotes, True/False, and tuples of decimal
// integers with an optional trailing comma. Anything else is reported with
// its position in the header rather than guessed at.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Support/NumpyFile.h"
#include "ConvForge/Support/InputFile.h"

#include "ConvForge/Support/WindowArithmetic.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <cstring>
#include <limits>
#include <optional>

using namespace convforge;
using llvm::ArrayRef;
using llvm::Error;
using llvm::Expected;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace {

constexpr StringRef kMagic("\x93NUMPY", 6);
/// NumPy aligns the start of the data (magic + length + header) to this, so
/// that the file can be memory-mapped with any element alignment.
constexpr uint64_t kArrayAlign = 64;
/// NumPy >= 1.24 pads the header so that the first dimension can grow to
/// this many digits in place (np.lib.format.GROWTH_AXIS_MAX_DIGITS); writing
/// the same padding keeps serializeNpy byte-identical to np.save.
constexpr size_t kGrowthAxisMaxDigits = 21;
constexpr uint64_t kFloatSize = sizeof(float);
/// Headers are short dicts (NumPy's own reader refuses more than 10000 bytes
/// by default); a larger length means a corrupt file and must not make us
/// parse megabytes of "header".
constexpr uint64_t kMaxHeaderSize = 1 << 20;

Error makeError(const Twine &message) {
  return llvm::createStringError(message);
}

/// `text` escaped for a one-line message, cut to `limit` characters.
std::string quoteForMessage(StringRef text, size_t limit = 160) {
  std::string quoted;
  llvm::raw_string_ostream os(quoted);
  os << '"';
  llvm::printEscapedString(text.take_front(limit), os);
  if (text.size() > limit)
    os << "...";
  os << '"';
  return quoted;
}

/// The header's values, as parsed; shape dimensions are kept as the integer
/// tokens of the header so that the semantic checks can quote them.
struct NpyHeader {
  std::optional<std::string> descr;
  std::optional<bool> fortranOrder;
  std::optional<SmallVector<StringRef, 6>> shape;
};

/// A recursive-descent parser for the header dict (see the file comment).
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : text(text) {}

  Expected<NpyHeader> parse() {
    NpyHeader header;
    skipSpaces();
    if (peek() != '{')
      return expected("'{' (the header is a Python dict literal)");
    ++pos;
    skipSpaces();
    while (peek() != '}') {
      size_t keyPos = pos;
      Expected<StringRef> key = parseString("a quoted key or '}'");
      if (!key)
        return key.takeError();
      skipSpaces();
      if (peek() != ':')
        return expected("':' after the key '" + *key + "'");
      ++pos;
      skipSpaces();
      if (Error error = parseValue(*key, keyPos, header))
        return std::move(error);
      skipSpaces();
      if (peek() == ',') {
        ++pos;
        skipSpaces();
        continue;
      }
      if (peek() != '}')
        return expected("',' or '}' after the value of '" + *key + "'");
    }
    ++pos;
    // NumPy pads the header with spaces and ends it with a newline.
    skipSpaces();
    if (!atEnd())
      return expected("only spaces and a newline after the closing '}'");
    return header;
  }

private:
  bool atEnd() const { return pos >= text.size(); }
  char peek() const { return atEnd() ? '\0' : text[pos]; }
  static bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
  static bool isIdentifierChar(char c) { return llvm::isAlnum(c) || c == '_'; }
  void skipSpaces() {
    while (!atEnd() && isSpace(text[pos]))
      ++pos;
  }

  /// "malformed .npy header: expected <what> at character <pos>, found ...".
  Error expected(const Twine &what) const { return expectedAt(what, pos); }
  Error expectedAt(const Twine &what, size_t at) const {
    std::string found = "the end of the header";
    if (at < text.size())
      found = "'" + text.substr(at, 1).str() + "'";
    if (at < text.size() && !llvm::isPrint(text[at]))
      found = "byte 0x" + llvm::utohexstr(static_cast<uint8_t>(text[at]));
    return makeError("malformed .npy header: expected " + what +
                     " at character " + Twine(at) + ", found " + found +
                     ", in " + quoteForMessage(text));
  }

  Error parseValue(StringRef key, size_t keyPos, NpyHeader &header) {
    auto duplicate = [&] {
      return makeError("malformed .npy header: the key '" + key +
                       "' appears twice (at character " + Twine(keyPos) +
                       "), in " + quoteForMessage(text));
    };
    if (key == "descr") {
      if (header.descr)
        return duplicate();
      if (peek() == '[')
        return makeError("unsupported dtype: the array has a structured "
                         "dtype (a list of fields); ConvForge reads plain "
                         "float32 arrays ('<f4') only");
      Expected<StringRef> descr =
          parseString("a quoted dtype such as '<f4' as the value of 'descr'");
      if (!descr)
        return descr.takeError();
      header.descr = descr->str();
      return Error::success();
    }
    if (key == "fortran_order") {
      if (header.fortranOrder)
        return duplicate();
      Expected<bool> value = parseBool();
      if (!value)
        return value.takeError();
      header.fortranOrder = *value;
      return Error::success();
    }
    if (key == "shape") {
      if (header.shape)
        return duplicate();
      Expected<SmallVector<StringRef, 6>> shape = parseTuple();
      if (!shape)
        return shape.takeError();
      header.shape = std::move(*shape);
      return Error::success();
    }
    return makeError("malformed .npy header: unexpected key '" + key +
                     "' at character " + Twine(keyPos) +
                     " (a .npy header has exactly the keys 'descr', "
                     "'fortran_order' and 'shape'), in " +
                     quoteForMessage(text));
  }

  /// A string in single or double quotes. NumPy never writes escapes in
  /// these headers, so a backslash is rejected rather than interpreted.
  Expected<StringRef> parseString(const Twine &what) {
    char quote = peek();
    if (quote != '\'' && quote != '"')
      return expected(what);
    size_t begin = ++pos;
    while (!atEnd() && text[pos] != quote) {
      if (text[pos] == '\\')
        return expected("a string without escape sequences");
      if (text[pos] == '\n')
        return expected(std::string("a closing ") + quote + " quote");
      ++pos;
    }
    if (atEnd())
      return expected(std::string("a closing ") + quote + " quote");
    StringRef value = text.slice(begin, pos);
    ++pos;
    return value;
  }

  Expected<bool> parseBool() {
    size_t begin = pos;
    while (!atEnd() && isIdentifierChar(text[pos]))
      ++pos;
    StringRef word = text.slice(begin, pos);
    if (word == "True")
      return true;
    if (word == "False")
      return false;
    return expectedAt("True or False as the value of 'fortran_order'", begin);
  }

  /// "()", "(3,)", "(2, 3)" or "(2, 3,)". "(3)" is the integer 3 in Python,
  /// not a tuple, and NumPy rejects it, so it is rejected here too.
  Expected<SmallVector<StringRef, 6>> parseTuple() {
    if (peek() != '(')
      return expected("a tuple such as (3, 4), (3,) or () as the value of "
                      "'shape'");
    ++pos;
    skipSpaces();
    SmallVector<StringRef, 6> dims;
    if (peek() == ')') {
      ++pos;
      return dims;
    }
    while (true) {
      Expected<StringRef> dim = parseInteger();
      if (!dim)
        return dim.takeError();
      dims.push_back(*dim);
      skipSpaces();
      if (peek() == ',') {
        ++pos;
        skipSpaces();
        if (peek() == ')') {
          ++pos;
          return dims;
        }
        continue;
      }
      if (peek() == ')') {
        if (dims.size() == 1)
          return expected("',' after the only dimension (a one-element "
                          "tuple is written (" +
                          dims.front() + ",))");
        ++pos;
        return dims;
      }
      return expected("',' or ')' in the shape tuple");
    }
  }

  /// A decimal integer with an optional minus sign (kept so that a negative
  /// dimension gets its own message rather than a syntax error).
  Expected<StringRef> parseInteger() {
    size_t begin = pos;
    if (peek() == '-')
      ++pos;
    size_t digits = pos;
    while (!atEnd() && llvm::isDigit(text[pos]))
      ++pos;
    if (pos == digits)
      return expectedAt("an integer dimension", digits);
    // Python 3 has no leading zeros in decimal literals ("03" is an error).
    if (pos - digits > 1 && text[digits] == '0')
      return expectedAt("an integer without leading zeros", digits);
    return text.slice(begin, pos);
  }

  StringRef text;
  size_t pos = 0;
};

/// The shape as NumPy prints it: "()", "(3,)", "(2, 3)".
template <typename T> std::string formatPythonShape(ArrayRef<T> dims) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '(';
  llvm::interleave(dims, os, ", ");
  if (dims.size() == 1)
    os << ',';
  os << ')';
  return text;
}

/// A readable name for a NumPy dtype string, e.g. "float64" for '<f8' or
/// "big-endian float32" for '>f4'; empty when not recognized.
std::string describeDtype(StringRef descr) {
  if (descr == "|O")
    return "Python objects";
  if (descr.size() < 3)
    return "";
  char order = descr[0];
  char kind = descr[1];
  unsigned size = 0;
  if (StringRef("<>|=").find(order) == StringRef::npos ||
      descr.drop_front(2).getAsInteger(10, size) || size == 0)
    return "";
  std::string name;
  switch (kind) {
  case 'f':
    name = "float" + std::to_string(size * 8);
    break;
  case 'i':
    name = "int" + std::to_string(size * 8);
    break;
  case 'u':
    name = "uint" + std::to_string(size * 8);
    break;
  case 'c':
    name = "complex" + std::to_string(size * 8);
    break;
  case 'b':
    name = "bool";
    break;
  case 'U':
    name = "unicode strings";
    break;
  case 'S':
    name = "byte strings";
    break;
  case 'V':
    name = "raw bytes";
    break;
  default:
    return "";
  }
  if (order == '>' && size > 1)
    name = "big-endian " + name;
  return name;
}

Error checkDtype(StringRef descr) {
  if (descr == "<f4")
    return Error::success();
  if (descr == ">f4")
    return makeError("unsupported dtype '>f4' (big-endian float32): "
                     "ConvForge reads little-endian float32 ('<f4') only; "
                     "convert with np.save(path, x.astype('<f4'))");
  std::string name = describeDtype(descr);
  return makeError("unsupported dtype '" + descr + "'" +
                   (name.empty() ? "" : " (" + name + ")") +
                   ": ConvForge reads float32 ('<f4') only; convert with "
                   "np.save(path, x.astype(np.float32))");
}

/// Reads a little-endian integer of `size` bytes at `offset`.
uint64_t readLittleEndian(StringRef bytes, size_t offset, size_t size) {
  if (size == 2)
    return llvm::support::endian::read16le(bytes.data() + offset);
  return llvm::support::endian::read32le(bytes.data() + offset);
}

/// Copies `count` little-endian floats from `bytes` (any alignment).
AlignedFloats copyFloats(const char *bytes, size_t count) {
  AlignedFloats data(count);
  if constexpr (llvm::endianness::native == llvm::endianness::little) {
    if (count)
      std::memcpy(data.data(), bytes, count * kFloatSize);
  } else {
    for (size_t i = 0; i < count; ++i)
      data[i] = llvm::bit_cast<float>(
          llvm::support::endian::read32le(bytes + i * kFloatSize));
  }
  return data;
}

/// The magic, version, header length and padded header of `shape`, exactly
/// as np.save writes them.
std::string makeNpyPreamble(ArrayRef<int64_t> shape) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " +
                     formatPythonShape(shape) + ", }";
  if (!shape.empty()) {
    size_t digits = std::to_string(shape.front()).size();
    if (digits < kGrowthAxisMaxDigits)
      dict.append(kGrowthAxisMaxDigits - digits, ' ');
  }
  // Like NumPy: version 1.0 (a 16-bit header length) unless the header does
  // not fit, which takes thousands of dimensions; then version 2.0.
  uint64_t headerSize = dict.size() + 1; // + the final newline
  unsigned lengthSize = 2;
  uint64_t padding =
      kArrayAlign - (kMagic.size() + 2 + lengthSize + headerSize) % kArrayAlign;
  if (headerSize + padding > std::numeric_limits<uint16_t>::max()) {
    lengthSize = 4;
    padding = kArrayAlign -
              (kMagic.size() + 2 + lengthSize + headerSize) % kArrayAlign;
  }
  uint64_t length = headerSize + padding;

  std::string preamble(kMagic);
  preamble.push_back(lengthSize == 2 ? 1 : 2); // major version
  preamble.push_back(0);                       // minor version
  for (unsigned i = 0; i < lengthSize; ++i)
    preamble.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
  preamble += dict;
  preamble.append(padding, ' ');
  preamble.push_back('\n');
  return preamble;
}

/// Writes the elements of `tensor` as little-endian float32.
void writeFloats(llvm::raw_ostream &os, const Tensor &tensor) {
  if constexpr (llvm::endianness::native == llvm::endianness::little) {
    os.write(reinterpret_cast<const char *>(tensor.data.data()),
             tensor.data.size() * kFloatSize);
  } else {
    for (float value : tensor.data) {
      char bytes[kFloatSize];
      llvm::support::endian::write32le(bytes, llvm::bit_cast<uint32_t>(value));
      os.write(bytes, kFloatSize);
    }
  }
}

} // namespace

Expected<Tensor> convforge::parseNpy(StringRef bytes,
                                     NpyShapeCheck checkShape) {
  if (bytes.empty())
    return makeError("not a .npy file: it is empty");
  if (!bytes.starts_with(kMagic))
    return makeError("not a .npy file: it does not start with the .npy magic "
                     "string \"\\x93NUMPY\" (it starts with " +
                     quoteForMessage(bytes.take_front(kMagic.size())) + ")");
  if (bytes.size() < kMagic.size() + 2)
    return makeError("truncated .npy file: it ends inside the format version "
                     "(" +
                     Twine(bytes.size()) + " bytes)");
  unsigned major = static_cast<uint8_t>(bytes[kMagic.size()]);
  unsigned minor = static_cast<uint8_t>(bytes[kMagic.size() + 1]);
  if ((major != 1 && major != 2 && major != 3) || minor != 0)
    return makeError("unsupported .npy format version " + Twine(major) + "." +
                     Twine(minor) +
                     " (ConvForge reads versions 1.0, 2.0 and 3.0)");
  // Version 1.0 has a 16-bit header length, 2.0 and 3.0 a 32-bit one (3.0
  // differs from 2.0 only in allowing UTF-8 in the header).
  size_t lengthSize = major == 1 ? 2 : 4;
  size_t headerBegin = kMagic.size() + 2 + lengthSize;
  if (bytes.size() < headerBegin)
    return makeError("truncated .npy file: it ends inside the header length "
                     "(" +
                     Twine(bytes.size()) + " bytes, the preamble of version " +
                     Twine(major) + ".0 is " + Twine(headerBegin) + " bytes)");
  uint64_t headerSize = readLittleEndian(bytes, kMagic.size() + 2, lengthSize);
  if (headerSize > kMaxHeaderSize)
    return makeError("corrupt .npy file: the header length is " +
                     Twine(headerSize) +
                     " bytes, more than the limit of 1 MiB (" +
                     Twine(kMaxHeaderSize) + " bytes)");
  if (headerSize > bytes.size() - headerBegin)
    return makeError("truncated .npy file: the header length is " +
                     Twine(headerSize) + " bytes but only " +
                     Twine(bytes.size() - headerBegin) +
                     " bytes follow the preamble");
  StringRef headerText = bytes.substr(headerBegin, headerSize);
  size_t dataBegin = headerBegin + headerSize;

  Expected<NpyHeader> header = HeaderParser(headerText).parse();
  if (!header)
    return header.takeError();
  for (StringRef key : {"descr", "fortran_order", "shape"}) {
    bool present = key == "descr"           ? header->descr.has_value()
                   : key == "fortran_order" ? header->fortranOrder.has_value()
                                            : header->shape.has_value();
    if (!present)
      return makeError("malformed .npy header: missing key '" + key + "', in " +
                       quoteForMessage(headerText));
  }

  if (Error error = checkDtype(*header->descr))
    return std::move(error);

  ArrayRef<StringRef> tokens = *header->shape;
  std::string shapeText = formatPythonShape(tokens);
  SmallVector<int64_t, 6> shape;
  for (StringRef token : tokens) {
    if (token.starts_with("-"))
      return makeError("invalid shape " + shapeText + ": dimension " + token +
                       " is negative");
    int64_t dim = 0;
    if (token.getAsInteger(10, dim))
      return makeError("invalid shape " + shapeText + ": dimension " + token +
                       " does not fit in 64 bits");
    shape.push_back(dim);
  }
  std::optional<int64_t> count = checkedProduct(shape);
  if (!count || static_cast<uint64_t>(*count) >
                    static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) /
                        kFloatSize)
    return makeError("invalid shape " + shapeText +
                     ": the number of elements overflows 64 bits");

  // A Fortran-order array has the same bytes as a C-order one when at most
  // one dimension is larger than 1 (NumPy itself writes such arrays as
  // either), so only a real transposition is rejected.
  if (*header->fortranOrder &&
      llvm::count_if(shape, [](int64_t dim) { return dim > 1; }) > 1)
    return makeError("unsupported array layout: the array of shape " +
                     shapeText +
                     " is in Fortran order (fortran_order: True); save a "
                     "C-order array: np.save(path, np.ascontiguousarray(x))");

  uint64_t needed = static_cast<uint64_t>(*count) * kFloatSize;
  uint64_t available = bytes.size() - dataBegin;
  if (available < needed)
    return makeError("truncated .npy file: the shape " + shapeText +
                     " of float32 needs " + Twine(needed) +
                     " bytes of data but the file has " + Twine(available) +
                     " bytes after the header");
  if (available > needed)
    return makeError("trailing data in .npy file: the shape " + shapeText +
                     " of float32 needs " + Twine(needed) +
                     " bytes of data but the file has " + Twine(available) +
                     " bytes after the header (" + Twine(available - needed) +
                     " bytes too many)");
  if (checkShape)
    if (Error error = checkShape(shape))
      return std::move(error);

  return Tensor(
      shape, copyFloats(bytes.data() + dataBegin, static_cast<size_t>(*count)));
}

Expected<Tensor> convforge::readNpyFile(StringRef path,
                                        NpyShapeCheck checkShape) {
  Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      openInputFile(path, ".npy");
  if (!buffer)
    return buffer.takeError();
  bool shapeRefused = false;
  Expected<Tensor> tensor =
      parseNpy((*buffer)->getBuffer(), [&](ArrayRef<int64_t> shape) -> Error {
        if (!checkShape)
          return Error::success();
        Error error = checkShape(shape);
        shapeRefused = static_cast<bool>(error);
        return error;
      });
  if (!tensor && !shapeRefused)
    return makeError(path + ": " + llvm::toString(tensor.takeError()));
  return tensor;
}

std::string convforge::serializeNpy(const Tensor &tensor) {
  assert(tensor.isWellFormed() && "serializing a malformed tensor");
  std::string bytes = makeNpyPreamble(tensor.shape);
  bytes.reserve(bytes.size() + tensor.data.size() * kFloatSize);
  llvm::raw_string_ostream os(bytes);
  writeFloats(os, tensor);
  os.flush();
  return bytes;
}

Error convforge::writeNpyFile(StringRef path, const Tensor &tensor) {
  if (!tensor.isWellFormed())
    return makeError(path + ": cannot write a tensor of shape " +
                     formatShape(tensor.shape) + " with " +
                     Twine(tensor.data.size()) +
                     " elements: the shape and the data disagree");
  // Streams the data rather than going through serializeNpy, so that a large
  // tensor is not copied once more.
  Error error = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os << makeNpyPreamble(tensor.shape);
    writeFloats(os, tensor);
    return Error::success();
  });
  if (error)
    return makeError(
        path + ": cannot write the file: " + llvm::toString(std::move(error)));
  return Error::success();
}
