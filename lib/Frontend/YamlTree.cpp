//===- YamlTree.cpp - A located YAML document tree ------------------------===//
//
// Converts the first document of an llvm::yaml::Stream into a YamlTree in
// one pass. The stream is given a SourceMgr of its own whose diagnostic
// handler turns its syntax errors into MLIR diagnostics: installing that
// handler on the caller's SourceMgr instead would loop, since MLIR's
// SourceMgrDiagnosticHandler prints through the same SourceMgr. Both
// SourceMgrs reference the same memory, so positions are interchangeable.
//
//===----------------------------------------------------------------------===//

#include "YamlTree.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/YAMLParser.h"

using namespace mlir;
using namespace convforge::frontend;
namespace yaml = llvm::yaml;

//===----------------------------------------------------------------------===//
// SpecSource
//===----------------------------------------------------------------------===//

SpecSource::SpecSource(llvm::SourceMgr &sourceMgr, MLIRContext *context)
    : sourceMgr(sourceMgr), context(context),
      bufferId(sourceMgr.getMainFileID()),
      filename(sourceMgr.getMemoryBuffer(bufferId)->getBufferIdentifier()) {}

llvm::MemoryBufferRef SpecSource::getBuffer() const {
  return sourceMgr.getMemoryBuffer(bufferId)->getMemBufferRef();
}

FileLineColLoc SpecSource::getLoc(llvm::SMLoc loc) const {
  unsigned line = 1, column = 1;
  const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(bufferId);
  // Only positions inside the buffer (or one past its end) are meaningful.
  if (loc.isValid() && loc.getPointer() >= buffer->getBufferStart() &&
      loc.getPointer() <= buffer->getBufferEnd())
    std::tie(line, column) = sourceMgr.getLineAndColumn(loc, bufferId);
  return FileLineColLoc::get(context, filename, line, column);
}

//===----------------------------------------------------------------------===//
// YamlNode
//===----------------------------------------------------------------------===//

llvm::StringRef YamlNode::describeKind() const {
  switch (kind) {
  case Kind::Null:
    return "nothing";
  case Kind::Scalar:
    return "a scalar";
  case Kind::Mapping:
    return "a mapping";
  case Kind::Sequence:
    return "a sequence";
  }
  return "nothing";
}

//===----------------------------------------------------------------------===//
// Conversion
//===----------------------------------------------------------------------===//

/// Deeper documents are rejected: a spec needs four levels, and the
/// conversion recurses once per level.
static constexpr unsigned kMaxDepth = 64;

namespace convforge::frontend {
/// Converts llvm::yaml nodes, which must be visited once and in order
/// (every key before its value), into YamlNodes.
class YamlTreeBuilder {
public:
  YamlTreeBuilder(const SpecSource &source, YamlTree &tree)
      : source(source), tree(tree) {}

  /// The converted node, or null after reporting an error (or when the
  /// stream failed, which its own handler reported).
  const YamlNode *convert(yaml::Node *node, llvm::SMLoc fallbackLoc,
                          unsigned depth);

  YamlNode *create(YamlNode::Kind kind, llvm::SMLoc loc) {
    YamlNode &node = tree.nodes.emplace_back();
    node.kind = kind;
    node.loc = loc;
    return &node;
  }

  /// Reports an error at `loc`; always returns null.
  const YamlNode *error(llvm::SMLoc loc, const llvm::Twine &message) {
    source.emitError(loc) << message.str();
    reported = true;
    return nullptr;
  }

  bool reported = false;

private:
  const YamlNode *convertUntagged(yaml::Node *node, llvm::SMLoc fallbackLoc,
                                  unsigned depth);

  const SpecSource &source;
  YamlTree &tree;
  llvm::StringMap<const YamlNode *> anchors;
};
} // namespace convforge::frontend

static llvm::SMLoc getStart(yaml::Node *node, llvm::SMLoc fallback) {
  llvm::SMLoc start = node->getSourceRange().Start;
  return start.isValid() ? start : fallback;
}

const YamlNode *YamlTreeBuilder::convert(yaml::Node *node,
                                         llvm::SMLoc fallbackLoc,
                                         unsigned depth) {
  // A null node is a parse error the stream has reported.
  if (!node)
    return nullptr;
  if (depth > kMaxDepth)
    return error(getStart(node, fallbackLoc), "YAML nested deeper than " +
                                                  llvm::Twine(kMaxDepth) +
                                                  " levels");
  if (!node->getRawTag().empty())
    return error(getStart(node, fallbackLoc),
                 "YAML tags are not supported (got '" + node->getRawTag() +
                     "'); remove the tag");
  const YamlNode *result = convertUntagged(node, fallbackLoc, depth);
  // Registered once the node is complete, so that an alias inside its own
  // anchor's node is unknown rather than a cycle.
  if (result && !node->getAnchor().empty())
    anchors[node->getAnchor()] = result;
  return result;
}

const YamlNode *YamlTreeBuilder::convertUntagged(yaml::Node *node,
                                                 llvm::SMLoc fallbackLoc,
                                                 unsigned depth) {
  llvm::SMLoc loc = getStart(node, fallbackLoc);
  switch (node->getType()) {
  case yaml::Node::NK_Null:
    // The parser places a null node at the next token, often on a later
    // line; the key it belongs to is the useful place.
    return create(YamlNode::Kind::Null, fallbackLoc);
  case yaml::Node::NK_Scalar: {
    llvm::SmallString<32> storage;
    YamlNode *result = create(YamlNode::Kind::Scalar, loc);
    result->scalar = cast<yaml::ScalarNode>(node)->getValue(storage).str();
    return result;
  }
  case yaml::Node::NK_BlockScalar: {
    YamlNode *result = create(YamlNode::Kind::Scalar, loc);
    result->scalar = cast<yaml::BlockScalarNode>(node)->getValue().str();
    return result;
  }
  case yaml::Node::NK_Alias: {
    llvm::StringRef name = cast<yaml::AliasNode>(node)->getName();
    auto it = anchors.find(name);
    // The parser locates an alias node at the token after it; the key (or
    // the enclosing sequence) is where the user looks.
    if (it == anchors.end())
      return error(fallbackLoc,
                   "unknown YAML alias '*" + name +
                       "' (an alias must follow the node of its anchor)");
    return it->second;
  }
  case yaml::Node::NK_Mapping: {
    YamlNode *result = create(YamlNode::Kind::Mapping, loc);
    for (yaml::KeyValueNode &entry : *cast<yaml::MappingNode>(node)) {
      yaml::Node *key = entry.getKey();
      if (!key)
        return nullptr;
      llvm::SMLoc keyLoc = getStart(key, loc);
      const YamlNode *keyNode = convert(key, keyLoc, depth + 1);
      if (!keyNode)
        return nullptr;
      if (!keyNode->isScalar())
        return error(keyLoc, "a mapping key must be a scalar, got " +
                                 keyNode->describeKind());
      // Read the value before anything else: the parser requires it.
      const YamlNode *value = convert(entry.getValue(), keyLoc, depth + 1);
      if (!value)
        return nullptr;
      result->entries.push_back({keyNode->scalar, keyLoc, value});
    }
    return result;
  }
  case yaml::Node::NK_Sequence: {
    YamlNode *result = create(YamlNode::Kind::Sequence, loc);
    for (yaml::Node &item : *cast<yaml::SequenceNode>(node)) {
      const YamlNode *value = convert(&item, loc, depth + 1);
      if (!value)
        return nullptr;
      result->items.push_back(value);
    }
    return result;
  }
  default:
    return error(loc, "unexpected YAML construct");
  }
}

namespace {
/// What the stream's SourceMgr handler needs.
struct SyntaxErrorHandler {
  const SpecSource *source;
  bool reported = false;

  static void handle(const llvm::SMDiagnostic &diagnostic, void *opaque) {
    auto *self = static_cast<SyntaxErrorHandler *>(opaque);
    int line = diagnostic.getLineNo();
    int column = diagnostic.getColumnNo();
    // SMDiagnostic columns are 0-based, FileLineColLoc's 1-based.
    Location loc = FileLineColLoc::get(
        self->source->getContext(), self->source->getFilename(),
        line > 0 ? line : 1, column >= 0 ? column + 1 : 1);
    if (diagnostic.getKind() == llvm::SourceMgr::DK_Error) {
      emitError(loc) << "YAML syntax error: " << diagnostic.getMessage();
      self->reported = true;
    } else {
      emitWarning(loc) << "YAML: " << diagnostic.getMessage();
    }
  }
};
} // namespace

std::unique_ptr<YamlTree> YamlTree::parse(const SpecSource &source) {
  SyntaxErrorHandler handler{&source};
  llvm::SourceMgr yamlSourceMgr;
  yamlSourceMgr.setDiagHandler(&SyntaxErrorHandler::handle, &handler);
  yaml::Stream stream(source.getBuffer(), yamlSourceMgr,
                      /*ShowColors=*/false);

  auto tree = std::make_unique<YamlTree>();
  YamlTreeBuilder builder(source, *tree);
  llvm::SMLoc start =
      llvm::SMLoc::getFromPointer(source.getBuffer().getBufferStart());
  auto failed = [&]() -> std::unique_ptr<YamlTree> {
    if (!handler.reported && !builder.reported)
      source.emitError(start) << "invalid YAML";
    return nullptr;
  };

  yaml::document_iterator document = stream.begin(), end = stream.end();
  if (document == end) {
    tree->root = builder.create(YamlNode::Kind::Null, start);
    return tree;
  }
  tree->root = builder.convert(document->getRoot(), start, 0);
  if (!tree->root || handler.reported || stream.failed())
    return failed();

  // Empty documents (a trailing `---`) are harmless; anything else after
  // the first document is ambiguous.
  for (++document; document != end; ++document) {
    yaml::Node *root = document->getRoot();
    if (handler.reported || stream.failed())
      return failed();
    if (!root || isa<yaml::NullNode>(root))
      continue;
    source.emitError(getStart(root, start))
        << "a spec is a single YAML document, but a second one starts here";
    return nullptr;
  }
  if (handler.reported || stream.failed())
    return failed();
  return tree;
}
