//===- NpuTestUtils.h - Building QNPU-1 programs in tests -------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_UNITTESTS_NPU_NPUTESTUTILS_H
#define QC_UNITTESTS_NPU_NPUTESTUTILS_H

#include "qc/npu/InstrBuilders.h"

namespace qc::npu::test {

// The constructors live in the library (the layer builder uses them too).
using qc::npu::fill;
using qc::npu::load;
using qc::npu::matmul;
using qc::npu::put32;
using qc::npu::requant;
using qc::npu::sem;
using qc::npu::setreg;
using qc::npu::store;
using qc::npu::withSems;

} // namespace qc::npu::test

#endif // QC_UNITTESTS_NPU_NPUTESTUTILS_H
