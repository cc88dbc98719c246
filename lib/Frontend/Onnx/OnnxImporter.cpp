//===- OnnxImporter.cpp - ONNX models to the cnn dialect ------------------===//
//
// The model is parsed with the protobuf classes of Debian's libonnx-dev
// (onnx/onnx_pb.h, libonnx_proto.so); the graph's nodes are then mapped one
// by one, in their (topological) order, to cnn ops built with their inferred
// result types and verified as soon as they exist.
//
// Layouts. ONNX activations are NCHW, the dialect's NHWC. Every ONNX value
// is held with the layout its producer left it in: `Plain` (the ONNX shape
// as is), `ChannelsLast` (an N×C×H×W value stored N×H×W×C), `ChannelsLast1D`
// (N×C×L stored N×1×L×C, a 1-D convolution's layout) or `FlatChannelsLast`
// (the flatten of an N×C×H×W value, N×(C·H·W) in C, H, W order, stored as the
// flatten of its NHWC form, N×(H·W·C)). Convolutions and pools ask for their
// channels-last layout, most other ops for the plain one; a conversion
// (cnn.transpose, cnn.reshape) is inserted only where the layouts differ, and
// each is made once per value. ReLU, Dropout and Identity keep any layout, a
// softmax over the channels runs on the NHWC form, and a dense layer reading
// a `FlatChannelsLast` value gets its weight columns permuted at import time
// instead of a runtime transpose. The function's input and output are plain:
// users pass and get tensors in ONNX's layout.
//
// Weights. Initializers (and Constant nodes) are constants; Conv filters are
// transposed to K×FH×FW×C, dilated and grouped filters expanded with zeros,
// Gemm/MatMul weights become M×D dense weights (alpha and the transposes
// folded in), BatchNormalization is folded into the conv or dense layer it
// follows (else it becomes a 1×1 convolution or a dense layer with diagonal
// weights), and an Add of a per-channel constant after a conv or dense layer
// becomes its bias. Weights stay placeholders (unrealized casts) until the
// graph is imported, so that folding can still change them, and then become
// `dense_resource` constants.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Frontend/OnnxImporter.h"

#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"
#include "ConvForge/Support/WeightBlob.h"
#include "ConvForge/Support/WindowArithmetic.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <cstring>
#include <numeric>

using namespace mlir;
using namespace convforge;

static constexpr llvm::StringLiteral kOperators[] = {
    "AveragePool",
    "BatchNormalization",
    "Constant",
    "Conv",
    "Dropout",
    "Flatten",
    "Gemm",
    "GlobalAveragePool",
    "GlobalMaxPool",
    "Identity",
    "MatMul",
    "MaxPool",
    "Relu",
    "Reshape",
    "Softmax",
    "Transpose",
    // Only as the bias of the conv or dense layer it follows.
    "Add",
};

llvm::ArrayRef<llvm::StringLiteral> convforge::getOnnxOperators() {
  return kOperators;
}

/// The highest default-domain opset whose semantics of the operators above
/// the importer knows.
static constexpr int64_t kMaxOpset = 21;

//===----------------------------------------------------------------------===//
// Small helpers
//===----------------------------------------------------------------------===//

static std::string formatList(ArrayRef<int64_t> values) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(values, os);
  os << "]";
  return text;
}

static std::string dataTypeName(int32_t type) {
  if (onnx::TensorProto_DataType_IsValid(type))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(type));
  return "type " + std::to_string(type);
}

static int64_t product(ArrayRef<int64_t> dims) {
  return std::accumulate(dims.begin(), dims.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

/// A resource key for a weight: ONNX names may hold any character.
static std::string resourceKey(StringRef name) {
  std::string key;
  for (char c : name)
    key.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (key.empty() || llvm::isDigit(key.front()))
    key.insert(key.begin(), '_');
  return key;
}

/// The function's name: the file's stem made an identifier.
static std::string functionName(StringRef path) {
  std::string name;
  for (char c : llvm::sys::path::stem(path))
    name.push_back(llvm::isAlnum(c) || c == '_' ? c : '_');
  if (name.empty() || llvm::isDigit(name.front()))
    name.insert(name.begin(), '_');
  return name;
}

/// The inverse permutation.
static SmallVector<int64_t> invert(ArrayRef<int64_t> perm) {
  SmallVector<int64_t> inverse(perm.size());
  for (auto [index, dim] : llvm::enumerate(perm))
    inverse[dim] = static_cast<int64_t>(index);
  return inverse;
}

static bool isPermutation(ArrayRef<int64_t> perm) {
  SmallVector<bool> seen(perm.size(), false);
  for (int64_t dim : perm) {
    if (dim < 0 || dim >= static_cast<int64_t>(perm.size()) || seen[dim])
      return false;
    seen[dim] = true;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Tensors of the model
//===----------------------------------------------------------------------===//

namespace {
/// The contents of an initializer or Constant node.
struct ConstantTensor {
  int32_t dataType = 0;
  SmallVector<int64_t> shape;
  std::vector<float> floats; ///< FLOAT
  std::vector<int64_t> ints; ///< integer and boolean types

  int64_t numElements() const { return product(shape); }
};
} // namespace

/// Element size in bytes of the types read from raw_data.
/// The little-endian value of type T at `at` (raw_data is little-endian,
/// as the hosts ConvForge runs on; unaligned).
template <typename T> static int64_t readRaw(const char *at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return static_cast<int64_t>(value);
}

static int64_t rawElementSize(int32_t type) {
  switch (type) {
  case onnx::TensorProto_DataType_FLOAT:
  case onnx::TensorProto_DataType_INT32:
  case onnx::TensorProto_DataType_UINT32:
    return 4;
  case onnx::TensorProto_DataType_INT64:
  case onnx::TensorProto_DataType_UINT64:
  case onnx::TensorProto_DataType_DOUBLE:
    return 8;
  case onnx::TensorProto_DataType_INT16:
  case onnx::TensorProto_DataType_UINT16:
  case onnx::TensorProto_DataType_FLOAT16:
  case onnx::TensorProto_DataType_BFLOAT16:
    return 2;
  case onnx::TensorProto_DataType_INT8:
  case onnx::TensorProto_DataType_UINT8:
  case onnx::TensorProto_DataType_BOOL:
    return 1;
  default:
    return 0;
  }
}

/// Decodes `proto` (FLOAT into floats, INT64/INT32/INT16/INT8/UINT8/UINT16/
/// UINT32/BOOL into ints; other types keep only their shape and type).
static llvm::Expected<ConstantTensor>
decodeTensor(const onnx::TensorProto &proto) {
  auto fail = [&](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   message.str());
  };
  ConstantTensor tensor;
  tensor.dataType = proto.data_type();
  for (int64_t dim : proto.dims()) {
    if (dim < 0)
      return fail("has a negative dimension " + llvm::Twine(dim));
    tensor.shape.push_back(dim);
  }
  std::optional<int64_t> elements = checkedProduct(tensor.shape);
  if (!elements)
    return fail("has more elements than int64 can count");
  if (proto.data_location() == onnx::TensorProto_DataLocation_EXTERNAL) {
    std::string location;
    for (const onnx::StringStringEntryProto &entry : proto.external_data())
      if (entry.key() == "location")
        location = entry.value();
    return fail("stores its data in the external file '" + location +
                "'; ConvForge reads weights stored inside the model (save "
                "it without external data)");
  }
  if (proto.has_segment())
    return fail("is segmented, which is not supported");

  int32_t type = tensor.dataType;
  bool isFloat = type == onnx::TensorProto_DataType_FLOAT;
  bool isInteger = type == onnx::TensorProto_DataType_INT64 ||
                   type == onnx::TensorProto_DataType_INT32 ||
                   type == onnx::TensorProto_DataType_INT16 ||
                   type == onnx::TensorProto_DataType_INT8 ||
                   type == onnx::TensorProto_DataType_UINT8 ||
                   type == onnx::TensorProto_DataType_UINT16 ||
                   type == onnx::TensorProto_DataType_UINT32 ||
                   type == onnx::TensorProto_DataType_BOOL;
  if (!isFloat && !isInteger)
    return tensor; // the users refuse the type, naming it

  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    int64_t size = rawElementSize(type);
    if (static_cast<uint64_t>(raw.size()) !=
        static_cast<uint64_t>(*elements) * static_cast<uint64_t>(size))
      return fail("has " + llvm::Twine(raw.size()) + " bytes of data for " +
                  llvm::Twine(*elements) + " elements of " +
                  dataTypeName(type));
    const char *data = raw.data();
    if (isFloat) {
      tensor.floats.resize(*elements);
      std::memcpy(tensor.floats.data(), data, raw.size());
      return tensor;
    }
    tensor.ints.resize(*elements);
    for (int64_t i = 0; i < *elements; ++i) {
      const char *at = data + i * size;
      switch (type) {
      case onnx::TensorProto_DataType_INT64:
        tensor.ints[i] = readRaw<int64_t>(at);
        break;
      case onnx::TensorProto_DataType_INT32:
        tensor.ints[i] = readRaw<int32_t>(at);
        break;
      case onnx::TensorProto_DataType_UINT32:
        tensor.ints[i] = readRaw<uint32_t>(at);
        break;
      case onnx::TensorProto_DataType_INT16:
        tensor.ints[i] = readRaw<int16_t>(at);
        break;
      case onnx::TensorProto_DataType_UINT16:
        tensor.ints[i] = readRaw<uint16_t>(at);
        break;
      case onnx::TensorProto_DataType_INT8:
        tensor.ints[i] = readRaw<int8_t>(at);
        break;
      default: // UINT8, BOOL
        tensor.ints[i] = readRaw<uint8_t>(at);
        break;
      }
    }
    return tensor;
  }

  auto checkCount = [&](int64_t count) -> llvm::Error {
    if (count != *elements)
      return fail("has " + llvm::Twine(count) + " values for its " +
                  llvm::Twine(*elements) + " elements");
    return llvm::Error::success();
  };
  if (isFloat) {
    if (llvm::Error error = checkCount(proto.float_data_size()))
      return std::move(error);
    tensor.floats.assign(proto.float_data().begin(), proto.float_data().end());
  } else if (type == onnx::TensorProto_DataType_INT64) {
    if (llvm::Error error = checkCount(proto.int64_data_size()))
      return std::move(error);
    tensor.ints.assign(proto.int64_data().begin(), proto.int64_data().end());
  } else if (type == onnx::TensorProto_DataType_UINT32) {
    if (llvm::Error error = checkCount(proto.uint64_data_size()))
      return std::move(error);
    tensor.ints.assign(proto.uint64_data().begin(), proto.uint64_data().end());
  } else {
    if (llvm::Error error = checkCount(proto.int32_data_size()))
      return std::move(error);
    tensor.ints.assign(proto.int32_data().begin(), proto.int32_data().end());
  }
  return tensor;
}

llvm::Expected<Tensor> convforge::parseOnnxTensor(llvm::StringRef bytes) {
  onnx::TensorProto proto;
  if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      bytes.size() > static_cast<size_t>(INT32_MAX))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "not a serialized onnx.TensorProto");
  llvm::Expected<ConstantTensor> tensor = decodeTensor(proto);
  if (!tensor)
    return tensor.takeError();
  if (tensor->dataType != onnx::TensorProto_DataType_FLOAT)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the tensor has element type " +
                                       dataTypeName(tensor->dataType) +
                                       ", not FLOAT");
  return Tensor(tensor->shape,
                AlignedFloats(tensor->floats.begin(), tensor->floats.end()));
}

//===----------------------------------------------------------------------===//
// The importer's state
//===----------------------------------------------------------------------===//

namespace {
/// How an ONNX value is stored (see the file comment).
enum class Layout { Plain, ChannelsLast, ChannelsLast1D, FlatChannelsLast };

/// An ONNX value computed by the network.
struct Activation {
  Value value;
  Layout layout = Layout::Plain;
  /// The ONNX (logical) shape.
  SmallVector<int64_t> shape;
  /// FlatChannelsLast: the C, H, W of the flattened volume.
  int64_t channels = 0, height = 0, width = 0;
  /// The conv or dense layer (index into `layers`) whose output this is
  /// unchanged, for folding; -1 otherwise.
  int layer = -1;
};

/// A weight tensor, a placeholder op until the whole graph is imported.
struct WeightSlot {
  std::string name;
  SmallVector<int64_t> shape;
  std::vector<float> data;
  Operation *placeholder = nullptr;
};

/// A conv or dense layer, whose weights folding may still change.
struct Layer {
  bool isConv;
  Operation *op;
  int filter; ///< the weights' slot
  int bias;   ///< the bias' slot, or -1
};

/// The geometry of a sliding window in the dialect's terms.
struct Window2D {
  int64_t kernel[2] = {1, 1};
  int64_t stride[2] = {1, 1};
  int64_t padBefore[2] = {0, 0};
  int64_t padAfter[2] = {0, 0};
  int64_t dilation[2] = {1, 1};
  bool ceil = false;

  int64_t effectiveKernel(unsigned axis) const {
    return (kernel[axis] - 1) * dilation[axis] + 1;
  }
};

class OnnxImporter {
public:
  OnnxImporter(StringRef path, MLIRContext *context,
               const OnnxImportOptions &options)
      : path(path.str()), context(context), options(options), builder(context),
        fileLoc(FileLineColLoc::get(context, path, 0, 0)) {}

  OwningOpRef<ModuleOp> import(StringRef bytes);

private:
  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//

  InFlightDiagnostic error() { return emitError(fileLoc); }

  /// "node 'conv1' (Conv)", or "node #3 (Conv) computing 'y'" when the node
  /// has no name.
  std::string describe(const onnx::NodeProto &node) const {
    if (!node.name().empty())
      return "node '" + node.name() + "' (" + node.op_type() + ")";
    std::string text =
        "node #" + std::to_string(nodeIndex) + " (" + node.op_type() + ")";
    if (node.output_size() > 0)
      text += " computing '" + node.output(0) + "'";
    return text;
  }
  InFlightDiagnostic refuse(const onnx::NodeProto &node) {
    return error() << describe(node) << ": ";
  }

  /// The name of the layers built for `node`: its name, else its first
  /// output's.
  std::string layerName(const onnx::NodeProto &node) const {
    if (!node.name().empty())
      return node.name();
    if (node.output_size() > 0 && !node.output(0).empty())
      return node.output(0);
    return "node" + std::to_string(nodeIndex);
  }
  Location nameLoc(StringRef name) {
    return NameLoc::get(StringAttr::get(context, name), fileLoc);
  }
  /// The location of an op converting `value`: its layer's name + `suffix`.
  Location derivedLoc(Value value, StringRef suffix) {
    if (auto named = dyn_cast<NameLoc>(value.getLoc()))
      return nameLoc((named.getName().str() + suffix).str());
    return nameLoc(("input" + suffix).str());
  }

  /// Verifies `op`, built for `node`; its diagnostics are re-emitted as the
  /// node's ("node 'pool1' (MaxPool): padding 3 on the top is not smaller
  /// than the window ..."). Erases the op on failure.
  LogicalResult verifyBuilt(Operation *op, const onnx::NodeProto &node);

  //===--------------------------------------------------------------------===//
  // Attributes and inputs
  //===--------------------------------------------------------------------===//

  const onnx::AttributeProto *findAttribute(const onnx::NodeProto &node,
                                            StringRef name) {
    for (const onnx::AttributeProto &attribute : node.attribute())
      if (attribute.name() == name)
        return &attribute;
    return nullptr;
  }
  /// Refuses any attribute of `node` not in `known`.
  LogicalResult checkAttributes(const onnx::NodeProto &node,
                                ArrayRef<StringRef> known);
  FailureOr<int64_t> getInt(const onnx::NodeProto &node, StringRef name,
                            int64_t defaultValue);
  FailureOr<float> getFloat(const onnx::NodeProto &node, StringRef name,
                            float defaultValue);
  FailureOr<std::string> getString(const onnx::NodeProto &node, StringRef name,
                                   StringRef defaultValue);
  /// The INTS attribute `name`, or nullopt when absent.
  FailureOr<std::optional<SmallVector<int64_t>>>
  getInts(const onnx::NodeProto &node, StringRef name);

  bool hasInput(const onnx::NodeProto &node, int index) const {
    return index < node.input_size() && !node.input(index).empty();
  }
  bool isConstant(StringRef name) const {
    return constants.count(name) || constantNodes.count(name);
  }
  /// The activation of input `index`; refuses constants and unknown names.
  FailureOr<Activation> getActivation(const onnx::NodeProto &node, int index);
  /// The constant of input `index` (`role` names it in messages); refuses
  /// computed values.
  FailureOr<ConstantTensor> getConstant(const onnx::NodeProto &node, int index,
                                        StringRef role);
  /// A float32 constant of the given rank (-1: any).
  FailureOr<ConstantTensor> getFloatConstant(const onnx::NodeProto &node,
                                             int index, StringRef role,
                                             int64_t rank = -1);
  void define(const onnx::NodeProto &node, int output, Activation value) {
    activations[node.output(output)] = std::move(value);
  }
  /// Whether the ONNX value `name` is read by exactly one node input and is
  /// not a graph output: its producer may then be changed by its consumer.
  bool hasSingleUse(StringRef name) const {
    auto found = useCounts.find(name);
    return found != useCounts.end() && found->second == 1 &&
           !graphOutputs.contains(name);
  }

  //===--------------------------------------------------------------------===//
  // Building blocks
  //===--------------------------------------------------------------------===//

  /// `value` transposed by `perm`; a reshape when only unit dimensions move,
  /// nothing when the permutation is the identity.
  Value createTranspose(Value value, ArrayRef<int64_t> perm, Location loc);
  /// `value` reshaped to `shape` (nothing if it already has it).
  Value createReshape(Value value, ArrayRef<int64_t> shape, Location loc);
  /// `activation` in the plain layout (converted once per value).
  Activation toPlain(const Activation &activation);
  /// A 4-D activation in the ChannelsLast layout.
  Activation toChannelsLast(const Activation &activation);
  /// A 3-D activation in the ChannelsLast1D layout.
  Activation toChannelsLast1D(const Activation &activation);
  /// The channels-last form of a 3-D or 4-D activation.
  Activation toSpatial(const Activation &activation) {
    return activation.shape.size() == 3 ? toChannelsLast1D(activation)
                                        : toChannelsLast(activation);
  }
  /// A weight tensor's placeholder.
  Value addWeights(StringRef name, ArrayRef<int64_t> shape,
                   std::vector<float> data, int &slot);

  //===--------------------------------------------------------------------===//
  // Nodes
  //===--------------------------------------------------------------------===//

  LogicalResult importNode(const onnx::NodeProto &node);
  /// Reads the window attributes of a Conv or pool over `input` (3-D or 4-D)
  /// into the 2-D `window`; `kernel` comes from the weights (Conv) or the
  /// kernel_shape attribute (pools).
  LogicalResult getWindow(const onnx::NodeProto &node, const Activation &input,
                          std::optional<SmallVector<int64_t>> kernel,
                          bool isPool, Window2D &window);
  /// Refuses a window op whose output differs from ONNX's output size.
  LogicalResult checkWindowOutput(const onnx::NodeProto &node,
                                  const Activation &input,
                                  const Window2D &window, Value result);
  /// The spatial activation of a window op's result.
  Activation spatialResult(const Activation &input, Value result,
                           int64_t channels);
  /// Per-channel values of `tensor` broadcast to `shape` along `axis`: the
  /// bias of a layer whose output has `shape` and channels on `axis`; nullopt
  /// when the tensor varies along another axis or does not broadcast.
  std::optional<std::vector<float>>
  perChannelValues(const ConstantTensor &tensor, ArrayRef<int64_t> shape,
                   int64_t axis);

  LogicalResult importConv(const onnx::NodeProto &node);
  LogicalResult importPool(const onnx::NodeProto &node, bool isMax,
                           bool isGlobal);
  LogicalResult importGemm(const onnx::NodeProto &node, bool isMatMul);
  /// A dense layer on `input` (rank 2, plain or FlatChannelsLast) with
  /// logical weights N×K, row-major.
  LogicalResult buildDense(const onnx::NodeProto &node, Activation input,
                           std::vector<float> weights, int64_t units,
                           std::optional<std::vector<float>> bias);
  LogicalResult importAdd(const onnx::NodeProto &node);
  LogicalResult importBatchNorm(const onnx::NodeProto &node);
  LogicalResult importSoftmax(const onnx::NodeProto &node);
  /// The shape a Reshape or Flatten gives to a value of `shape`.
  FailureOr<SmallVector<int64_t>> getReshapeTarget(const onnx::NodeProto &node,
                                                   ArrayRef<int64_t> shape,
                                                   bool isFlatten);
  LogicalResult importReshape(const onnx::NodeProto &node, bool isFlatten);
  LogicalResult importTranspose(const onnx::NodeProto &node);
  LogicalResult importDropout(const onnx::NodeProto &node);
  LogicalResult importConstant(const onnx::NodeProto &node);

  /// Rebuilds `layer`'s op with the bias slot `bias` (which it lacked).
  void addBiasTo(Layer &layer, int bias);

  LogicalResult materializeWeights();
  /// The shape of a graph input or output (empty when an output's shape is
  /// not given or not fixed); errors name the value.
  FailureOr<SmallVector<int64_t>>
  getValueShape(const onnx::ValueInfoProto &info, StringRef role,
                bool requireShape);

  std::string path;
  MLIRContext *context;
  const OnnxImportOptions &options;
  OpBuilder builder;
  Location fileLoc;
  int64_t opset = 0;
  int nodeIndex = 0;

  /// Initializers by name (decoded on use) and Constant nodes' values.
  llvm::StringMap<const onnx::TensorProto *> constants;
  llvm::StringMap<ConstantTensor> constantNodes;
  llvm::StringMap<Activation> activations;
  llvm::StringMap<int> useCounts;
  llvm::StringSet<> graphOutputs;
  /// Layout conversions already made, per stored value and layout.
  llvm::DenseMap<std::pair<Value, int>, Activation> conversions;
  std::vector<WeightSlot> slots;
  std::vector<Layer> layers;
  uint64_t weightBytes = 0;
  bool weightsTooLarge = false;
};
} // namespace

//===----------------------------------------------------------------------===//
// Diagnostics, attributes, inputs
//===----------------------------------------------------------------------===//

namespace {
struct CapturedDiagnostic {
  DiagnosticSeverity severity;
  std::string message;
};
} // namespace

LogicalResult OnnxImporter::verifyBuilt(Operation *op,
                                        const onnx::NodeProto &node) {
  SmallVector<CapturedDiagnostic> captured;
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
      captured.push_back({diag.getSeverity(), diag.str()});
      return success();
    });
    result = verify(op);
  }
  for (CapturedDiagnostic &entry : captured) {
    // "'cnn.max_pool2d' op padding ..." -> "padding ..." (the op is ours).
    StringRef message = entry.message;
    if (message.starts_with("'cnn.")) {
      size_t end = message.find("' op ");
      if (end != StringRef::npos)
        message = message.drop_front(end + 5);
    }
    if (entry.severity == DiagnosticSeverity::Error)
      refuse(node) << message;
    else
      emitWarning(fileLoc) << describe(node) << ": " << message;
  }
  if (failed(result))
    op->erase();
  return result;
}

LogicalResult OnnxImporter::checkAttributes(const onnx::NodeProto &node,
                                            ArrayRef<StringRef> known) {
  for (const onnx::AttributeProto &attribute : node.attribute()) {
    if (llvm::is_contained(known, attribute.name()))
      continue;
    InFlightDiagnostic diag = refuse(node);
    diag << "the attribute '" << attribute.name() << "' is not supported";
    if (!known.empty()) {
      diag << " (known: ";
      llvm::interleaveComma(known, diag);
      diag << ")";
    }
    return failure();
  }
  return success();
}

FailureOr<int64_t> OnnxImporter::getInt(const onnx::NodeProto &node,
                                        StringRef name, int64_t defaultValue) {
  const onnx::AttributeProto *attribute = findAttribute(node, name);
  if (!attribute)
    return defaultValue;
  if (attribute->type() != onnx::AttributeProto_AttributeType_INT)
    return refuse(node) << "the attribute '" << name << "' must be an integer";
  return attribute->i();
}

FailureOr<float> OnnxImporter::getFloat(const onnx::NodeProto &node,
                                        StringRef name, float defaultValue) {
  const onnx::AttributeProto *attribute = findAttribute(node, name);
  if (!attribute)
    return defaultValue;
  if (attribute->type() != onnx::AttributeProto_AttributeType_FLOAT)
    return refuse(node) << "the attribute '" << name << "' must be a float";
  return attribute->f();
}

FailureOr<std::string> OnnxImporter::getString(const onnx::NodeProto &node,
                                               StringRef name,
                                               StringRef defaultValue) {
  const onnx::AttributeProto *attribute = findAttribute(node, name);
  if (!attribute)
    return defaultValue.str();
  if (attribute->type() != onnx::AttributeProto_AttributeType_STRING)
    return refuse(node) << "the attribute '" << name << "' must be a string";
  return attribute->s();
}

FailureOr<std::optional<SmallVector<int64_t>>>
OnnxImporter::getInts(const onnx::NodeProto &node, StringRef name) {
  const onnx::AttributeProto *attribute = findAttribute(node, name);
  if (!attribute)
    return std::optional<SmallVector<int64_t>>();
  if (attribute->type() != onnx::AttributeProto_AttributeType_INTS)
    return refuse(node) << "the attribute '" << name
                        << "' must be a list of integers";
  return std::optional<SmallVector<int64_t>>(
      SmallVector<int64_t>(attribute->ints().begin(), attribute->ints().end()));
}

FailureOr<Activation> OnnxImporter::getActivation(const onnx::NodeProto &node,
                                                  int index) {
  if (!hasInput(node, index))
    return refuse(node) << "input #" << index << " is missing";
  const std::string &name = node.input(index);
  auto found = activations.find(name);
  if (found != activations.end())
    return found->second;
  if (isConstant(name))
    return refuse(node) << "input #" << index << " '" << name
                        << "' is a constant, but the node computes on it; "
                           "ConvForge imports such nodes only on computed "
                           "values";
  return refuse(node) << "input #" << index << " '" << name
                      << "' is not computed by any node before it";
}

FailureOr<ConstantTensor> OnnxImporter::getConstant(const onnx::NodeProto &node,
                                                    int index, StringRef role) {
  if (!hasInput(node, index))
    return refuse(node) << "the " << role << " (input #" << index
                        << ") is missing";
  const std::string &name = node.input(index);
  if (auto found = constantNodes.find(name); found != constantNodes.end())
    return found->second;
  if (auto found = constants.find(name); found != constants.end()) {
    llvm::Expected<ConstantTensor> tensor = decodeTensor(*found->second);
    if (!tensor)
      return refuse(node) << "initializer '" << name << "' (the " << role
                          << ") " << llvm::toString(tensor.takeError());
    return std::move(*tensor);
  }
  return refuse(node) << "'" << name << "' (the " << role
                      << ") must be an initializer (a constant): ConvForge "
                         "compiles the weights into the code";
}

FailureOr<ConstantTensor>
OnnxImporter::getFloatConstant(const onnx::NodeProto &node, int index,
                               StringRef role, int64_t rank) {
  FailureOr<ConstantTensor> tensor = getConstant(node, index, role);
  if (failed(tensor))
    return failure();
  if (tensor->dataType != onnx::TensorProto_DataType_FLOAT)
    return refuse(node) << "'" << node.input(index) << "' (the " << role
                        << ") has element type "
                        << dataTypeName(tensor->dataType)
                        << "; ConvForge compiles float32 networks";
  if (rank >= 0 && static_cast<int64_t>(tensor->shape.size()) != rank)
    return refuse(node) << "'" << node.input(index) << "' (the " << role
                        << ") must be " << rank << "-D, got shape "
                        << formatShape(tensor->shape);
  return tensor;
}

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

Value OnnxImporter::createTranspose(Value value, ArrayRef<int64_t> perm,
                                    Location loc) {
  auto type = cast<RankedTensorType>(value.getType());
  // Only the order of the non-unit dimensions matters for the data.
  SmallVector<int64_t> moved;
  SmallVector<int64_t> shape;
  for (int64_t dim : perm) {
    shape.push_back(type.getDimSize(dim));
    if (type.getDimSize(dim) != 1)
      moved.push_back(dim);
  }
  if (llvm::is_sorted(moved))
    return createReshape(value, shape, loc);
  return cnn::TransposeOp::create(builder, loc, value,
                                  builder.getDenseI64ArrayAttr(perm));
}

Value OnnxImporter::createReshape(Value value, ArrayRef<int64_t> shape,
                                  Location loc) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return cnn::ReshapeOp::create(builder, loc, value,
                                builder.getDenseI64ArrayAttr(shape));
}

Activation OnnxImporter::toPlain(const Activation &activation) {
  if (activation.layout == Layout::Plain)
    return activation;
  auto key = std::make_pair(activation.value, int(Layout::Plain));
  if (auto found = conversions.find(key); found != conversions.end())
    return found->second;
  Location loc = derivedLoc(activation.value, ".to_onnx_layout");
  Activation plain;
  plain.shape = activation.shape;
  ArrayRef<int64_t> s = activation.shape;
  switch (activation.layout) {
  case Layout::Plain:
    break;
  case Layout::ChannelsLast: // N×H×W×C -> N×C×H×W
    plain.value = createTranspose(activation.value, {0, 3, 1, 2}, loc);
    break;
  case Layout::ChannelsLast1D: { // N×1×L×C -> N×L×C -> N×C×L
    Value squeezed = createReshape(activation.value, {s[0], s[2], s[1]}, loc);
    plain.value = createTranspose(squeezed, {0, 2, 1}, loc);
    break;
  }
  case Layout::FlatChannelsLast: { // N×(H·W·C) -> N×H×W×C -> N×C×H×W -> flat
    int64_t n = s[0], c = activation.channels, h = activation.height,
            w = activation.width;
    Value volume = createReshape(activation.value, {n, h, w, c}, loc);
    Value transposed = createTranspose(volume, {0, 3, 1, 2}, loc);
    plain.value = createReshape(transposed, s, loc);
    break;
  }
  }
  conversions[key] = plain;
  return plain;
}

Activation OnnxImporter::toChannelsLast(const Activation &activation) {
  if (activation.layout == Layout::ChannelsLast)
    return activation;
  Activation plain = toPlain(activation);
  auto key = std::make_pair(plain.value, int(Layout::ChannelsLast));
  if (auto found = conversions.find(key); found != conversions.end())
    return found->second;
  Location loc = derivedLoc(plain.value, ".to_nhwc");
  Activation result = plain;
  result.layout = Layout::ChannelsLast;
  result.layer = -1;
  result.value = createTranspose(plain.value, {0, 2, 3, 1}, loc);
  conversions[key] = result;
  return result;
}

Activation OnnxImporter::toChannelsLast1D(const Activation &activation) {
  if (activation.layout == Layout::ChannelsLast1D)
    return activation;
  Activation plain = toPlain(activation);
  auto key = std::make_pair(plain.value, int(Layout::ChannelsLast1D));
  if (auto found = conversions.find(key); found != conversions.end())
    return found->second;
  Location loc = derivedLoc(plain.value, ".to_nhwc");
  ArrayRef<int64_t> s = plain.shape; // N×C×L
  Activation result = plain;
  result.layout = Layout::ChannelsLast1D;
  result.layer = -1;
  Value transposed = createTranspose(plain.value, {0, 2, 1}, loc);
  result.value = createReshape(transposed, {s[0], 1, s[2], s[1]}, loc);
  conversions[key] = result;
  return result;
}

Value OnnxImporter::addWeights(StringRef name, ArrayRef<int64_t> shape,
                               std::vector<float> data, int &slot) {
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  std::optional<uint64_t> total = llvm::checkedAddUnsigned<uint64_t>(
      weightBytes, static_cast<uint64_t>(data.size()) * sizeof(float));
  if (!total || *total > options.maxWeightBytes)
    weightsTooLarge = true;
  else
    weightBytes = *total;
  auto placeholder = UnrealizedConversionCastOp::create(
      builder, nameLoc(name), TypeRange{type}, ValueRange{});
  slot = static_cast<int>(slots.size());
  slots.push_back(
      {name.str(), SmallVector<int64_t>(shape), std::move(data), placeholder});
  return placeholder.getResult(0);
}

void OnnxImporter::addBiasTo(Layer &layer, int bias) {
  layer.bias = bias;
  Value biasValue = slots[bias].placeholder->getResult(0);
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(layer.op);
  Operation *rebuilt;
  if (auto conv = dyn_cast<cnn::Conv2DOp>(layer.op))
    rebuilt = cnn::Conv2DOp::create(
        builder, conv.getLoc(), conv.getInput(), conv.getFilter(), biasValue,
        conv.getStridesAttr(), conv.getPaddingAttr(), conv.getRoundingAttr(),
        conv.getFilterBlockAttr());
  else {
    auto dense = cast<cnn::DenseOp>(layer.op);
    rebuilt = cnn::DenseOp::create(builder, dense.getLoc(), dense.getInput(),
                                   dense.getWeights(), biasValue);
  }
  // The bias placeholder was created after the op: move it before.
  slots[bias].placeholder->moveBefore(rebuilt);
  Value oldResult = layer.op->getResult(0);
  Value newResult = rebuilt->getResult(0);
  oldResult.replaceAllUsesWith(newResult);
  for (auto &entry : activations)
    if (entry.second.value == oldResult)
      entry.second.value = newResult;
  layer.op->erase();
  layer.op = rebuilt;
}

//===----------------------------------------------------------------------===//
// Windows: Conv, MaxPool, AveragePool
//===----------------------------------------------------------------------===//

LogicalResult
OnnxImporter::getWindow(const onnx::NodeProto &node, const Activation &input,
                        std::optional<SmallVector<int64_t>> kernel, bool isPool,
                        Window2D &window) {
  int64_t spatial = static_cast<int64_t>(input.shape.size()) - 2;
  // 1-D windows are 2-D windows of height 1: their values go to axis 1.
  unsigned first = spatial == 1 ? 1 : 0;
  auto getList =
      [&](StringRef name,
          int64_t count) -> FailureOr<std::optional<SmallVector<int64_t>>> {
    FailureOr<std::optional<SmallVector<int64_t>>> list = getInts(node, name);
    if (failed(list))
      return failure();
    if (*list && static_cast<int64_t>((*list)->size()) != count)
      return refuse(node) << "'" << name << "' has " << (*list)->size()
                          << " values, expected " << count << " for a "
                          << spatial << "-D window";
    return list;
  };

  FailureOr<std::optional<SmallVector<int64_t>>> kernelShape =
      getList("kernel_shape", spatial);
  if (failed(kernelShape))
    return failure();
  if (kernel && *kernelShape && **kernelShape != *kernel)
    return refuse(node) << "kernel_shape " << formatList(**kernelShape)
                        << " does not match the weights' spatial shape "
                        << formatList(*kernel);
  if (!kernel) {
    if (!*kernelShape)
      return refuse(node) << "the attribute 'kernel_shape' is missing";
    kernel = **kernelShape;
  }
  for (auto [axis, size] : llvm::enumerate(*kernel)) {
    if (size <= 0)
      return refuse(node) << "kernel_shape " << formatList(*kernel)
                          << " must be positive";
    window.kernel[first + axis] = size;
  }

  FailureOr<std::optional<SmallVector<int64_t>>> strides =
      getList("strides", spatial);
  FailureOr<std::optional<SmallVector<int64_t>>> dilations =
      getList("dilations", spatial);
  FailureOr<std::optional<SmallVector<int64_t>>> pads =
      getList("pads", 2 * spatial);
  if (failed(strides) || failed(dilations) || failed(pads))
    return failure();
  for (int64_t axis = 0; axis < spatial; ++axis) {
    if (*strides) {
      if ((**strides)[axis] <= 0)
        return refuse(node)
               << "strides " << formatList(**strides) << " must be positive";
      window.stride[first + axis] = (**strides)[axis];
    }
    if (*dilations) {
      if ((**dilations)[axis] <= 0)
        return refuse(node) << "dilations " << formatList(**dilations)
                            << " must be positive";
      window.dilation[first + axis] = (**dilations)[axis];
    }
  }
  // Dilated extents, and the padded inputs below, must not overflow.
  for (unsigned axis = 0; axis < 2; ++axis) {
    int64_t extent;
    if (llvm::MulOverflow(window.kernel[axis] - 1, window.dilation[axis],
                          extent) ||
        extent > (int64_t(1) << 40))
      return refuse(node) << "the kernel " << window.kernel[axis]
                          << " with dilation " << window.dilation[axis]
                          << " spans more than 2^40 elements";
  }
  if (isPool && *dilations &&
      llvm::any_of(**dilations, [](int64_t d) { return d != 1; }))
    return refuse(node) << "dilations " << formatList(**dilations)
                        << " are not supported: the cnn dialect's pools have "
                           "contiguous windows";

  FailureOr<std::string> autoPad = getString(node, "auto_pad", "NOTSET");
  if (failed(autoPad))
    return failure();
  if (*autoPad == "NOTSET") {
    for (int64_t axis = 0; *pads && axis < spatial; ++axis) {
      int64_t before = (**pads)[axis], after = (**pads)[axis + spatial];
      if (before < 0 || after < 0 || before > (int64_t(1) << 40) ||
          after > (int64_t(1) << 40))
        return refuse(node) << "pads " << formatList(**pads)
                            << " must be between 0 and 2^40";
      window.padBefore[first + axis] = before;
      window.padAfter[first + axis] = after;
    }
  } else if (*autoPad == "VALID") {
    // No padding.
  } else if (*autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER") {
    // Output ceil(in / stride); the padding that gives it, the odd unit at
    // the end (SAME_UPPER) or at the beginning (SAME_LOWER).
    for (int64_t axis = 0; axis < spatial; ++axis) {
      unsigned a = first + axis;
      int64_t in = input.shape[2 + axis];
      int64_t out = (in - 1) / window.stride[a] + 1;
      int64_t total = std::max<int64_t>(0, (out - 1) * window.stride[a] +
                                               window.effectiveKernel(a) - in);
      int64_t small = total / 2, large = total - total / 2;
      window.padBefore[a] = *autoPad == "SAME_UPPER" ? small : large;
      window.padAfter[a] = *autoPad == "SAME_UPPER" ? large : small;
    }
  } else {
    return refuse(node) << "auto_pad '" << *autoPad
                        << "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, "
                           "VALID";
  }
  return success();
}

LogicalResult OnnxImporter::checkWindowOutput(const onnx::NodeProto &node,
                                              const Activation &input,
                                              const Window2D &window,
                                              Value result) {
  auto type = cast<RankedTensorType>(result.getType());
  int64_t spatial = static_cast<int64_t>(input.shape.size()) - 2;
  unsigned first = spatial == 1 ? 1 : 0;
  for (int64_t axis = 0; axis < spatial; ++axis) {
    unsigned a = first + axis;
    int64_t span = input.shape[2 + axis] + window.padBefore[a] +
                   window.padAfter[a] - window.effectiveKernel(a);
    int64_t stride = window.stride[a];
    // ONNX's output size: floor or ceil of span / stride, plus one.
    int64_t expected =
        (window.ceil ? (span + stride - 1) / stride : span / stride) + 1;
    int64_t got = type.getDimSize(1 + a);
    if (got != expected)
      return refuse(node) << "ceil_mode: ONNX's output size along spatial axis "
                          << axis << " is " << expected
                          << ", whose last window starts in the "
                          << "padding; ConvForge drops such windows (output "
                          << got << "), as PyTorch does";
  }
  return success();
}

Activation OnnxImporter::spatialResult(const Activation &input, Value result,
                                       int64_t channels) {
  auto type = cast<RankedTensorType>(result.getType());
  Activation activation;
  activation.value = result;
  activation.shape = {input.shape[0], channels};
  if (input.shape.size() == 3) {
    activation.layout = Layout::ChannelsLast1D;
    activation.shape.push_back(type.getDimSize(2));
  } else {
    activation.layout = Layout::ChannelsLast;
    activation.shape.push_back(type.getDimSize(1));
    activation.shape.push_back(type.getDimSize(2));
  }
  return activation;
}

static DenseI64ArrayAttr getPaddingAttr(OpBuilder &b, const Window2D &window) {
  return b.getDenseI64ArrayAttr({window.padBefore[0], window.padAfter[0],
                                 window.padBefore[1], window.padAfter[1]});
}

/// Refuses inputs that are not 3-D or 4-D (1-D and 2-D windows).
static bool isSpatialRank(const Activation &input) {
  return input.shape.size() == 3 || input.shape.size() == 4;
}

LogicalResult OnnxImporter::importConv(const onnx::NodeProto &node) {
  if (failed(checkAttributes(node, {"auto_pad", "dilations", "group",
                                    "kernel_shape", "pads", "strides"})))
    return failure();
  FailureOr<Activation> x = getActivation(node, 0);
  if (failed(x))
    return failure();
  if (!isSpatialRank(*x))
    return refuse(node) << "the input is " << formatShape(x->shape)
                        << "; ConvForge imports 1-D and 2-D convolutions "
                           "(3-D or 4-D inputs)";
  int64_t rank = static_cast<int64_t>(x->shape.size());
  if (!hasInput(node, 1))
    return refuse(node) << "the weights are missing";
  FailureOr<ConstantTensor> w = getFloatConstant(node, 1, "weights", rank);
  if (failed(w))
    return failure();
  FailureOr<int64_t> group = getInt(node, "group", 1);
  if (failed(group))
    return failure();
  int64_t channels = x->shape[1], filters = w->shape[0];
  if (*group <= 0 || channels % *group != 0 || filters % *group != 0 ||
      w->shape[1] * *group != channels)
    return refuse(node) << "the weights " << formatShape(w->shape) << " and "
                        << *group << " group(s) do not fit the input's "
                        << channels << " channels";
  std::optional<std::vector<float>> bias;
  if (hasInput(node, 2)) {
    FailureOr<ConstantTensor> b = getFloatConstant(node, 2, "bias", 1);
    if (failed(b))
      return failure();
    if (b->shape[0] != filters)
      return refuse(node) << "the bias has " << b->shape[0] << " values for "
                          << filters << " filters";
    bias = std::move(b->floats);
  }

  Window2D window;
  SmallVector<int64_t> kernel(w->shape.begin() + 2, w->shape.end());
  if (failed(getWindow(node, *x, kernel, /*isPool=*/false, window)))
    return failure();

  // The dilated filter must fit the padded input (as the verifier would say
  // after the filter is built) and the weight budget.
  for (unsigned axis = 0; axis < 2; ++axis) {
    int64_t in = axis == 0 ? (rank == 4 ? x->shape[2] : 1) : x->shape.back();
    int64_t padded = in + window.padBefore[axis] + window.padAfter[axis];
    if (window.effectiveKernel(axis) > padded)
      return refuse(node) << "the filter spans " << window.effectiveKernel(axis)
                          << " elements along spatial axis "
                          << (rank == 4 ? axis : 0)
                          << ", more than the padded input's " << padded;
  }
  {
    std::optional<int64_t> elements =
        checkedProduct({filters, window.effectiveKernel(0),
                        window.effectiveKernel(1), channels});
    if (!elements || uint64_t(*elements) > options.maxWeightBytes / 4)
      return refuse(node) << "the filter, expanded to "
                          << (*group > 1 ? "all channels" : "its dilation")
                          << ", would need more than " << options.maxWeightBytes
                          << " bytes";
  }

  // The dialect's K×FH×FW×C filter: transposed from K×(C/g)×FH×FW, with the
  // dilation's holes and the other groups' channels as zeros. (Both
  // expansions compute the same sums, with more multiplications by zero.)
  int64_t fh = window.effectiveKernel(0), fw = window.effectiveKernel(1);
  int64_t kh = window.kernel[0], kw = window.kernel[1];
  int64_t groupChannels = channels / *group, groupFilters = filters / *group;
  std::optional<int64_t> filterElements =
      checkedProduct({filters, fh, fw, channels});
  if (!filterElements)
    return refuse(node) << "the expanded filter has more elements than int64 "
                           "can count";
  std::vector<float> filter(*filterElements, 0.0f);
  for (int64_t k = 0; k < filters; ++k) {
    int64_t g = k / groupFilters;
    for (int64_t c = 0; c < groupChannels; ++c)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          filter[((k * fh + i * window.dilation[0]) * fw +
                  j * window.dilation[1]) *
                     channels +
                 g * groupChannels + c] =
              w->floats[((k * groupChannels + c) * kh + i) * kw + j];
  }
  w->floats.clear();

  Activation input = toSpatial(*x);
  std::string name = layerName(node);
  Layer layer{/*isConv=*/true, nullptr, -1, -1};
  Value filterValue = addWeights(name + ".weight", {filters, fh, fw, channels},
                                 std::move(filter), layer.filter);
  Value biasValue;
  if (bias)
    biasValue =
        addWeights(name + ".bias", {filters}, std::move(*bias), layer.bias);
  auto conv = cnn::Conv2DOp::create(
      builder, nameLoc(name), input.value, filterValue, biasValue,
      builder.getDenseI64ArrayAttr({window.stride[0], window.stride[1]}),
      getPaddingAttr(builder, window),
      cnn::RoundingAttr::get(context, cnn::Rounding::floor),
      /*filter_block=*/IntegerAttr());
  if (failed(verifyBuilt(conv, node)) ||
      failed(checkWindowOutput(node, *x, window, conv.getOutput())))
    return failure();
  layer.op = conv;
  Activation result = spatialResult(*x, conv.getOutput(), filters);
  result.layer = static_cast<int>(layers.size());
  layers.push_back(layer);
  define(node, 0, result);
  return success();
}

LogicalResult OnnxImporter::importPool(const onnx::NodeProto &node, bool isMax,
                                       bool isGlobal) {
  SmallVector<StringRef> known;
  if (!isGlobal) {
    known = {"auto_pad", "ceil_mode", "kernel_shape",
             "pads",     "strides",   "dilations"};
    if (isMax)
      known.push_back("storage_order");
    else
      known.push_back("count_include_pad");
  }
  if (failed(checkAttributes(node, known)))
    return failure();
  FailureOr<Activation> x = getActivation(node, 0);
  if (failed(x))
    return failure();
  if (!isSpatialRank(*x))
    return refuse(node) << "the input is " << formatShape(x->shape)
                        << "; ConvForge imports 1-D and 2-D pools (3-D or "
                           "4-D inputs)";
  if (node.output_size() > 1 && !node.output(1).empty() &&
      (useCounts.lookup(node.output(1)) > 0 ||
       graphOutputs.contains(node.output(1))))
    return refuse(node) << "the Indices output (argmax) is not supported";

  Window2D window;
  bool countIncludePad = false;
  if (isGlobal) {
    SmallVector<int64_t> kernel(x->shape.begin() + 2, x->shape.end());
    for (auto [axis, size] : llvm::enumerate(kernel))
      window.kernel[(kernel.size() == 1 ? 1 : 0) + axis] = size;
  } else {
    if (failed(getWindow(node, *x, std::nullopt, /*isPool=*/true, window)))
      return failure();
    FailureOr<int64_t> ceilMode = getInt(node, "ceil_mode", 0);
    FailureOr<int64_t> includePad = getInt(node, "count_include_pad", 0);
    if (failed(ceilMode) || failed(includePad))
      return failure();
    window.ceil = *ceilMode != 0;
    countIncludePad = *includePad != 0;
  }

  Activation input = toSpatial(*x);
  Location loc = nameLoc(layerName(node));
  DenseI64ArrayAttr kernel =
      builder.getDenseI64ArrayAttr({window.kernel[0], window.kernel[1]});
  DenseI64ArrayAttr strides =
      builder.getDenseI64ArrayAttr({window.stride[0], window.stride[1]});
  auto rounding = cnn::RoundingAttr::get(
      context, window.ceil ? cnn::Rounding::ceil : cnn::Rounding::floor);
  Operation *op;
  if (isMax)
    op = cnn::MaxPool2DOp::create(builder, loc, input.value, kernel, strides,
                                  getPaddingAttr(builder, window), rounding);
  else
    op = cnn::AvgPool2DOp::create(builder, loc, input.value, kernel, strides,
                                  getPaddingAttr(builder, window), rounding,
                                  countIncludePad ? builder.getUnitAttr()
                                                  : UnitAttr());
  if (failed(verifyBuilt(op, node)) ||
      failed(checkWindowOutput(node, *x, window, op->getResult(0))))
    return failure();
  define(node, 0, spatialResult(*x, op->getResult(0), x->shape[1]));
  return success();
}

//===----------------------------------------------------------------------===//
// Dense layers: Gemm, MatMul, Add, BatchNormalization
//===----------------------------------------------------------------------===//

std::optional<std::vector<float>>
OnnxImporter::perChannelValues(const ConstantTensor &tensor,
                               ArrayRef<int64_t> shape, int64_t axis) {
  int64_t rank = static_cast<int64_t>(shape.size());
  int64_t tensorRank = static_cast<int64_t>(tensor.shape.size());
  if (tensorRank > rank)
    return std::nullopt;
  // Right-aligned (NumPy) broadcasting.
  SmallVector<int64_t> dims(rank - tensorRank, 1);
  dims.append(tensor.shape.begin(), tensor.shape.end());
  for (int64_t d = 0; d < rank; ++d)
    if (dims[d] != 1 && dims[d] != shape[d])
      return std::nullopt;
  int64_t channels = shape[axis];
  int64_t along = dims[axis];
  // Strides of `dims`, row-major.
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * dims[d + 1];
  std::vector<float> values(channels);
  for (int64_t c = 0; c < channels; ++c)
    values[c] = tensor.floats[along == 1 ? 0 : c * strides[axis]];
  // Every element must equal its channel's value: broadcasting along the
  // other axes then repeats the same bias.
  for (int64_t i = 0, e = tensor.numElements(); i < e; ++i) {
    float want = values[along == 1 ? 0 : (i / strides[axis]) % along];
    float got = tensor.floats[i];
    if (got != want && !(std::isnan(got) && std::isnan(want)))
      return std::nullopt;
  }
  return values;
}

LogicalResult OnnxImporter::buildDense(const onnx::NodeProto &node,
                                       Activation input,
                                       std::vector<float> weights,
                                       int64_t units,
                                       std::optional<std::vector<float>> bias) {
  int64_t features = input.shape[1];
  if (input.layout == Layout::FlatChannelsLast) {
    // Feature c·H·W + y·W + x of the ONNX tensor is stored at (y·W + x)·C + c:
    // permute the weights' columns likewise.
    int64_t c = input.channels, h = input.height, w = input.width;
    std::vector<float> permuted(weights.size());
    for (int64_t n = 0; n < units; ++n)
      for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t p = 0; p < h * w; ++p)
          permuted[n * features + p * c + ch] =
              weights[n * features + ch * h * w + p];
    weights = std::move(permuted);
  } else {
    input = toPlain(input);
  }
  std::string name = layerName(node);
  Layer layer{/*isConv=*/false, nullptr, -1, -1};
  Value weightValue = addWeights(name + ".weight", {units, features},
                                 std::move(weights), layer.filter);
  Value biasValue;
  if (bias)
    biasValue =
        addWeights(name + ".bias", {units}, std::move(*bias), layer.bias);
  auto dense = cnn::DenseOp::create(builder, nameLoc(name), input.value,
                                    weightValue, biasValue);
  if (failed(verifyBuilt(dense, node)))
    return failure();
  layer.op = dense;
  Activation result;
  result.value = dense.getOutput();
  result.shape = {input.shape[0], units};
  result.layer = static_cast<int>(layers.size());
  layers.push_back(layer);
  define(node, 0, result);
  return success();
}

LogicalResult OnnxImporter::importGemm(const onnx::NodeProto &node,
                                       bool isMatMul) {
  if (failed(checkAttributes(
          node, isMatMul ? ArrayRef<StringRef>{}
                         : ArrayRef<StringRef>{"alpha", "beta", "transA",
                                               "transB", "broadcast"})))
    return failure();
  if (node.input_size() < 2 || !hasInput(node, 0) || !hasInput(node, 1))
    return refuse(node) << "expected inputs A and B";
  if (isConstant(node.input(0)) && activations.count(node.input(1)))
    return refuse(node) << "A is a constant and B is computed; ConvForge "
                           "imports activations × constant weights (A "
                           "computed, B an initializer)";
  FailureOr<Activation> a = getActivation(node, 0);
  if (failed(a))
    return failure();
  if (a->shape.size() != 2)
    return refuse(node) << "A is " << formatShape(a->shape)
                        << "; ConvForge imports 2-D products (batched or 1-D "
                           "MatMul is not supported)";
  FailureOr<ConstantTensor> b = getFloatConstant(node, 1, "B", 2);
  if (failed(b))
    return failure();
  float alpha = 1, beta = 1;
  int64_t transA = 0, transB = 0;
  if (!isMatMul) {
    FailureOr<float> alphaValue = getFloat(node, "alpha", 1.0f);
    FailureOr<float> betaValue = getFloat(node, "beta", 1.0f);
    FailureOr<int64_t> transAValue = getInt(node, "transA", 0);
    FailureOr<int64_t> transBValue = getInt(node, "transB", 0);
    if (failed(alphaValue) || failed(betaValue) || failed(transAValue) ||
        failed(transBValue) || failed(getInt(node, "broadcast", 0)))
      return failure();
    alpha = *alphaValue;
    beta = *betaValue;
    transA = *transAValue;
    transB = *transBValue;
  }

  Activation input = *a;
  if (transA) {
    Activation plain = toPlain(input);
    input.value = createTranspose(plain.value, {1, 0},
                                  nameLoc(layerName(node) + ".transpose_a"));
    input.layout = Layout::Plain;
    input.shape = {plain.shape[1], plain.shape[0]};
  }
  int64_t rows = input.shape[0], depth = input.shape[1];
  int64_t bDepth = transB ? b->shape[1] : b->shape[0];
  int64_t units = transB ? b->shape[0] : b->shape[1];
  if (bDepth != depth)
    return refuse(node) << "A" << (transA ? " transposed" : "") << " is "
                        << formatShape(input.shape) << " but B"
                        << (transB ? " transposed" : "") << " is " << bDepth
                        << "x" << units << ": the inner dimensions differ";
  // The dense weights N×K: alpha · B'ᵀ.
  std::vector<float> weights(units * depth);
  for (int64_t n = 0; n < units; ++n)
    for (int64_t k = 0; k < depth; ++k)
      weights[n * depth + k] = alpha * (transB ? b->floats[n * depth + k]
                                               : b->floats[k * units + n]);

  std::optional<std::vector<float>> bias;
  if (!isMatMul && hasInput(node, 2) && beta != 0.0f) {
    FailureOr<ConstantTensor> c = getFloatConstant(node, 2, "C");
    if (failed(c))
      return failure();
    bias = perChannelValues(*c, {rows, units}, 1);
    if (!bias)
      return refuse(node) << "C " << formatShape(c->shape)
                          << " is not one bias per output unit (it varies "
                             "between rows or does not broadcast to "
                          << rows << "x" << units
                          << "); a dense layer adds one bias per unit";
    for (float &value : *bias)
      value *= beta;
  }
  return buildDense(node, input, std::move(weights), units, std::move(bias));
}

LogicalResult OnnxImporter::importAdd(const onnx::NodeProto &node) {
  if (failed(checkAttributes(node, {"broadcast", "axis"})))
    return failure();
  if (node.input_size() != 2 || !hasInput(node, 0) || !hasInput(node, 1))
    return refuse(node) << "expected two inputs";
  auto unsupported = [&]() {
    return refuse(node)
           << "Add is supported only as the bias of the Conv, Gemm or MatMul "
              "it follows (a constant with one value per channel or unit, "
              "added to a result nothing else reads)";
  };
  int computed = activations.count(node.input(0)) ? 0 : 1;
  int constant = 1 - computed;
  if (!activations.count(node.input(computed)) ||
      !isConstant(node.input(constant)) || findAttribute(node, "axis"))
    return unsupported();
  const Activation &x = activations[node.input(computed)];
  if (x.layer < 0 || !hasSingleUse(node.input(computed)))
    return unsupported();
  FailureOr<ConstantTensor> c = getFloatConstant(node, constant, "addend");
  if (failed(c))
    return failure();
  std::optional<std::vector<float>> values = perChannelValues(*c, x.shape, 1);
  if (!values)
    return unsupported();
  Layer &layer = layers[x.layer];
  if (layer.bias < 0) {
    std::string name = layerName(node) + ".bias";
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(layer.op);
    int slot;
    addWeights(name, {static_cast<int64_t>(values->size())}, std::move(*values),
               slot);
    addBiasTo(layer, slot);
  } else {
    for (auto [bias, value] : llvm::zip(slots[layer.bias].data, *values))
      bias += value;
  }
  Activation result = activations[node.input(computed)];
  define(node, 0, result);
  return success();
}

LogicalResult OnnxImporter::importBatchNorm(const onnx::NodeProto &node) {
  if (failed(checkAttributes(node, {"epsilon", "momentum", "spatial", "is_test",
                                    "training_mode", "consumed_inputs"})))
    return failure();
  FailureOr<float> epsilon = getFloat(node, "epsilon", 1e-5f);
  FailureOr<int64_t> spatial = getInt(node, "spatial", 1);
  FailureOr<int64_t> isTest = getInt(node, "is_test", opset <= 6 ? 0 : 1);
  FailureOr<int64_t> training = getInt(node, "training_mode", 0);
  if (failed(epsilon) || failed(spatial) || failed(isTest) || failed(training))
    return failure();
  if (*training != 0 || *isTest == 0)
    return refuse(node) << "training mode (batch statistics) is not "
                           "supported; export the model in inference mode";
  if (*spatial == 0)
    return refuse(node) << "spatial = 0 (one statistic per element) is not "
                           "supported";
  for (int i = 1; i < node.output_size(); ++i)
    if (!node.output(i).empty())
      return refuse(node) << "the running statistics outputs (training) "
                             "are not supported";
  FailureOr<Activation> x = getActivation(node, 0);
  if (failed(x))
    return failure();
  int64_t rank = static_cast<int64_t>(x->shape.size());
  if (rank < 2 || rank > 4)
    return refuse(node) << "the input is " << formatShape(x->shape)
                        << "; ConvForge imports batch normalization of 2-D, "
                           "3-D and 4-D tensors";
  int64_t channels = x->shape[1];
  std::vector<double> scale(channels), shift(channels);
  {
    const char *roles[] = {"scale", "B", "mean", "var"};
    std::vector<float> values[4];
    for (int i = 0; i < 4; ++i) {
      if (!hasInput(node, i + 1))
        return refuse(node) << "the input '" << roles[i] << "' is missing";
      FailureOr<ConstantTensor> t = getFloatConstant(node, i + 1, roles[i], 1);
      if (failed(t))
        return failure();
      if (t->shape[0] != channels)
        return refuse(node) << "'" << roles[i] << "' has " << t->shape[0]
                            << " values for " << channels << " channels";
      values[i] = std::move(t->floats);
    }
    // y = scale·(x − mean)/√(var + ε) + B = a·x + b.
    for (int64_t c = 0; c < channels; ++c) {
      scale[c] = double(values[0][c]) /
                 std::sqrt(double(values[3][c]) + double(*epsilon));
      shift[c] = double(values[1][c]) - double(values[2][c]) * scale[c];
    }
  }

  // Folded into the conv or dense layer whose output it alone reads.
  if (x->layer >= 0 && hasSingleUse(node.input(0))) {
    Layer &layer = layers[x->layer];
    WeightSlot &weights = slots[layer.filter];
    int64_t perChannel = static_cast<int64_t>(weights.data.size()) / channels;
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = 0; i < perChannel; ++i)
        weights.data[c * perChannel + i] = static_cast<float>(
            double(weights.data[c * perChannel + i]) * scale[c]);
    if (layer.bias >= 0) {
      for (int64_t c = 0; c < channels; ++c)
        slots[layer.bias].data[c] = static_cast<float>(
            double(slots[layer.bias].data[c]) * scale[c] + shift[c]);
    } else {
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPoint(layer.op);
      std::vector<float> bias(shift.begin(), shift.end());
      int slot;
      addWeights(layerName(node) + ".bias", {channels}, std::move(bias), slot);
      addBiasTo(layer, slot);
    }
    define(node, 0, activations[node.input(0)]);
    return success();
  }

  // Otherwise a layer of its own: a dense layer or a 1×1 convolution whose
  // weights are the diagonal matrix of the scales.
  if (std::optional<int64_t> elements = checkedProduct({channels, channels});
      !elements || uint64_t(*elements) > options.maxWeightBytes / 4)
    return refuse(node) << "the " << channels << " channels' diagonal "
                        << "weights would need more than "
                        << options.maxWeightBytes << " bytes";
  std::vector<float> diagonal(channels * channels, 0.0f);
  for (int64_t c = 0; c < channels; ++c)
    diagonal[c * channels + c] = static_cast<float>(scale[c]);
  std::vector<float> bias(shift.begin(), shift.end());
  if (rank == 2)
    return buildDense(node, toPlain(*x), std::move(diagonal), channels,
                      std::move(bias));
  Activation input = toSpatial(*x);
  std::string name = layerName(node);
  Layer layer{/*isConv=*/true, nullptr, -1, -1};
  Value filter = addWeights(name + ".weight", {channels, 1, 1, channels},
                            std::move(diagonal), layer.filter);
  Value biasValue =
      addWeights(name + ".bias", {channels}, std::move(bias), layer.bias);
  auto conv = cnn::Conv2DOp::create(builder, nameLoc(name), input.value, filter,
                                    biasValue, DenseI64ArrayAttr(),
                                    DenseI64ArrayAttr(), cnn::RoundingAttr(),
                                    /*filter_block=*/IntegerAttr());
  if (failed(verifyBuilt(conv, node)))
    return failure();
  layer.op = conv;
  Activation result = spatialResult(*x, conv.getOutput(), channels);
  result.layer = static_cast<int>(layers.size());
  layers.push_back(layer);
  define(node, 0, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Shapes and elementwise ops
//===----------------------------------------------------------------------===//

LogicalResult OnnxImporter::importSoftmax(const onnx::NodeProto &node) {
  if (failed(checkAttributes(node, {"axis"})))
    return failure();
  FailureOr<Activation> x = getActivation(node, 0);
  if (failed(x))
    return failure();
  int64_t rank = static_cast<int64_t>(x->shape.size());
  // Opset 13 normalizes along one axis (default the last); earlier opsets
  // along all the axes from `axis` on (default 1), as one flattened row.
  bool singleAxis = opset >= 13;
  FailureOr<int64_t> axisValue = getInt(node, "axis", singleAxis ? -1 : 1);
  if (failed(axisValue))
    return failure();
  int64_t axis = *axisValue < 0 ? *axisValue + rank : *axisValue;
  if (axis < 0 || axis >= rank || rank == 0)
    return refuse(node) << "axis " << *axisValue << " is out of range for "
                        << formatShape(x->shape);
  Location loc = nameLoc(layerName(node));
  if (!singleAxis && axis == rank - 1)
    singleAxis = true; // the same thing

  if (singleAxis) {
    // The channels are innermost in the channels-last layouts, and a
    // FlatChannelsLast row is a permutation of the ONNX row (softmax is
    // permutation-equivariant): those run as stored.
    bool asStored = (axis == 1 && (x->layout == Layout::ChannelsLast ||
                                   x->layout == Layout::ChannelsLast1D)) ||
                    (axis == rank - 1 && x->layout == Layout::FlatChannelsLast);
    if (asStored) {
      Activation result = *x;
      result.layer = -1;
      result.value = cnn::SoftmaxOp::create(builder, loc, x->value);
      define(node, 0, result);
      return success();
    }
    Activation plain = toPlain(*x);
    SmallVector<int64_t> perm;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        perm.push_back(d);
    perm.push_back(axis);
    Value moved = createTranspose(plain.value, perm, loc);
    Value softmax = cnn::SoftmaxOp::create(builder, loc, moved);
    Activation result = plain;
    result.layer = -1;
    result.value = createTranspose(softmax, invert(perm), loc);
    define(node, 0, result);
    return success();
  }
  // One row of all the axes from `axis` on.
  Activation plain = toPlain(*x);
  ArrayRef<int64_t> shape = plain.shape;
  int64_t outer = product(shape.take_front(axis));
  int64_t inner = product(shape.drop_front(axis));
  Value rows = createReshape(plain.value, {outer, inner}, loc);
  Value softmax = cnn::SoftmaxOp::create(builder, loc, rows);
  Activation result = plain;
  result.layer = -1;
  result.value = createReshape(softmax, shape, loc);
  define(node, 0, result);
  return success();
}

FailureOr<SmallVector<int64_t>>
OnnxImporter::getReshapeTarget(const onnx::NodeProto &node,
                               ArrayRef<int64_t> shape, bool isFlatten) {
  if (failed(checkAttributes(
          node, isFlatten ? ArrayRef<StringRef>{"axis"}
                          : ArrayRef<StringRef>{"allowzero", "shape"})))
    return failure();
  int64_t rank = static_cast<int64_t>(shape.size());
  SmallVector<int64_t> target;
  if (isFlatten) {
    FailureOr<int64_t> axisValue = getInt(node, "axis", 1);
    if (failed(axisValue))
      return failure();
    int64_t axis = *axisValue < 0 ? *axisValue + rank : *axisValue;
    if (axis < 0 || axis > rank)
      return refuse(node) << "axis " << *axisValue << " is out of range for "
                          << formatShape(shape);
    target = {product(shape.take_front(axis)), product(shape.drop_front(axis))};
    return target;
  }
  SmallVector<int64_t> requested;
  if (hasInput(node, 1)) {
    FailureOr<ConstantTensor> s = getConstant(node, 1, "shape");
    if (failed(s))
      return failure();
    if (s->dataType != onnx::TensorProto_DataType_INT64 || s->shape.size() != 1)
      return refuse(node) << "the shape must be a 1-D INT64 tensor";
    requested.assign(s->ints.begin(), s->ints.end());
  } else {
    FailureOr<std::optional<SmallVector<int64_t>>> attr =
        getInts(node, "shape"); // opset < 5
    if (failed(attr))
      return failure();
    if (!*attr)
      return refuse(node) << "the shape is missing";
    requested = **attr;
  }
  FailureOr<int64_t> allowZero = getInt(node, "allowzero", 0);
  if (failed(allowZero))
    return failure();
  int64_t inferred = -1, known = 1;
  for (auto [index, requestedExtent] : llvm::enumerate(requested)) {
    int64_t extent = requestedExtent;
    if (extent == 0 && !*allowZero) {
      if (static_cast<int64_t>(index) >= rank)
        return refuse(node)
               << "shape " << formatList(requested) << " copies dimension "
               << index << ", which the input " << formatShape(shape)
               << " lacks";
      extent = shape[index];
    }
    if (extent == -1) {
      if (inferred >= 0)
        return refuse(node)
               << "shape " << formatList(requested) << " has more than one -1";
      inferred = static_cast<int64_t>(index);
      target.push_back(1);
      continue;
    }
    if (extent <= 0)
      return refuse(node) << "shape " << formatList(requested)
                          << " gives an empty or invalid extent " << extent
                          << " (ConvForge compiles non-empty tensors)";
    target.push_back(extent);
    if (llvm::MulOverflow(known, extent, known))
      return refuse(node) << "shape " << formatList(requested)
                          << " has more elements than int64 can count";
  }
  int64_t elements = product(shape);
  if (inferred >= 0) {
    if (elements % known != 0)
      return refuse(node) << "shape " << formatList(requested)
                          << " does not divide the input "
                          << formatShape(shape);
    target[inferred] = elements / known;
  } else if (known != elements) {
    return refuse(node) << "shape " << formatList(requested)
                        << " does not hold the input " << formatShape(shape)
                        << "'s " << elements << " elements";
  }
  if (target.empty())
    return refuse(node) << "a reshape to a scalar is not supported";
  return target;
}

LogicalResult OnnxImporter::importReshape(const onnx::NodeProto &node,
                                          bool isFlatten) {
  if (!hasInput(node, 0))
    return refuse(node) << "input #0 is missing";
  if (isConstant(node.input(0))) {
    // Folded: the same values with the new shape.
    FailureOr<ConstantTensor> tensor = getConstant(node, 0, "input");
    if (failed(tensor))
      return failure();
    FailureOr<SmallVector<int64_t>> target =
        getReshapeTarget(node, tensor->shape, isFlatten);
    if (failed(target))
      return failure();
    tensor->shape = *target;
    constantNodes[node.output(0)] = std::move(*tensor);
    return success();
  }
  FailureOr<Activation> x = getActivation(node, 0);
  if (failed(x))
    return failure();
  ArrayRef<int64_t> shape = x->shape;
  FailureOr<SmallVector<int64_t>> target =
      getReshapeTarget(node, shape, isFlatten);
  if (failed(target))
    return failure();

  if (ArrayRef<int64_t>(*target) == shape) {
    define(node, 0, *x);
    return success();
  }
  Location loc = nameLoc(layerName(node));
  // The flatten of a channels-last volume stays in its stored order; the
  // dense layer reading it permutes its weights instead.
  bool flattensVolume = target->size() == 2 && (*target)[0] == shape[0] &&
                        (x->layout == Layout::ChannelsLast ||
                         x->layout == Layout::ChannelsLast1D);
  if (flattensVolume) {
    Activation result;
    result.layout = Layout::FlatChannelsLast;
    result.shape = *target;
    result.channels = shape[1];
    result.height = x->layout == Layout::ChannelsLast ? shape[2] : 1;
    result.width = shape.back();
    result.value = createReshape(x->value, *target, loc);
    // When H·W = 1 or C = 1 both orders are the same.
    if (result.channels == 1 || result.height * result.width == 1)
      result.layout = Layout::Plain;
    define(node, 0, result);
    return success();
  }
  Activation plain = toPlain(*x);
  Activation result;
  result.shape = *target;
  result.value = createReshape(plain.value, *target, loc);
  define(node, 0, result);
  return success();
}

/// `values` of a row-major tensor of `shape` transposed by `perm`.
template <typename T>
static std::vector<T> transposeValues(const std::vector<T> &values,
                                      ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> perm) {
  int64_t rank = static_cast<int64_t>(shape.size());
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  std::vector<T> result(values.size());
  SmallVector<int64_t> index(rank, 0);
  for (size_t i = 0; i < result.size(); ++i) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += index[d] * strides[perm[d]];
    result[i] = values[source];
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[perm[d]])
        break;
      index[d] = 0;
    }
  }
  return result;
}

LogicalResult OnnxImporter::importTranspose(const onnx::NodeProto &node) {
  if (failed(checkAttributes(node, {"perm"})))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> permAttr =
      getInts(node, "perm");
  if (failed(permAttr))
    return failure();
  if (!hasInput(node, 0))
    return refuse(node) << "input #0 is missing";
  bool folded = isConstant(node.input(0));
  FailureOr<ConstantTensor> constant;
  FailureOr<Activation> x;
  if (folded)
    constant = getConstant(node, 0, "input");
  else
    x = getActivation(node, 0);
  if (folded ? failed(constant) : failed(x))
    return failure();
  ArrayRef<int64_t> shape = folded ? constant->shape : x->shape;
  int64_t rank = static_cast<int64_t>(shape.size());
  SmallVector<int64_t> perm;
  if (*permAttr) {
    perm = **permAttr;
  } else {
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  }
  if (static_cast<int64_t>(perm.size()) != rank || !isPermutation(perm))
    return refuse(node) << "perm " << formatList(perm)
                        << " is not a permutation of the input's " << rank
                        << " dimensions";
  SmallVector<int64_t> resultShape;
  for (int64_t d : perm)
    resultShape.push_back(shape[d]);
  if (folded) {
    ConstantTensor result = *constant;
    result.shape = resultShape;
    if (!result.floats.empty())
      result.floats = transposeValues(constant->floats, shape, perm);
    if (!result.ints.empty())
      result.ints = transposeValues(constant->ints, shape, perm);
    constantNodes[node.output(0)] = std::move(result);
    return success();
  }
  Location loc = nameLoc(layerName(node));
  Activation result;
  result.shape = resultShape;
  if (x->layout == Layout::ChannelsLast) {
    // The stored N×H×W×C is the ONNX tensor transposed by [0, 2, 3, 1]:
    // compose the two permutations into one transpose of the stored value.
    SmallVector<int64_t> fromStored = {0, 3, 1, 2};
    SmallVector<int64_t> composed;
    for (int64_t d : perm)
      composed.push_back(fromStored[d]);
    result.value = createTranspose(x->value, composed, loc);
  } else {
    result.value = createTranspose(toPlain(*x).value, perm, loc);
  }
  define(node, 0, result);
  return success();
}

LogicalResult OnnxImporter::importDropout(const onnx::NodeProto &node) {
  if (failed(checkAttributes(node, {"ratio", "seed", "is_test"})))
    return failure();
  FailureOr<int64_t> isTest = getInt(node, "is_test", opset <= 6 ? 0 : 1);
  if (failed(isTest))
    return failure();
  if (*isTest == 0)
    return refuse(node) << "training mode (is_test = 0) is not supported";
  if (hasInput(node, 2)) {
    if (!isConstant(node.input(2)))
      return refuse(node) << "training_mode must be a constant";
    FailureOr<ConstantTensor> mode = getConstant(node, 2, "training_mode");
    if (failed(mode))
      return failure();
    if (mode->ints.size() != 1 || mode->ints[0] != 0)
      return refuse(node) << "training mode (training_mode = true) is not "
                             "supported";
  }
  if (node.output_size() > 1 && !node.output(1).empty() &&
      (useCounts.lookup(node.output(1)) > 0 ||
       graphOutputs.contains(node.output(1))))
    return refuse(node) << "the mask output is not supported";
  FailureOr<Activation> x = getActivation(node, 0);
  if (failed(x))
    return failure();
  // The identity at inference. The value keeps its producer for folding
  // only if nothing else reads it; the dropout's result is a new name.
  Activation result = *x;
  if (!hasSingleUse(node.input(0)))
    result.layer = -1;
  define(node, 0, result);
  return success();
}

LogicalResult OnnxImporter::importConstant(const onnx::NodeProto &node) {
  if (node.attribute_size() != 1)
    return refuse(node) << "expected one attribute (the value)";
  const onnx::AttributeProto &attribute = node.attribute(0);
  ConstantTensor tensor;
  StringRef name = attribute.name();
  if (name == "value" &&
      attribute.type() == onnx::AttributeProto_AttributeType_TENSOR) {
    llvm::Expected<ConstantTensor> decoded = decodeTensor(attribute.t());
    if (!decoded)
      return refuse(node) << "the value "
                          << llvm::toString(decoded.takeError());
    tensor = std::move(*decoded);
  } else if (name == "value_float") {
    tensor.dataType = onnx::TensorProto_DataType_FLOAT;
    tensor.floats = {attribute.f()};
  } else if (name == "value_floats") {
    tensor.dataType = onnx::TensorProto_DataType_FLOAT;
    tensor.floats.assign(attribute.floats().begin(), attribute.floats().end());
    tensor.shape = {static_cast<int64_t>(tensor.floats.size())};
  } else if (name == "value_int") {
    tensor.dataType = onnx::TensorProto_DataType_INT64;
    tensor.ints = {attribute.i()};
  } else if (name == "value_ints") {
    tensor.dataType = onnx::TensorProto_DataType_INT64;
    tensor.ints.assign(attribute.ints().begin(), attribute.ints().end());
    tensor.shape = {static_cast<int64_t>(tensor.ints.size())};
  } else {
    return refuse(node) << "the attribute '" << name
                        << "' is not supported (value, value_float, "
                           "value_floats, value_int, value_ints are)";
  }
  constantNodes[node.output(0)] = std::move(tensor);
  return success();
}

LogicalResult OnnxImporter::importNode(const onnx::NodeProto &node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return refuse(node) << "operators of the domain '" << node.domain()
                        << "' are not supported";
  if (node.output_size() == 0 || node.output(0).empty())
    return refuse(node) << "the node has no output";
  StringRef op = node.op_type();
  // A result that is not a float32 tensor (e.g. the uint8 outputs of
  // quantized ops) is refused by the operator's own rules below.
  if (op == "Conv")
    return importConv(node);
  if (op == "MaxPool")
    return importPool(node, /*isMax=*/true, /*isGlobal=*/false);
  if (op == "AveragePool")
    return importPool(node, /*isMax=*/false, /*isGlobal=*/false);
  if (op == "GlobalMaxPool")
    return importPool(node, /*isMax=*/true, /*isGlobal=*/true);
  if (op == "GlobalAveragePool")
    return importPool(node, /*isMax=*/false, /*isGlobal=*/true);
  if (op == "Gemm")
    return importGemm(node, /*isMatMul=*/false);
  if (op == "MatMul")
    return importGemm(node, /*isMatMul=*/true);
  if (op == "Add")
    return importAdd(node);
  if (op == "BatchNormalization")
    return importBatchNorm(node);
  if (op == "Softmax")
    return importSoftmax(node);
  if (op == "Flatten")
    return importReshape(node, /*isFlatten=*/true);
  if (op == "Reshape")
    return importReshape(node, /*isFlatten=*/false);
  if (op == "Transpose")
    return importTranspose(node);
  if ((op == "Identity" || op == "Dropout") && hasInput(node, 0) &&
      isConstant(node.input(0))) {
    // Folded: the same constant.
    FailureOr<ConstantTensor> tensor = getConstant(node, 0, "input");
    if (failed(tensor))
      return failure();
    constantNodes[node.output(0)] = std::move(*tensor);
    return success();
  }
  if (op == "Dropout")
    return importDropout(node);
  if (op == "Constant")
    return importConstant(node);
  if (op == "Relu" || op == "Identity") {
    SmallVector<StringRef> known;
    if (op == "Relu")
      known.push_back("consumed_inputs");
    if (failed(checkAttributes(node, known)))
      return failure();
    FailureOr<Activation> x = getActivation(node, 0);
    if (failed(x))
      return failure();
    Activation result = *x;
    if (op == "Relu") {
      result.layer = -1;
      result.value =
          cnn::ReluOp::create(builder, nameLoc(layerName(node)), x->value);
    } else if (!hasSingleUse(node.input(0))) {
      result.layer = -1;
    }
    define(node, 0, result);
    return success();
  }
  InFlightDiagnostic diag = refuse(node);
  diag << "the operator is not supported; ConvForge imports ";
  llvm::interleaveComma(ArrayRef(kOperators).drop_back(), diag);
  diag << " (and Add as a bias)";
  return failure();
}

//===----------------------------------------------------------------------===//
// The model
//===----------------------------------------------------------------------===//

LogicalResult OnnxImporter::materializeWeights() {
  if (weightsTooLarge) {
    error() << "the model's weights need more than " << options.maxWeightBytes
            << " bytes (the import's limit)";
    return failure();
  }
  for (WeightSlot &slot : slots) {
    auto type = RankedTensorType::get(slot.shape, builder.getF32Type());
    AsmResourceBlob blob = copyToWeightBlob(slot.data);
    std::vector<float>().swap(slot.data);
    auto attr = DenseResourceElementsAttr::get(type, resourceKey(slot.name),
                                               std::move(blob));
    builder.setInsertionPoint(slot.placeholder);
    auto constant =
        arith::ConstantOp::create(builder, slot.placeholder->getLoc(), attr);
    slot.placeholder->replaceAllUsesWith(constant);
    slot.placeholder->erase();
  }
  return success();
}

FailureOr<SmallVector<int64_t>>
OnnxImporter::getValueShape(const onnx::ValueInfoProto &info, StringRef role,
                            bool requireShape) {
  auto report = [&]() -> InFlightDiagnostic {
    InFlightDiagnostic diag = error();
    diag << "the graph " << role << " '" << info.name() << "' ";
    return diag;
  };
  if (!info.type().has_tensor_type())
    return report() << "is not a tensor; ConvForge compiles networks of "
                       "float32 tensors";
  const onnx::TypeProto_Tensor &tensor = info.type().tensor_type();
  if (tensor.elem_type() != onnx::TensorProto_DataType_FLOAT)
    return report() << "has element type " << dataTypeName(tensor.elem_type())
                    << "; ConvForge compiles float32 networks";
  SmallVector<int64_t> shape;
  if (!tensor.has_shape()) {
    if (requireShape)
      return report() << "has no shape; ConvForge compiles fixed shapes";
    return shape;
  }
  for (auto [index, dim] : llvm::enumerate(tensor.shape().dim())) {
    if (dim.has_dim_value() && dim.dim_value() > 0) {
      shape.push_back(dim.dim_value());
      continue;
    }
    if (dim.has_dim_value())
      return report() << "has the extent " << dim.dim_value()
                      << " in dimension " << index
                      << "; ConvForge compiles non-empty tensors";
    if (!requireShape)
      return SmallVector<int64_t>();
    InFlightDiagnostic diag = report();
    diag << "has a dynamic dimension " << index;
    if (dim.has_dim_param())
      diag << " ('" << dim.dim_param() << "')";
    diag << "; ConvForge compiles fixed shapes: export the model with a "
            "fixed shape";
    return failure();
  }
  if (shape.empty() && requireShape)
    return report() << "is a scalar; ConvForge compiles tensors of rank 1 or "
                       "more";
  return shape;
}

OwningOpRef<ModuleOp> OnnxImporter::import(StringRef bytes) {
  context
      ->loadDialect<arith::ArithDialect, cnn::CnnDialect, func::FuncDialect>();
  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    error() << "the model is larger than 2 GiB, which protobuf cannot parse; "
               "save the weights as external data is not supported either";
    return nullptr;
  }
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error() << "not an ONNX model: the file does not parse as an "
               "onnx.ModelProto (truncated, or not a .onnx file)";
    return nullptr;
  }
  if (!model.has_graph() || model.graph().output_size() == 0) {
    error() << "not an ONNX model: "
            << (model.has_graph() ? "the graph has no output" : "no graph");
    return nullptr;
  }
  bool importsDefault = false;
  for (const onnx::OperatorSetIdProto &set : model.opset_import()) {
    if (set.domain().empty() || set.domain() == "ai.onnx") {
      opset = set.version();
      importsDefault = true;
    }
  }
  if (model.opset_import_size() == 0) {
    opset = 1; // models of IR version 1 and 2 name no operator set
  } else if (!importsDefault) {
    error() << "the model does not import the default ONNX operator set";
    return nullptr;
  }
  if (opset <= 0 || opset > kMaxOpset) {
    error() << "the model imports the default operator set version " << opset
            << "; ConvForge knows versions 1 to " << kMaxOpset;
    return nullptr;
  }
  const onnx::GraphProto &graph = model.graph();

  for (const onnx::TensorProto &initializer : graph.initializer())
    constants[initializer.name()] = &initializer;
  if (graph.sparse_initializer_size() > 0) {
    error() << "sparse initializers are not supported";
    return nullptr;
  }

  // The network's input: the one graph input that is not an initializer.
  SmallVector<const onnx::ValueInfoProto *> inputs;
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!constants.count(input.name()))
      inputs.push_back(&input);
  if (inputs.size() != 1) {
    InFlightDiagnostic diag = error();
    diag << "the graph has " << inputs.size()
         << " inputs besides its initializers";
    if (!inputs.empty()) {
      diag << " (";
      llvm::interleaveComma(inputs, diag, [&](const onnx::ValueInfoProto *i) {
        diag << "'" << i->name() << "'";
      });
      diag << ")";
    }
    diag << "; ConvForge compiles networks of one input, with the weights as "
            "initializers";
    return nullptr;
  }
  if (graph.output_size() != 1) {
    InFlightDiagnostic diag = error();
    diag << "the graph has " << graph.output_size() << " outputs (";
    llvm::interleaveComma(
        graph.output(), diag,
        [&](const onnx::ValueInfoProto &o) { diag << "'" << o.name() << "'"; });
    diag << "); ConvForge compiles networks of one output";
    return nullptr;
  }
  FailureOr<SmallVector<int64_t>> inputShape =
      getValueShape(*inputs.front(), "input", /*requireShape=*/true);
  if (failed(inputShape))
    return nullptr;
  if (!checkedProduct(*inputShape)) {
    error() << "the graph input '" << inputs.front()->name() << "' "
            << formatShape(*inputShape)
            << " has more elements than int64 can count";
    return nullptr;
  }
  const onnx::ValueInfoProto &output = graph.output(0);
  FailureOr<SmallVector<int64_t>> declaredOutput =
      getValueShape(output, "output", /*requireShape=*/false);
  if (failed(declaredOutput))
    return nullptr;
  graphOutputs.insert(output.name());

  // Only the nodes the output depends on are imported.
  std::vector<bool> live(graph.node_size(), false);
  {
    llvm::StringSet<> needed;
    needed.insert(output.name());
    for (int i = graph.node_size() - 1; i >= 0; --i) {
      const onnx::NodeProto &node = graph.node(i);
      if (llvm::none_of(node.output(), [&](const std::string &name) {
            return !name.empty() && needed.contains(name);
          }))
        continue;
      live[i] = true;
      for (const std::string &name : node.input())
        if (!name.empty())
          needed.insert(name);
    }
  }
  for (int i = 0; i < graph.node_size(); ++i)
    if (live[i])
      for (const std::string &name : graph.node(i).input())
        if (!name.empty())
          ++useCounts[name];

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  std::string name = functionName(path);
  auto inputType = RankedTensorType::get(*inputShape, builder.getF32Type());
  auto func = func::FuncOp::create(builder, nameLoc(name), name,
                                   builder.getFunctionType({inputType}, {}));
  Block *body = func.addEntryBlock();
  body->getArgument(0).setLoc(nameLoc(inputs.front()->name()));
  builder.setInsertionPointToEnd(body);
  Activation input;
  input.value = body->getArgument(0);
  input.shape = *inputShape;
  activations[inputs.front()->name()] = input;

  for (int i = 0; i < graph.node_size(); ++i) {
    if (!live[i])
      continue;
    nodeIndex = i;
    if (failed(importNode(graph.node(i))))
      return nullptr;
  }

  auto result = activations.find(output.name());
  if (result == activations.end()) {
    error() << "the graph output '" << output.name() << "' is "
            << (isConstant(output.name()) ? "a constant"
                                          : "not computed by any node");
    return nullptr;
  }
  Activation plain = toPlain(result->second);
  if (!declaredOutput->empty() &&
      ArrayRef<int64_t>(*declaredOutput) != ArrayRef<int64_t>(plain.shape)) {
    error() << "the graph declares the output '" << output.name() << "' as "
            << formatShape(*declaredOutput) << ", but its nodes compute "
            << formatShape(plain.shape);
    return nullptr;
  }
  func::ReturnOp::create(builder, nameLoc(output.name()), plain.value);
  func.setFunctionType(
      builder.getFunctionType({inputType}, {plain.value.getType()}));

  if (failed(materializeWeights()))
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> convforge::importOnnx(StringRef bytes, StringRef path,
                                            MLIRContext *context,
                                            const OnnxImportOptions &options) {
  return OnnxImporter(path, context, options).import(bytes);
}
