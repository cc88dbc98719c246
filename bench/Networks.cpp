//===- Networks.cpp - Whole networks, as plain data -----------------------===//

#include "Networks.h"

#include <cmath>
#include <limits>
#include <map>

namespace convforge::bench {

int64_t NetworkTensor::size() const {
  int64_t size = 1;
  for (int64_t dim : shape)
    size *= dim;
  return size;
}

int64_t NetworkModel::outputSize() const {
  int64_t size = 1;
  for (int64_t dim : outputShape)
    size *= dim;
  return size;
}

std::string NetworkModel::summary() const {
  // In the order of first appearance.
  std::vector<std::string> order;
  std::map<std::string, int> counts;
  for (const NetworkOp &op : ops) {
    const char *kind = "";
    switch (op.kind) {
    case NetworkOpKind::Conv:
      kind = "conv";
      break;
    case NetworkOpKind::MaxPool:
      kind = "maxpool";
      break;
    case NetworkOpKind::AvgPool:
      kind = "avgpool";
      break;
    case NetworkOpKind::Relu:
      kind = "relu";
      break;
    case NetworkOpKind::Flatten:
      kind = "flatten";
      break;
    case NetworkOpKind::Dense:
      kind = "dense";
      break;
    case NetworkOpKind::Softmax:
      kind = "softmax";
      break;
    }
    if (counts[kind]++ == 0)
      order.push_back(kind);
  }
  std::string text;
  for (const std::string &kind : order) {
    if (!text.empty())
      text += ", ";
    if (counts[kind] > 1)
      text += std::to_string(counts[kind]) + " ";
    text += kind;
  }
  return text;
}

double maxElementwiseRelativeError(const AlignedFloats &a,
                                   const AlignedFloats &b) {
  if (a.size() != b.size())
    return std::numeric_limits<double>::infinity();
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double error = std::fabs(double(a[i]) - double(b[i])) /
                   std::max(1e-30, std::fabs(double(b[i])));
    if (!(error <= worst))
      worst =
          std::isnan(error) ? std::numeric_limits<double>::infinity() : error;
  }
  return worst;
}

} // namespace convforge::bench
