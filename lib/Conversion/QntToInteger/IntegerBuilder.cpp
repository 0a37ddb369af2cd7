//===- IntegerBuilder.cpp - building blocks of the integer lowering -------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilder.h"

#include "qc/Dialect/Qnt/Utils/Constants.h"
#include "qc/Dialect/Qnt/Utils/ModelRounding.h"
#include "qc/Dialect/Qnt/Utils/TypeParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace qc;
using namespace qc::lowering;

qnt::UniformType qc::lowering::qtype(Value v) {
  return qnt::getUniformElementType(v.getType());
}

rt::QuantParams qc::lowering::paramsOf(Value v) {
  return getQuantParams(qtype(v));
}

int32_t qc::lowering::zeroPointOf(Value v) {
  return static_cast<int32_t>(qtype(v).getZeroPoint());
}

IntegerType qc::lowering::i32(MLIRContext *ctx) {
  return IntegerType::get(ctx, 32);
}
IntegerType qc::lowering::i64(MLIRContext *ctx) {
  return IntegerType::get(ctx, 64);
}

Value qc::lowering::toStorage(OpBuilder &b, Location loc, Value q) {
  auto type = cast<RankedTensorType>(q.getType());
  auto storage = RankedTensorType::get(
      type.getShape(),
      IntegerType::get(b.getContext(), qtype(q).getStorageWidth()));
  return qnt::StorageCastOp::create(b, loc, storage, q);
}

Value qc::lowering::fromStorage(OpBuilder &b, Location loc, Value ints,
                                RankedTensorType type) {
  return qnt::StorageCastOp::create(b, loc, type, ints);
}

Value qc::lowering::constInt(OpBuilder &b, Location loc, Type type,
                             int64_t value) {
  return arith::ConstantOp::create(b, loc, type,
                                   b.getIntegerAttr(type, value));
}

Value qc::lowering::extend(OpBuilder &b, Location loc, Value v, bool isSigned,
                           Type to) {
  if (v.getType() == to)
    return v;
  if (isSigned)
    return arith::ExtSIOp::create(b, loc, to, v);
  return arith::ExtUIOp::create(b, loc, to, v);
}

Value qc::lowering::mapElementwise(OpBuilder &b, Location loc,
                                   ValueRange inputs,
                                   ArrayRef<AffineMap> inputMaps,
                                   RankedTensorType resultType, BodyFn body) {
  int64_t rank = resultType.getRank();
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value v = body(nb, nl, args.drop_back());
        linalg::YieldOp::create(nb, nl, v);
      });
  return generic.getResult(0);
}

AffineMap qc::lowering::broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> shape,
                                     ArrayRef<int64_t> resultShape) {
  int64_t offset = static_cast<int64_t>(resultShape.size() - shape.size());
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < static_cast<int64_t>(shape.size()); ++i) {
    bool broadcast = shape[i] == 1 && resultShape[offset + i] != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, ctx);
}

Value qc::lowering::constTensor(OpBuilder &b, Location loc,
                                ArrayRef<int64_t> shape, Type element,
                                ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, element);
  unsigned width = element.getIntOrFloatBitWidth();
  SmallVector<APInt> ints;
  ints.reserve(values.size());
  for (int64_t v : values)
    ints.push_back(APInt(width, static_cast<uint64_t>(v), /*isSigned=*/true));
  return arith::ConstantOp::create(b, loc, type,
                                   DenseElementsAttr::get(type, ints));
}

Value qc::lowering::filledTensor(OpBuilder &b, Location loc,
                                 ArrayRef<int64_t> shape, Type element,
                                 int64_t value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, element);
  Value scalar = constInt(b, loc, element, value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

int64_t qc::lowering::storageBits(int64_t value, unsigned width) {
  if (width >= 64)
    return value;
  uint64_t mask = (uint64_t(1) << width) - 1;
  uint64_t raw = static_cast<uint64_t>(value) & mask;
  uint64_t sign = uint64_t(1) << (width - 1);
  return static_cast<int64_t>(raw ^ sign) - static_cast<int64_t>(sign);
}

std::optional<std::vector<int64_t>>
qc::lowering::readQuantizedConstant(Value q) {
  auto cast = q.getDefiningOp<qnt::StorageCastOp>();
  qnt::UniformType type = qtype(q);
  if (!cast || !type)
    return std::nullopt;
  ElementsAttr attr = qnt::getConstantElements(cast.getInput());
  if (!attr)
    return std::nullopt;
  unsigned width = type.getStorageWidth();
  std::vector<int64_t> values;
  values.reserve(attr.getNumElements());
  auto push = [&](int64_t bits) {
    // Reinterpret the storage bits with the qnt type's signedness.
    if (type.isSigned()) {
      values.push_back(storageBits(bits, width));
    } else {
      uint64_t mask = width >= 64 ? ~uint64_t(0) : ((uint64_t(1) << width) - 1);
      values.push_back(static_cast<int64_t>(static_cast<uint64_t>(bits) & mask));
    }
  };
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    int64_t n = attr.getNumElements();
    if (width == 8 && static_cast<int64_t>(data.size()) == n) {
      for (int64_t i = 0; i < n; ++i)
        push(static_cast<int8_t>(data[i]));
      return values;
    }
    if (width == 32 && static_cast<int64_t>(data.size()) == 4 * n) {
      for (int64_t i = 0; i < n; ++i) {
        int32_t w;
        std::memcpy(&w, data.data() + 4 * i, 4);
        push(w);
      }
      return values;
    }
    return std::nullopt;
  }
  auto dense = dyn_cast<DenseIntElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  for (const APInt &v : dense.getValues<APInt>())
    push(v.getSExtValue());
  return values;
}

Value qc::lowering::subtractZeroPoints(OpBuilder &b, Location loc,
                                       Value storage, bool isSigned,
                                       ArrayRef<int32_t> zps, int64_t axis) {
  auto type = cast<RankedTensorType>(storage.getType());
  MLIRContext *ctx = b.getContext();
  auto resultType = RankedTensorType::get(type.getShape(), i32(ctx));
  int64_t rank = type.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  if (zps.size() == 1) {
    int32_t zp = zps.front();
    return mapElementwise(
        b, loc, {storage}, {identity}, resultType,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value x = extend(nb, nl, args[0], isSigned, i32(ctx));
          return arith::SubIOp::create(nb, nl, x, constInt(nb, nl, i32(ctx), zp))
              .getResult();
        });
  }
  std::vector<int64_t> zp64(zps.begin(), zps.end());
  Value zpTensor = constTensor(b, loc, {static_cast<int64_t>(zps.size())},
                               i32(ctx), zp64);
  AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx));
  return mapElementwise(
      b, loc, {storage, zpTensor}, {identity, channel}, resultType,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = extend(nb, nl, args[0], isSigned, i32(ctx));
        return arith::SubIOp::create(nb, nl, x, args[1]).getResult();
      });
}

qc::qnt::RoundingMode qc::lowering::modelRoundingAt(OpBuilder &b) {
  Block *block = b.getInsertionBlock();
  return toRoundingMode(block ? getModelRounding(block->getParentOp())
                              : rt::Rounding::Gemmlowp);
}

Value qc::lowering::applyOutputStage(OpBuilder &b, Location loc, Value acc,
                                     const rt::OutputStage &stage, int64_t axis,
                                     RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  SmallVector<int32_t> m0, shift;
  for (const rt::Multiplier &m : stage.multipliers) {
    m0.push_back(m.m0);
    shift.push_back(m.shift);
  }
  IntegerAttr axisAttr;
  if (m0.size() > 1)
    axisAttr = b.getI64IntegerAttr(axis);
  Value scaled = qnt::FixedPointMulOp::create(
      b, loc, acc.getType(), acc, b.getDenseI32ArrayAttr(m0),
      b.getDenseI32ArrayAttr(shift), axisAttr, modelRoundingAt(b));
  qnt::UniformType q = qnt::getUniformElementType(resultType);
  auto storageElem = IntegerType::get(ctx, q.getStorageWidth());
  auto storageType = RankedTensorType::get(resultType.getShape(), storageElem);
  int64_t rank = resultType.getRank();
  Value ints = mapElementwise(
      b, loc, {scaled}, {b.getMultiDimIdentityMap(rank)}, storageType,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value v = arith::AddIOp::create(
            nb, nl, args[0], constInt(nb, nl, i32(ctx), stage.zeroPoint));
        v = arith::MaxSIOp::create(nb, nl, v,
                                   constInt(nb, nl, i32(ctx), stage.lo));
        v = arith::MinSIOp::create(nb, nl, v,
                                   constInt(nb, nl, i32(ctx), stage.hi));
        if (storageElem.getWidth() < 32)
          v = arith::TruncIOp::create(nb, nl, storageElem, v);
        return v;
      });
  return fromStorage(b, loc, ints, resultType);
}

/// round(num / den) with ties away from zero for den > 0, written as the
/// reference kernel writes it so that nothing overflows:
/// q = |num| / den, plus one when rem >= den - rem.
Value qc::lowering::roundHalfAwayDiv(OpBuilder &b, Location loc, Value num, Value den) {
  Type t = num.getType();
  Value zero = constInt(b, loc, t, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, num, zero);
  Value mag = arith::SelectOp::create(
      b, loc, negative, arith::SubIOp::create(b, loc, zero, num), num);
  Value q = arith::DivSIOp::create(b, loc, mag, den);
  Value rem = arith::RemSIOp::create(b, loc, mag, den);
  Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, rem,
                                   arith::SubIOp::create(b, loc, den, rem));
  q = arith::AddIOp::create(b, loc, q,
                            arith::ExtUIOp::create(b, loc, t, up));
  return arith::SelectOp::create(b, loc, negative,
                                 arith::SubIOp::create(b, loc, zero, q), q);
}


/// Pads H and W of an NHWC storage tensor with `bits`.
Value qc::lowering::padSpatial(OpBuilder &b, Location loc, Value storage,
            ArrayRef<int64_t> padding, int64_t bits) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return storage;
  auto type = cast<RankedTensorType>(storage.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[1] += padding[0] + padding[1];
  shape[2] += padding[2] + padding[3];
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(padding[0]),
                                   b.getIndexAttr(padding[2]), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(padding[1]),
                                    b.getIndexAttr(padding[3]), b.getIndexAttr(0)};
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), storage,
      low, high, constInt(b, loc, type.getElementType(), bits));
}

