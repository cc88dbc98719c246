//===- YamlTree.h - A located YAML document tree ----------------*- C++ -*-===//
//
// The spec frontend reads YAML with LLVM's node parser (llvm::yaml::Stream),
// whose nodes are parsed lazily, may be iterated only once and leave
// aliases unresolved. This file converts one document into a small,
// immutable tree of mappings, sequences and scalars that keeps every node's
// source location, resolves aliases to their anchors, and reports what the
// schema cannot use (tags, non-scalar keys, several documents) — and every
// YAML syntax error — as MLIR diagnostics at file:line:col.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_LIB_FRONTEND_YAMLTREE_H
#define CONVFORGE_LIB_FRONTEND_YAMLTREE_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"

#include <deque>
#include <memory>
#include <string>

namespace convforge::frontend {

/// The spec being imported: its buffer in the caller's SourceMgr and the
/// conversion of buffer positions to MLIR locations.
class SpecSource {
public:
  SpecSource(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context);

  mlir::MLIRContext *getContext() const { return context; }
  /// The buffer's identifier: the spec file's path as given.
  llvm::StringRef getFilename() const { return filename; }
  llvm::MemoryBufferRef getBuffer() const;

  /// FileLineColLoc(spec file, line, column) of a position in the buffer
  /// (line 1, column 1 for an invalid position).
  mlir::FileLineColLoc getLoc(llvm::SMLoc loc) const;
  mlir::InFlightDiagnostic emitError(llvm::SMLoc loc) const {
    return mlir::emitError(getLoc(loc));
  }

private:
  llvm::SourceMgr &sourceMgr;
  mlir::MLIRContext *context;
  unsigned bufferId;
  std::string filename;
};

/// One node of a YAML document. Aliases are resolved: an alias is the node
/// of its anchor (the same object, with the anchor's location).
struct YamlNode {
  enum class Kind { Null, Scalar, Mapping, Sequence };
  struct Entry {
    /// The key's text and location (keys are scalars).
    std::string key;
    llvm::SMLoc keyLoc;
    const YamlNode *value;
  };

  Kind kind = Kind::Null;
  /// Where the node starts (a null value: where its key starts).
  llvm::SMLoc loc;
  /// The scalar's value, unquoted and unescaped (Scalar only).
  std::string scalar;
  /// The entries of a mapping, in order, duplicates included (Mapping only).
  llvm::SmallVector<Entry, 8> entries;
  /// The items of a sequence (Sequence only).
  llvm::SmallVector<const YamlNode *, 4> items;

  bool isNull() const { return kind == Kind::Null; }
  bool isScalar() const { return kind == Kind::Scalar; }
  bool isMapping() const { return kind == Kind::Mapping; }
  bool isSequence() const { return kind == Kind::Sequence; }
  /// "a mapping", "a sequence", "a scalar" or "nothing", for messages.
  llvm::StringRef describeKind() const;
};

/// A parsed document: owns its nodes.
class YamlTree {
public:
  const YamlNode *getRoot() const { return root; }

  /// Parses the single document of `source`'s buffer. Reports YAML syntax
  /// errors and unsupported constructs as errors at their location and
  /// returns null; an empty document gives a tree whose root is Null.
  static std::unique_ptr<YamlTree> parse(const SpecSource &source);

private:
  friend class YamlTreeBuilder;
  std::deque<YamlNode> nodes;
  const YamlNode *root = nullptr;
};

} // namespace convforge::frontend

#endif // CONVFORGE_LIB_FRONTEND_YAMLTREE_H
