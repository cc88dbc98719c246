//===- SpecParser.h - The network spec schema -------------------*- C++ -*-===//
//
// Checks a YAML tree against the network spec schema (docs/SpecFormat.md)
// and produces a NetworkSpec: every key known, typed, in range and located,
// defaults applied, layer names unique. Geometry (whether a stride divides,
// whether depths match) is not checked here: the cnn dialect's verifier
// does it, with its arithmetic, once the layers are built.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_LIB_FRONTEND_SPECPARSER_H
#define CONVFORGE_LIB_FRONTEND_SPECPARSER_H

#include "YamlTree.h"

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/SMLoc.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace convforge::frontend {

/// The layer types of the schema.
enum class LayerKind {
  Conv,
  LocallyConnected,
  MaxPool,
  AvgPool,
  Relu,
  Flatten,
  Dense,
  Softmax,
};

/// The schema's spelling of a layer type ("conv", "maxpool", ...).
llvm::StringRef getLayerTypeName(LayerKind kind);

/// Where a layer's weights or biases come from, when the spec says.
struct TensorSource {
  /// A `.npy` file (path resolved against the spec's directory) or the name
  /// of a tensor in the spec's weights_file.
  enum class Kind { NpyFile, WeightsFileTensor };
  Kind kind;
  std::string text;
  llvm::SMLoc loc;
};

/// A list attribute as written ([S], [SH, SW], ...), with its location.
struct LocatedList {
  llvm::SmallVector<int64_t, 4> values;
  llvm::SMLoc loc;
};

struct LayerSpec {
  LayerKind kind;
  std::string name;
  /// Position in `layers` (0-based): seeds the generated weights.
  unsigned index = 0;
  /// The `type` key, or the layer's mapping when it has none.
  llvm::SMLoc loc;

  /// K of conv and locally_connected, M of dense.
  int64_t count = 0;
  /// Window: size [F] / [FH, FW]; stride, padding as written (absent:
  /// the dialect's defaults, except that a pool's stride defaults to its
  /// size and is then set from it).
  std::optional<LocatedList> size, stride, padding;
  std::optional<cnn::Rounding> rounding;
  bool bias = true;
  bool countIncludePad = false;
  std::optional<TensorSource> weights, biases;
};

struct NetworkSpec {
  /// The function's name (a C identifier).
  std::string name;
  int64_t batch = 1, height = 0, width = 0, depth = 0;
  llvm::SMLoc inputLoc;
  uint64_t seed = 0;
  /// The weights_file, resolved against the spec's directory.
  std::optional<std::string> weightsFile;
  llvm::SMLoc weightsFileLoc;
  std::vector<LayerSpec> layers;
  /// The spec file's directory ("" when it has none, e.g. stdin).
  std::string directory;
};

/// Checks `root` against the schema; reports every problem found in the
/// first offending node (as an error at its location) and returns nullopt.
std::optional<NetworkSpec> parseNetworkSpec(const SpecSource &source,
                                            const YamlNode &root);

} // namespace convforge::frontend

#endif // CONVFORGE_LIB_FRONTEND_SPECPARSER_H
