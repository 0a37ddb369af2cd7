//===- GemmMatch.cpp - int8 contractions the CPU kernels take over --------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "GemmMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace qc;
using namespace qc::cpu;

namespace {

/// Signed integers of a constant (inline dense or a dense_resource blob of
/// 8- or 32-bit little-endian elements).
std::optional<std::vector<int64_t>> readInts(Value v) {
  auto cst = v.getDefiningOp<arith::ConstantOp>();
  if (!cst)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(cst.getType());
  if (!type || !type.getElementType().isInteger())
    return std::nullopt;
  unsigned width = type.getElementTypeBitWidth();
  std::vector<int64_t> out;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(cst.getValue())) {
    out.reserve(type.getNumElements());
    for (const APInt &x : dense.getValues<APInt>())
      out.push_back(x.getSExtValue());
    return out;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(cst.getValue());
  if (!resource || (width != 8 && width != 32))
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return std::nullopt;
  ArrayRef<char> bytes = blob->getData();
  size_t size = width / 8, count = type.getNumElements();
  if (bytes.size() != size * count)
    return std::nullopt;
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    if (width == 8) {
      out[i] = static_cast<int8_t>(bytes[i]);
    } else {
      uint32_t u = 0;
      for (size_t b = 0; b < 4; ++b)
        u |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[4 * i + b]))
             << (8 * b);
      out[i] = static_cast<int32_t>(u);
    }
  }
  return out;
}

/// Coefficients of a linear, constant-free expression in `numDims` dims.
std::optional<std::vector<int64_t>> linearCoefficients(AffineExpr e,
                                                       unsigned numDims) {
  MLIRContext *ctx = e.getContext();
  auto evaluate = [&](int hot) -> std::optional<int64_t> {
    SmallVector<AffineExpr> dims;
    for (unsigned d = 0; d < numDims; ++d)
      dims.push_back(getAffineConstantExpr(int(d) == hot ? 1 : 0, ctx));
    auto c = dyn_cast<AffineConstantExpr>(
        simplifyAffineExpr(e.replaceDims(dims), 0, 0));
    if (!c)
      return std::nullopt;
    return c.getValue();
  };
  std::optional<int64_t> base = evaluate(-1);
  if (!base || *base != 0)
    return std::nullopt;
  std::vector<int64_t> coefficients(numDims);
  AffineExpr rebuilt = getAffineConstantExpr(0, ctx);
  for (unsigned d = 0; d < numDims; ++d) {
    std::optional<int64_t> c = evaluate(d);
    if (!c)
      return std::nullopt;
    coefficients[d] = *c;
    rebuilt = rebuilt + getAffineDimExpr(d, ctx) * *c;
  }
  if (simplifyAffineExpr(rebuilt, numDims, 0) !=
      simplifyAffineExpr(e, numDims, 0))
    return std::nullopt;
  return coefficients;
}

/// Only dimension `d` with coefficient 1.
bool isDim(AffineExpr e, unsigned d) {
  auto dim = dyn_cast<AffineDimExpr>(e);
  return dim && dim.getPosition() == d;
}

/// (d0, ..., d_{n-1}): the leading loops, in order.
bool isLeadingDims(AffineMap map, unsigned n) {
  if (map.getNumResults() != n)
    return false;
  for (unsigned i = 0; i < n; ++i)
    if (!isDim(map.getResult(i), i))
      return false;
  return true;
}

/// ext(in0) * extsi(in1) + out, with i8 inputs and an i32 accumulator.
bool matchBody(linalg::GenericOp g, bool &signedInput) {
  Block &body = g.getRegion().front();
  if (body.getOperations().size() != 5)
    return false;
  auto it = body.begin();
  Operation *ext0 = &*it++, *ext1 = &*it++, *mul = &*it++, *add = &*it++;
  auto yield = dyn_cast<linalg::YieldOp>(&*it);
  if (!isa<arith::ExtUIOp, arith::ExtSIOp>(ext0) ||
      !isa<arith::ExtSIOp>(ext1) || !isa<arith::MulIOp>(mul) ||
      !isa<arith::AddIOp>(add) || !yield)
    return false;
  signedInput = isa<arith::ExtSIOp>(ext0);
  auto arg = [&](unsigned i) { return body.getArgument(i); };
  if (ext0->getOperand(0) != arg(0) || ext1->getOperand(0) != arg(1) ||
      !arg(0).getType().isInteger(8) || !arg(1).getType().isInteger(8) ||
      !arg(2).getType().isInteger(32))
    return false;
  auto pair = [](Operation *op, Value a, Value b) {
    return (op->getOperand(0) == a && op->getOperand(1) == b) ||
           (op->getOperand(0) == b && op->getOperand(1) == a);
  };
  return pair(mul, ext0->getResult(0), ext1->getResult(0)) &&
         pair(add, arg(2), mul->getResult(0)) &&
         yield->getOperand(0) == add->getResult(0);
}

/// The bias under the accumulator: a broadcast of a constant vector along
/// the last dimension, or a fill with a constant.
std::optional<std::vector<int64_t>> matchBias(Value init, int64_t n) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    APInt v;
    if (!matchPattern(fill.getInputs()[0], m_ConstantInt(&v)))
      return std::nullopt;
    return std::vector<int64_t>(n, v.getSExtValue());
  }
  auto g = init.getDefiningOp<linalg::GenericOp>();
  if (!g || g.getNumDpsInputs() != 1 || g.getNumDpsInits() != 1)
    return std::nullopt;
  Block &body = g.getRegion().front();
  auto yield = dyn_cast<linalg::YieldOp>(body.front());
  if (!yield || yield->getOperand(0) != body.getArgument(0))
    return std::nullopt;
  auto maps = g.getIndexingMapsArray();
  unsigned rank = maps[1].getNumDims();
  if (!maps[1].isIdentity() || maps[0].getNumResults() != 1 ||
      !isDim(maps[0].getResult(0), rank - 1))
    return std::nullopt;
  std::optional<std::vector<int64_t>> bias =
      readInts(g.getDpsInputOperand(0)->get());
  if (!bias || static_cast<int64_t>(bias->size()) != n)
    return std::nullopt;
  return bias;
}

/// The narrowing epilogue: elementwise arith on scalars, i32 in, i8 out.
bool matchEpilogue(linalg::GenericOp e, Value input) {
  if (e.getNumDpsInputs() != 1 || e.getNumDpsInits() != 1 ||
      e.getDpsInputOperand(0)->get() != input ||
      e.getNumParallelLoops() != e.getNumLoops() ||
      !llvm::all_of(e.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return false;
  Block &body = e.getRegion().front();
  if (!body.getArgument(1).use_empty() ||
      !body.getArgument(1).getType().isInteger(8))
    return false;
  for (Operation &op : body.without_terminator()) {
    if (op.getDialect()->getNamespace() != "arith" || op.getNumRegions() ||
        op.getNumResults() != 1)
      return false;
    for (Type t : llvm::concat<Type>(op.getOperandTypes(), op.getResultTypes()))
      if (!t.isSignlessInteger())
        return false;
  }
  return true;
}

} // namespace

std::optional<GemmMatch> qc::cpu::matchGemm(qnt::FixedPointMulOp rescale) {
  GemmMatch m;
  m.rescale = rescale;
  m.contraction = rescale.getInput().getDefiningOp<linalg::GenericOp>();
  if (!m.contraction || !m.contraction->hasOneUse() ||
      !rescale->hasOneUse() || m.contraction.getNumDpsInputs() != 2 ||
      m.contraction.getNumDpsInits() != 1 ||
      !matchBody(m.contraction, m.signedInput))
    return std::nullopt;
  m.epilogue = dyn_cast<linalg::GenericOp>(*rescale->user_begin());
  if (!m.epilogue || !matchEpilogue(m.epilogue, rescale.getResult()))
    return std::nullopt;

  auto outType = cast<RankedTensorType>(rescale.getType());
  int64_t rank = outType.getRank();
  m.n = outType.getDimSize(rank - 1);
  if (rescale.getMultiplier().size() != 1 &&
      (rescale.getAxis() != static_cast<uint64_t>(rank - 1) ||
       static_cast<int64_t>(rescale.getMultiplier().size()) != m.n))
    return std::nullopt;

  Value weightsValue = m.contraction.getDpsInputOperand(1)->get();
  std::optional<std::vector<int64_t>> w = readInts(weightsValue);
  if (!w)
    return std::nullopt;
  auto wType = cast<RankedTensorType>(weightsValue.getType());
  m.input = m.contraction.getDpsInputOperand(0)->get();
  auto inType = cast<RankedTensorType>(m.input.getType());
  auto maps = m.contraction.getIndexingMapsArray();
  auto iterators = m.contraction.getIteratorTypesArray();
  auto par = utils::IteratorType::parallel, red = utils::IteratorType::reduction;

  if (maps[0].getNumDims() == 3 && rank == 2 &&
      iterators == SmallVector<utils::IteratorType>{par, par, red} &&
      isDim(maps[0].getResult(0), 0) && isDim(maps[0].getResult(1), 2) &&
      isLeadingDims(maps[2], 2)) {
    // Fully connected: weights [n, k] or a constant right-hand side [k, n].
    m.m = outType.getDimSize(0);
    m.k = inType.getDimSize(1);
    bool nk = isDim(maps[1].getResult(0), 1) && isDim(maps[1].getResult(1), 2);
    bool kn = isDim(maps[1].getResult(0), 2) && isDim(maps[1].getResult(1), 1);
    if (!nk && !kn)
      return std::nullopt;
    m.weights.resize(m.n * m.k);
    for (int64_t i = 0; i < m.n; ++i)
      for (int64_t j = 0; j < m.k; ++j)
        m.weights[i * m.k + j] =
            static_cast<int8_t>((*w)[nk ? i * m.k + j : j * m.n + i]);
  } else if (maps[0].getNumDims() == 7 && rank == 4 &&
             iterators == SmallVector<utils::IteratorType>{par, par, par, par,
                                                          red, red, red} &&
             isLeadingDims(maps[2], 4) && maps[1].getNumResults() == 4 &&
             isDim(maps[1].getResult(0), 3) && isDim(maps[1].getResult(1), 4) &&
             isDim(maps[1].getResult(2), 5) && isDim(maps[1].getResult(3), 6) &&
             maps[0].getNumResults() == 4 && isDim(maps[0].getResult(0), 0) &&
             isDim(maps[0].getResult(3), 6)) {
    // NHWC convolution, OHWI weights.
    auto h = linearCoefficients(maps[0].getResult(1), 7);
    auto wc = linearCoefficients(maps[0].getResult(2), 7);
    if (!h || !wc)
      return std::nullopt;
    for (unsigned d = 0; d < 7; ++d) {
      if (d != 1 && d != 4 && (*h)[d] != 0)
        return std::nullopt;
      if (d != 2 && d != 5 && (*wc)[d] != 0)
        return std::nullopt;
    }
    m.isConv = true;
    m.strideH = (*h)[1];
    m.dilationH = (*h)[4];
    m.strideW = (*wc)[2];
    m.dilationW = (*wc)[5];
    if (m.strideH < 1 || m.strideW < 1 || m.dilationH < 1 || m.dilationW < 1)
      return std::nullopt;
    m.batch = outType.getDimSize(0);
    m.oh = outType.getDimSize(1);
    m.ow = outType.getDimSize(2);
    m.kh = wType.getDimSize(1);
    m.kw = wType.getDimSize(2);
    m.channels = wType.getDimSize(3);
    m.m = m.batch * m.oh * m.ow;
    m.k = m.kh * m.kw * m.channels;
    m.weights.resize(w->size());
    for (size_t i = 0; i < w->size(); ++i)
      m.weights[i] = static_cast<int8_t>((*w)[i]);
  } else {
    return std::nullopt;
  }
  if (!outType.hasStaticShape() || !inType.hasStaticShape() || m.m <= 0 ||
      m.n <= 0 || m.k <= 0)
    return std::nullopt;

  std::optional<std::vector<int64_t>> bias =
      matchBias(m.contraction.getDpsInitOperand(0)->get(), m.n);
  if (!bias)
    return std::nullopt;
  m.bias = std::move(*bias);
  return m;
}
