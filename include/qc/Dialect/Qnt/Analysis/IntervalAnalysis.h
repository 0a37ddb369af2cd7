//===- IntervalAnalysis.h - Static value ranges of float tensors -*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// A sparse forward dataflow analysis (MLIR's DataFlowSolver) that bounds
// the values of every float tensor by an interval [lo, hi]: constants give
// their min/max, activations clip (relu, relu6, clamp), data movement keeps
// the range, and conv/FC/matmul with constant weights get per-channel
// interval sums. Function arguments start unknown unless they carry a
// `qnt.range` argument attribute.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_ANALYSIS_INTERVALANALYSIS_H
#define QC_DIALECT_QNT_ANALYSIS_INTERVALANALYSIS_H

#include "mlir/Analysis/DataFlow/SparseAnalysis.h"

#include <limits>

namespace qc::qnt {

/// A closed interval of reals; infinite ends mean "unbounded". The
/// default-constructed value is the lattice's bottom (not yet known).
class Interval {
public:
  Interval() = default;
  Interval(double lo, double hi) : lo_(lo), hi_(hi), initialized_(true) {}
  static Interval unbounded() {
    double inf = std::numeric_limits<double>::infinity();
    return {-inf, inf};
  }

  bool isUninitialized() const { return !initialized_; }
  /// Both ends finite.
  bool isBounded() const;
  double lo() const { return lo_; }
  double hi() const { return hi_; }

  /// Least interval containing both (the lattice join).
  static Interval join(const Interval &a, const Interval &b);
  bool operator==(const Interval &other) const;
  void print(llvm::raw_ostream &os) const;

private:
  double lo_ = 0, hi_ = 0;
  bool initialized_ = false;
};

using IntervalLattice = mlir::dataflow::Lattice<Interval>;

/// The analysis; load it into a DataFlowSolver together with
/// dataflow::loadBaselineAnalyses.
class IntervalAnalysis
    : public mlir::dataflow::SparseForwardDataFlowAnalysis<IntervalLattice> {
public:
  using SparseForwardDataFlowAnalysis::SparseForwardDataFlowAnalysis;

  mlir::LogicalResult
  visitOperation(mlir::Operation *op,
                 llvm::ArrayRef<const IntervalLattice *> operands,
                 llvm::ArrayRef<IntervalLattice *> results) override;
  void setToEntryState(IntervalLattice *lattice) override;
};

/// The transfer function of one op on known operand intervals (exposed for
/// unit tests): the interval of result 0.
Interval transferInterval(mlir::Operation *op,
                          llvm::ArrayRef<Interval> operands);

} // namespace qc::qnt

#endif // QC_DIALECT_QNT_ANALYSIS_INTERVALANALYSIS_H
