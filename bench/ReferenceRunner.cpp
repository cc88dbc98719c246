//===- ReferenceRunner.cpp - Time the reference kernels -------------------===//

#include "ReferenceRunner.h"

#include "ConvForge/Reference/Reference.h"

namespace convforge::bench {

ReferenceResult runReference(const Layer &layer, const LayerData &data,
                             const TimingOptions &options) {
  ReferenceResult result;
  // Copied into Tensors outside the timing.
  Tensor input(layer.inputShape(), data.input);
  Tensor filter, bias;
  if (layer.kind == LayerKind::Conv) {
    filter = Tensor(layer.filterShape(), data.filter);
    bias = Tensor({layer.filters}, data.bias);
  }
  WindowParams params;
  for (int axis = 0; axis < 2; ++axis) {
    params.stride[axis] = layer.stride;
    params.padBefore[axis] = params.padAfter[axis] = layer.padding;
  }
  params.rounding =
      layer.needsFloor() ? RoundingMode::Floor : RoundingMode::Exact;

  result.timing = measure(
      [&] {
        llvm::Expected<Tensor> output =
            layer.kind == LayerKind::Conv
                ? reference::conv2d(input, filter, &bias, params)
                : reference::maxPool2d(input, layer.window, layer.window,
                                       params);
        if (!output) {
          result.error = llvm::toString(output.takeError());
          return false;
        }
        result.output = std::move(output->data);
        return true;
      },
      options);
  return result;
}

} // namespace convforge::bench
