//===- LayerComparison.cpp - where a quantized model loses accuracy -------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-quantize changes types and adds quantize/dequantize casts, but keeps
// the graph ops and their order; after qnt-fold-batch-norm the float model
// has the same graph ops in the same order. So the k-th graph op result of
// one run is compared with the k-th of the other, once dequantized.
//
//===----------------------------------------------------------------------===//

#include "qc/Interpreter/LayerComparison.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Utils/TypeParams.h"
#include "qc/Interpreter/Interpreter.h"

#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace qc;

double LayerError::sqnrDb() const {
  if (noise == 0)
    return std::numeric_limits<double>::infinity();
  return 10 * std::log10(signal / noise);
}

double LayerError::cosine() const {
  return signal > 0 && normQ > 0 ? dot / std::sqrt(signal * normQ) : 1.0;
}

namespace {

bool isGraphOp(Operation *op) {
  return op && isa<qnt::QntDialect>(op->getDialect()) &&
         !isa<qnt::QuantizeOp, qnt::DequantizeOp, qnt::RequantizeOp,
              qnt::StorageCastOp, qnt::FixedPointMulOp>(op);
}

/// The real values of an interpreter result of `type`.
std::vector<double> realValues(const rt::Tensor &t, Type type) {
  int64_t n = t.numElements();
  std::vector<double> out(n);
  qnt::UniformType q = qnt::getUniformElementType(type);
  if (!q) {
    for (int64_t i = 0; i < n; ++i)
      out[i] = t.getAsDouble(i);
    return out;
  }
  rt::QuantParams p = getQuantParams(q);
  auto shape = cast<RankedTensorType>(type).getShape();
  int64_t inner = 1, size = 1;
  if (!p.isPerTensor()) {
    size = shape[p.axis];
    for (size_t d = p.axis + 1; d < shape.size(); ++d)
      inner *= shape[d];
  }
  for (int64_t i = 0; i < n; ++i) {
    size_t k = p.isPerTensor() ? 0 : (i / inner) % size;
    out[i] = rt::dequantizeValue(t.getAsInt(i), p.scales[k], p.zeroPoints[k]);
  }
  return out;
}

struct Capture {
  std::vector<Operation *> ops;
  std::vector<std::vector<double>> values;
};

LogicalResult runCapturing(func::FuncOp f, const std::vector<rt::Tensor> &in,
                           Capture &capture) {
  Interpreter interpreter;
  interpreter.setObserver([&](Value v, const rt::Tensor &t) {
    Operation *op = v.getDefiningOp();
    if (!isGraphOp(op))
      return;
    capture.ops.push_back(op);
    capture.values.push_back(realValues(t, v.getType()));
  });
  std::vector<rt::Tensor> args, results;
  for (auto [i, t] : llvm::enumerate(in))
    args.push_back(toInterpreterValue(t, f.getArgumentTypes()[i]));
  return interpreter.run(f, args, results);
}

} // namespace

FailureOr<std::vector<LayerError>>
qc::compareLayers(func::FuncOp quantizedFn, func::FuncOp floatFn,
                  const std::vector<std::vector<rt::Tensor>> &samples) {
  std::vector<LayerError> layers;
  for (const auto &sample : samples) {
    Capture q, f;
    if (failed(runCapturing(quantizedFn, sample, q)) ||
        failed(runCapturing(floatFn, sample, f)))
      return failure();
    if (q.ops.size() != f.ops.size())
      return quantizedFn.emitError("the quantized model has ")
             << q.ops.size() << " graph op results, the float model (batch "
                                "norms folded) "
             << f.ops.size() << ": they do not correspond";
    if (layers.empty())
      layers.resize(q.ops.size());
    for (size_t k = 0; k < q.ops.size(); ++k) {
      if (q.ops[k]->getName() != f.ops[k]->getName() ||
          q.values[k].size() != f.values[k].size())
        return q.ops[k]->emitError("graph op ")
               << k << " is '" << q.ops[k]->getName()
               << "' here but '" << f.ops[k]->getName()
               << "' in the float model: the models do not correspond";
      LayerError &e = layers[k];
      if (e.op.empty()) {
        e.op = q.ops[k]->getName().getStringRef().str();
        llvm::raw_string_ostream os(e.location);
        q.ops[k]->getLoc().print(os);
        auto type = cast<RankedTensorType>(q.ops[k]->getResult(0).getType());
        e.shape.assign(type.getShape().begin(), type.getShape().end());
        Value result = q.ops[k]->getResult(0);
        e.feedsActivation =
            result.hasOneUse() &&
            isa<qnt::ReluOp, qnt::Relu6Op, qnt::ClampOp>(*result.user_begin());
      }
      for (size_t i = 0; i < q.values[k].size(); ++i) {
        double x = f.values[k][i], y = q.values[k][i], d = y - x;
        e.signal += x * x;
        e.noise += d * d;
        e.dot += x * y;
        e.normQ += y * y;
        e.maxAbs = std::max(e.maxAbs, std::fabs(d));
      }
    }
  }
  return layers;
}
