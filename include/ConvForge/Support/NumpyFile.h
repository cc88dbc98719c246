//===- NumpyFile.h - Read and write NumPy .npy files -------------*- C++
//-*-===//
//
// The .npy format (NumPy's np.save/np.load) for the one array type ConvForge
// computes with: little-endian float32 in C (row-major) order. A file is the
// magic string "\x93NUMPY", a version, a header length, a header that is a
// Python dict literal such as
//
//   {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
//
// padded with spaces and a newline, then the raw array data. Files come from
// users' scripts, so every malformed or unsupported input gives an error that
// says what is wrong and, where there is one, how to fix it on the NumPy side;
// nothing here crashes or over-allocates on hostile bytes.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_SUPPORT_NUMPYFILE_H
#define CONVFORGE_SUPPORT_NUMPYFILE_H

#include "ConvForge/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace convforge {

/// Called with the shape of a valid file before its data is copied: an error
/// stops the read (and is returned as is), so that a caller expecting a
/// given shape does not allocate for another one.
using NpyShapeCheck = llvm::function_ref<llvm::Error(llvm::ArrayRef<int64_t>)>;

/// Parses the bytes of a .npy file (format versions 1.0, 2.0 and 3.0): only
/// little-endian float32 ('<f4'), C order. Only the array data is copied.
llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes,
                                NpyShapeCheck checkShape = nullptr);

/// Reads a .npy file; errors start with the path (except those of
/// `checkShape`). Large files are mapped, not read into a temporary copy.
llvm::Expected<Tensor> readNpyFile(llvm::StringRef path,
                                   NpyShapeCheck checkShape = nullptr);

/// The .npy bytes (version 1.0, '<f4', fortran_order False) of `tensor`, with
/// the header padded to a multiple of 64 bytes as NumPy does (byte-identical
/// to np.save of the same float32 array by NumPy 1.24, which also reserves
/// header room for the first dimension to grow). `tensor` must be well-formed
/// (Tensor::isWellFormed).
std::string serializeNpy(const Tensor &tensor);

/// Writes serializeNpy(tensor) to `path` (through a temporary file, so a
/// failed write leaves no partial file); errors start with the path. Rejects
/// a tensor that is not well-formed.
llvm::Error writeNpyFile(llvm::StringRef path, const Tensor &tensor);

} // namespace convforge

#endif // CONVFORGE_SUPPORT_NUMPYFILE_H
