//===- TargetDescription.cpp - What the strategy knows of the CPU ---------===//

#include "ConvForge/Codegen/TargetDescription.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/TargetParser/Host.h"

using namespace convforge;

/// Reads a small sysfs file, trimmed; empty if absent.
static std::string readSysfs(const llvm::Twine &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return "";
  return (*buffer)->getBuffer().trim().str();
}

/// Parses sysfs cache sizes such as "48K" or "1024K" or "32M".
static int64_t parseCacheSize(llvm::StringRef text) {
  int64_t multiplier = 1;
  if (text.consume_back("K"))
    multiplier = 1024;
  else if (text.consume_back("M"))
    multiplier = 1024 * 1024;
  int64_t value = 0;
  if (text.getAsInteger(10, value) || value <= 0)
    return 0;
  return value * multiplier;
}

TargetDescription TargetDescription::host() {
  TargetDescription target;
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto has = [&](llvm::StringRef name) { return features.lookup(name); };
  if (has("avx512f")) {
    target.vectorBits = 512;
    target.numVectorRegisters = 32;
  } else if (has("avx")) {
    target.vectorBits = 256;
    target.numVectorRegisters = 16;
  } else {
    target.vectorBits = 128;
    target.numVectorRegisters = 16;
  }

  for (int index = 0; index < 8; ++index) {
    std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index);
    std::string level = readSysfs(dir + "/level");
    if (level.empty())
      break;
    std::string type = readSysfs(dir + "/type");
    int64_t size = parseCacheSize(readSysfs(dir + "/size"));
    if (size == 0 || type == "Instruction")
      continue;
    if (level == "1")
      target.l1Bytes = size;
    else if (level == "2")
      target.l2Bytes = size;
  }
  return target;
}

std::string TargetDescription::describe() const {
  return std::to_string(vectorBits) + "-bit vectors, " +
         std::to_string(numVectorRegisters) + " registers, L1 " +
         std::to_string(l1Bytes / 1024) + " KiB, L2 " +
         std::to_string(l2Bytes / 1024) + " KiB";
}
