//===- GemmKernels.cpp - register-blocked int8 GEMM/conv kernels ----------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-cpu-gemm-kernels: out[m, n] = epilogue(rescale(bias[n] +
// sum_k a[m, k] * w[n, k])) as one loop nest over 16-lane int32 vectors.
// The weights are constants, so they are packed at compile time into the
// layout the dot product wants ([N/16][K/4][16][4] bytes: each 64-byte load
// feeds one vpdpbusd, which multiplies 4 unsigned bytes of a row of `a` by
// 4 signed bytes of each of 16 output channels and adds to 16 int32 lanes).
// The loop order (16*nr channels outermost, then mr rows, then K) keeps a
// K x 16*nr weight panel in cache and mr x nr accumulators in registers,
// the register-blocking scheme of Goto & van de Geijn's GEMM.
//
//===----------------------------------------------------------------------===//

#include "GemmMatch.h"

#include "qc/Conversion/QntToInteger/FixedPointEmitter.h"
#include "qc/Target/Cpu/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"

#include <atomic>

namespace qc {
#define GEN_PASS_DEF_QNTCPUGEMMKERNELSPASS
#include "qc/Target/Cpu/Passes.h.inc"
} // namespace qc

using namespace mlir;
using namespace qc;
using namespace qc::cpu;

namespace {

constexpr int64_t kLanes = 16; // int32 lanes of one 512-bit vector

int64_t roundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

/// A constant tensor; large ones go to a resource blob, like the weights
/// the importer writes.
template <typename T>
Value constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type elem,
               ArrayRef<T> values, StringRef name) {
  auto type = RankedTensorType::get(shape, elem);
  if (values.size() <= 64) {
    SmallVector<APInt> ints;
    for (T v : values)
      ints.push_back(APInt(elem.getIntOrFloatBitWidth(), static_cast<int64_t>(v),
                           /*isSigned=*/true));
    return arith::ConstantOp::create(b, loc, type,
                                     DenseElementsAttr::get(type, ints));
  }
  return arith::ConstantOp::create(
      b, loc, type,
      DenseResourceElementsAttr::get(
          type, name, HeapAsmResourceBlob::allocateAndCopyInferAlign(values)));
}

/// Emits the kernel for one match at the epilogue's position.
struct KernelBuilder {
  OpBuilder &b;
  Location loc;
  GemmMatch &match;
  int64_t mr, nr;

  int64_t kp = 0, np = 0; // K padded to 4, N padded to 16
  Value a, packed, bias, params[3], fast[4];
  bool perChannel = false;
  std::array<int64_t, 3> uniform{};
  bool gemmlowp = true, doubleRound = false, halfEven = false;
  bool fastRescale = false;
  bool nhwcOut = false, implicit = false;

  KernelBuilder(OpBuilder &b, Location loc, GemmMatch &match, int64_t mr,
                int64_t nr)
      : b(b), loc(loc), match(match), mr(mr), nr(nr) {}

  VectorType vec(int64_t n, Type t) { return VectorType::get({n}, t); }
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value addIdx(Value x, int64_t c) {
    return c == 0 ? x : arith::AddIOp::create(b, loc, x, idx(c)).getResult();
  }
  Value mulIdx(Value x, int64_t c) {
    return c == 1 ? x : arith::MulIOp::create(b, loc, x, idx(c)).getResult();
  }
  Value read(Value src, ValueRange at, VectorType t) {
    Value pad = arith::ConstantOp::create(
        b, loc, t.getElementType(), b.getIntegerAttr(t.getElementType(), 0));
    return vector::TransferReadOp::create(b, loc, t, src, at, pad,
                                          ArrayRef<bool>{true});
  }

  /// The [M, kp] u8 operand: the input itself when it already has that
  /// form, else an (im2col) copy that also flips i8 to u8.
  Value prepareInput() {
    GemmMatch &g = match;
    Type i8 = b.getI8Type();
    Value in = g.input;
    auto inType = cast<RankedTensorType>(in.getType());
    auto zeroI8 = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    auto flipBody = [&](OpBuilder &nb, Location nl, ValueRange args) {
      Value v = args[0];
      if (g.signedInput)
        v = arith::XOrIOp::create(
            nb, nl, v,
            arith::ConstantOp::create(nb, nl, nb.getI8IntegerAttr(-128)));
      linalg::YieldOp::create(nb, nl, v);
    };
    if (!g.isConv) {
      if (g.signedInput) {
        auto id = b.getMultiDimIdentityMap(2);
        in = linalg::GenericOp::create(
                 b, loc, inType, ValueRange{in},
                 ValueRange{tensor::EmptyOp::create(b, loc, inType.getShape(), i8)},
                 ArrayRef<AffineMap>{id, id},
                 SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
                 flipBody)
                 .getResult(0);
      }
      if (kp != g.k)
        in = tensor::createPadHighOp(RankedTensorType::get({g.m, kp}, i8), in,
                                     zeroI8, false, loc, b);
      return in;
    }
    int64_t cp = roundUp(g.channels, 4);
    bool direct = g.kh == 1 && g.kw == 1 && g.strideH == 1 && g.strideW == 1 &&
                  inType.getDimSize(1) == g.oh && inType.getDimSize(2) == g.ow &&
                  cp == g.channels && !g.signedInput;
    if (direct)
      return tensor::CollapseShapeOp::create(
          b, loc, in, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    // u8 inputs with whole 4-byte channel groups are read in place, window
    // by window ("implicit GEMM"): no im2col copy.
    implicit = cp == g.channels && !g.signedInput;
    if (implicit)
      return in;
    if (cp != g.channels) {
      SmallVector<int64_t> shape(inType.getShape());
      shape[3] = cp;
      in = tensor::createPadHighOp(RankedTensorType::get(shape, i8), in,
                                   zeroI8, false, loc, b);
    }
    // im2col: [batch, oh, ow, kh, kw, cp] gathers every window; collapsed
    // it is the [M, kh*kw*cp] operand.
    MLIRContext *ctx = b.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    AffineMap inMap = AffineMap::get(
        6, 0,
        {d(0), d(1) * g.strideH + d(3) * g.dilationH,
         d(2) * g.strideW + d(4) * g.dilationW, d(5)},
        ctx);
    SmallVector<int64_t> colShape = {g.batch, g.oh, g.ow, g.kh, g.kw, cp};
    Value col =
        linalg::GenericOp::create(
            b, loc, RankedTensorType::get(colShape, i8), ValueRange{in},
            ValueRange{tensor::EmptyOp::create(b, loc, colShape, i8)},
            ArrayRef<AffineMap>{inMap, b.getMultiDimIdentityMap(6)},
            SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
            flipBody)
            .getResult(0);
    return tensor::CollapseShapeOp::create(
        b, loc, col, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
  }

  /// Packs weights, bias (with the u8 flip's correction) and the rescale
  /// parameters as constants.
  void prepareConstants() {
    GemmMatch &g = match;
    int64_t cp = g.isConv ? roundUp(g.channels, 4) : 0;
    kp = g.isConv ? g.kh * g.kw * cp : roundUp(g.k, 4);
    np = roundUp(g.n, kLanes);
    // Weights as [n][kp] with zeros in the padding, then blocked.
    auto weight = [&](int64_t n, int64_t k) -> int8_t {
      if (n >= g.n)
        return 0;
      if (!g.isConv)
        return k < g.k ? g.weights[n * g.k + k] : 0;
      int64_t c = k % cp, tap = k / cp;
      return c < g.channels ? g.weights[n * g.k + tap * g.channels + c] : 0;
    };
    std::vector<int8_t> blocked(np * kp);
    for (int64_t n = 0; n < np; ++n)
      for (int64_t k = 0; k < kp; ++k)
        blocked[((n / kLanes) * (kp / 4) + k / 4) * kLanes * 4 +
                (n % kLanes) * 4 + k % 4] = weight(n, k);
    static std::atomic<unsigned> counter{0};
    std::string name = "qnt_packed_weights_" + std::to_string(counter++);
    packed = constant<int8_t>(b, loc, {np / kLanes, kp / 4, kLanes * 4},
                              b.getI8Type(), blocked, name);

    std::vector<int32_t> biasPadded(np, 0);
    for (int64_t n = 0; n < g.n; ++n) {
      int64_t v = g.bias[n];
      if (g.signedInput) {
        int64_t sum = 0;
        for (int64_t k = 0; k < g.k; ++k)
          sum += g.weights[n * g.k + k];
        v -= 128 * sum;
      }
      biasPadded[n] = static_cast<int32_t>(v);
    }
    bias = constant<int32_t>(b, loc, {np}, b.getI32Type(), biasPadded,
                             name + "_bias");

    qnt::FixedPointMulOp r = g.rescale;
    gemmlowp = r.getRounding() == qnt::RoundingMode::gemmlowp;
    doubleRound = r.getRounding() == qnt::RoundingMode::tosa_double;
    halfEven = r.getRounding() == qnt::RoundingMode::half_even;
    auto entry = [&](size_t i) {
      if (halfEven)
        return lowering::halfEvenParams(r.getMultiplier()[i], r.getShift()[i]);
      return lowering::fixedPointParams(gemmlowp, r.getMultiplier()[i],
                                        r.getShift()[i]);
    };
    perChannel = r.getMultiplier().size() > 1;
    // The usual case (multipliers below 1: no left shift, a right shift of
    // at least 1) has a cheaper exact form; see finish().
    fastRescale = gemmlowp;
    for (size_t i = 0; i < r.getMultiplier().size(); ++i)
      fastRescale &= entry(i)[1] == 0 && entry(i)[2] >= 1;
    uniform = entry(0);
    if (!perChannel)
      return;
    if (fastRescale) {
      // Multipliers of even and odd channels as i64 lanes (they meet the
      // accumulators' even and odd i32 lanes), exponents and their masks
      // as i32.
      std::vector<int64_t> even(np / 2, 0), odd(np / 2, 0);
      std::vector<int32_t> exponent(np, 0), mask(np, 0);
      for (int64_t n = 0; n < g.n; ++n) {
        std::array<int64_t, 3> e = entry(n);
        (n % 2 ? odd : even)[n / 2] = e[0];
        exponent[n] = static_cast<int32_t>(e[2]);
        mask[n] = static_cast<int32_t>((int64_t(1) << e[2]) - 1);
      }
      Type i64 = b.getI64Type(), i32 = b.getI32Type();
      fast[0] = constant<int64_t>(b, loc, {np / 2}, i64, even, name + "_m_even");
      fast[1] = constant<int64_t>(b, loc, {np / 2}, i64, odd, name + "_m_odd");
      fast[2] = constant<int32_t>(b, loc, {np}, i32, exponent, name + "_exp");
      fast[3] = constant<int32_t>(b, loc, {np}, i32, mask, name + "_mask");
      return;
    }
    for (int p = 0; p < 3; ++p) {
      std::vector<int64_t> values(np, 0);
      for (int64_t n = 0; n < g.n; ++n)
        values[n] = entry(n)[p];
      params[p] = constant<int64_t>(b, loc, {np}, b.getI64Type(), values,
                                    name + "_rescale" + std::to_string(p));
    }
  }

  /// acc + the 4-byte dot products of `row` (u8, one i32 broadcast to all
  /// lanes) with `w` (16 x 4 s8), in the form qnt-cpu-vnni recognises.
  Value dot(Value acc, Value row, Value w) {
    VectorType v64i32 = vec(4 * kLanes, b.getI32Type());
    Value bytes = vector::BitCastOp::create(
        b, loc, vec(4 * kLanes, b.getI8Type()), row);
    Value x = arith::ExtUIOp::create(b, loc, v64i32, bytes);
    Value y = arith::ExtSIOp::create(b, loc, v64i32, w);
    Value p = arith::MulIOp::create(b, loc, x, y);
    // Lane i sums products 4i..4i+3: four strided shuffles, 1-D vectors
    // only, so every target lowers it directly.
    Value part[4];
    for (int64_t j = 0; j < 4; ++j) {
      SmallVector<int64_t> mask;
      for (int64_t i = 0; i < kLanes; ++i)
        mask.push_back(4 * i + j);
      part[j] = vector::ShuffleOp::create(b, loc, p, p, mask);
    }
    Value sum = arith::AddIOp::create(
        b, loc, arith::AddIOp::create(b, loc, part[0], part[1]),
        arith::AddIOp::create(b, loc, part[2], part[3]));
    return arith::AddIOp::create(b, loc, acc, sum);
  }

  /// gemmlowp's MultiplyByQuantizedMultiplier without left shift, on 16
  /// int32 lanes, exactly: SaturatingRoundingDoublingHighMul is
  /// (x * m0 + 2^30) >> 31 for every x (m0 > 0 never meets the INT32_MIN x
  /// INT32_MIN overflow, and the nudge of negative products, 1 - 2^30,
  /// plus C's truncating division is the same floor shift), computed as
  /// two widening multiplies on the even and the odd lanes (vpmuldq);
  /// RoundingDivideByPOT then runs on int32 lanes as gemmlowp writes it.
  /// test/e2e/cpu-shape-sweep.test and bench/cpu-kernels.sh check it bit
  /// for bit against the runtime core.
  Value fastRescaleOf(Value acc, Value n) {
    VectorType v8i64 = vec(kLanes / 2, b.getI64Type());
    VectorType v16i32 = vec(kLanes, b.getI32Type());
    lowering::FixedPointEmitter w{b, loc, v8i64}, e{b, loc, v16i32};
    Value lanes = vector::BitCastOp::create(b, loc, v8i64, acc);
    Value even = w.shr(w.shl(lanes, w.c(32)), w.c(32));
    Value odd = w.shr(lanes, w.c(32));
    Value mEven, mOdd, exponent, mask;
    if (perChannel) {
      Value half = arith::DivUIOp::create(b, loc, n, idx(2));
      mEven = read(fast[0], {half}, v8i64);
      mOdd = read(fast[1], {half}, v8i64);
      exponent = read(fast[2], {n}, v16i32);
      mask = read(fast[3], {n}, v16i32);
    } else {
      mEven = mOdd = w.c(uniform[0]);
      exponent = e.c(uniform[2]);
      mask = e.c((int64_t(1) << uniform[2]) - 1);
    }
    auto high = [&](Value x, Value m) {
      return w.shr(w.add(w.mul(x, m), w.c(int64_t(1) << 30)), w.c(31));
    };
    Value low32 = w.band(high(even, mEven), w.c(0xffffffffLL));
    Value combined = arith::OrIOp::create(b, loc, low32,
                                          w.shl(high(odd, mOdd), w.c(32)));
    Value x = vector::BitCastOp::create(b, loc, v16i32, combined);
    // RoundingDivideByPOT(x, exponent) on int32 lanes.
    Value remainder = e.band(x, mask);
    Value threshold = e.add(e.shr(mask, e.c(1)),
                            e.zext(e.cmp(arith::CmpIPredicate::slt, x, e.c(0))));
    return e.add(e.shr(x, exponent),
                 e.zext(e.cmp(arith::CmpIPredicate::sgt, remainder, threshold)));
  }

  /// The rescale and the epilogue on 16 accumulators of channels [n, n+16).
  Value finish(Value acc, Value n) {
    VectorType v16i64 = vec(kLanes, b.getI64Type());
    lowering::FixedPointEmitter e{b, loc, v16i64};
    Value y;
    if (fastRescale) {
      y = fastRescaleOf(acc, n);
    } else {
      Value x = arith::ExtSIOp::create(b, loc, v16i64, acc);
      Value p[3];
      for (int i = 0; i < 3; ++i)
        p[i] = perChannel ? read(params[i], {n}, v16i64) : e.c(uniform[i]);
      Value r = gemmlowp   ? e.gemmlowp(x, p[0], p[1], p[2])
                : halfEven ? e.halfEven(x, p[0], p[1])
                           : e.tosa(x, p[0], p[1], doubleRound);
      y = arith::TruncIOp::create(b, loc, vec(kLanes, b.getI32Type()), r);
    }
    // The epilogue's scalar body, applied lane-wise.
    Block &body = match.epilogue.getRegion().front();
    IRMapping map;
    map.map(body.getArgument(0), y);
    for (Operation &op : body.without_terminator()) {
      SmallVector<Value> operands;
      for (Value v : op.getOperands()) {
        if (Value mapped = map.lookupOrNull(v)) {
          operands.push_back(mapped);
          continue;
        }
        operands.push_back(
            vector::BroadcastOp::create(b, loc, vec(kLanes, v.getType()), v));
      }
      OperationState state(loc, op.getName());
      state.addOperands(operands);
      state.addTypes(vec(kLanes, op.getResult(0).getType()));
      state.addAttributes(op.getAttrs());
      map.map(op.getResult(0), b.create(state)->getResult(0));
    }
    return map.lookup(body.getTerminator()->getOperand(0));
  }

  /// Where row `m`, channel `n` of the [M, N] product is stored: (m, n),
  /// or (b, oh, ow, n) when writing NHWC directly.
  SmallVector<Value> outIndices(Value m, Value n) {
    if (!nhwcOut)
      return {m, n};
    int64_t plane = match.oh * match.ow;
    auto div = [&](Value x, int64_t c) {
      return arith::DivUIOp::create(b, loc, x, idx(c)).getResult();
    };
    auto rem = [&](Value x, int64_t c) {
      return arith::RemUIOp::create(b, loc, x, idx(c)).getResult();
    };
    Value inPlane = rem(m, plane);
    return {div(m, plane), div(inPlane, match.ow), rem(inPlane, match.ow), n};
  }

  /// mr rows from `row0` times nr vectors of channels from block `blk0`,
  /// written into `out`.
  Value block(Value out, Value row0, Value blk0, int64_t rows, int64_t vecs) {
    VectorType v16i32 = vec(kLanes, b.getI32Type());
    SmallVector<Value> channel, init;
    for (int64_t v = 0; v < vecs; ++v)
      channel.push_back(mulIdx(addIdx(blk0, v), kLanes));
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t v = 0; v < vecs; ++v)
        init.push_back(read(bias, {channel[v]}, v16i32));
    SmallVector<Value> rowIndex;
    for (int64_t r = 0; r < rows; ++r)
      rowIndex.push_back(addIdx(row0, r));
    // One reduction step: 4 bytes of each row (rowBytes) times the packed
    // weights of step k, added to the accumulators.
    auto step = [&](ValueRange accs, Value k,
                    function_ref<Value(int64_t)> rowBytes) {
      SmallVector<Value> w;
      for (int64_t v = 0; v < vecs; ++v)
        w.push_back(read(packed, {addIdx(blk0, v), k, idx(0)},
                         vec(4 * kLanes, b.getI8Type())));
      SmallVector<Value> next;
      for (int64_t r = 0; r < rows; ++r) {
        Value word = vector::BitCastOp::create(
            b, loc, vec(1, b.getI32Type()), rowBytes(r));
        Value row = vector::BroadcastOp::create(b, loc, v16i32, word);
        for (int64_t v = 0; v < vecs; ++v)
          next.push_back(dot(accs[r * vecs + v], row, w[v]));
      }
      return next;
    };
    VectorType v4i8 = vec(4, b.getI8Type());
    scf::ForOp loop;
    if (!implicit) {
      loop = scf::ForOp::create(
          b, loc, idx(0), idx(kp / 4), idx(1), init,
          [&](OpBuilder &, Location, Value k, ValueRange accs) {
            Value k4 = mulIdx(k, 4);
            scf::YieldOp::create(b, loc, step(accs, k, [&](int64_t r) {
                                   return read(a, {rowIndex[r], k4}, v4i8);
                                 }));
          });
    } else {
      // Row m is output pixel (n, oh, ow); reduction step k is tap
      // (kh, kw) times channels [4c, 4c+4): the bytes sit at input
      // [n, oh*sh + kh*dh, ow*sw + kw*dw, 4c] of the padded input.
      const GemmMatch &g = match;
      int64_t plane = g.oh * g.ow, groups = g.channels / 4;
      SmallVector<Value> image, top, left;
      for (int64_t r = 0; r < rows; ++r) {
        Value inPlane =
            arith::RemUIOp::create(b, loc, rowIndex[r], idx(plane));
        image.push_back(
            arith::DivUIOp::create(b, loc, rowIndex[r], idx(plane)));
        top.push_back(mulIdx(
            arith::DivUIOp::create(b, loc, inPlane, idx(g.ow)), g.strideH));
        left.push_back(mulIdx(
            arith::RemUIOp::create(b, loc, inPlane, idx(g.ow)), g.strideW));
      }
      loop = scf::ForOp::create(
          b, loc, idx(0), idx(g.kh * g.kw), idx(1), init,
          [&](OpBuilder &, Location, Value tap, ValueRange tapAccs) {
            Value dh = mulIdx(arith::DivUIOp::create(b, loc, tap, idx(g.kw)),
                              g.dilationH);
            Value dw = mulIdx(arith::RemUIOp::create(b, loc, tap, idx(g.kw)),
                              g.dilationW);
            SmallVector<Value> h, w;
            for (int64_t r = 0; r < rows; ++r) {
              h.push_back(arith::AddIOp::create(b, loc, top[r], dh));
              w.push_back(arith::AddIOp::create(b, loc, left[r], dw));
            }
            Value k0 = mulIdx(tap, groups);
            auto inner = scf::ForOp::create(
                b, loc, idx(0), idx(groups), idx(1), tapAccs,
                [&](OpBuilder &, Location, Value c, ValueRange accs) {
                  Value k = arith::AddIOp::create(b, loc, k0, c);
                  Value c4 = mulIdx(c, 4);
                  scf::YieldOp::create(
                      b, loc, step(accs, k, [&](int64_t r) {
                        return read(a, {image[r], h[r], w[r], c4}, v4i8);
                      }));
                });
            scf::YieldOp::create(b, loc, inner.getResults());
          });
    }
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t v = 0; v < vecs; ++v) {
        Value y = finish(loop.getResult(r * vecs + v), channel[v]);
        out = vector::TransferWriteOp::create(b, loc, y, out,
                                              outIndices(rowIndex[r], channel[v]),
                                              ArrayRef<bool>{true})
                  .getResult();
      }
    return out;
  }

  /// Every row for the channel blocks [blk0, blk0 + vecs).
  Value rowsFor(Value out, Value blk0, int64_t vecs) {
    int64_t full = match.m / mr * mr;
    if (full > 0)
      out = scf::ForOp::create(
                b, loc, idx(0), idx(full), idx(mr), ValueRange{out},
                [&](OpBuilder &, Location, Value m, ValueRange args) {
                  scf::YieldOp::create(
                      b, loc, block(args[0], m, blk0, mr, vecs));
                })
                .getResult(0);
    if (full < match.m)
      out = scf::ForOp::create(
                b, loc, idx(full), idx(match.m), idx(1), ValueRange{out},
                [&](OpBuilder &, Location, Value m, ValueRange args) {
                  scf::YieldOp::create(b, loc,
                                       block(args[0], m, blk0, 1, vecs));
                })
                .getResult(0);
    return out;
  }

  Value build() {
    prepareConstants();
    a = prepareInput();
    auto resultType =
        cast<RankedTensorType>(match.epilogue.getResult(0).getType());
    // Convolutions whose channels fill whole vectors write the NHWC result
    // itself, so that it can be the caller's output buffer (no final copy).
    nhwcOut = resultType.getRank() == 4 && np == match.n;
    Value out = nhwcOut ? tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                                  b.getI8Type())
                        : tensor::EmptyOp::create(
                              b, loc, ArrayRef<int64_t>{match.m, np},
                              b.getI8Type());
    int64_t blocks = np / kLanes, groups = blocks / nr, rest = blocks % nr;
    if (groups > 0)
      out = scf::ForOp::create(
                b, loc, idx(0), idx(groups), idx(1), ValueRange{out},
                [&](OpBuilder &, Location, Value g, ValueRange args) {
                  scf::YieldOp::create(
                      b, loc, rowsFor(args[0], mulIdx(g, nr), nr));
                })
                .getResult(0);
    if (rest > 0)
      out = rowsFor(out, idx(groups * nr), rest);
    if (np != match.n)
      out = tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get({match.m, match.n}, b.getI8Type()),
          out, ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(match.m),
                                 b.getIndexAttr(match.n)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
    if (nhwcOut || resultType.getRank() == 2)
      return out;
    return tensor::ExpandShapeOp::create(
        b, loc, resultType, out,
        ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  }
};

struct QntCpuGemmKernels
    : public qc::impl::QntCpuGemmKernelsPassBase<QntCpuGemmKernels> {
  using QntCpuGemmKernelsPassBase::QntCpuGemmKernelsPassBase;

  void runOnOperation() override {
    if (rowBlock < 1 || rowBlock > 8 || vectorBlock < 1 || vectorBlock > 4) {
      getOperation()->emitError("qnt-cpu-gemm-kernels: mr must be 1 to 8 and "
                                "nr 1 to 4");
      return signalPassFailure();
    }
    SmallVector<qnt::FixedPointMulOp> candidates;
    getOperation()->walk(
        [&](qnt::FixedPointMulOp op) { candidates.push_back(op); });
    for (qnt::FixedPointMulOp op : candidates) {
      std::optional<GemmMatch> match = matchGemm(op);
      if (!match)
        continue;
      OpBuilder b(match->epilogue);
      KernelBuilder kernel(b, match->epilogue.getLoc(), *match, rowBlock,
                           vectorBlock);
      Value result = kernel.build();
      match->epilogue.getResult(0).replaceAllUsesWith(result);
      match->epilogue.erase();
      match->rescale.erase();
      Operation *init = match->contraction.getDpsInitOperand(0)->get()
                            .getDefiningOp();
      match->contraction.erase();
      if (init && init->use_empty())
        init->erase();
    }
  }
};

} // namespace
