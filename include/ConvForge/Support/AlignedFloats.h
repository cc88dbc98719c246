//===- AlignedFloats.h - Cache-line aligned float buffers -------*- C++ -*-===//
//
// Buffers of floats that start on a cache line, as the workspace of compiled
// code does. A std::vector<float> of a layer's size comes from mmap through
// malloc, 16 bytes past a page boundary: every 64-byte vector load or store
// of it then spans two cache lines, which made memory-bound layers (the max
// pools) 15-30 % slower than on aligned buffers.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_SUPPORT_ALIGNEDFLOATS_H
#define CONVFORGE_SUPPORT_ALIGNEDFLOATS_H

#include "llvm/Support/ErrorHandling.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace convforge {

/// The alignment of every buffer of AlignedFloats: a cache line, the size
/// of an AVX-512 vector.
inline constexpr std::size_t kBufferAlignment = 64;

/// A std::allocator whose memory starts on a cache line.
template <typename T> struct CacheLineAllocator {
  using value_type = T;

  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U> &) noexcept {}

  T *allocate(std::size_t count) {
    if (count > (SIZE_MAX - kBufferAlignment) / sizeof(T))
      llvm::report_bad_alloc_error("a buffer of floats too large to allocate");
    // aligned_alloc wants a non-zero multiple of the alignment.
    std::size_t bytes = (count * sizeof(T) + kBufferAlignment - 1) /
                        kBufferAlignment * kBufferAlignment;
    void *memory =
        std::aligned_alloc(kBufferAlignment, bytes ? bytes : kBufferAlignment);
    if (!memory)
      llvm::report_bad_alloc_error("out of memory for a buffer of floats");
    return static_cast<T *>(memory);
  }
  void deallocate(T *pointer, std::size_t) noexcept { std::free(pointer); }

  template <typename U>
  bool operator==(const CacheLineAllocator<U> &) const noexcept {
    return true;
  }
  template <typename U>
  bool operator!=(const CacheLineAllocator<U> &) const noexcept {
    return false;
  }
};

/// A growable buffer of floats that starts on a cache line.
using AlignedFloats = std::vector<float, CacheLineAllocator<float>>;

} // namespace convforge

#endif // CONVFORGE_SUPPORT_ALIGNEDFLOATS_H
