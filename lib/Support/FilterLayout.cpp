//===- FilterLayout.cpp - Blocked storage of convolution filters ----------===//

#include "ConvForge/Support/FilterLayout.h"

#include <cassert>

using namespace convforge;

/// Calls `visit(plainIndex, blockedIndex)` for every weight.
template <typename Visit>
static void forEachWeight(std::array<int64_t, 4> kfhwd, int64_t block,
                          Visit visit) {
  auto [filters, height, width, depth] = kfhwd;
  assert(block > 0 && filters % block == 0 && "the block must divide K");
  int64_t perFilter = height * width * depth;
  for (int64_t k = 0; k < filters; ++k) {
    // Filter k's tap t (row-major over FH×FW×D) is at
    // [k / B][t][k % B] in the blocked layout.
    int64_t blockBase = (k / block) * perFilter * block + k % block;
    for (int64_t tap = 0; tap < perFilter; ++tap)
      visit(k * perFilter + tap, blockBase + tap * block);
  }
}

void convforge::packFilterBlocked(llvm::ArrayRef<float> plain,
                                  std::array<int64_t, 4> kfhwd, int64_t block,
                                  llvm::MutableArrayRef<float> blocked) {
  assert(plain.size() == blocked.size() && "sizes differ");
  forEachWeight(kfhwd, block,
                [&](int64_t from, int64_t to) { blocked[to] = plain[from]; });
}

void convforge::unpackFilterBlocked(llvm::ArrayRef<float> blocked,
                                    std::array<int64_t, 4> kfhwd, int64_t block,
                                    llvm::MutableArrayRef<float> plain) {
  assert(plain.size() == blocked.size() && "sizes differ");
  forEachWeight(kfhwd, block,
                [&](int64_t to, int64_t from) { plain[to] = blocked[from]; });
}
