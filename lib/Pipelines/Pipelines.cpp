//===- Pipelines.cpp - named quant pass pipelines -------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Pipelines/Pipelines.h"

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Target/Cpu/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void qc::buildQuantizePipeline(OpPassManager &pm,
                               const QuantizePipelineOptions &options) {
  pm.addPass(qnt::createQntFoldBatchNormPass());
  qnt::QntPropagateRangesPassOptions ranges;
  ranges.calibration = options.calibration;
  ranges.method = options.method;
  ranges.percentile = options.percentile;
  pm.addPass(qnt::createQntPropagateRangesPass(ranges));
  qnt::QntQuantizePassOptions quantize;
  quantize.activations = options.activations;
  quantize.weightBits = options.weightBits;
  quantize.granularity = options.granularity;
  quantize.rounding = options.rounding;
  pm.addPass(qnt::createQntQuantizePass(quantize));
}

void qc::buildLowerPipeline(OpPassManager &pm) {
  pm.addPass(createQntLowerToIntegerPass());
  pm.addPass(createCanonicalizerPass());
  qnt::QntVerifyIntegerOnlyPassOptions verify;
  verify.allowEdgeCasts = true;
  pm.addPass(qnt::createQntVerifyIntegerOnlyPass(verify));
}

void qc::buildLoopsToLLVMPipeline(OpPassManager &pm, StringRef cpu) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // The caller provides the outputs and one arena for everything else:
  // an inference allocates nothing.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createQntPlanArenaPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  QntCpuVnniPassOptions vnni;
  vnni.cpu = cpu.str();
  pm.addPass(createQntCpuVnniPass(vnni));
  pm.addPass(createQntCopiesToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  QntCpuTargetAttrsPassOptions attrs;
  attrs.cpu = cpu.str();
  pm.addPass(createQntCpuTargetAttrsPass(attrs));
}

void qc::buildCpuCodegenPipeline(OpPassManager &pm,
                                 const CompileCpuOptions &options) {
  // Float graph ops (a float model, or float layers of a mixed one) become
  // f32 linalg; quantized ones the integer kernels.
  pm.addPass(createQntLowerFloatToLinalgPass());
  pm.addPass(createQntLowerToIntegerPass());
  pm.addPass(createCanonicalizerPass());
  QntCpuGemmKernelsPassOptions kernels;
  kernels.rowBlock = options.rowBlock;
  kernels.vectorBlock = options.vectorBlock;
  pm.addPass(createQntCpuGemmKernelsPass(kernels));
  pm.addPass(createQntLowerToArithPass());
  pm.addPass(createCanonicalizerPass());
  // Chains of elementwise steps (a rescale's centring, multiply and clamp;
  // add's two input rescales and its output stage; a layer's separate
  // activation) become one loop each: one pass over memory instead of
  // several, and loops LLVM can vectorize.
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCanonicalizerPass());
  buildLoopsToLLVMPipeline(pm, options.cpu);
}

void qc::buildCompileCpuPipeline(OpPassManager &pm,
                                 const CompileCpuOptions &options) {
  pm.addPass(createQntStorageBoundaryPass());
  buildCpuCodegenPipeline(pm, options);
}

void qc::registerPipelines() {
  PassPipelineRegistration<QuantizePipelineOptions>(
      "qnt-quantize-pipeline",
      "Quantize a float qnt model: fold batch norms, find ranges (static and "
      "calibrated), choose scales and zero points",
      buildQuantizePipeline);
  PassPipelineRegistration<>(
      "qnt-lower-pipeline",
      "Rewrite a quantized qnt model into integer-only IR and check it",
      buildLowerPipeline);
  PassPipelineRegistration<>(
      "qnt-loops-to-llvm",
      "Bufferize integer-only IR and lower it through loops to the LLVM "
      "dialect (the naive, portable CPU path)",
      [](OpPassManager &pm) { buildLoopsToLLVMPipeline(pm); });
  PassPipelineRegistration<CompileCpuOptions>(
      "qnt-compile-cpu",
      "Compile a quantized model for the CPU: storage types at the edges, "
      "integer rewrite, rescales to arith, bufferization, loops, LLVM "
      "dialect",
      buildCompileCpuPipeline);
}
