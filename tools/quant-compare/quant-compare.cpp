//===- quant-compare.cpp - compare two .npy results -----------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// quant-compare REFERENCE.npy OTHER.npy [--exact] [--min-sqnr DB]
//               [--max-abs-error E] [--min-cosine C]
//
// Prints how far OTHER is from REFERENCE (max abs error, SQNR in dB,
// cosine similarity, differing elements) and fails when a bound is not
// met. Used by the end-to-end tests and to report float-vs-int8 error.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/Npy.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

namespace cl = llvm::cl;

static cl::opt<std::string> referencePath(cl::Positional, cl::Required,
                                          cl::desc("<reference.npy>"));
static cl::opt<std::string> otherPath(cl::Positional, cl::Required,
                                      cl::desc("<other.npy>"));
static cl::opt<bool> exact("exact",
                           cl::desc("Require identical dtype, shape, values"));
static cl::opt<double> minSqnr("min-sqnr", cl::init(-1e300),
                               cl::desc("Fail below this SQNR (dB)"));
static cl::opt<double> maxAbsError("max-abs-error", cl::init(1e300),
                                   cl::desc("Fail above this max abs error"));
static cl::opt<double> minCosine("min-cosine", cl::init(-2.0),
                                 cl::desc("Fail below this cosine similarity"));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "quant-compare: compare a result with a "
                              "reference (.npy)\n");
  qc::rt::Tensor ref, other;
  std::string error;
  if (!qc::rt::readNpy(referencePath, ref, error) ||
      !qc::rt::readNpy(otherPath, other, error)) {
    llvm::errs() << "quant-compare: error: " << error << "\n";
    return 1;
  }
  if (ref.shape() != other.shape()) {
    llvm::errs() << "quant-compare: error: shapes differ: " << ref.describe()
                 << " vs " << other.describe() << "\n";
    return 1;
  }
  if (exact && ref.dtype() != other.dtype()) {
    llvm::errs() << "quant-compare: error: dtypes differ: " << ref.describe()
                 << " vs " << other.describe() << "\n";
    return 1;
  }
  int64_t n = ref.numElements(), differ = 0;
  double maxErr = 0, signal = 0, noise = 0, dot = 0, normA = 0, normB = 0;
  for (int64_t i = 0; i < n; ++i) {
    double a = ref.getAsDouble(i), b = other.getAsDouble(i);
    double e = a - b;
    differ += a != b;
    maxErr = std::max(maxErr, std::fabs(e));
    signal += a * a;
    noise += e * e;
    dot += a * b;
    normA += a * a;
    normB += b * b;
  }
  double sqnr = noise == 0 ? std::numeric_limits<double>::infinity()
                           : 10.0 * std::log10(signal / noise);
  double cosine = (normA == 0 || normB == 0) ? (normA == normB ? 1.0 : 0.0)
                                             : dot / std::sqrt(normA * normB);
  // Top-1 agreement along the last axis: for classifiers, how many samples
  // get the same predicted class.
  int64_t classes = ref.rank() ? ref.dim(ref.rank() - 1) : 1;
  int64_t rows = classes ? n / classes : 0, agree = 0;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t bestA = 0, bestB = 0;
    for (int64_t c = 1; c < classes; ++c) {
      if (ref.getAsDouble(r * classes + c) > ref.getAsDouble(r * classes + bestA))
        bestA = c;
      if (other.getAsDouble(r * classes + c) >
          other.getAsDouble(r * classes + bestB))
        bestB = c;
    }
    agree += bestA == bestB;
  }
  llvm::outs() << "max abs error " << llvm::format("%.6g", maxErr)
               << ", SQNR " << llvm::format("%.2f", sqnr) << " dB, cosine "
               << llvm::format("%.6f", cosine) << ", " << differ << " of " << n
               << " elements differ";
  if (classes > 1)
    llvm::outs() << ", top-1 agreement " << agree << " of " << rows;
  llvm::outs() << "\n";
  bool ok = (!exact || differ == 0) && sqnr >= minSqnr &&
            maxErr <= maxAbsError && cosine >= minCosine;
  if (!ok)
    llvm::outs() << "FAILED: outside the requested bounds\n";
  return ok ? 0 : 1;
}
