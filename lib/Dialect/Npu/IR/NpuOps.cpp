//===- NpuOps.cpp - npu instruction verifiers ----------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Each verifier checks what docs/npu.md says the encoder and the simulator
// reject: a field outside its width or range (section 3), a scratchpad or
// accumulator footprint outside the program's memories (section 2).
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Npu/IR/NpuOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace qc::npu;

namespace {

/// Field and footprint checks with one diagnostic each.
struct Checker {
  Operation *op;
  ProgramOp program;
  bool ok = true;

  explicit Checker(Operation *op)
      : op(op), program(op->getParentOfType<ProgramOp>()) {}

  /// `name` within [lo, hi].
  Checker &field(StringRef name, int64_t v, int64_t lo, int64_t hi) {
    if (ok && (v < lo || v > hi)) {
      op->emitOpError() << "field '" << name << "' = " << v << " is outside ["
                        << lo << ", " << hi << "]";
      ok = false;
    }
    return *this;
  }
  /// Bytes (or entries) [start, start + size) inside a memory of `limit`.
  Checker &inside(StringRef memory, int64_t start, int64_t size,
                  int64_t limit) {
    if (ok && (start < 0 || size < 0 || start + size > limit)) {
      op->emitOpError() << "touches " << memory << " [" << start << ", "
                        << start + size << "), outside its " << limit
                        << (memory == "ACC" ? " entries" : " bytes");
      ok = false;
    }
    return *this;
  }
  int64_t isp() { return program.getIsp(); }
  int64_t wsp() { return program.getWsp(); }
  int64_t accEntries() { return program.getAcc(); }
  int64_t cols() { return program.getCols(); }
  int64_t spaceSize(Space s) { return s == Space::isp ? isp() : wsp(); }
  LogicalResult result() { return success(ok); }
};

constexpr int64_t bits(int n) { return (int64_t(1) << n) - 1; }

/// The dependency fields every instruction has.
template <typename OpT> Checker checkTokens(OpT op) {
  Checker c(op.getOperation());
  ArrayRef<int64_t> wait = op.getWait();
  if (wait.size() > 2) {
    op.emitOpError() << "waits on " << wait.size()
                     << " semaphores; an instruction waits on at most 2";
    c.ok = false;
  }
  for (int64_t s : wait)
    c.field("wait", s, 0, 7);
  if (op.getSignal())
    c.field("signal", *op.getSignal(), 0, 7);
  return c;
}

} // namespace

LogicalResult ProgramOp::verifyRegions() {
  if (getRows() < 1 || getRows() > 64 || getCols() < 1 || getCols() > 63)
    return emitOpError() << "array must be 1..64 rows by 1..63 columns";
  if (getIsp() < 1 || getIsp() > (int64_t(1) << 18) || getWsp() < 1 ||
      getWsp() > (int64_t(1) << 18) || getAcc() < 1 ||
      getAcc() > (int64_t(1) << 14))
    return emitOpError() << "scratchpads must be 1..262144 bytes and the "
                            "accumulators 1..16384 entries (the address "
                            "fields' widths)";
  Block &body = getBody().front();
  if (body.empty() || !isa<EndOp>(body.back()))
    return emitOpError() << "must end with npu.end";
  for (Operation &op : body)
    if (isa<EndOp>(op) && &op != &body.back())
      return op.emitOpError() << "must be the last instruction";
  return success();
}

LogicalResult LoadOp::verify() {
  Checker c = checkTokens(*this);
  return c.field("buffer", getBuffer(), 0, 15)
      .field("dst", getDst(), 0, bits(20))
      .field("src", getSrc(), 0, bits(32))
      .field("rows", getRows(), 1, bits(12))
      .field("row_bytes", getRowBytes(), 1, bits(16))
      .field("src_stride", getSrcStride(), 0, bits(24))
      .inside(getSpace() == Space::isp ? "ISP" : "WSP", getDst(),
              getRows() * getRowBytes(), c.spaceSize(getSpace()))
      .result();
}

LogicalResult StoreOp::verify() {
  Checker c = checkTokens(*this);
  return c.field("buffer", getBuffer(), 0, 15)
      .field("src", getSrc(), 0, bits(20))
      .field("dst", getDst(), 0, bits(32))
      .field("rows", getRows(), 1, bits(12))
      .field("row_bytes", getRowBytes(), 1, bits(16))
      .field("dst_stride", getDstStride(), 0, bits(24))
      .inside("ISP", getSrc(), getRows() * getRowBytes(), c.isp())
      .result();
}

LogicalResult FillOp::verify() {
  Checker c = checkTokens(*this);
  return c.field("dst", getDst(), 0, bits(20))
      .field("bytes", getBytes(), 1, bits(20))
      .field("value", getValue(), 0, 255)
      .inside(getSpace() == Space::isp ? "ISP" : "WSP", getDst(), getBytes(),
              c.spaceSize(getSpace()))
      .result();
}

LogicalResult MatmulOp::verify() {
  Checker c = checkTokens(*this);
  c.field("in", getIn(), 0, bits(18))
      .field("in_stride", getInStride(), 0, bits(16))
      .field("m", getM(), 1, bits(12))
      .field("k", getK(), 1, bits(12))
      .field("w", getW(), 0, bits(18))
      .field("n", getN(), 1, c.ok ? c.cols() : 1)
      .field("acc", getAcc(), 0, bits(14));
  return c
      .inside("ISP", getIn(), (getM() - 1) * getInStride() + getK(), c.isp())
      .inside("WSP", getW(), getK() * getN(), c.wsp())
      .inside("ACC", getAcc(), getM() * getN(), c.accEntries())
      .result();
}

LogicalResult RequantOp::verify() {
  Checker c = checkTokens(*this);
  c.field("acc", getAcc(), 0, bits(14))
      .field("m", getM(), 1, bits(12))
      .field("n", getN(), 1, c.ok ? c.cols() : 1)
      .field("out", getOut(), 0, bits(18))
      .field("out_stride", getOutStride(), 0, bits(16))
      .field("table", getTable(), 0, bits(18));
  if (c.ok && getTable() % 4 != 0) {
    emitOpError() << "table address " << getTable() << " is not 4-aligned";
    return failure();
  }
  return c.inside("ACC", getAcc(), getM() * getN(), c.accEntries())
      .inside("ISP", getOut(), (getM() - 1) * getOutStride() + getN(), c.isp())
      .inside("WSP", getTable(), 12 * getN(), c.wsp())
      .result();
}

LogicalResult AddOp::verify() {
  Checker c = checkTokens(*this);
  return c.field("a", getA(), 0, bits(18))
      .field("b", getB(), 0, bits(18))
      .field("out", getOut(), 0, bits(18))
      .field("count", getCount(), 1, bits(20))
      .inside("ISP", getA(), getCount(), c.isp())
      .inside("ISP", getB(), getCount(), c.isp())
      .inside("ISP", getOut(), getCount(), c.isp())
      .result();
}

LogicalResult PoolOp::verify() {
  Checker c = checkTokens(*this);
  ArrayRef<int64_t> pads = getPads();
  if (pads.size() != 4)
    return emitOpError() << "pads must be [top, bottom, left, right]";
  c.field("in", getIn(), 0, bits(18))
      .field("out", getOut(), 0, bits(18))
      .field("h", getH(), 1, bits(10))
      .field("w", getW(), 1, bits(10))
      .field("c", getC(), 1, bits(10))
      .field("kh", getKh(), 1, bits(4))
      .field("kw", getKw(), 1, bits(4))
      .field("sh", getSh(), 1, bits(3))
      .field("sw", getSw(), 1, bits(3));
  for (int64_t p : pads)
    c.field("pads", p, 0, bits(3));
  if (!c.ok)
    return failure();
  int64_t h = getH(), w = getW(), kh = getKh(), kw = getKw();
  int64_t oh = (h + pads[0] + pads[1] - kh) / int64_t(getSh()) + 1;
  int64_t ow = (w + pads[2] + pads[3] - kw) / int64_t(getSw()) + 1;
  if (h + pads[0] + pads[1] < kh || w + pads[2] + pads[3] < kw ||
      pads[0] >= kh || pads[1] >= kh || pads[2] >= kw || pads[3] >= kw)
    return emitOpError() << "the window does not fit the padded input, or "
                            "a padding is not smaller than the window";
  int64_t channels = getC();
  return c.inside("ISP", getIn(), h * w * channels, c.isp())
      .inside("ISP", getOut(), oh * ow * channels, c.isp())
      .result();
}

LogicalResult SetRegOp::verify() {
  Checker c = checkTokens(*this);
  return c.field("reg", getReg(), 0, getQueue() == RegisterQueue::mm ? 1 : 15)
      .field("value", getValue(), INT32_MIN, INT32_MAX)
      .result();
}

LogicalResult EndOp::verify() {
  // END has no dependency fields (docs/npu.md section 3.9).
  if (!getWait().empty() || getSignal())
    return emitOpError() << "takes no wait or signal";
  return success();
}

#define GET_OP_CLASSES
#include "qc/Dialect/Npu/IR/NpuOps.cpp.inc"
