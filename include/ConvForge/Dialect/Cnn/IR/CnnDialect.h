//===- CnnDialect.h - The cnn dialect ---------------------------*- C++ -*-===//

#ifndef CONVFORGE_DIALECT_CNN_IR_CNNDIALECT_H
#define CONVFORGE_DIALECT_CNN_IR_CNNDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h.inc"
#include "ConvForge/Dialect/Cnn/IR/CnnEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ConvForge/Dialect/Cnn/IR/CnnAttrs.h.inc"

#endif // CONVFORGE_DIALECT_CNN_IR_CNNDIALECT_H
