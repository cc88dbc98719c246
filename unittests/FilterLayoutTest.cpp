//===- FilterLayoutTest.cpp - Blocked conv filter storage -----------------===//

#include "ConvForge/Support/FilterLayout.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <random>
#include <vector>

using namespace convforge;

namespace {

TEST(FilterLayout, BlockedIndexIsKOverBTapKModB) {
  // K = 4 filters of 1x2x1 (two taps), blocks of 2: filter k's tap t has
  // the value 10k + t, and sits at [k / 2][t][k % 2].
  std::array<int64_t, 4> kfhwd = {4, 1, 2, 1};
  std::vector<float> plain = {0, 1, 10, 11, 20, 21, 30, 31};
  std::vector<float> blocked(plain.size());
  packFilterBlocked(plain, kfhwd, 2, blocked);
  EXPECT_EQ(blocked, (std::vector<float>{0, 10, 1, 11, 20, 30, 21, 31}));
}

TEST(FilterLayout, BlockOfKIsTheHwcfLayout) {
  // One block of all K filters: tap-major with K innermost (HWCF).
  std::array<int64_t, 4> kfhwd = {3, 1, 1, 2};
  std::vector<float> plain = {1, 2, 3, 4, 5, 6}; // filter k: {2k+1, 2k+2}
  std::vector<float> blocked(plain.size());
  packFilterBlocked(plain, kfhwd, 3, blocked);
  EXPECT_EQ(blocked, (std::vector<float>{1, 3, 5, 2, 4, 6}));
}

TEST(FilterLayout, UnpackInvertsPackForRandomShapes) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> dim(1, 6);
  for (int trial = 0; trial < 50; ++trial) {
    int64_t block = dim(rng);
    std::array<int64_t, 4> kfhwd = {block * dim(rng), dim(rng), dim(rng),
                                    dim(rng)};
    std::vector<float> plain(kfhwd[0] * kfhwd[1] * kfhwd[2] * kfhwd[3]);
    for (size_t i = 0; i < plain.size(); ++i)
      plain[i] = static_cast<float>(i);
    std::vector<float> blocked(plain.size()), back(plain.size());
    packFilterBlocked(plain, kfhwd, block, blocked);
    unpackFilterBlocked(blocked, kfhwd, block, back);
    ASSERT_EQ(back, plain) << "trial " << trial << ", block " << block;
    // A permutation: every weight appears exactly once.
    std::vector<float> sorted = blocked;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(sorted, plain);
  }
}

} // namespace
