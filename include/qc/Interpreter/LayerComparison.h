//===- LayerComparison.h - where a quantized model loses accuracy -*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_INTERPRETER_LAYERCOMPARISON_H
#define QC_INTERPRETER_LAYERCOMPARISON_H

#include "qc/runtime/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace qc {

/// The error of one layer of a quantized model against the same layer of
/// its float model, accumulated over samples.
struct LayerError {
  std::string op;       ///< e.g. "qnt.conv2d"
  std::string location; ///< the op's location in the quantized model
  std::vector<int64_t> shape;
  /// Its only user is a ReLU/ReLU6/clamp: the quantized result carries that
  /// activation's range (negative values clip), so its own error is large
  /// by design and the activation's row is the one that counts.
  bool feedsActivation = false;
  double signal = 0, noise = 0;      ///< sums of squares (float; difference)
  double dot = 0, normQ = 0;         ///< for the cosine
  double maxAbs = 0;

  double sqnrDb() const;
  double cosine() const;
};

/// Runs `floatFn` (the float model with batch norms folded, so that its
/// graph ops correspond one to one with the quantized model's) and
/// `quantizedFn` on the same float samples in the reference interpreter,
/// dequantizes every graph op result of the quantized model and compares it
/// with the float result of the corresponding op. Emits an error and fails
/// when the two graphs do not correspond.
mlir::FailureOr<std::vector<LayerError>>
compareLayers(mlir::func::FuncOp quantizedFn, mlir::func::FuncOp floatFn,
              const std::vector<std::vector<rt::Tensor>> &samples);

} // namespace qc

#endif // QC_INTERPRETER_LAYERCOMPARISON_H
