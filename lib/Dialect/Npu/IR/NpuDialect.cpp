//===- NpuDialect.cpp - npu dialect registration -------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Npu/IR/NpuDialect.h"
#include "qc/Dialect/Npu/IR/NpuOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace qc::npu;

#include "qc/Dialect/Npu/IR/NpuOpsDialect.cpp.inc"
#include "qc/Dialect/Npu/IR/NpuOpsEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/Npu/IR/NpuOpsAttrs.cpp.inc"

void NpuDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "qc/Dialect/Npu/IR/NpuOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qc/Dialect/Npu/IR/NpuOpsAttrs.cpp.inc"
      >();
}
