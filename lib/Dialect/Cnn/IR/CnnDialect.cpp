//===- CnnDialect.cpp - The cnn dialect -----------------------------------===//

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace convforge::cnn;

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.cpp.inc"
#include "ConvForge/Dialect/Cnn/IR/CnnEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "ConvForge/Dialect/Cnn/IR/CnnAttrs.cpp.inc"

void CnnDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ConvForge/Dialect/Cnn/IR/CnnAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ConvForge/Dialect/Cnn/IR/CnnOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// StrategyAttr
//===----------------------------------------------------------------------===//

/// Parses `key = [i, j, ...]` (possibly empty).
static ParseResult parseKeyedList(AsmParser &parser, StringRef key,
                                  SmallVectorImpl<int64_t> &values) {
  if (parser.parseKeyword(key) || parser.parseEqual())
    return failure();
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
    int64_t value;
    if (parser.parseInteger(value))
      return failure();
    values.push_back(value);
    return success();
  });
}

Attribute StrategyAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> cache, interchange, registerTiles, reduction;
  int64_t vectorWidth = 0, threads = 1;
  if (parser.parseLess() || parseKeyedList(parser, "cache", cache) ||
      parser.parseComma() ||
      parseKeyedList(parser, "interchange", interchange) ||
      parser.parseComma() ||
      parseKeyedList(parser, "register", registerTiles) ||
      parser.parseComma() || parseKeyedList(parser, "reduction", reduction) ||
      parser.parseComma() || parser.parseKeyword("vector_width") ||
      parser.parseEqual() || parser.parseInteger(vectorWidth))
    return {};
  if (succeeded(parser.parseOptionalComma()) &&
      (parser.parseKeyword("threads") || parser.parseEqual() ||
       parser.parseInteger(threads)))
    return {};
  if (parser.parseGreater())
    return {};
  return parser.getChecked<StrategyAttr>(parser.getContext(), cache,
                                         interchange, registerTiles, reduction,
                                         vectorWidth, threads);
}

void StrategyAttr::print(AsmPrinter &printer) const {
  auto printList = [&](StringRef key, ArrayRef<int64_t> values) {
    printer << key << " = [";
    llvm::interleaveComma(values, printer);
    printer << "]";
  };
  printer << "<";
  printList("cache", getCacheTiles());
  printer << ", ";
  printList("interchange", getInterchange());
  printer << ", ";
  printList("register", getRegisterTiles());
  printer << ", ";
  printList("reduction", getReductionTiles());
  printer << ", vector_width = " << getVectorWidth();
  if (getThreads() != 1)
    printer << ", threads = " << getThreads();
  printer << ">";
}

LogicalResult StrategyAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   ArrayRef<int64_t> cache,
                                   ArrayRef<int64_t> interchange,
                                   ArrayRef<int64_t> registerTiles,
                                   ArrayRef<int64_t> reduction,
                                   int64_t vectorWidth, int64_t threads) {
  size_t numLoops = registerTiles.size();
  if (reduction.size() != numLoops)
    return emitError() << "register and reduction tiles must cover the same "
                          "loops, got "
                       << numLoops << " and " << reduction.size();
  if (!cache.empty() && cache.size() != numLoops)
    return emitError() << "cache tiles must be empty or cover the " << numLoops
                       << " loops, got " << cache.size();
  if (!interchange.empty()) {
    SmallVector<bool> seen(numLoops, false);
    for (int64_t loop : interchange) {
      if (loop < 0 || loop >= static_cast<int64_t>(numLoops) || seen[loop])
        return emitError() << "interchange must be a permutation of the "
                           << numLoops << " loops";
      seen[loop] = true;
    }
    if (interchange.size() != numLoops)
      return emitError() << "interchange must be a permutation of the "
                         << numLoops << " loops";
  }
  for (ArrayRef<int64_t> tiles : {cache, registerTiles, reduction})
    if (llvm::any_of(tiles, [](int64_t t) { return t < 0; }))
      return emitError() << "tile sizes must be non-negative";
  if (vectorWidth <= 0)
    return emitError() << "vector_width must be positive";
  if (threads <= 0)
    return emitError() << "threads must be positive";
  if (threads > 1 && llvm::all_of(cache, [](int64_t t) { return t == 0; }))
    return emitError() << "threads > 1 needs cache tiles: they are the "
                          "pieces of work the threads share";
  return success();
}

LogicalResult CnnDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attribute) {
  if (attribute.getName() == kRegisterTileAttrName) {
    if (!isa<UnitAttr>(attribute.getValue()))
      return op->emitOpError()
             << "'" << kRegisterTileAttrName << "' must be a unit attribute";
    return success();
  }
  if (attribute.getName() == kNonZeroInputRowsAttrName ||
      attribute.getName() == kNonZeroInputColumnsAttrName) {
    auto range = dyn_cast<DenseI64ArrayAttr>(attribute.getValue());
    if (!range || range.size() != 3 || range[0] < 0 || range[0] > range[1] ||
        range[1] > range[2]) {
      bool rows = attribute.getName() == kNonZeroInputRowsAttrName;
      return op->emitOpError()
             << "'" << attribute.getName().getValue()
             << "' must be an array [begin, end, "
             << (rows ? "height" : "width")
             << "] with 0 <= begin <= end <= " << (rows ? "height" : "width");
    }
    return success();
  }
  if (attribute.getName() == kInputColumnsAttrName) {
    auto columns = dyn_cast<DenseI64ArrayAttr>(attribute.getValue());
    if (!columns || columns.size() != 2 || columns[0] < 0 ||
        columns[0] > columns[1])
      return op->emitOpError()
             << "'" << kInputColumnsAttrName
             << "' must be an array [first, end] with 0 <= first <= end";
    return success();
  }
  if (attribute.getName() != kStrategyAttrName)
    return op->emitOpError() << "unknown cnn attribute '"
                             << attribute.getName().getValue() << "'";
  auto strategy = dyn_cast<StrategyAttr>(attribute.getValue());
  if (!strategy)
    return op->emitOpError()
           << "'" << kStrategyAttrName << "' must be a #cnn.strategy";
  // The loop count is known through TilingInterface, which every op worth a
  // strategy implements.
  auto tileable = dyn_cast<TilingInterface>(op);
  if (!tileable)
    return op->emitOpError()
           << "'" << kStrategyAttrName << "' needs an op that can be tiled";
  size_t numLoops = tileable.getLoopIteratorTypes().size();
  if (strategy.getRegisterTiles().size() != numLoops)
    return op->emitOpError()
           << "strategy covers " << strategy.getRegisterTiles().size()
           << " loops but the op has " << numLoops;
  return success();
}
