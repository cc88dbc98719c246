//===- Reference.h - Reference kernels of the cnn dialect's ops -*- C++ -*-===//
//
// The numerical oracle: one plain loop nest per op of the `cnn` dialect, with
// exactly the dialect's semantics (see CnnOps.td), written to be obviously
// correct rather than fast. Sums are accumulated in double so that the
// reference is more accurate than any f32 kernel it checks.
//
// The kernels have no MLIR dependency (only LLVM Support and the window
// arithmetic), so that C programs, benchmarks and the drivers' self-checks
// can use them; Evaluator.h interprets a whole cnn function with them.
//
// Every kernel checks its operands' shapes and returns an error naming the
// mismatch rather than reading out of bounds: the evaluator may feed it
// values whose types the verifier could not check (unknown dimensions).
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_REFERENCE_REFERENCE_H
#define CONVFORGE_REFERENCE_REFERENCE_H

#include "ConvForge/Support/Tensor.h"
#include "ConvForge/Support/WindowArithmetic.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace convforge::reference {

using ::convforge::formatShape;
using ::convforge::Tensor;

/// The stride, padding and rounding of a sliding window, shared with the
/// dialect (WindowArithmetic.h).
using ::convforge::WindowParams;

/// `cnn.conv2d`: input N×H×W×C (NHWC), filter K×FH×FW×C, optional bias K
/// (null for none); result N×H2×W2×K. Positions outside the input (explicit
/// padding and the `ceil` overhang) read as zero.
llvm::Expected<Tensor> conv2d(const Tensor &input, const Tensor &filter,
                              const Tensor *bias, const WindowParams &params);

/// `cnn.locally_connected2d`: conv2d's geometry with one filter bank per
/// output position: filter H2×W2×K×FH×FW×C, optional bias H2×W2×K.
llvm::Expected<Tensor> locallyConnected2d(const Tensor &input,
                                          const Tensor &filter,
                                          const Tensor *bias,
                                          const WindowParams &params);

/// `cnn.max_pool2d` with an FH×FW window: padded positions never win the
/// maximum (they act as -inf).
llvm::Expected<Tensor> maxPool2d(const Tensor &input, int64_t windowHeight,
                                 int64_t windowWidth,
                                 const WindowParams &params);

/// `cnn.avg_pool2d` with an FH×FW window. The divisor is the number of the
/// window's elements inside the input, or with `countIncludePad` inside the
/// explicitly padded input; the `ceil` overhang is never counted.
llvm::Expected<Tensor> avgPool2d(const Tensor &input, int64_t windowHeight,
                                 int64_t windowWidth,
                                 const WindowParams &params,
                                 bool countIncludePad);

/// `cnn.relu`: max(x, 0) elementwise, any rank (NaN propagates).
llvm::Expected<Tensor> relu(const Tensor &input);

/// `cnn.dense`: input N×D, weights M×D (one row per unit), optional bias M;
/// result N×M.
llvm::Expected<Tensor> dense(const Tensor &input, const Tensor &weights,
                             const Tensor *bias);

/// `cnn.flatten`: N×d1×…×dk to N×(d1·…·dk), row-major (the data is
/// unchanged).
llvm::Expected<Tensor> flatten(const Tensor &input);

/// `cnn.softmax` over the last dimension, subtracting each row's maximum
/// before exponentiating so that large inputs do not overflow.
llvm::Expected<Tensor> softmax(const Tensor &input);

/// `cnn.transpose`: result dimension d is input dimension `permutation[d]`.
llvm::Expected<Tensor> transpose(const Tensor &input,
                                 llvm::ArrayRef<int64_t> permutation);

/// `cnn.reshape`: the same elements in row-major order, with `shape` (which
/// must hold as many elements).
llvm::Expected<Tensor> reshape(const Tensor &input,
                               llvm::ArrayRef<int64_t> shape);

} // namespace convforge::reference

#endif // CONVFORGE_REFERENCE_REFERENCE_H
