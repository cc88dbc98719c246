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
#include <unordered_map>

// Debian's oneDNN runs on OpenMP (libgomp), whose thread count is the only
// knob: it is read when a primitive is created (the blocking depends on it)
// and when it runs. Declared here rather than through <omp.h>, which clang
// does not find for GCC's OpenMP; the library is linked explicitly.
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

} // namespace convforge::bench
