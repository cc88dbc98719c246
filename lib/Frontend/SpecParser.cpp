//===- SpecParser.cpp - The network spec schema ---------------------------===//
//
// One function per level of the schema (network, input, layer), over the
// located YamlTree. Every message starts with what it is about ("input:",
// "layer 'conv1':") and is reported at the offending key or value, so a
// user can fix a spec from the first line of the message alone.
//
//===----------------------------------------------------------------------===//

#include "SpecParser.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/YAMLParser.h"

#include <limits>

using namespace mlir;
using namespace convforge;
using namespace convforge::frontend;

namespace {
struct LayerTypeInfo {
  LayerKind kind;
  llvm::StringLiteral name;
};
} // namespace

static constexpr LayerTypeInfo kLayerTypes[] = {
    {LayerKind::Conv, "conv"},
    {LayerKind::LocallyConnected, "locally_connected"},
    {LayerKind::MaxPool, "maxpool"},
    {LayerKind::AvgPool, "avgpool"},
    {LayerKind::Relu, "relu"},
    {LayerKind::Flatten, "flatten"},
    {LayerKind::Dense, "dense"},
    {LayerKind::Softmax, "softmax"},
};

llvm::StringRef convforge::frontend::getLayerTypeName(LayerKind kind) {
  for (const LayerTypeInfo &info : kLayerTypes)
    if (info.kind == kind)
      return info.name;
  return "?";
}

/// The keys each layer type accepts, in the order messages list them.
static llvm::SmallVector<llvm::StringRef> getLayerKeys(LayerKind kind) {
  switch (kind) {
  case LayerKind::Conv:
  case LayerKind::LocallyConnected:
    return {"type",    "name",     "filters", "size",    "stride",
            "padding", "rounding", "bias",    "weights", "biases"};
  case LayerKind::MaxPool:
    return {"type", "name", "size", "stride", "padding", "rounding"};
  case LayerKind::AvgPool:
    return {"type",
            "name",
            "size",
            "stride",
            "padding",
            "rounding",
            "count_include_pad"};
  case LayerKind::Dense:
    return {"type", "name", "units", "bias", "weights", "biases"};
  case LayerKind::Relu:
  case LayerKind::Flatten:
  case LayerKind::Softmax:
    return {"type", "name"};
  }
  return {};
}

/// The candidate nearest to `word` when it is a likely misspelling.
static std::optional<llvm::StringRef>
findNearest(llvm::StringRef word, llvm::ArrayRef<llvm::StringRef> candidates) {
  std::optional<llvm::StringRef> best;
  unsigned bestDistance = std::max<unsigned>(2, word.size() / 3) + 1;
  for (llvm::StringRef candidate : candidates) {
    unsigned distance = word.edit_distance(candidate, /*AllowReplacements=*/
                                           true, bestDistance);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

static bool isIdentifier(llvm::StringRef text) {
  return !text.empty() && !llvm::isDigit(text.front()) &&
         llvm::all_of(text,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// Layer names become locations, resource names and weights_file keys
/// (`<name>.weight`): identifier characters, '.' and '-'.
static bool isLayerName(llvm::StringRef text) {
  return !text.empty() && llvm::all_of(text, [](char c) {
    return llvm::isAlnum(c) || c == '_' || c == '.' || c == '-';
  });
}

/// The default network name: the spec file's stem as an identifier.
static std::string getDefaultName(llvm::StringRef filename) {
  std::string name = llvm::sys::path::stem(filename).str();
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  if (name.empty() || llvm::isDigit(name.front()))
    name.insert(name.begin(), '_');
  return name;
}

namespace {
/// Checks one mapping of the schema at a time; `context` prefixes every
/// message ("" at the top level, "input: ", "layer 'conv1': ").
class MappingChecker {
public:
  MappingChecker(const SpecSource &source, const YamlNode &mapping,
                 std::string context)
      : source(source), mapping(mapping), context(std::move(context)) {}

  void setContext(std::string newContext) { context = std::move(newContext); }
  const std::string &getContext() const { return context; }

  InFlightDiagnostic error(llvm::SMLoc loc) const {
    return source.emitError(loc) << context;
  }

  /// Rejects unknown and duplicate keys.
  LogicalResult checkKeys(llvm::ArrayRef<llvm::StringRef> allowed) const;

  const YamlNode::Entry *find(llvm::StringRef key) const {
    for (const YamlNode::Entry &entry : mapping.entries)
      if (entry.key == key)
        return &entry;
    return nullptr;
  }
  /// The entry of a required key, or null after reporting it missing.
  const YamlNode::Entry *require(llvm::StringRef key,
                                 llvm::StringRef what) const {
    if (const YamlNode::Entry *entry = find(key))
      return entry;
    error(mapping.loc) << "missing required key '" << key << "' (" << what
                       << ")";
    return nullptr;
  }

  /// An integer in [min, max]; `what` describes it ("a positive integer").
  std::optional<int64_t> getInt(const YamlNode::Entry &entry, int64_t min,
                                llvm::StringRef what) const;
  std::optional<int64_t> getInt(const YamlNode::Entry &entry,
                                const YamlNode &value, int64_t min,
                                llvm::StringRef what) const;
  std::optional<uint64_t> getUnsigned(const YamlNode::Entry &entry) const;
  std::optional<bool> getBool(const YamlNode::Entry &entry) const;
  std::optional<std::string> getString(const YamlNode::Entry &entry) const;
  /// An integer or a list of integers whose length is one of `counts`.
  std::optional<LocatedList> getList(const YamlNode::Entry &entry, int64_t min,
                                     llvm::StringRef what,
                                     llvm::ArrayRef<unsigned> counts,
                                     llvm::StringRef forms) const;

private:
  const SpecSource &source;
  const YamlNode &mapping;
  std::string context;
};
} // namespace

LogicalResult
MappingChecker::checkKeys(llvm::ArrayRef<llvm::StringRef> allowed) const {
  llvm::StringMap<const YamlNode::Entry *> seen;
  for (const YamlNode::Entry &entry : mapping.entries) {
    if (!llvm::is_contained(allowed, llvm::StringRef(entry.key))) {
      InFlightDiagnostic diag = error(entry.keyLoc);
      diag << "unknown key '" << entry.key << "'";
      if (std::optional<llvm::StringRef> nearest =
              findNearest(entry.key, allowed))
        diag << " (did you mean '" << *nearest << "'?)";
      diag << "; expected one of: " << llvm::join(allowed, ", ");
      return failure();
    }
    auto [it, inserted] = seen.try_emplace(entry.key, &entry);
    if (!inserted) {
      InFlightDiagnostic diag = error(entry.keyLoc);
      diag << "duplicate key '" << entry.key << "'";
      diag.attachNote(source.getLoc(it->second->keyLoc)) << "first given here";
      return failure();
    }
  }
  return success();
}

/// Parses an optionally signed decimal integer; nullopt if `text` is not
/// one, `overflow` set if it is one that int64 cannot hold.
static std::optional<int64_t> parseDecimal(llvm::StringRef text,
                                           bool &overflow) {
  overflow = false;
  llvm::StringRef digits = text;
  bool negative = digits.consume_front("-");
  if (!negative)
    digits.consume_front("+");
  if (digits.empty() || !llvm::all_of(digits, llvm::isDigit))
    return std::nullopt;
  uint64_t magnitude = 0;
  const uint64_t limit =
      uint64_t(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  for (char c : digits) {
    uint64_t digit = c - '0';
    if (magnitude > (limit - digit) / 10) {
      overflow = true;
      return std::nullopt;
    }
    magnitude = magnitude * 10 + digit;
  }
  if (negative)
    return magnitude == limit ? std::numeric_limits<int64_t>::min()
                              : -int64_t(magnitude);
  return int64_t(magnitude);
}

std::optional<int64_t> MappingChecker::getInt(const YamlNode::Entry &entry,
                                              int64_t min,
                                              llvm::StringRef what) const {
  return getInt(entry, *entry.value, min, what);
}

std::optional<int64_t> MappingChecker::getInt(const YamlNode::Entry &entry,
                                              const YamlNode &value,
                                              int64_t min,
                                              llvm::StringRef what) const {
  if (value.isNull()) {
    error(entry.keyLoc) << "'" << entry.key << "' has no value; expected "
                        << what;
    return std::nullopt;
  }
  if (!value.isScalar()) {
    error(value.loc) << "'" << entry.key << "': expected " << what << ", got "
                     << value.describeKind();
    return std::nullopt;
  }
  bool overflow = false;
  std::optional<int64_t> parsed = parseDecimal(value.scalar, overflow);
  if (overflow) {
    error(value.loc) << "'" << entry.key << "': " << value.scalar
                     << " is too large (at most "
                     << std::numeric_limits<int64_t>::max() << ")";
    return std::nullopt;
  }
  if (!parsed) {
    error(value.loc) << "'" << entry.key << "': expected " << what << ", got '"
                     << value.scalar << "'";
    return std::nullopt;
  }
  if (*parsed < min) {
    error(value.loc) << "'" << entry.key << "' must be "
                     << (min > 0 ? "positive" : "non-negative") << ", got "
                     << *parsed;
    return std::nullopt;
  }
  return parsed;
}

std::optional<uint64_t>
MappingChecker::getUnsigned(const YamlNode::Entry &entry) const {
  const YamlNode &value = *entry.value;
  llvm::StringRef what = "a non-negative integer";
  if (value.isNull()) {
    error(entry.keyLoc) << "'" << entry.key << "' has no value; expected "
                        << what;
    return std::nullopt;
  }
  uint64_t result = 0;
  llvm::StringRef text =
      value.isScalar() ? llvm::StringRef(value.scalar) : llvm::StringRef();
  if (!value.isScalar() || text.empty() || !llvm::all_of(text, llvm::isDigit) ||
      text.getAsInteger(10, result)) {
    auto diag = error(value.loc) << "'" << entry.key << "': expected " << what
                                 << " below 2^64, got ";
    if (value.isScalar())
      diag << "'" << text << "'";
    else
      diag << value.describeKind();
    return std::nullopt;
  }
  return result;
}

std::optional<bool>
MappingChecker::getBool(const YamlNode::Entry &entry) const {
  const YamlNode &value = *entry.value;
  if (value.isScalar())
    if (std::optional<bool> parsed = llvm::yaml::parseBool(value.scalar))
      return parsed;
  auto diag = error(value.isNull() ? entry.keyLoc : value.loc)
              << "'" << entry.key << "': expected true or false, got ";
  if (value.isScalar())
    diag << "'" << value.scalar << "'";
  else
    diag << value.describeKind();
  return std::nullopt;
}

std::optional<std::string>
MappingChecker::getString(const YamlNode::Entry &entry) const {
  const YamlNode &value = *entry.value;
  if (value.isScalar() && !value.scalar.empty())
    return value.scalar;
  error(value.isNull() ? entry.keyLoc : value.loc)
      << "'" << entry.key << "': expected a non-empty string, got "
      << (value.isScalar() ? "an empty string" : value.describeKind());
  return std::nullopt;
}

std::optional<LocatedList>
MappingChecker::getList(const YamlNode::Entry &entry, int64_t min,
                        llvm::StringRef what, llvm::ArrayRef<unsigned> counts,
                        llvm::StringRef forms) const {
  const YamlNode &value = *entry.value;
  LocatedList list;
  list.loc = value.isNull() ? entry.keyLoc : value.loc;
  if (!value.isSequence()) {
    std::optional<int64_t> single = getInt(entry, value, min, what);
    if (!single)
      return std::nullopt;
    list.values.push_back(*single);
    return list;
  }
  if (!llvm::is_contained(counts, value.items.size())) {
    error(value.loc) << "'" << entry.key << "' must be " << forms << ", got "
                     << value.items.size() << " values";
    return std::nullopt;
  }
  for (const YamlNode *item : value.items) {
    std::optional<int64_t> element = getInt(entry, *item, min, what);
    if (!element)
      return std::nullopt;
    list.values.push_back(*element);
  }
  return list;
}

//===----------------------------------------------------------------------===//
// The schema
//===----------------------------------------------------------------------===//

static constexpr llvm::StringLiteral kPositive = "a positive integer";
static constexpr llvm::StringLiteral kNonNegative = "a non-negative integer";

static LogicalResult parseInput(const SpecSource &source,
                                const YamlNode::Entry &entry,
                                NetworkSpec &spec) {
  const YamlNode &input = *entry.value;
  spec.inputLoc = entry.keyLoc;
  if (!input.isMapping()) {
    source.emitError(input.isNull() ? entry.keyLoc : input.loc)
        << "'input' must be a mapping {height, width, depth, batch} (or "
           "{size, depth, batch}), got "
        << input.describeKind();
    return failure();
  }
  MappingChecker checker(source, input, "input: ");
  if (failed(checker.checkKeys({"height", "width", "size", "depth", "batch"})))
    return failure();
  const YamlNode::Entry *size = checker.find("size");
  const YamlNode::Entry *height = checker.find("height");
  const YamlNode::Entry *width = checker.find("width");
  if (size && (height || width)) {
    checker.error(size->keyLoc)
        << "give either 'size' or 'height' and 'width', not both";
    return failure();
  }
  if (size) {
    std::optional<int64_t> value = checker.getInt(*size, 1, kPositive);
    if (!value)
      return failure();
    spec.height = spec.width = *value;
  } else {
    if (!height && !width) {
      checker.error(input.loc)
          << "missing required keys 'height' and 'width' (or 'size')";
      return failure();
    }
    height = checker.require("height", "the input's height in pixels");
    width = checker.require("width", "the input's width in pixels");
    if (!height || !width)
      return failure();
    std::optional<int64_t> h = checker.getInt(*height, 1, kPositive);
    std::optional<int64_t> w =
        h ? checker.getInt(*width, 1, kPositive) : std::nullopt;
    if (!h || !w)
      return failure();
    spec.height = *h;
    spec.width = *w;
  }
  const YamlNode::Entry *depth =
      checker.require("depth", "the number of input channels");
  if (!depth)
    return failure();
  std::optional<int64_t> d = checker.getInt(*depth, 1, kPositive);
  if (!d)
    return failure();
  spec.depth = *d;
  if (const YamlNode::Entry *batch = checker.find("batch")) {
    std::optional<int64_t> n = checker.getInt(*batch, 1, kPositive);
    if (!n)
      return failure();
    spec.batch = *n;
  }
  return success();
}

/// The label of a layer before its name is known.
static std::string getIndexLabel(unsigned index) {
  return "layer #" + std::to_string(index + 1) + ": ";
}

static std::string getNameLabel(llvm::StringRef name) {
  return "layer '" + name.str() + "': ";
}

static std::optional<TensorSource>
parseTensorSource(const MappingChecker &checker, const YamlNode::Entry &entry,
                  const NetworkSpec &spec) {
  std::optional<std::string> text = checker.getString(entry);
  if (!text)
    return std::nullopt;
  TensorSource result;
  result.loc = entry.value->loc;
  if (llvm::StringRef(*text).ends_with(".npy")) {
    result.kind = TensorSource::Kind::NpyFile;
    llvm::SmallString<128> path(*text);
    if (llvm::sys::path::is_relative(path) && !spec.directory.empty()) {
      path = spec.directory;
      llvm::sys::path::append(path, *text);
    }
    result.text = path.str().str();
    return result;
  }
  if (!spec.weightsFile) {
    checker.error(result.loc)
        << "'" << entry.key << "': '" << *text
        << "' would name a tensor of the weights_file, but the spec has no "
           "weights_file (a .npy file's path must end in .npy)";
    return std::nullopt;
  }
  result.kind = TensorSource::Kind::WeightsFileTensor;
  result.text = *text;
  return result;
}

static LogicalResult parseLayerFields(MappingChecker &checker,
                                      const NetworkSpec &spec,
                                      LayerSpec &layer) {
  bool hasWeights = false;
  switch (layer.kind) {
  case LayerKind::Conv:
  case LayerKind::LocallyConnected: {
    const YamlNode::Entry *filters =
        checker.require("filters", "the number of filters K");
    if (!filters)
      return failure();
    std::optional<int64_t> count = checker.getInt(*filters, 1, kPositive);
    if (!count)
      return failure();
    layer.count = *count;
    hasWeights = true;
    break;
  }
  case LayerKind::Dense: {
    const YamlNode::Entry *units =
        checker.require("units", "the number of output units M");
    if (!units)
      return failure();
    std::optional<int64_t> count = checker.getInt(*units, 1, kPositive);
    if (!count)
      return failure();
    layer.count = *count;
    hasWeights = true;
    break;
  }
  default:
    break;
  }

  bool hasWindow = layer.kind == LayerKind::Conv ||
                   layer.kind == LayerKind::LocallyConnected ||
                   layer.kind == LayerKind::MaxPool ||
                   layer.kind == LayerKind::AvgPool;
  if (hasWindow) {
    const YamlNode::Entry *size =
        checker.require("size", layer.kind == LayerKind::MaxPool ||
                                        layer.kind == LayerKind::AvgPool
                                    ? "the window: F or [FH, FW]"
                                    : "the filter extent: F or [FH, FW]");
    if (!size || !(layer.size = checker.getList(*size, 1, kPositive, {1, 2},
                                                "F or [FH, FW]")))
      return failure();
    if (const YamlNode::Entry *stride = checker.find("stride"))
      if (!(layer.stride = checker.getList(*stride, 1, kPositive, {1, 2},
                                           "S or [SH, SW]")))
        return failure();
    if (const YamlNode::Entry *padding = checker.find("padding"))
      if (!(layer.padding =
                checker.getList(*padding, 0, kNonNegative, {1, 2, 4},
                                "P, [PH, PW] or [top, bottom, left, right]")))
        return failure();
    if (const YamlNode::Entry *rounding = checker.find("rounding")) {
      std::optional<std::string> text = checker.getString(*rounding);
      if (!text)
        return failure();
      layer.rounding = cnn::symbolizeRounding(*text);
      if (!layer.rounding) {
        checker.error(rounding->value->loc)
            << "'rounding': expected exact, floor or ceil, got '" << *text
            << "'";
        return failure();
      }
    }
  }
  if (const YamlNode::Entry *countIncludePad =
          checker.find("count_include_pad")) {
    std::optional<bool> value = checker.getBool(*countIncludePad);
    if (!value)
      return failure();
    layer.countIncludePad = *value;
  }

  if (hasWeights) {
    if (const YamlNode::Entry *bias = checker.find("bias")) {
      std::optional<bool> value = checker.getBool(*bias);
      if (!value)
        return failure();
      layer.bias = *value;
    }
    if (const YamlNode::Entry *weights = checker.find("weights"))
      if (!(layer.weights = parseTensorSource(checker, *weights, spec)))
        return failure();
    if (const YamlNode::Entry *biases = checker.find("biases")) {
      if (!layer.bias) {
        checker.error(biases->keyLoc)
            << "'biases' is given but 'bias' is false";
        return failure();
      }
      if (!(layer.biases = parseTensorSource(checker, *biases, spec)))
        return failure();
    }
  }
  return success();
}

static LogicalResult parseLayers(const SpecSource &source,
                                 const YamlNode::Entry &entry,
                                 NetworkSpec &spec) {
  const YamlNode &layers = *entry.value;
  if (layers.isNull() || (layers.isSequence() && layers.items.empty())) {
    source.emitError(entry.keyLoc)
        << "'layers' is empty: a network needs at least one layer";
    return failure();
  }
  if (!layers.isSequence()) {
    source.emitError(layers.loc)
        << "'layers' must be a sequence of layers, got "
        << layers.describeKind();
    return failure();
  }

  llvm::SmallVector<llvm::StringRef> typeNames;
  for (const LayerTypeInfo &info : kLayerTypes)
    typeNames.push_back(info.name);
  llvm::StringMap<unsigned> typeCounts;
  // Where each name was given, to report duplicates.
  llvm::StringMap<std::pair<unsigned, llvm::SMLoc>> names;

  for (auto [index, node] : llvm::enumerate(layers.items)) {
    if (!node->isMapping()) {
      source.emitError(node->isNull() ? layers.loc : node->loc)
          << getIndexLabel(index) << "a layer must be a mapping with a "
          << "'type', got " << node->describeKind();
      return failure();
    }
    MappingChecker checker(source, *node, getIndexLabel(index));
    // The explicit name, if any, labels every later message.
    const YamlNode::Entry *nameEntry = checker.find("name");
    std::optional<std::string> name;
    if (nameEntry) {
      if (!(name = checker.getString(*nameEntry)))
        return failure();
      if (!isLayerName(*name)) {
        checker.error(nameEntry->value->loc)
            << "layer name '" << *name
            << "' may contain only letters, digits, '_', '.' and '-'";
        return failure();
      }
      checker.setContext(getNameLabel(*name));
    }

    const YamlNode::Entry *typeEntry =
        checker.require("type", "one of: " + llvm::join(typeNames, ", "));
    if (!typeEntry)
      return failure();
    std::optional<std::string> type = checker.getString(*typeEntry);
    if (!type)
      return failure();
    const LayerTypeInfo *info = llvm::find_if(
        kLayerTypes, [&](const LayerTypeInfo &i) { return i.name == *type; });
    if (info == std::end(kLayerTypes)) {
      InFlightDiagnostic diag = checker.error(typeEntry->value->loc);
      diag << "unknown layer type '" << *type << "'";
      if (std::optional<llvm::StringRef> nearest =
              findNearest(*type, typeNames))
        diag << " (did you mean '" << *nearest << "'?)";
      diag << "; expected one of: " << llvm::join(typeNames, ", ");
      return failure();
    }

    LayerSpec layer;
    layer.kind = info->kind;
    layer.index = index;
    layer.loc = typeEntry->keyLoc;
    unsigned ordinal = ++typeCounts[info->name];
    bool isDefaultName = !name;
    layer.name = name ? *name : info->name.str() + std::to_string(ordinal);
    checker.setContext(getNameLabel(layer.name));

    if (failed(checker.checkKeys(getLayerKeys(layer.kind))) ||
        failed(parseLayerFields(checker, spec, layer)))
      return failure();

    llvm::SMLoc nameLoc = nameEntry ? nameEntry->value->loc : layer.loc;
    auto [it, inserted] = names.try_emplace(layer.name, index, nameLoc);
    if (!inserted) {
      InFlightDiagnostic diag = source.emitError(nameLoc);
      diag << getIndexLabel(index) << "the layer name '" << layer.name << "'";
      if (isDefaultName)
        diag << " (the default name of this " << info->name << " layer)";
      diag << " is already used by layer #" << it->second.first + 1
           << "; layer names must be unique";
      diag.attachNote(source.getLoc(it->second.second))
          << "layer #" << it->second.first + 1 << " is named '" << layer.name
          << "' here";
      return failure();
    }
    spec.layers.push_back(std::move(layer));
  }
  return success();
}

std::optional<NetworkSpec>
convforge::frontend::parseNetworkSpec(const SpecSource &source,
                                      const YamlNode &root) {
  if (!root.isMapping()) {
    if (root.isNull())
      source.emitError(root.loc) << "the spec is empty: expected a mapping "
                                    "with 'input' and 'layers'";
    else
      source.emitError(root.loc)
          << "a spec must be a mapping with 'input' and 'layers', got "
          << root.describeKind();
    return std::nullopt;
  }
  NetworkSpec spec;
  spec.directory = llvm::sys::path::parent_path(source.getFilename()).str();
  MappingChecker checker(source, root, "");
  if (failed(checker.checkKeys(
          {"name", "input", "seed", "weights_file", "layers"})))
    return std::nullopt;

  if (const YamlNode::Entry *name = checker.find("name")) {
    std::optional<std::string> text = checker.getString(*name);
    if (!text)
      return std::nullopt;
    if (!isIdentifier(*text)) {
      checker.error(name->value->loc)
          << "'name' must be a C identifier (letters, digits and '_', not "
             "starting with a digit), got '"
          << *text << "'";
      return std::nullopt;
    }
    spec.name = *text;
  } else {
    spec.name = getDefaultName(source.getFilename());
  }

  if (const YamlNode::Entry *seed = checker.find("seed")) {
    std::optional<uint64_t> value = checker.getUnsigned(*seed);
    if (!value)
      return std::nullopt;
    spec.seed = *value;
  }

  if (const YamlNode::Entry *file = checker.find("weights_file")) {
    std::optional<std::string> text = checker.getString(*file);
    if (!text)
      return std::nullopt;
    llvm::SmallString<128> path(*text);
    if (llvm::sys::path::is_relative(path) && !spec.directory.empty()) {
      path = spec.directory;
      llvm::sys::path::append(path, *text);
    }
    spec.weightsFile = path.str().str();
    spec.weightsFileLoc = file->value->loc;
  }

  const YamlNode::Entry *input = checker.require(
      "input", "the input volume: {height, width, depth, batch}");
  if (!input || failed(parseInput(source, *input, spec)))
    return std::nullopt;
  const YamlNode::Entry *layers =
      checker.require("layers", "the sequence of layers");
  if (!layers || failed(parseLayers(source, *layers, spec)))
    return std::nullopt;
  return spec;
}
