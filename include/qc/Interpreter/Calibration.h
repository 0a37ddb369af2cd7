//===- Calibration.h - Gather activation statistics --------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Runs a float model in the reference interpreter over calibration samples
// and gathers, for every float tensor, the statistics the calibration
// methods of qc/runtime/Calibration.h need.
//
//===----------------------------------------------------------------------===//

#ifndef QC_INTERPRETER_CALIBRATION_H
#define QC_INTERPRETER_CALIBRATION_H

#include "qc/runtime/Calibration.h"
#include "qc/runtime/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"

#include <string>
#include <vector>

namespace qc {

/// One input value per function argument.
struct CalibrationSample {
  std::string source; ///< file (and index) it came from, for messages
  std::vector<rt::Tensor> inputs;
};

/// Loads samples from a .npy/.npz file or from every .npy/.npz file of a
/// directory (sorted by name). A .npy feeds a single-argument function; a
/// .npz holds one array per argument, named like the argument (its
/// qnt.name attribute or argN). An array whose shape is the argument's is
/// one sample; one with an extra leading dimension N (or, for an argument
/// whose first dimension is 1, a first dimension N) holds N samples. Errors
/// are emitted at the function's location and name the file.
mlir::LogicalResult loadCalibrationSamples(mlir::func::FuncOp function,
                                           llvm::StringRef path,
                                           std::vector<CalibrationSample> &out);

/// Splits a user-provided array into samples for an argument of `type` (in
/// interpreter representation): the array itself when it matches, or N
/// samples along an extra leading dimension (or along a leading dimension
/// that is 1 in `type`). Empty with a message when the shapes do not fit.
std::vector<rt::Tensor> splitIntoSamples(const rt::Tensor &array,
                                         mlir::RankedTensorType type,
                                         std::string &message);

/// Statistics of every f32 tensor the function computes or receives,
/// keyed by SSA value in program order.
using TensorStatistics = llvm::MapVector<mlir::Value, rt::TensorStats>;

/// Runs the function on every sample (twice when `histogram` is set: min/max
/// first, then histograms over those ranges). Shows progress on stderr when
/// it is a terminal.
mlir::LogicalResult gatherStatistics(mlir::func::FuncOp function,
                                     llvm::ArrayRef<CalibrationSample> samples,
                                     bool histogram, double emaDecay,
                                     TensorStatistics &stats);

} // namespace qc

#endif // QC_INTERPRETER_CALIBRATION_H
