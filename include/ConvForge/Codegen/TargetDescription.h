//===- TargetDescription.h - What the strategy knows of the CPU -*- C++ -*-===//
//
// The few facts about the target that tile-size selection depends on: the
// vector width, the number of vector registers and the data cache sizes.
// Detected from the host by default; every field can be overridden (pass
// options), so strategies are reproducible in tests.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_CODEGEN_TARGETDESCRIPTION_H
#define CONVFORGE_CODEGEN_TARGETDESCRIPTION_H

#include <cstdint>
#include <string>

namespace convforge {

struct TargetDescription {
  /// Width of one vector register in bits (512 for AVX-512).
  int64_t vectorBits = 512;
  /// Number of architectural vector registers (32 for AVX-512).
  int64_t numVectorRegisters = 32;
  /// Per-core data cache sizes in bytes.
  int64_t l1Bytes = 32 * 1024;
  int64_t l2Bytes = 1024 * 1024;
  /// Threads the generated code may use (1: serial code). Not detected:
  /// the tools choose it (--threads).
  int64_t threads = 1;

  /// f32 lanes per vector register.
  int64_t f32Lanes() const { return vectorBits / 32; }

  /// The host CPU: vector ISA from its features, caches from sysfs (the
  /// defaults above where sysfs says nothing).
  static TargetDescription host();

  /// "512-bit vectors, 32 registers, L1 32 KiB, L2 1024 KiB".
  std::string describe() const;
};

} // namespace convforge

#endif // CONVFORGE_CODEGEN_TARGETDESCRIPTION_H
