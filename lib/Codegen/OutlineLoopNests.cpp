//===- OutlineLoopNests.cpp - The convforge-outline-loop-nests pass -------===//

#include "ConvForge/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGEOUTLINELOOPNESTS
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;

/// The values `nest` uses that are defined outside it: its own operands
/// (bounds, initial values), then those its body uses, in order of use.
static llvm::SetVector<Value> getCapturedValues(scf::ForOp nest) {
  llvm::SetVector<Value> captured(nest->operand_begin(), nest->operand_end());
  getUsedValuesDefinedAbove(nest.getRegion(), captured);
  return captured;
}

/// Replaces `nest` with a call to a new private function `name` holding it.
static void outline(scf::ForOp nest, StringRef name, SymbolTable &symbols) {
  Location loc = nest.getLoc();
  llvm::SetVector<Value> captured = getCapturedValues(nest);
  SmallVector<Value> arguments;
  SmallVector<Operation *> constants;
  for (Value value : captured) {
    if (Operation *definingOp = value.getDefiningOp();
        definingOp && matchPattern(value, m_Constant()))
      constants.push_back(definingOp);
    else
      arguments.push_back(value);
  }

  auto parent = nest->getParentOfType<func::FuncOp>();
  auto builder = OpBuilder::atBlockEnd(parent->getBlock());
  auto function = func::FuncOp::create(
      builder, loc, name,
      builder.getFunctionType(ValueRange(arguments).getTypes(),
                              nest.getResultTypes()));
  function.setPrivate();
  // Kept out of line: inlined back, it would be compiled with its caller.
  // (func.func has no such attribute: LLVM's, passed through.) Internal in
  // LLVM too, where a private func.func would be external.
  function->setAttr("passthrough",
                    builder.getArrayAttr({builder.getStringAttr("noinline")}));
  function->setAttr(
      "llvm.linkage",
      LLVM::LinkageAttr::get(builder.getContext(), LLVM::Linkage::Internal));
  symbols.insert(function);
  Block *body = function.addEntryBlock();
  builder.setInsertionPointToStart(body);
  IRMapping mapping;
  for (auto [value, argument] : llvm::zip(arguments, body->getArguments()))
    mapping.map(value, argument);
  for (Operation *constant : constants)
    builder.clone(*constant, mapping);
  Operation *clone = builder.clone(*nest, mapping);
  func::ReturnOp::create(builder, loc, clone->getResults());

  builder.setInsertionPoint(nest);
  auto call = func::CallOp::create(builder, loc, function, arguments);
  nest->replaceAllUsesWith(call.getResults());
  nest->erase();
}

/// The operations in `op`, itself included.
static int64_t countOps(Operation *op) {
  int64_t count = 0;
  op->walk([&](Operation *) { ++count; });
  return count;
}

namespace {
struct OutlineLoopNestsPass
    : public convforge::impl::ConvForgeOutlineLoopNestsBase<
          OutlineLoopNestsPass> {
  using ConvForgeOutlineLoopNestsBase::ConvForgeOutlineLoopNestsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp function : functions) {
      if (function.isExternal() || !function.getBody().hasOneBlock())
        continue;
      SmallVector<scf::ForOp> nests;
      for (auto nest : function.getBody().front().getOps<scf::ForOp>())
        if (countOps(nest) >= minOps)
          nests.push_back(nest);
      for (auto [index, nest] : llvm::enumerate(nests))
        outline(nest, (function.getName() + "_nest" + Twine(index)).str(),
                symbols);
    }
  }
};
} // namespace
