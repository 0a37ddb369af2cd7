//===- Pipelines.h - named quant pass pipelines -------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The pipelines a user runs by name (quant-opt --qnt-quantize-pipeline=...)
// or builds from C++ when embedding quant in another compiler.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PIPELINES_PIPELINES_H
#define QC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace qc {

/// Options of --qnt-quantize-pipeline.
struct QuantizePipelineOptions
    : public mlir::PassPipelineOptions<QuantizePipelineOptions> {
  Option<std::string> calibration{
      *this, "calibration",
      llvm::cl::desc("A .npy/.npz file or a directory of them with "
                     "calibration samples (without it only static ranges "
                     "are known)")};
  Option<std::string> method{
      *this, "method",
      llvm::cl::desc("Calibration method: minmax, ema, percentile, kl, mse"),
      llvm::cl::init("minmax")};
  Option<double> percentile{
      *this, "percentile",
      llvm::cl::desc("Percentile kept by method=percentile"),
      llvm::cl::init(99.99)};
  Option<std::string> granularity{
      *this, "granularity",
      llvm::cl::desc("Weight scales: per-channel, per-tensor or per-group"),
      llvm::cl::init("per-channel")};
  Option<std::string> activations{
      *this, "activations", llvm::cl::desc("Activation storage: u8 or i8"),
      llvm::cl::init("u8")};
  Option<unsigned> weightBits{*this, "weight-bits",
                              llvm::cl::desc("Weight bit width, 2 to 8"),
                              llvm::cl::init(8)};
  Option<std::string> rounding{
      *this, "rounding",
      llvm::cl::desc("Rounding of rescales and quantize: gemmlowp (TFLite) "
                     "or half_even (ONNX)"),
      llvm::cl::init("gemmlowp")};
};

/// fold-batch-norm -> propagate-ranges -> quantize.
void buildQuantizePipeline(mlir::OpPassManager &pm,
                           const QuantizePipelineOptions &options);

/// lower-to-integer -> canonicalize -> verify-integer-only (float edges
/// allowed).
void buildLowerPipeline(mlir::OpPassManager &pm);

/// Integer-only IR (linalg/tensor/arith on tensors, no qnt ops left) to
/// the LLVM dialect with upstream passes: one-shot bufferization across
/// function boundaries, buffer deallocation, linalg to loops, and the
/// conversions to LLVM. The naive loop path: correct and portable; tiling
/// and vectorization come on top of it.
/// `cpu` decides whether dot products become VNNI instructions and is
/// recorded on every function; empty leaves both to the code generator.
void buildLoopsToLLVMPipeline(mlir::OpPassManager &pm,
                              llvm::StringRef cpu = "");

/// Options of --qnt-compile-cpu.
struct CompileCpuOptions
    : public mlir::PassPipelineOptions<CompileCpuOptions> {
  Option<std::string> cpu{
      *this, "cpu",
      llvm::cl::desc("Target CPU whose features the kernels may use: native "
                     "(the host), generic (baseline), or an LLVM CPU name "
                     "such as x86-64-v3, x86-64-v4, znver5"),
      llvm::cl::init("native")};
  Option<int64_t> rowBlock{
      *this, "mr",
      llvm::cl::desc("Kernel register block: rows (1 to 8; for experiments)"),
      llvm::cl::init(6)};
  Option<int64_t> vectorBlock{
      *this, "nr",
      llvm::cl::desc("Kernel register block: 16-channel vectors (1 to 4; for "
                     "experiments)"),
      llvm::cl::init(4)};
};

/// Everything after the model's edges have storage types: integer
/// lowering, kernels, bufferization, LLVM dialect.
void buildCpuCodegenPipeline(mlir::OpPassManager &pm,
                             const CompileCpuOptions &options);

/// A quantized model to the LLVM dialect: qnt-storage-boundary, then
/// buildCpuCodegenPipeline.
void buildCompileCpuPipeline(mlir::OpPassManager &pm,
                             const CompileCpuOptions &options);

/// Registers --qnt-quantize-pipeline, --qnt-lower-pipeline,
/// --qnt-loops-to-llvm and --qnt-compile-cpu.
void registerPipelines();

} // namespace qc

#endif // QC_PIPELINES_PIPELINES_H
