//===- Tensor.cpp - A dense f32 array with its shape ----------------------===//

#include "ConvForge/Support/Tensor.h"

#include "ConvForge/Support/WindowArithmetic.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

using namespace convforge;
using llvm::ArrayRef;

/// The number of elements of `shape`: 0 if any dimension is 0 (however
/// large the others), else the product, which must fit in int64 (the shapes
/// of tensors come from checked files and verified types).
static int64_t product(ArrayRef<int64_t> shape) {
  std::optional<int64_t> count = checkedProduct(shape);
  if (!count)
    llvm::report_fatal_error("the number of elements of a tensor of shape " +
                             llvm::Twine(formatShape(shape)) +
                             " overflows int64");
  return *count;
}

Tensor::Tensor(ArrayRef<int64_t> shape, float fill)
    : shape(shape.begin(), shape.end()),
      data(static_cast<size_t>(product(shape)), fill) {}

Tensor::Tensor(ArrayRef<int64_t> shape, AlignedFloats data)
    : shape(shape.begin(), shape.end()), data(std::move(data)) {}

int64_t Tensor::numElements() const { return product(shape); }

bool Tensor::isWellFormed() const {
  if (llvm::any_of(shape, [](int64_t size) { return size < 0; }))
    return false;
  std::optional<int64_t> count = checkedProduct(shape);
  return count && static_cast<size_t>(*count) == data.size();
}

int64_t Tensor::index(ArrayRef<int64_t> indices) const {
  int64_t position = 0;
  for (auto [size, index] : llvm::zip_equal(shape, indices))
    position = position * size + index;
  return position;
}

std::string convforge::formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, "x");
  if (shape.empty())
    os << "scalar";
  return text;
}
