//===- SafeTensorsFile.h - Read and write .safetensors files -----*- C++
//-*-===//
//
// The safetensors format (Hugging Face): an 8-byte little-endian header
// length N, N bytes of JSON
//
//   {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
//    ..., "__metadata__": {"key": "value", ...}}
//
// then the data buffer, which the offsets index. A file usually holds all
// the weights of a network, so it is mapped rather than read, the whole
// header is validated up front (offsets, sizes, overlaps), and a tensor is
// copied out only when it is read. Every malformed input gives an error
// that names what is wrong; nothing here crashes on hostile bytes.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_SUPPORT_SAFETENSORSFILE_H
#define CONVFORGE_SUPPORT_SAFETENSORSFILE_H

#include "ConvForge/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace convforge {

/// A validated .safetensors file. Holds the (usually memory-mapped) file;
/// read() copies one tensor out of it.
class SafeTensorsFile {
public:
  /// Maps and validates the file at `path`; errors start with the path, and
  /// so do the errors of read() on the result.
  static llvm::Expected<SafeTensorsFile> open(llvm::StringRef path);
  /// Validates the bytes of a .safetensors file and takes ownership of them.
  static llvm::Expected<SafeTensorsFile>
  parse(std::unique_ptr<llvm::MemoryBuffer> buffer);

  /// The names of the tensors, sorted (without "__metadata__").
  llvm::ArrayRef<std::string> getNames() const { return names; }
  bool contains(llvm::StringRef name) const { return entries.count(name); }
  /// The shape and dtype of the tensor `name` (validated against its data),
  /// or null if there is none: a caller can check them before read()
  /// allocates.
  const llvm::SmallVector<int64_t, 6> *getShape(llvm::StringRef name) const {
    auto it = entries.find(name);
    return it == entries.end() ? nullptr : &it->second.shape;
  }
  llvm::StringRef getDtype(llvm::StringRef name) const {
    auto it = entries.find(name);
    return it == entries.end() ? llvm::StringRef() : it->second.dtype;
  }
  /// Copies out the tensor `name`. Fails, naming what is available or what
  /// was found, for an unknown name or a dtype other than F32.
  llvm::Expected<Tensor> read(llvm::StringRef name) const;

  /// Writes `tensors` (name, tensor; each well-formed, names unique and not
  /// "__metadata__") as F32 to `path`, in name order, with the data 8-byte
  /// aligned as the reference implementation does. Errors start with the
  /// path; a failed write leaves no partial file.
  static llvm::Error
  write(llvm::StringRef path,
        llvm::ArrayRef<std::pair<std::string, const Tensor *>> tensors);

private:
  /// One tensor's header entry, validated against the data buffer.
  struct Entry {
    std::string dtype;
    llvm::SmallVector<int64_t, 6> shape;
    uint64_t begin = 0; ///< offset of the first byte in `data`
    uint64_t end = 0;   ///< one past the last byte
  };

  SafeTensorsFile() = default;

  /// Prefixes `message` with the path, when the file was opened by path.
  llvm::Error makeReadError(const llvm::Twine &message) const;

  std::unique_ptr<llvm::MemoryBuffer> buffer;
  /// The data buffer (after the header) inside `buffer`.
  llvm::StringRef data;
  /// The path given to open(); empty for parse().
  std::string path;
  std::vector<std::string> names;
  llvm::StringMap<Entry> entries;
};

} // namespace convforge

#endif // CONVFORGE_SUPPORT_SAFETENSORSFILE_H
