//===- ShapeInference.cpp - The cnn-shape-inference pass ------------------===//

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace convforge::cnn {
#define GEN_PASS_DEF_CNNSHAPEINFERENCE
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h.inc"
} // namespace convforge::cnn

using namespace mlir;

/// Combines what `current` and `inferred` know: the inferred rank when
/// `current` is unranked, and each dimension known in either. Returns null if
/// they disagree (the verifier reports that case).
static Type refineType(Type current, Type inferred) {
  auto inferredTensor = dyn_cast<RankedTensorType>(inferred);
  if (!inferredTensor)
    return current;
  auto currentTensor = dyn_cast<RankedTensorType>(current);
  if (!currentTensor)
    return isa<UnrankedTensorType>(current) ? inferred : Type();
  if (currentTensor.getRank() != inferredTensor.getRank())
    return Type();
  SmallVector<int64_t> shape(currentTensor.getShape());
  for (auto [dim, other] : llvm::zip(shape, inferredTensor.getShape())) {
    if (ShapedType::isDynamic(dim))
      dim = other;
    else if (!ShapedType::isDynamic(other) && dim != other)
      return Type();
  }
  return currentTensor.clone(shape);
}

/// A tensor.cast of `value` to `type`, inserted before `user`.
static Value castBefore(Operation *user, Type type, Value value) {
  OpBuilder builder(user);
  return tensor::CastOp::create(builder, user->getLoc(), type, value);
}

/// True for the users that accept a refined operand type as is: cnn ops
/// (they re-infer from it) and the function's return (its type is fixed up
/// afterwards).
static bool acceptsRefinedType(Operation *user) {
  return isa_and_nonnull<convforge::cnn::CnnDialect>(user->getDialect()) ||
         isa<func::ReturnOp>(user);
}

namespace {
struct CnnShapeInferencePass
    : public convforge::cnn::impl::CnnShapeInferenceBase<
          CnnShapeInferencePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    func.walk([&](InferTypeOpInterface op) {
      if (!isa_and_nonnull<convforge::cnn::CnnDialect>(op->getDialect()))
        return;
      SmallVector<Type> inferred;
      if (failed(op.inferReturnTypes(
              op->getContext(), op->getLoc(), op->getOperands(),
              op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
              op->getRegions(), inferred)))
        return;
      for (auto [result, inferredType] :
           llvm::zip(op->getResults(), inferred)) {
        Type oldType = result.getType();
        Type newType = refineType(oldType, inferredType);
        if (!newType || newType == oldType)
          continue;
        result.setType(newType);
        castBackForForeignUsers(result, oldType);
      }
    });
    refineFunctionResults(func);
  }

  /// Users that are not cnn ops keep seeing the type they were built with.
  void castBackForForeignUsers(Value value, Type oldType) {
    for (OpOperand &use : llvm::make_early_inc_range(value.getUses())) {
      Operation *user = use.getOwner();
      if (acceptsRefinedType(user))
        continue;
      use.set(castBefore(user, oldType, value));
    }
  }

  /// Makes the function's result types those of the returned values, or, if
  /// the function is called (its signature must then stay), casts back.
  void refineFunctionResults(func::FuncOp func) {
    if (func.isExternal())
      return;
    Operation *symbolTableOp = SymbolTable::getNearestSymbolTable(func);
    bool isCalled =
        symbolTableOp && !SymbolTable::symbolKnownUseEmpty(func, symbolTableOp);
    SmallVector<Type> resultTypes(func.getResultTypes());
    bool consistent = true;
    func.walk([&](func::ReturnOp ret) {
      for (auto [index, operand] : llvm::enumerate(ret->getOpOperands())) {
        Type declared = func.getResultTypes()[index];
        Type actual = operand.get().getType();
        if (actual == declared)
          continue;
        if (isCalled) {
          operand.set(castBefore(ret, declared, operand.get()));
          continue;
        }
        if (resultTypes[index] != declared && resultTypes[index] != actual)
          consistent = false; // two returns disagree: keep casts instead
        resultTypes[index] = actual;
      }
    });
    if (isCalled)
      return;
    if (!consistent) {
      // Rare (several returns with different refinements): keep the declared
      // signature and cast at every return.
      func.walk([&](func::ReturnOp ret) {
        for (auto [index, operand] : llvm::enumerate(ret->getOpOperands())) {
          Type declared = func.getResultTypes()[index];
          if (operand.get().getType() == declared)
            continue;
          operand.set(castBefore(ret, declared, operand.get()));
        }
      });
      return;
    }
    func.setFunctionType(FunctionType::get(
        func.getContext(), func.getArgumentTypes(), resultTypes));
  }
};
} // namespace
