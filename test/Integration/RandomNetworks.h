//===- RandomNetworks.h - Random valid layers and networks ------*- C++ -*-===//
//
// Generators of random, valid cnn-dialect functions for the execution
// tests, covering the cases the lowering must get right: odd sizes, strides
// above 1, symmetric and asymmetric padding, 1x1 filters, filters larger than
// any tile, one input channel, output channels that are not a multiple of
// the vector width, batches, 1x1 outputs, every rounding mode.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_TEST_INTEGRATION_RANDOMNETWORKS_H
#define CONVFORGE_TEST_INTEGRATION_RANDOMNETWORKS_H

#include <cstdint>
#include <random>
#include <string>

namespace convforge::testing {

/// A generated function: its MLIR source (function @net, intermediate types
/// left to shape inference) and a one-line description for failure messages.
struct GeneratedNetwork {
  std::string source;
  std::string description;
};

GeneratedNetwork randomConv2D(std::mt19937_64 &rng);
/// A conv2d of a wide, short input (30 to 90 columns): several width tiles
/// per row, so that a padded input is read directly by the interior tiles
/// and through padded strips by the edge ones.
GeneratedNetwork randomWideConv2D(std::mt19937_64 &rng);
/// A conv2d whose filter argument is blocked by a random divisor of K
/// (`filter_block`), whether or not it is the block the kernels read.
GeneratedNetwork randomBlockedFilterConv2D(std::mt19937_64 &rng);
/// A conv2d whose filter is a constant of the source: the compiler packs it.
GeneratedNetwork randomConstantFilterConv2D(std::mt19937_64 &rng);
GeneratedNetwork randomPool(std::mt19937_64 &rng, bool isMax);
GeneratedNetwork randomLocallyConnected(std::mt19937_64 &rng);
/// flatten? -> dense -> relu | softmax | nothing
GeneratedNetwork randomClassifier(std::mt19937_64 &rng);
/// The same with a multiple of 8 or 16 inputs (32 to 2560): the dot
/// products that convforge-split-dot-products splits into partial sums.
GeneratedNetwork randomLongDense(std::mt19937_64 &rng);
/// conv -> relu -> pool -> conv -> relu -> flatten -> dense -> softmax
GeneratedNetwork randomSmallNetwork(std::mt19937_64 &rng);
/// transpose (random rank and permutation) -> relu -> reshape (random
/// shape, same elements) -> softmax? -> transpose?
GeneratedNetwork randomLayoutChange(std::mt19937_64 &rng);

} // namespace convforge::testing

#endif // CONVFORGE_TEST_INTEGRATION_RANDOMNETWORKS_H
