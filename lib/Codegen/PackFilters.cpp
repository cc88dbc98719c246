//===- PackFilters.cpp - The convforge-pack-filters pass ------------------===//
//
// Weights are compile-time constants: the filter of every convolution is
// stored once, here, in the blocked layout its kernels read, rather than
// transposed by the generated code on every call.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Codegen/Passes.h"
#include "ConvForge/Codegen/StrategySelection.h"
#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"
#include "ConvForge/Support/FilterLayout.h"
#include "ConvForge/Support/WeightBlob.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGEPACKFILTERS
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace convforge;

/// The `count` weights of an f32 constant, viewed in place: a dense resource
/// with data, or dense elements that are not a splat.
static std::optional<ArrayRef<float>> viewWeights(Attribute value,
                                                  int64_t count) {
  ArrayRef<char> bytes;
  if (auto dense = dyn_cast<DenseElementsAttr>(value);
      dense && dense.getElementType().isF32() && !dense.isSplat())
    bytes = dense.getRawData();
  else if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      bytes = blob->getData();
  if (bytes.size() != static_cast<size_t>(count) * sizeof(float) ||
      reinterpret_cast<uintptr_t>(bytes.data()) % alignof(float) != 0)
    return std::nullopt;
  return ArrayRef<float>(reinterpret_cast<const float *>(bytes.data()), count);
}

/// A constant of `type` holding `weights`, of the same kind as `original`:
/// a dense resource (not uniqued or hashed, which matters for large
/// filters) named after the original's, or dense elements.
static Attribute makeWeights(Attribute original, RankedTensorType type,
                             ArrayRef<float> weights) {
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(original)) {
    std::string name = (resource.getRawHandle().getKey() + "_blocked").str();
    // On a cache line (and a 512-bit vector): the kernels load whole
    // vectors of a block's channels, which must not straddle lines.
    return DenseF32ResourceElementsAttr::get(type, name,
                                             copyToWeightBlob(weights));
  }
  return DenseElementsAttr::get(type, weights);
}

namespace {
struct PackFiltersPass
    : public convforge::impl::ConvForgePackFiltersBase<PackFiltersPass> {
  using ConvForgePackFiltersBase::ConvForgePackFiltersBase;

  void runOnOperation() override {
    TargetDescription target = TargetDescription::host();
    if (vectorBits > 0)
      target.vectorBits = vectorBits;
    if (target.vectorBits % 32 != 0 || target.vectorBits < 32) {
      getOperation().emitError()
          << "vector-bits must be a positive multiple of 32, got "
          << target.vectorBits;
      return signalPassFailure();
    }
    getOperation().walk([&](cnn::Conv2DOp conv) { pack(conv, target); });
  }

  void pack(cnn::Conv2DOp conv, const TargetDescription &target) {
    if (conv.getFilterBlock())
      return;
    auto constant = conv.getFilter().getDefiningOp<arith::ConstantOp>();
    auto type = dyn_cast<RankedTensorType>(conv.getFilter().getType());
    if (!constant || !type || !type.hasStaticShape() || type.getRank() != 4)
      return;
    std::array<int64_t, 4> kfhwd = {type.getDimSize(0), type.getDimSize(1),
                                    type.getDimSize(2), type.getDimSize(3)};
    int64_t block = strategy::filterBlock(kfhwd[0], target);
    if (block == 0)
      return;
    auto blockedType = RankedTensorType::get(
        {kfhwd[0] / block, kfhwd[1], kfhwd[2], kfhwd[3], block},
        type.getElementType());
    Attribute blockedWeights;
    // A splat is the same splat in any layout.
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
        dense && dense.isSplat() && dense.getElementType().isF32()) {
      blockedWeights = dense.reshape(blockedType);
    } else {
      std::optional<ArrayRef<float>> plain =
          viewWeights(constant.getValue(), type.getNumElements());
      if (!plain)
        return;
      std::vector<float> blocked(plain->size());
      packFilterBlocked(*plain, kfhwd, block, blocked);
      blockedWeights = makeWeights(constant.getValue(), blockedType, blocked);
    }
    OpBuilder builder(constant);
    auto packed =
        arith::ConstantOp::create(builder, constant.getLoc(), blockedType,
                                  cast<TypedAttr>(blockedWeights));
    conv.getFilterMutable().assign(packed);
    conv.setFilterBlock(static_cast<uint64_t>(block));
    if (constant->use_empty())
      constant->erase();
  }
};
} // namespace
