//===- PlanWorkspace.cpp - The convforge-plan-workspace pass --------------===//
//
// Lays the temporaries of each public function out in one workspace buffer
// the caller passes. A temporary allocated with malloc on every call costs
// little to allocate but much to touch: large blocks come from fresh pages
// whose first use faults into the kernel (VGG-16 lost 12 % of its time to
// it). With a workspace, a caller that keeps it across calls touches memory
// that is already mapped, and concurrent callers each pass their own.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Codegen/Passes.h"
#include "ConvForge/Codegen/Workspace.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGEPLANWORKSPACE
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace convforge;

namespace {
/// A temporary of the function's body: its allocation, its deallocation,
/// its size, and where it lands in the workspace.
struct Temporary {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  /// Positions of the allocation and deallocation in the body: the
  /// temporary is alive in between.
  int64_t begin = 0, end = 0;
  int64_t bytes = 0;
  int64_t offset = 0;
};
} // namespace

static int64_t alignUp(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

/// The temporaries a workspace can hold: allocations in the body's top
/// block of a static shape with the identity layout, freed in the same
/// block. Others (inside loops, dynamic) stay heap allocations.
static SmallVector<Temporary> findTemporaries(func::FuncOp func) {
  Block &body = func.getBody().front();
  llvm::DenseMap<Operation *, int64_t> position;
  for (auto [index, op] : llvm::enumerate(body.getOperations()))
    position[&op] = static_cast<int64_t>(index);
  SmallVector<Temporary> temporaries;
  for (auto alloc : body.getOps<memref::AllocOp>()) {
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
        !type.getElementType().isIntOrFloat() ||
        !alloc.getDynamicSizes().empty() || !alloc.getSymbolOperands().empty())
      continue;
    Temporary temporary;
    temporary.alloc = alloc;
    for (Operation *user : alloc->getUsers())
      if (auto dealloc = dyn_cast<memref::DeallocOp>(user);
          dealloc && dealloc->getBlock() == &body)
        temporary.dealloc = dealloc;
    if (!temporary.dealloc)
      continue;
    temporary.begin = position[alloc];
    temporary.end = position[temporary.dealloc];
    temporary.bytes = type.getNumElements() *
                      static_cast<int64_t>(type.getElementTypeBitWidth() / 8);
    temporaries.push_back(temporary);
  }
  return temporaries;
}

/// Places the temporaries, largest first, each at the lowest aligned offset
/// where it overlaps no placed temporary alive at the same time. Returns
/// the workspace's size.
static int64_t placeTemporaries(MutableArrayRef<Temporary> temporaries) {
  SmallVector<Temporary *> order;
  for (Temporary &temporary : temporaries)
    order.push_back(&temporary);
  llvm::stable_sort(order, [](const Temporary *a, const Temporary *b) {
    return a->bytes > b->bytes;
  });
  SmallVector<Temporary *> placed;
  int64_t size = 0;
  for (Temporary *temporary : order) {
    // The address ranges of the placed temporaries alive at the same time,
    // by offset: the first gap that fits wins.
    SmallVector<std::pair<int64_t, int64_t>> busy;
    for (Temporary *other : placed)
      if (other->begin <= temporary->end && temporary->begin <= other->end)
        busy.push_back({other->offset, other->offset + other->bytes});
    llvm::sort(busy);
    int64_t offset = 0;
    for (auto [start, stop] : busy) {
      if (offset + temporary->bytes <= start)
        break;
      offset = std::max(offset, alignUp(stop, kWorkspaceAlignment));
    }
    temporary->offset = offset;
    size = std::max(size, offset + temporary->bytes);
    placed.push_back(temporary);
  }
  return alignUp(size, kWorkspaceAlignment);
}

namespace {
struct PlanWorkspacePass
    : public convforge::impl::ConvForgePlanWorkspaceBase<PlanWorkspacePass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        plan(func);
  }

  void plan(func::FuncOp func) {
    SmallVector<Temporary> temporaries = findTemporaries(func);
    if (temporaries.empty())
      return;
    int64_t bytes = placeTemporaries(temporaries);

    MLIRContext *context = func.getContext();
    auto workspaceType = MemRefType::get({bytes}, IntegerType::get(context, 8));
    Block &body = func.getBody().front();
    BlockArgument workspace = body.addArgument(workspaceType, func.getLoc());
    func.setFunctionType(FunctionType::get(context, body.getArgumentTypes(),
                                           func.getResultTypes()));
    func->setAttr(kWorkspaceBytesAttrName,
                  IntegerAttr::get(IntegerType::get(context, 64), bytes));

    OpBuilder builder(context);
    for (Temporary &temporary : temporaries) {
      builder.setInsertionPoint(temporary.alloc);
      Value offset = arith::ConstantIndexOp::create(
          builder, temporary.alloc.getLoc(), temporary.offset);
      Value view = memref::ViewOp::create(builder, temporary.alloc.getLoc(),
                                          temporary.alloc.getType(), workspace,
                                          offset, ValueRange{});
      temporary.alloc.getResult().replaceAllUsesWith(view);
      temporary.dealloc->erase();
      temporary.alloc->erase();
    }
  }
};
} // namespace
