//===- CnnDialect.cpp - The cnn dialect -----------------------------------===//

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
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
