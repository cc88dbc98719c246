//===- Layers.cpp - The layers convforge-bench measures -------------------===//

#include "Layers.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>

namespace convforge::bench {

namespace {

Layer conv(std::string name, int64_t batch, int64_t hw, int64_t c, int64_t k,
           int64_t f, int64_t s, int64_t p) {
  Layer layer;
  layer.name = std::move(name);
  layer.kind = LayerKind::Conv;
  layer.batch = batch;
  layer.height = layer.width = hw;
  layer.channels = c;
  layer.filters = k;
  layer.window = f;
  layer.stride = s;
  layer.padding = p;
  return layer;
}

Layer maxPool(std::string name, int64_t hw, int64_t c, int64_t f, int64_t s) {
  Layer layer;
  layer.name = std::move(name);
  layer.kind = LayerKind::MaxPool;
  layer.height = layer.width = hw;
  layer.channels = c;
  layer.window = f;
  layer.stride = s;
  return layer;
}

int64_t outSize(int64_t in, int64_t window, int64_t stride, int64_t pad) {
  return (in - window + 2 * pad) / stride + 1;
}

std::string tensorType(const std::vector<int64_t> &shape) {
  std::string type = "tensor<";
  for (int64_t d : shape)
    type += std::to_string(d) + "x";
  return type + "f32>";
}

} // namespace

std::vector<Layer> allLayers() {
  return {
      conv("alexnet-conv1 227x227x3 K96 F11 S4", 1, 227, 3, 96, 11, 4, 0),
      conv("alexnet-conv2 27x27x96 K256 F5 P2", 1, 27, 96, 256, 5, 1, 2),
      conv("vgg 224x224x64 K64 F3 P1", 1, 224, 64, 64, 3, 1, 1),
      conv("vgg 56x56x256 K256 F3 P1", 1, 56, 256, 256, 3, 1, 1),
      conv("vgg 14x14x512 K512 F3 P1", 1, 14, 512, 512, 3, 1, 1),
      conv("resnet 1x1 56x56x64 K256", 1, 56, 64, 256, 1, 1, 0),
      conv("resnet 3x3/2 56x56x128 K128 P1", 1, 56, 128, 128, 3, 2, 1),
      conv("vgg 56x56x256 K256 F3 P1 N8", 8, 56, 256, 256, 3, 1, 1),
      maxPool("maxpool 3x3/2 55x55x96", 55, 96, 3, 2),
      maxPool("maxpool 2x2/2 224x224x64", 224, 64, 2, 2),
      maxPool("maxpool 2x2/2 112x112x128", 112, 128, 2, 2),
  };
}

bool Layer::needsFloor() const {
  return (height - window + 2 * padding) % stride != 0 ||
         (width - window + 2 * padding) % stride != 0;
}

int64_t Layer::outHeight() const {
  return outSize(height, window, stride, padding);
}
int64_t Layer::outWidth() const {
  return outSize(width, window, stride, padding);
}

std::vector<int64_t> Layer::inputShape() const {
  return {batch, height, width, channels};
}
std::vector<int64_t> Layer::outputShape() const {
  return {batch, outHeight(), outWidth(), outChannels()};
}
std::vector<int64_t> Layer::filterShape() const {
  return {filters, window, window, channels};
}

int64_t Layer::inputSize() const { return batch * height * width * channels; }
int64_t Layer::outputSize() const {
  return batch * outHeight() * outWidth() * outChannels();
}
int64_t Layer::filterSize() const {
  return filters * window * window * channels;
}

double Layer::flops() const {
  double outputs = double(batch) * outHeight() * outWidth() * outChannels();
  double window2 = double(window) * window;
  if (kind == LayerKind::MaxPool)
    return outputs * window2;
  return 2 * outputs * window2 * channels;
}

std::string Layer::cnnSource() const {
  std::ostringstream os;
  std::string in = tensorType(inputShape());
  std::string attrs;
  if (stride != 1)
    attrs += " stride [" + std::to_string(stride) + "]";
  if (padding != 0)
    attrs += " padding [" + std::to_string(padding) + "]";
  if (needsFloor())
    attrs += " rounding floor";
  if (kind == LayerKind::Conv) {
    std::string w = tensorType(filterShape());
    std::string b = tensorType({filters});
    os << "func.func @net(%x: " << in << ", %w: " << w << ", %b: " << b
       << ") -> tensor<*xf32> {\n"
       << "  %y = cnn.conv2d %x, %w, %b" << attrs << " : (" << in << ", " << w
       << ", " << b << ") -> tensor<*xf32>\n";
  } else {
    os << "func.func @net(%x: " << in << ") -> tensor<*xf32> {\n"
       << "  %y = cnn.max_pool2d %x window [" << window << "]" << attrs
       << " : (" << in << ") -> tensor<*xf32>\n";
  }
  os << "  return %y : tensor<*xf32>\n}\n";
  return os.str();
}

LayerData makeLayerData(const Layer &layer, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  auto fill = [&](AlignedFloats &values, int64_t size) {
    values.resize(size);
    for (float &v : values)
      v = uniform(rng);
  };
  LayerData data;
  fill(data.input, layer.inputSize());
  if (layer.kind == LayerKind::Conv) {
    fill(data.filter, layer.filterSize());
    fill(data.bias, layer.filters);
  }
  return data;
}

double maxRelativeError(const AlignedFloats &a, const AlignedFloats &b) {
  if (a.size() != b.size())
    return std::numeric_limits<double>::infinity();
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double error = std::fabs(double(a[i]) - double(b[i])) /
                   std::max(1.0, std::fabs(double(b[i])));
    // A NaN on either side must fail the check, not compare false.
    if (!(error <= worst))
      worst =
          std::isnan(error) ? std::numeric_limits<double>::infinity() : error;
  }
  return worst;
}

} // namespace convforge::bench
