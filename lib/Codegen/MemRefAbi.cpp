//===- MemRefAbi.cpp - The convforge-memref-abi pass ----------------------===//

#include "ConvForge/Codegen/Passes.h"

#include "mlir/IR/Builders.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGEMEMREFABI
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;

/// The caller-owned buffer type of a tensor argument or result.
static MemRefType toMemRefType(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return MemRefType::get(tensor.getShape(), tensor.getElementType());
}

static LogicalResult rewriteFunction(func::FuncOp func) {
  FunctionType type = func.getFunctionType();
  for (Type t : llvm::concat<const Type>(type.getInputs(), type.getResults()))
    if (!isa<RankedTensorType>(t))
      return func.emitError()
             << "public functions must take and return ranked tensors only "
                "to get a memref signature, got "
             << t;

  Block &entry = func.getBody().front();
  OpBuilder builder(func.getContext());
  builder.setInsertionPointToStart(&entry);
  Location loc = func.getLoc();

  // Inputs: the argument becomes a memref, read through to_tensor.
  SmallVector<Type> newInputs;
  for (BlockArgument argument : entry.getArguments()) {
    Type tensorType = argument.getType();
    MemRefType memrefType = toMemRefType(tensorType);
    newInputs.push_back(memrefType);
    argument.setType(memrefType);
    auto toTensor = bufferization::ToTensorOp::create(
        builder, loc, tensorType, argument, /*restrict=*/true,
        /*writable=*/false);
    argument.replaceAllUsesExcept(toTensor, toTensor);
  }
  // Results: one more memref argument each, written at every return.
  SmallVector<Value> outputs;
  for (Type result : type.getResults()) {
    MemRefType memrefType = toMemRefType(result);
    newInputs.push_back(memrefType);
    outputs.push_back(entry.addArgument(memrefType, loc));
  }
  func.walk([&](func::ReturnOp ret) {
    builder.setInsertionPoint(ret);
    for (auto [value, output] : llvm::zip(ret.getOperands(), outputs)) {
      auto materialize = bufferization::MaterializeInDestinationOp::create(
          builder, ret.getLoc(), value, output);
      materialize.setRestrict(true);
      materialize.setWritable(true);
    }
    ret->setOperands({});
  });
  func.setFunctionType(FunctionType::get(func.getContext(), newInputs, {}));
  func->setAttr("llvm.emit_c_interface", builder.getUnitAttr());
  return success();
}

namespace {
struct MemRefAbiPass
    : public convforge::impl::ConvForgeMemRefAbiBase<MemRefAbiPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic())
        continue;
      // Already on memrefs (e.g. the pass ran before): nothing to do.
      FunctionType type = func.getFunctionType();
      if (llvm::none_of(
              llvm::concat<const Type>(type.getInputs(), type.getResults()),
              [](Type t) { return isa<TensorType>(t); }))
        continue;
      if (failed(rewriteFunction(func)))
        return signalPassFailure();
    }
  }
};
} // namespace
