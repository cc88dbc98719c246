//===- SafeTensorsFile.cpp - Read and write .safetensors files ------------===//
//
// Validation follows the reference implementation (huggingface/safetensors)
// where it protects the reader: a bounded header, well-typed entries, sizes
// that match shape x dtype, offsets inside the buffer, no overlaps and no
// duplicated names. It is more lenient in two harmless ways: gaps between
// tensors are accepted, and a dtype this file does not know is accepted (its
// offsets are still checked) so that the other tensors of a file from a
// newer writer stay readable; reading such a tensor fails with its dtype.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Support/SafeTensorsFile.h"
#include "ConvForge/Support/InputFile.h"

#include "ConvForge/Support/WindowArithmetic.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <tuple>

using namespace convforge;
using llvm::ArrayRef;
using llvm::Error;
using llvm::Expected;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;
namespace json = llvm::json;

namespace {

constexpr uint64_t kLengthSize = 8;
/// The reference implementation's limit (MAX_HEADER_SIZE): a larger length
/// means a corrupt file or not a safetensors file at all, and must not make
/// us parse (or allocate for) gigabytes of "JSON".
constexpr uint64_t kMaxHeaderSize = 100'000'000;
constexpr StringRef kMetadataKey = "__metadata__";
/// How many names an "unknown tensor" message lists.
constexpr size_t kNamesInMessages = 10;

Error makeError(const Twine &message) {
  return llvm::createStringError(message);
}

/// The size of an element in bits, for the dtypes of the safetensors spec;
/// nullopt for a dtype it does not (yet) list.
std::optional<uint64_t> dtypeBits(StringRef dtype) {
  return llvm::StringSwitch<std::optional<uint64_t>>(dtype)
      .Case("F4", 4)
      .Cases({"F6_E2M3", "F6_E3M2"}, 6)
      .Cases({"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0"}, 8)
      .Cases({"I16", "U16", "F16", "BF16"}, 16)
      .Cases({"I32", "U32", "F32"}, 32)
      .Cases({"I64", "U64", "F64", "C64"}, 64)
      .Default(std::nullopt);
}

const char *describeKind(const json::Value &value) {
  switch (value.kind()) {
  case json::Value::Null:
    return "null";
  case json::Value::Boolean:
    return "a boolean";
  case json::Value::Number:
    return "a number";
  case json::Value::String:
    return "a string";
  case json::Value::Array:
    return "an array";
  case json::Value::Object:
    return "an object";
  }
  return "a value";
}

/// "[2, 3]", as the header writes a shape or an offset pair.
template <typename T> std::string formatList(ArrayRef<T> values) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleave(values, os, ", ");
  os << ']';
  return text;
}

/// A hint for a header length that cannot be right: the usual reason is a
/// file of another format, whose first bytes are then not a length at all.
std::string guessFormat(StringRef bytes) {
  if (bytes.starts_with("\x93NUMPY"))
    return " (this is a .npy file, not a .safetensors file)";
  if (bytes.starts_with("PK\x03\x04"))
    return " (this is a zip archive, e.g. a PyTorch .pt checkpoint; save it "
           "with safetensors.torch.save_file)";
  return " (is this a .safetensors file?)";
}

/// A top-level key that appears more than once in `text`, a JSON object
/// that llvm::json has accepted (it keeps one value of a duplicated key
/// silently, and another reader may keep the other: the file is ambiguous).
/// Keys are compared as written, escapes included.
std::optional<std::string> findDuplicateTopLevelKey(StringRef text) {
  llvm::StringSet<> keys;
  unsigned depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == '"') {
      size_t begin = ++i;
      while (i < text.size() && text[i] != '"')
        i += text[i] == '\\' ? 2 : 1;
      StringRef key = text.slice(begin, i);
      if (depth != 1)
        continue;
      size_t next = text.find_first_not_of(" \t\r\n", i + 1);
      if (next != StringRef::npos && text[next] == ':' &&
          !keys.insert(key).second)
        return key.str();
    }
  }
  return std::nullopt;
}

/// The "shape" field of the entry of tensor `name`: non-negative integers.
/// The value of a JSON number that is an integer in int64's range. Not
/// json::Value::getAsInteger: it converts a floating-point 2^63 (a number
/// written `9223372036854775808.0`) to int64, which is undefined.
std::optional<int64_t> getInt64(const json::Value &value) {
  if (std::optional<uint64_t> unsignedValue = value.getAsUINT64()) {
    if (*unsignedValue > uint64_t(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return static_cast<int64_t>(*unsignedValue);
  }
  std::optional<double> number = value.getAsNumber();
  double integral;
  if (!number || std::modf(*number, &integral) != 0.0 ||
      !(*number >= -0x1p63 && *number < 0x1p63))
    return std::nullopt;
  return static_cast<int64_t>(*number);
}

Expected<SmallVector<int64_t, 6>> parseShape(StringRef name,
                                             const json::Object &entry) {
  const json::Value *value = entry.get("shape");
  if (!value)
    return makeError("tensor '" + name + "' has no \"shape\" field");
  const json::Array *array = value->getAsArray();
  if (!array)
    return makeError("tensor '" + name +
                     "': \"shape\" must be an array of integers, found " +
                     describeKind(*value));
  SmallVector<int64_t, 6> shape;
  for (const json::Value &dim : *array) {
    std::optional<int64_t> size = getInt64(dim);
    if (!size) {
      if (dim.getAsUINT64())
        return makeError("tensor '" + name +
                         "': a dimension of the shape "
                         "does not fit in 64 bits");
      return makeError("tensor '" + name +
                       "': \"shape\" must be an array of integers, found " +
                       describeKind(dim) + " in it");
    }
    if (*size < 0)
      return makeError("tensor '" + name +
                       "': the shape has a negative "
                       "dimension " +
                       Twine(*size));
    shape.push_back(*size);
  }
  return shape;
}

/// The "data_offsets" field of the entry of tensor `name`: [begin, end].
Expected<std::pair<uint64_t, uint64_t>>
parseOffsets(StringRef name, const json::Object &entry) {
  const json::Value *value = entry.get("data_offsets");
  if (!value)
    return makeError("tensor '" + name + "' has no \"data_offsets\" field");
  const json::Array *array = value->getAsArray();
  if (!array || array->size() != 2)
    return makeError("tensor '" + name +
                     "': \"data_offsets\" must be an array of two integers "
                     "[begin, end], found " +
                     (array ? Twine(array->size()) + " elements"
                            : Twine(describeKind(*value))));
  uint64_t offsets[2];
  for (unsigned i = 0; i < 2; ++i) {
    std::optional<uint64_t> offset = (*array)[i].getAsUINT64();
    if (!offset)
      return makeError("tensor '" + name +
                       "': \"data_offsets\" must be non-negative integers, "
                       "found " +
                       describeKind((*array)[i]) +
                       (getInt64((*array)[i]) ? " (negative)" : ""));
    offsets[i] = *offset;
  }
  return std::make_pair(offsets[0], offsets[1]);
}

/// "__metadata__" is a string-to-string map in the spec.
Error checkMetadata(const json::Value &value) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return makeError("\"__metadata__\" must be an object of strings, found " +
                     Twine(describeKind(value)));
  for (const auto &[key, field] : *object)
    if (!field.getAsString())
      return makeError("\"__metadata__\" must be an object of strings, but "
                       "\"" +
                       StringRef(key) + "\" is " + describeKind(field));
  return Error::success();
}

} // namespace

Expected<SafeTensorsFile>
SafeTensorsFile::parse(std::unique_ptr<llvm::MemoryBuffer> buffer) {
  StringRef bytes = buffer->getBuffer();
  if (bytes.size() < kLengthSize)
    return makeError("not a .safetensors file: it has " + Twine(bytes.size()) +
                     " bytes, fewer than the 8-byte header length");
  uint64_t headerSize = llvm::support::endian::read64le(bytes.data());
  if (headerSize > kMaxHeaderSize)
    return makeError("the header length " + Twine(headerSize) +
                     " is larger than the 100 MB limit" + guessFormat(bytes));
  if (headerSize > bytes.size() - kLengthSize)
    return makeError("truncated .safetensors file: the header length is " +
                     Twine(headerSize) + " bytes but only " +
                     Twine(bytes.size() - kLengthSize) + " bytes follow it" +
                     guessFormat(bytes));
  StringRef headerText = bytes.substr(kLengthSize, headerSize);

  Expected<json::Value> header = json::parse(headerText);
  if (!header)
    return makeError("invalid JSON in the .safetensors header: " +
                     llvm::toString(header.takeError()));
  const json::Object *object = header->getAsObject();
  if (!object)
    return makeError("the .safetensors header must be a JSON object, found " +
                     Twine(describeKind(*header)));
  if (std::optional<std::string> key = findDuplicateTopLevelKey(headerText))
    return makeError("the .safetensors header has the key '" + *key +
                     "' twice");

  SafeTensorsFile file;
  file.data = bytes.drop_front(kLengthSize + headerSize);
  // Validate in name order so that the first error reported does not depend
  // on the hash order of the JSON object.
  SmallVector<StringRef> keys;
  for (const auto &member : *object)
    keys.push_back(member.first);
  llvm::sort(keys);
  for (StringRef name : keys) {
    const json::Value &value = *object->get(name);
    if (name == kMetadataKey) {
      if (Error error = checkMetadata(value))
        return std::move(error);
      continue;
    }
    const json::Object *entry = value.getAsObject();
    if (!entry)
      return makeError("the header entry '" + name +
                       "' must be an object with \"dtype\", \"shape\" and "
                       "\"data_offsets\", found " +
                       describeKind(value));
    const json::Value *dtypeValue = entry->get("dtype");
    if (!dtypeValue)
      return makeError("tensor '" + name + "' has no \"dtype\" field");
    std::optional<StringRef> dtype = dtypeValue->getAsString();
    if (!dtype)
      return makeError("tensor '" + name +
                       "': \"dtype\" must be a string such as \"F32\", found " +
                       describeKind(*dtypeValue));
    Expected<SmallVector<int64_t, 6>> shape = parseShape(name, *entry);
    if (!shape)
      return shape.takeError();
    Expected<std::pair<uint64_t, uint64_t>> offsets =
        parseOffsets(name, *entry);
    if (!offsets)
      return offsets.takeError();
    auto [begin, end] = *offsets;
    std::string offsetsText = formatList(ArrayRef<uint64_t>{begin, end});
    std::string shapeText = formatList(ArrayRef<int64_t>(*shape));

    if (end < begin)
      return makeError("tensor '" + name + "': data_offsets " + offsetsText +
                       " end before they begin");
    if (end > file.data.size())
      return makeError("tensor '" + name + "': data_offsets " + offsetsText +
                       " go beyond the end of the data buffer (" +
                       Twine(file.data.size()) + " bytes)");
    std::optional<int64_t> count = checkedProduct(*shape);
    if (!count)
      return makeError("tensor '" + name + "': the shape " + shapeText +
                       " has more elements than fit in 64 bits");
    if (std::optional<uint64_t> bits = dtypeBits(*dtype)) {
      uint64_t elements = static_cast<uint64_t>(*count);
      if (elements > std::numeric_limits<uint64_t>::max() / *bits)
        return makeError("tensor '" + name + "': the shape " + shapeText +
                         " of " + *dtype +
                         " has more bytes than fit in 64 "
                         "bits");
      uint64_t totalBits = elements * *bits;
      if (totalBits % 8 != 0 || totalBits / 8 != end - begin)
        return makeError("tensor '" + name + "' of dtype " + *dtype +
                         " and shape " + shapeText + " needs " +
                         Twine(totalBits / 8) +
                         (totalBits % 8 ? " bytes and a fraction" : " bytes") +
                         ", but its data_offsets " + offsetsText + " span " +
                         Twine(end - begin) + " bytes");
    }
    Entry &stored = file.entries[name];
    stored.dtype = dtype->str();
    stored.shape = std::move(*shape);
    stored.begin = begin;
    stored.end = end;
    file.names.push_back(name.str());
  }

  // Overlaps: in the order of the offsets, every non-empty range must start
  // at or after the furthest end so far.
  SmallVector<const llvm::StringMapEntry<Entry> *> byOffset;
  for (const auto &entry : file.entries)
    if (entry.second.end > entry.second.begin)
      byOffset.push_back(&entry);
  llvm::sort(byOffset, [](const auto *a, const auto *b) {
    return std::make_tuple(a->second.begin, a->second.end, a->first()) <
           std::make_tuple(b->second.begin, b->second.end, b->first());
  });
  const llvm::StringMapEntry<Entry> *furthest = nullptr;
  for (const auto *entry : byOffset) {
    if (furthest && entry->second.begin < furthest->second.end)
      return makeError("tensors '" + furthest->first() + "' (data_offsets " +
                       formatList(ArrayRef<uint64_t>{furthest->second.begin,
                                                     furthest->second.end}) +
                       ") and '" + entry->first() + "' (data_offsets " +
                       formatList(ArrayRef<uint64_t>{entry->second.begin,
                                                     entry->second.end}) +
                       ") overlap");
    if (!furthest || entry->second.end > furthest->second.end)
      furthest = entry;
  }

  file.buffer = std::move(buffer);
  return std::move(file);
}

Expected<SafeTensorsFile> SafeTensorsFile::open(StringRef path) {
  Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      openInputFile(path, ".safetensors");
  if (!buffer)
    return buffer.takeError();
  Expected<SafeTensorsFile> file = parse(std::move(*buffer));
  if (!file)
    return makeError(path + ": " + llvm::toString(file.takeError()));
  file->path = path.str();
  return file;
}

Error SafeTensorsFile::makeReadError(const Twine &message) const {
  if (path.empty())
    return makeError(message);
  return makeError(path + ": " + message);
}

Expected<Tensor> SafeTensorsFile::read(StringRef name) const {
  auto it = entries.find(name);
  if (it == entries.end()) {
    if (names.empty())
      return makeReadError("no tensor named '" + name +
                           "': the file holds no tensors");
    std::string message = "no tensor named '" + name.str() + "'";
    // A near miss (a typo, a missing prefix digit) is worth naming first.
    const std::string *closest = nullptr;
    unsigned closestDistance = std::max<unsigned>(2, name.size() / 3) + 1;
    for (const std::string &candidate : names) {
      unsigned distance =
          name.edit_distance(candidate, /*AllowReplacements=*/true,
                             /*MaxEditDistance=*/closestDistance);
      if (distance < closestDistance) {
        closest = &candidate;
        closestDistance = distance;
      }
    }
    message += closest ? "; did you mean '" + *closest + "'?" : ".";
    message += " The file has " + std::to_string(names.size()) +
               (names.size() == 1 ? " tensor: " : " tensors: ");
    ArrayRef<std::string> shown = ArrayRef(names).take_front(kNamesInMessages);
    message += llvm::join(llvm::map_range(shown,
                                          [](const std::string &shownName) {
                                            return "'" + shownName + "'";
                                          }),
                          ", ");
    if (names.size() > shown.size())
      message +=
          ", ... (" + std::to_string(names.size() - shown.size()) + " more)";
    return makeReadError(message);
  }

  const Entry &entry = it->second;
  if (entry.dtype != "F32")
    return makeReadError(
        "tensor '" + name + "' has dtype " + entry.dtype +
        "; ConvForge reads F32 only: convert it before saving (e.g. "
        "tensor.float() in PyTorch, x.astype(np.float32) in NumPy)");
  // Validated by parse(): the range lies inside `data` and matches the
  // shape, so the element count fits in size_t.
  size_t count = (entry.end - entry.begin) / sizeof(float);
  AlignedFloats values(count);
  const char *source = data.data() + entry.begin;
  if constexpr (llvm::endianness::native == llvm::endianness::little) {
    if (count)
      std::memcpy(values.data(), source, count * sizeof(float));
  } else {
    for (size_t i = 0; i < count; ++i)
      values[i] = llvm::bit_cast<float>(
          llvm::support::endian::read32le(source + i * sizeof(float)));
  }
  return Tensor(entry.shape, std::move(values));
}

Error SafeTensorsFile::write(
    StringRef path, ArrayRef<std::pair<std::string, const Tensor *>> tensors) {
  SmallVector<std::pair<std::string, const Tensor *>> sorted(tensors.begin(),
                                                             tensors.end());
  llvm::sort(sorted, llvm::less_first());
  for (size_t i = 0; i < sorted.size(); ++i) {
    const auto &[name, tensor] = sorted[i];
    if (name == kMetadataKey)
      return makeError(path + ": cannot write a tensor named '" + name +
                       "': the name is reserved for the metadata");
    if (i > 0 && sorted[i - 1].first == name)
      return makeError(path + ": cannot write two tensors named '" + name +
                       "'");
    if (!tensor || !tensor->isWellFormed())
      return makeError(
          path + ": cannot write tensor '" + name + "': " +
          (tensor
               ? "its shape " + formatShape(tensor->shape) + " and its " +
                     std::to_string(tensor->data.size()) + " elements disagree"
               : std::string("it is null")));
  }

  std::string header;
  {
    llvm::raw_string_ostream os(header);
    json::OStream json(os);
    uint64_t offset = 0;
    json.object([&] {
      for (const auto &named : sorted) {
        const Tensor *tensor = named.second;
        uint64_t size = tensor->data.size() * sizeof(float);
        json.attributeObject(named.first, [&] {
          json.attribute("dtype", "F32");
          json.attributeArray("shape", [&] {
            for (int64_t dim : tensor->shape)
              json.value(dim);
          });
          json.attributeArray("data_offsets", [&] {
            json.value(offset);
            json.value(offset + size);
          });
        });
        offset += size;
      }
    });
  }
  // Pad with spaces (still valid JSON) so that the data starts 8-byte
  // aligned, as the reference writer does: mapped tensors are then aligned.
  header.append((kLengthSize - header.size() % kLengthSize) % kLengthSize, ' ');

  Error error = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    char length[kLengthSize];
    llvm::support::endian::write64le(length, header.size());
    os.write(length, kLengthSize);
    os << header;
    for (const auto &[name, tensor] : sorted) {
      if constexpr (llvm::endianness::native == llvm::endianness::little) {
        os.write(reinterpret_cast<const char *>(tensor->data.data()),
                 tensor->data.size() * sizeof(float));
      } else {
        for (float value : tensor->data) {
          char bytes[sizeof(float)];
          llvm::support::endian::write32le(bytes,
                                           llvm::bit_cast<uint32_t>(value));
          os.write(bytes, sizeof(float));
        }
      }
    }
    return Error::success();
  });
  if (error)
    return makeError(
        path + ": cannot write the file: " + llvm::toString(std::move(error)));
  return Error::success();
}
