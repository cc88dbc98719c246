//===- OneDnnRunner.cpp - The same layers with oneDNN ---------------------===//
//
// Compiled with exceptions (dnnl.hpp reports errors by throwing; without
// exceptions it would trap): every exception is caught here and returned as
// an error string, never crossing into the rest of the benchmark.
//
//===----------------------------------------------------------------------===//

#include "OneDnnRunner.h"

#include <dnnl.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>

// Debian's oneDNN runs on OpenMP, whose thread count is the only knob: it is
// read when a primitive is created (the blocking depends on it) and when it
// runs. The runtime is LLVM's libomp, linked ahead of oneDNN's libgomp (see
// CMakeLists.txt); declared here rather than through <omp.h>, which is not on
// the include path.
extern "C" void omp_set_num_threads(int);

namespace convforge::bench {

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

using Args = std::unordered_map<int, memory>;

/// Times a reorder run once per use (a warm-up, then a median of a few).
double timeReorder(stream &s, memory &from, memory &to) {
  reorder r(from, to);
  TimingOptions options;
  options.warmup = 1;
  options.repeat = 5;
  options.minRuns = 1;
  options.budgetSeconds = 0.5;
  return measure(
             [&] {
               r.execute(s, from, to);
               s.wait();
               return true;
             },
             options)
      .median;
}

/// `user` in `desc`'s layout: `user` itself if the layouts agree, else a
/// reordered copy (the reorder timed into `seconds`).
memory toLayout(stream &s, engine &eng, memory &user, const memory::desc &desc,
                double &seconds) {
  if (desc == user.get_desc())
    return user;
  memory converted(desc, eng);
  seconds = timeReorder(s, user, converted);
  return converted;
}

/// oneDNN's short name of a plain or blocked layout ("acdb" is NHWC).
std::string formatName(const memory::desc &desc) {
  const dnnl_blocking_desc_t &blocking = desc.data.format_desc.blocking;
  int ndims = desc.data.ndims;
  // Dimensions from the largest stride to the smallest, then the inner
  // blocks: "acdb", "aBcd16b", ...
  std::vector<int> order(ndims);
  for (int i = 0; i < ndims; ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (blocking.strides[a] != blocking.strides[b])
      return blocking.strides[a] > blocking.strides[b];
    return a < b; // equal strides: dimensions of size 1, in order
  });
  std::vector<bool> blocked(ndims, false);
  for (int i = 0; i < blocking.inner_nblks; ++i)
    blocked[blocking.inner_idxs[i]] = true;
  std::string name;
  for (int d : order)
    name += static_cast<char>((blocked[d] ? 'A' : 'a') + d);
  for (int i = 0; i < blocking.inner_nblks; ++i)
    name += std::to_string(blocking.inner_blks[i]) +
            static_cast<char>('a' + blocking.inner_idxs[i]);
  return name;
}

OneDnnResult runVariant(const Layer &layer, const LayerData &data,
                        bool preferred, int threads,
                        const TimingOptions &options) {
  OneDnnResult result;
  result.variant = preferred ? "preferred" : "nhwc";
  result.threads = threads;
  engine eng(engine::kind::cpu, 0);
  stream s(eng);

  // oneDNN's dimensions are always in NCHW / OIHW order; the tag says how
  // they are laid out in memory.
  memory::dims srcDims = {layer.batch, layer.channels, layer.height,
                          layer.width};
  memory::dims dstDims = {layer.batch, layer.outChannels(), layer.outHeight(),
                          layer.outWidth()};
  memory::dims strides = {layer.stride, layer.stride};
  memory::dims padding = {layer.padding, layer.padding};
  auto input = const_cast<float *>(data.input.data());
  memory srcUser({srcDims, dt::f32, tag::nhwc}, eng, input);
  result.output.assign(layer.outputSize(), 0.0f);
  memory dstUser({dstDims, dt::f32, tag::nhwc}, eng, result.output.data());

  primitive prim;
  memory::desc srcDesc, dstDesc;
  Args args;
  if (layer.kind == LayerKind::Conv) {
    memory::dims weightsDims = {layer.filters, layer.channels, layer.window,
                                layer.window};
    memory weightsUser({weightsDims, dt::f32, tag::ohwi}, eng,
                       const_cast<float *>(data.filter.data()));
    memory biasUser({{layer.filters}, dt::f32, tag::x}, eng,
                    const_cast<float *>(data.bias.data()));
    tag activations = preferred ? tag::any : tag::nhwc;
    // Padding after: oneDNN divides with floor, so the same padding on both
    // sides gives the floor-rounded size of the ResNet stride-2 layer.
    convolution_forward::desc desc(
        prop_kind::forward_inference, algorithm::convolution_direct,
        {srcDims, dt::f32, activations}, {weightsDims, dt::f32, tag::any},
        {{layer.filters}, dt::f32, tag::x}, {dstDims, dt::f32, activations},
        strides, padding, padding);
    convolution_forward::primitive_desc pd(desc, eng);
    result.impl = pd.impl_info_str();
    srcDesc = pd.src_desc();
    dstDesc = pd.dst_desc();
    memory weights = toLayout(s, eng, weightsUser, pd.weights_desc(),
                              result.weightsReorderSeconds);
    args[DNNL_ARG_WEIGHTS] = weights;
    args[DNNL_ARG_BIAS] = biasUser;
    prim = convolution_forward(pd);
  } else {
    memory::dims kernel = {layer.window, layer.window};
    // A pool's source cannot be `any`: give it the blocked layout a blocked
    // convolution before it would produce.
    tag src = !preferred                 ? tag::nhwc
              : layer.channels % 16 == 0 ? tag::nChw16c
                                         : tag::nChw8c;
    pooling_forward::desc desc(
        prop_kind::forward_inference, algorithm::pooling_max,
        {srcDims, dt::f32, src},
        {dstDims, dt::f32, preferred ? tag::any : tag::nhwc}, strides, kernel,
        padding, padding);
    pooling_forward::primitive_desc pd(desc, eng);
    result.impl = pd.impl_info_str();
    srcDesc = pd.src_desc();
    dstDesc = pd.dst_desc();
    prim = pooling_forward(pd);
  }
  result.srcFormat = formatName(srcDesc);
  result.dstFormat = formatName(dstDesc);
  args[DNNL_ARG_SRC] =
      toLayout(s, eng, srcUser, srcDesc, result.srcReorderSeconds);
  memory dst = dstDesc == dstUser.get_desc() ? dstUser : memory(dstDesc, eng);
  args[DNNL_ARG_DST] = dst;

  result.timing = measure(
      [&] {
        prim.execute(s, args);
        s.wait();
        return true;
      },
      options);
  if (dst != dstUser)
    result.dstReorderSeconds = timeReorder(s, dst, dstUser);
  return result;
}

/// Runs a reorder once and returns how long it took (a network's weights:
/// hundreds of MB, reordered once before the timing).
double reorderOnce(stream &s, memory &from, memory &to) {
  auto start = std::chrono::steady_clock::now();
  reorder(from, to).execute(s, from, to);
  s.wait();
  return secondsSince(start);
}

/// NHWC dimensions (the dialect's shapes) in oneDNN's NCHW order.
memory::dims nchwDims(const std::vector<int64_t> &nhwc) {
  return {nhwc[0], nhwc[3], nhwc[1], nhwc[2]};
}

/// The padding after the end of a window axis that gives oneDNN the
/// dialect's output size: the attribute's, or more for a `ceil` layer
/// whose last window reaches past the padding.
int64_t paddingAfter(const NetworkOp &op, int axis) {
  int64_t input = op.inputShape[1 + axis], output = op.outputShape[1 + axis];
  int64_t needed = (output - 1) * op.stride[axis] + op.window[axis] - input -
                   op.padBefore[axis];
  return std::max(op.padAfter[axis], needed);
}

OneDnnResult runNetworkVariant(const NetworkModel &network,
                               const AlignedFloats &input, bool preferred,
                               int threads, const TimingOptions &options) {
  OneDnnResult result;
  result.variant = preferred ? "preferred" : "nhwc";
  result.threads = threads;
  if (network.inputShape.size() != 4)
    throw std::runtime_error("the network's input is not N×H×W×C");
  engine eng(engine::kind::cpu, 0);
  stream s(eng);

  struct Step {
    primitive prim;
    Args args;
  };
  std::vector<Step> steps;
  int activationReorders = 0;
  // Implementations chosen, by primitive kind, in order of appearance.
  std::vector<std::pair<std::string, std::string>> chosen;

  memory current({nchwDims(network.inputShape), dt::f32, tag::nhwc}, eng,
                 const_cast<float *>(input.data()));
  // Gives `current` the layout `desc`: a reorder in the pass if needed.
  auto convertTo = [&](const memory::desc &desc) {
    if (current.get_desc() == desc)
      return;
    memory converted(desc, eng);
    steps.push_back({reorder(current, converted),
                     {{DNNL_ARG_FROM, current}, {DNNL_ARG_TO, converted}}});
    ++activationReorders;
    current = converted;
  };
  // A weight tensor of the spec in `desc`'s layout, reordered now.
  auto weightsIn = [&](const NetworkTensor &tensor, const memory::desc &user,
                       const memory::desc &desc) {
    memory plain(user, eng, const_cast<float *>(tensor.data));
    if (desc == user)
      return plain;
    memory converted(desc, eng);
    result.weightsReorderSeconds += reorderOnce(s, plain, converted);
    return converted;
  };
  auto reluPostOp = [](bool fused) {
    primitive_attr attr;
    if (fused) {
      post_ops ops;
      ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
      attr.set_post_ops(ops);
    }
    return attr;
  };

  const std::vector<NetworkOp> &ops = network.ops;
  for (size_t i = 0; i < ops.size(); ++i) {
    const NetworkOp &op = ops[i];
    bool fuseRelu =
        (op.kind == NetworkOpKind::Conv || op.kind == NetworkOpKind::Dense) &&
        i + 1 < ops.size() && ops[i + 1].kind == NetworkOpKind::Relu;
    memory::dims strides = {op.stride[0], op.stride[1]};
    memory::dims kernel = {op.window[0], op.window[1]};
    memory::dims padL = {op.padBefore[0], op.padBefore[1]};
    memory::dims padR;
    if (op.inputShape.size() == 4)
      padR = {paddingAfter(op, 0), paddingAfter(op, 1)};
    switch (op.kind) {
    case NetworkOpKind::Conv: {
      const std::vector<int64_t> &w = op.weights.shape; // K×FH×FW×C
      memory::dims weightsDims = {w[0], w[3], w[1], w[2]};
      tag activations = preferred ? tag::any : tag::nhwc;
      memory::desc src(nchwDims(op.inputShape), dt::f32, activations);
      memory::desc dst(nchwDims(op.outputShape), dt::f32, activations);
      memory::desc weights(weightsDims, dt::f32, tag::any);
      memory::desc bias({w[0]}, dt::f32, tag::x);
      auto desc =
          op.bias.present()
              ? convolution_forward::desc(
                    prop_kind::forward_inference, algorithm::convolution_direct,
                    src, weights, bias, dst, strides, padL, padR)
              : convolution_forward::desc(prop_kind::forward_inference,
                                          algorithm::convolution_direct, src,
                                          weights, dst, strides, padL, padR);
      convolution_forward::primitive_desc pd(desc, reluPostOp(fuseRelu), eng);
      convertTo(pd.src_desc());
      Args args = {{DNNL_ARG_SRC, current}};
      args[DNNL_ARG_WEIGHTS] = weightsIn(
          op.weights, {weightsDims, dt::f32, tag::ohwi}, pd.weights_desc());
      if (op.bias.present())
        args[DNNL_ARG_BIAS] = weightsIn(op.bias, bias, pd.bias_desc());
      current = memory(pd.dst_desc(), eng);
      args[DNNL_ARG_DST] = current;
      steps.push_back({convolution_forward(pd), args});
      chosen.push_back({"conv", pd.impl_info_str()});
      break;
    }
    case NetworkOpKind::MaxPool:
    case NetworkOpKind::AvgPool: {
      algorithm kind =
          op.kind == NetworkOpKind::MaxPool ? algorithm::pooling_max
          : op.countIncludePad ? algorithm::pooling_avg_include_padding
                               : algorithm::pooling_avg_exclude_padding;
      // A pool's source cannot be `any`: it takes the activation as it is.
      memory::desc dst(nchwDims(op.outputShape), dt::f32,
                       preferred ? tag::any : tag::nhwc);
      pooling_forward::desc desc(prop_kind::forward_inference, kind,
                                 current.get_desc(), dst, strides, kernel, padL,
                                 padR);
      pooling_forward::primitive_desc pd(desc, eng);
      Args args = {{DNNL_ARG_SRC, current}};
      current = memory(pd.dst_desc(), eng);
      args[DNNL_ARG_DST] = current;
      steps.push_back({pooling_forward(pd), args});
      chosen.push_back({"pool", pd.impl_info_str()});
      break;
    }
    case NetworkOpKind::Relu: {
      eltwise_forward::desc desc(prop_kind::forward_inference,
                                 algorithm::eltwise_relu, current.get_desc());
      eltwise_forward::primitive_desc pd(desc, eng);
      steps.push_back({eltwise_forward(pd),
                       {{DNNL_ARG_SRC, current}, {DNNL_ARG_DST, current}}});
      chosen.push_back({"relu", pd.impl_info_str()});
      break;
    }
    case NetworkOpKind::Flatten: {
      // An inner product reads the volume as it is (its weights follow).
      if (i + 1 < ops.size() && ops[i + 1].kind == NetworkOpKind::Dense)
        break;
      convertTo({nchwDims(op.inputShape), dt::f32, tag::nhwc});
      current =
          memory({{op.outputShape[0], op.outputShape[1]}, dt::f32, tag::nc},
                 eng, current.get_data_handle());
      break;
    }
    case NetworkOpKind::Dense: {
      const std::vector<int64_t> &w = op.weights.shape; // M×D
      memory::desc src = current.get_desc();
      // Units × the activation's logical dimensions: for a volume, M×C×H×W
      // whose OHWI order is the NHWC flattening.
      memory::dims weightsDims = {w[0]};
      tag userTag = tag::oi;
      if (src.data.ndims == 4) {
        weightsDims.insert(weightsDims.end(), src.data.dims + 1,
                           src.data.dims + 4);
        userTag = tag::ohwi;
      } else {
        weightsDims.push_back(w[1]);
      }
      memory::desc weights(weightsDims, dt::f32, tag::any);
      memory::desc bias({w[0]}, dt::f32, tag::x);
      memory::desc dst({op.outputShape[0], w[0]}, dt::f32,
                       preferred ? tag::any : tag::nc);
      auto desc =
          op.bias.present()
              ? inner_product_forward::desc(prop_kind::forward_inference, src,
                                            weights, bias, dst)
              : inner_product_forward::desc(prop_kind::forward_inference, src,
                                            weights, dst);
      inner_product_forward::primitive_desc pd(desc, reluPostOp(fuseRelu), eng);
      convertTo(pd.src_desc());
      Args args = {{DNNL_ARG_SRC, current}};
      args[DNNL_ARG_WEIGHTS] = weightsIn(
          op.weights, {weightsDims, dt::f32, userTag}, pd.weights_desc());
      if (op.bias.present())
        args[DNNL_ARG_BIAS] = weightsIn(op.bias, bias, pd.bias_desc());
      current = memory(pd.dst_desc(), eng);
      args[DNNL_ARG_DST] = current;
      steps.push_back({inner_product_forward(pd), args});
      chosen.push_back({"inner product", pd.impl_info_str()});
      break;
    }
    case NetworkOpKind::Softmax: {
      if (current.get_desc().data.ndims != 2)
        throw std::runtime_error("layer '" + op.name +
                                 "': softmax on a volume is not supported");
      softmax_forward::desc desc(prop_kind::forward_inference,
                                 current.get_desc(), 1);
      softmax_forward::primitive_desc pd(desc, eng);
      Args args = {{DNNL_ARG_SRC, current}};
      current = memory(pd.dst_desc(), eng);
      args[DNNL_ARG_DST] = current;
      steps.push_back({softmax_forward(pd), args});
      chosen.push_back({"softmax", pd.impl_info_str()});
      break;
    }
    }
    if (fuseRelu)
      ++i;
  }

  // The result in the dialect's layout (NHWC, or N×D), written by the pass.
  const std::vector<int64_t> &outShape = network.outputShape;
  memory::desc user =
      outShape.size() == 4
          ? memory::desc(nchwDims(outShape), dt::f32, tag::nhwc)
          : memory::desc(memory::dims(outShape.begin(), outShape.end()),
                         dt::f32, outShape.size() == 2 ? tag::nc : tag::x);
  convertTo(user);

  result.timing = measure(
      [&] {
        for (Step &step : steps)
          step.prim.execute(s, step.args);
        s.wait();
        return true;
      },
      options);
  result.output.assign(network.outputSize(), 0.0f);
  const float *out = static_cast<const float *>(current.get_data_handle());
  std::copy(out, out + result.output.size(), result.output.begin());

  // "conv: brgconv:avx512_core ×13; pool: ...", in order of appearance.
  std::vector<std::string> kinds;
  std::map<std::string, std::vector<std::pair<std::string, int>>> byKind;
  for (const auto &entry : chosen) {
    const std::string &kind = entry.first, &impl = entry.second;
    auto &impls = byKind[kind];
    if (impls.empty())
      kinds.push_back(kind);
    auto it = std::find_if(impls.begin(), impls.end(),
                           [&](auto &known) { return known.first == impl; });
    if (it == impls.end())
      impls.push_back({impl, 1});
    else
      ++it->second;
  }
  for (const std::string &kind : kinds) {
    result.impl += (result.impl.empty() ? "" : "; ") + kind + ":";
    for (auto &[impl, count] : byKind[kind])
      result.impl += " " + impl + " ×" + std::to_string(count);
  }
  result.activationReorders = activationReorders;
  return result;
}
} // namespace

bool oneDnnAvailable() { return true; }

std::string oneDnnDescription() {
  const dnnl_version_t *version = dnnl_version();
  const char *runtime = version->cpu_runtime == DNNL_RUNTIME_OMP   ? "OpenMP"
                        : version->cpu_runtime == DNNL_RUNTIME_TBB ? "TBB"
                        : version->cpu_runtime == DNNL_RUNTIME_SEQ
                            ? "sequential"
                            : "threadpool";
  return "oneDNN " + std::to_string(version->major) + "." +
         std::to_string(version->minor) + "." + std::to_string(version->patch) +
         " (CPU runtime " + runtime + ")";
}

std::vector<OneDnnResult> runOneDnn(const Layer &layer, const LayerData &data,
                                    int threads, const TimingOptions &options) {
  omp_set_num_threads(threads);
  std::vector<OneDnnResult> results;
  for (bool preferred : {false, true}) {
    try {
      results.push_back(runVariant(layer, data, preferred, threads, options));
    } catch (const dnnl::error &e) {
      OneDnnResult failed;
      failed.variant = preferred ? "preferred" : "nhwc";
      failed.threads = threads;
      failed.error = std::string(e.what()) + " (status " +
                     std::to_string(static_cast<int>(e.status)) + ")";
      results.push_back(std::move(failed));
    }
  }
  return results;
}

std::vector<OneDnnResult> runOneDnnNetwork(const NetworkModel &network,
                                           const AlignedFloats &input,
                                           int threads,
                                           const TimingOptions &options) {
  omp_set_num_threads(threads);
  std::vector<OneDnnResult> results;
  for (bool preferred : {false, true}) {
    OneDnnResult failed;
    failed.variant = preferred ? "preferred" : "nhwc";
    failed.threads = threads;
    try {
      results.push_back(
          runNetworkVariant(network, input, preferred, threads, options));
      continue;
    } catch (const dnnl::error &e) {
      failed.error = std::string(e.what()) + " (status " +
                     std::to_string(static_cast<int>(e.status)) + ")";
    } catch (const std::exception &e) {
      failed.error = e.what();
    }
    results.push_back(std::move(failed));
  }
  return results;
}

} // namespace convforge::bench
