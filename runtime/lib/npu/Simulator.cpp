//===- Simulator.cpp - QNPU-1 cycle-counting simulator --------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/Simulator.h"

#include "qc/runtime/QuantKernels.h"
#include "qc/runtime/fixed_point.h"

#include <algorithm>
#include <cstring>

using namespace qc::npu;
namespace rt = qc::rt;

__extension__ typedef __int128 Wide;

static int32_t sat32(Wide v) {
  return static_cast<int32_t>(std::clamp<Wide>(v, INT32_MIN, INT32_MAX));
}

static int32_t byteValue(uint8_t b, bool isSigned) {
  return isSigned ? static_cast<int8_t>(b) : b;
}

static uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

static std::string describe(size_t index, const Instr &instr) {
  return "instruction " + std::to_string(index) + " (" +
         opcodeName(instr.op) + ")";
}

//===----------------------------------------------------------------------===//
// Checks
//===----------------------------------------------------------------------===//

/// "" if [begin, end) fits in `size` bytes or entries, else the reason.
static std::string fits(uint64_t begin, uint64_t end, uint64_t size,
                        const char *what) {
  if (end <= size)
    return "";
  return std::string(what) + " footprint [" + std::to_string(begin) + ", " +
         std::to_string(end) + ") outside its " + std::to_string(size);
}

static std::string checkBuffer(const Instr &instr, uint64_t offset,
                               const std::vector<HostBuffer> &buffers) {
  if (instr.buffer >= buffers.size() || !buffers[instr.buffer].data)
    return "missing host buffer " + std::to_string(instr.buffer);
  uint64_t end =
      offset + uint64_t(instr.rows - 1) * instr.stride + instr.rowBytes;
  if (end > buffers[instr.buffer].size)
    return "DMA outside host buffer " + std::to_string(instr.buffer) + ": [" +
           std::to_string(offset) + ", " + std::to_string(end) +
           ") of " + std::to_string(buffers[instr.buffer].size) + " bytes";
  return "";
}

static std::string checkN(const Instr &instr, const NpuConfig &config) {
  if (instr.N > config.cols)
    return "field out of range: N=" + std::to_string(instr.N) + " > C=" +
           std::to_string(config.cols);
  return "";
}

/// Output size of a pooling window (0 when the window does not fit).
static uint64_t poolOut(uint32_t in, uint32_t lo, uint32_t hi, uint32_t k,
                        uint32_t s) {
  return in + lo + hi < k ? 0 : (in + lo + hi - k) / s + 1;
}

static std::string checkPool(const Instr &p, uint64_t isp) {
  if (p.padTop >= p.KH || p.padBottom >= p.KH || p.padLeft >= p.KW ||
      p.padRight >= p.KW)
    return "field out of range: padding must be smaller than the window";
  uint64_t oh = poolOut(p.H, p.padTop, p.padBottom, p.KH, p.SH);
  uint64_t ow = poolOut(p.W, p.padLeft, p.padRight, p.KW, p.SW);
  if (oh == 0 || ow == 0)
    return "field out of range: the window is larger than the padded input";
  std::string why = fits(p.in, p.in + uint64_t(p.H) * p.W * p.Cp, isp, "ISP");
  if (why.empty())
    why = fits(p.out, p.out + oh * ow * p.Cp, isp, "ISP");
  return why;
}

static uint64_t rowsEnd(uint64_t base, uint64_t rows, uint64_t stride,
                        uint64_t width) {
  return base + (rows - 1) * stride + width;
}

/// The first non-empty reason, or "".
static std::string firstOf(std::initializer_list<std::string> reasons) {
  for (const std::string &r : reasons)
    if (!r.empty())
      return r;
  return "";
}

std::string Simulator::check(const Instr &i,
                             const std::vector<HostBuffer> &buffers) const {
  const NpuConfig &c = config_;
  uint64_t isp = c.ispBytes, wsp = c.wspBytes, acc = c.accEntries;
  uint64_t sp = i.space ? wsp : isp;
  const char *spName = i.space ? "WSP" : "ISP";
  uint64_t tile = uint64_t(i.M) * i.N;
  switch (i.op) {
  case Opcode::Load:
    return firstOf({fits(i.dst, i.dst + uint64_t(i.rows) * i.rowBytes, sp,
                         spName),
                    checkBuffer(i, i.src, buffers)});
  case Opcode::Store:
    return firstOf({fits(i.src, i.src + uint64_t(i.rows) * i.rowBytes, isp,
                         "ISP"),
                    checkBuffer(i, i.dst, buffers)});
  case Opcode::Fill:
    return fits(i.dst, uint64_t(i.dst) + i.bytes, sp, spName);
  case Opcode::Matmul:
    return firstOf(
        {checkN(i, c), fits(i.in, rowsEnd(i.in, i.M, i.inStride, i.K), isp, "ISP"),
         fits(i.w, i.w + uint64_t(i.K) * i.N, wsp, "WSP"),
         fits(i.acc, i.acc + tile, acc, "ACC")});
  case Opcode::Requant:
    return firstOf(
        {i.table % 4 ? "table address " + std::to_string(i.table) +
                           " not 4-aligned"
                     : "",
         checkN(i, c), fits(i.acc, i.acc + tile, acc, "ACC"),
         fits(i.table, i.table + 12 * uint64_t(i.N), wsp, "WSP"),
         fits(i.out, rowsEnd(i.out, i.M, i.outStride, i.N), isp, "ISP")});
  case Opcode::Add:
    return firstOf({fits(i.a, uint64_t(i.a) + i.count, isp, "ISP"),
                    fits(i.b, uint64_t(i.b) + i.count, isp, "ISP"),
                    fits(i.out, uint64_t(i.out) + i.count, isp, "ISP")});
  case Opcode::Pool:
    return checkPool(i, isp);
  case Opcode::SetReg:
  case Opcode::End:
    return "";
  }
  return "invalid opcode";
}

//===----------------------------------------------------------------------===//
// Timing
//===----------------------------------------------------------------------===//

static bool sameTile(const Instr &i, uint32_t R, uint32_t w, uint32_t K,
                     uint32_t N, uint32_t wSigned) {
  return i.K <= R && i.w == w && i.K == K && i.N == N && i.wSigned == wSigned;
}

uint64_t Simulator::cost(const Instr &i, const State &state) const {
  const NpuConfig &c = config_;
  switch (i.op) {
  case Opcode::Load:
  case Opcode::Store:
    return c.dmaSetup + ceilDiv(uint64_t(i.rows) * i.rowBytes, c.dmaBytesPerCycle);
  case Opcode::Fill:
    return ceilDiv(i.bytes, c.dmaBytesPerCycle);
  case Opcode::Matmul: {
    const Tile &t = state.tile;
    if (t.valid && sameTile(i, c.rows, t.w, t.K, t.N, t.wSigned))
      return i.M;
    return ceilDiv(i.K, c.rows) * (uint64_t(i.M) + c.rows);
  }
  case Opcode::Requant:
    return c.ppuSetup + ceilDiv(uint64_t(i.M) * i.N, c.ppuLanes);
  case Opcode::Add:
    return c.ppuSetup + ceilDiv(i.count, c.ppuLanes);
  case Opcode::Pool: {
    uint64_t oh = poolOut(i.H, i.padTop, i.padBottom, i.KH, i.SH);
    uint64_t ow = poolOut(i.W, i.padLeft, i.padRight, i.KW, i.SW);
    return c.ppuSetup +
           ceilDiv(oh * ow * i.Cp * i.KH * i.KW, c.ppuLanes);
  }
  case Opcode::SetReg:
  case Opcode::End:
    return 1;
  }
  return 1;
}

//===----------------------------------------------------------------------===//
// Functional semantics
//===----------------------------------------------------------------------===//

Simulator::Simulator(const NpuConfig &config)
    : config_(config), isp_(config.ispBytes), wsp_(config.wspBytes),
      acc_(config.accEntries) {}

void Simulator::reset() {
  std::fill(isp_.begin(), isp_.end(), 0);
  std::fill(wsp_.begin(), wsp_.end(), 0);
  std::fill(acc_.begin(), acc_.end(), 0);
}

void Simulator::matmul(const Instr &i, const State &state) {
  int32_t inZp = state.mm[MM_IN_ZP], wZp = state.mm[MM_W_ZP];
  for (uint32_t m = 0; m < i.M; ++m) {
    const uint8_t *x = &isp_[i.in + size_t(m) * i.inStride];
    for (uint32_t n = 0; n < i.N; ++n) {
      // |x - zp| < 2^33, so each product < 2^66: sum in 128 bits.
      Wide s = 0;
      for (uint32_t k = 0; k < i.K; ++k)
        s += Wide(int64_t(byteValue(x[k], i.inSigned)) - inZp) *
             (int64_t(byteValue(wsp_[i.w + size_t(k) * i.N + n], i.wSigned)) -
              wZp);
      int32_t &a = acc_[i.acc + size_t(m) * i.N + n];
      a = sat32(i.accumulate ? s + a : s);
    }
  }
}

static int32_t readInt32(const uint8_t *p) {
  uint32_t v = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
               uint32_t(p[3]) << 24;
  return static_cast<int32_t>(v);
}

static rt::Rounding roundingOf(int32_t r) {
  return static_cast<rt::Rounding>(std::clamp(r, 0, 3));
}

/// The output stage of REQUANT: clamp(zp + multiply(v), lo, hi), max then
/// min, as the runtime's output stage applies it.
static int32_t outputStage(int32_t v, int32_t m0, int32_t shift,
                           const std::array<int32_t, kNumPpRegs> &pp) {
  rt::Rounding r = roundingOf(pp[PP_ROUNDING]);
  if (r == rt::Rounding::Gemmlowp)
    return qc_requantize(v, m0, shift, pp[PP_OUT_ZP], pp[PP_OUT_LO],
                         pp[PP_OUT_HI]);
  int64_t y = int64_t(pp[PP_OUT_ZP]) + rt::q::applyFixedPointMul(v, m0, shift, r);
  return static_cast<int32_t>(
      std::min<int64_t>(std::max<int64_t>(y, pp[PP_OUT_LO]), pp[PP_OUT_HI]));
}

void Simulator::requant(const Instr &i, const State &state) {
  for (uint32_t n = 0; n < i.N; ++n) {
    const uint8_t *e = &wsp_[i.table + 12 * size_t(n)];
    int32_t bias = readInt32(e), m0 = readInt32(e + 4), shift = readInt32(e + 8);
    for (uint32_t m = 0; m < i.M; ++m) {
      int32_t v = sat32(Wide(acc_[i.acc + size_t(m) * i.N + n]) + bias);
      isp_[i.out + size_t(m) * i.outStride + n] =
          static_cast<uint8_t>(outputStage(v, m0, shift, state.pp));
    }
  }
}

/// The runtime's stage for ADD and POOL. Its kernels refuse lo > hi; the
/// machine's clamp (max then min) then yields hi everywhere, which lo = hi
/// reproduces.
static rt::OutputStage stageOf(const std::array<int32_t, kNumPpRegs> &pp,
                               int32_t m0, int32_t shift) {
  rt::OutputStage stage;
  stage.multipliers = {rt::Multiplier{m0, shift}};
  stage.zeroPoint = pp[PP_OUT_ZP];
  stage.hi = pp[PP_OUT_HI];
  stage.lo = std::min(pp[PP_OUT_LO], pp[PP_OUT_HI]);
  stage.rounding = roundingOf(pp[PP_ROUNDING]);
  return stage;
}

static rt::Tensor tensorOf(const uint8_t *bytes, std::vector<int64_t> shape,
                           bool isSigned) {
  rt::Tensor t(rt::DType::I32, std::move(shape));
  int32_t *d = t.data<int32_t>();
  for (int64_t k = 0, e = t.numElements(); k < e; ++k)
    d[k] = byteValue(bytes[k], isSigned);
  return t;
}

static void storeBytes(const rt::Tensor &t, uint8_t *out) {
  const int32_t *d = t.data<int32_t>();
  for (int64_t k = 0, e = t.numElements(); k < e; ++k)
    out[k] = static_cast<uint8_t>(d[k]);
}

std::string Simulator::add(const Instr &i, const State &state) {
  const auto &pp = state.pp;
  rt::AddParams params;
  params.leftShift = pp[PP_LEFT_SHIFT];
  params.zeroPointA = pp[PP_A_ZP];
  params.zeroPointB = pp[PP_B_ZP];
  params.multiplierA = rt::Multiplier{pp[PP_A_M0], pp[PP_A_SHIFT]};
  params.multiplierB = rt::Multiplier{pp[PP_B_M0], pp[PP_B_SHIFT]};
  params.output = stageOf(pp, pp[PP_OUT_M0], pp[PP_OUT_SHIFT]);
  rt::Tensor a = tensorOf(&isp_[i.a], {int64_t(i.count)}, i.aSigned);
  rt::Tensor b = tensorOf(&isp_[i.b], {int64_t(i.count)}, i.bSigned);
  rt::Tensor out;
  std::string error;
  if (!rt::q::add(a, b, params, out, error))
    return error;
  storeBytes(out, &isp_[i.out]);
  return "";
}

qc::rt::PoolAttrs qc::npu::poolAttrsOf(const Instr &i) {
  rt::PoolAttrs attrs;
  attrs.kernelH = i.KH;
  attrs.kernelW = i.KW;
  attrs.strideH = i.SH;
  attrs.strideW = i.SW;
  attrs.padTop = i.padTop;
  attrs.padBottom = i.padBottom;
  attrs.padLeft = i.padLeft;
  attrs.padRight = i.padRight;
  attrs.countIncludePad = i.countPad;
  return attrs;
}

std::string Simulator::pool(const Instr &i, const State &state) {
  rt::PoolAttrs attrs = poolAttrsOf(i);
  rt::OutputStage stage =
      stageOf(state.pp, state.pp[PP_POOL_M0], state.pp[PP_POOL_SHIFT]);
  rt::Tensor in = tensorOf(&isp_[i.in], {1, i.H, i.W, i.Cp}, i.isSigned);
  rt::Tensor out;
  std::string error;
  bool ok = i.isAvg ? rt::q::avgPool2d(in, state.pp[PP_IN_ZP], attrs, stage,
                                       out, error)
                    : rt::q::maxPool2d(in, state.pp[PP_IN_ZP], attrs, stage,
                                       out, error);
  if (!ok)
    return error;
  storeBytes(out, &isp_[i.out]);
  return "";
}

/// Forgets the array's tile when a write to WSP covers any of its bytes.
static void wspWritten(uint64_t begin, uint64_t end, Simulator::Tile &tile) {
  uint64_t tileEnd = tile.w + uint64_t(tile.K) * tile.N;
  if (tile.valid && begin < tileEnd && tile.w < end)
    tile.valid = false;
}

void Simulator::dma(const Instr &i, const std::vector<HostBuffer> &buffers,
                    State &state, RunResult &result) {
  uint64_t bytes = uint64_t(i.rows) * i.rowBytes;
  if (i.op == Opcode::Store) {
    uint8_t *host = buffers[i.buffer].data;
    for (uint32_t r = 0; r < i.rows; ++r)
      std::memcpy(host + i.dst + size_t(r) * i.stride,
                  &isp_[i.src + size_t(r) * i.rowBytes], i.rowBytes);
    result.dmaBytesOut += bytes;
    return;
  }
  std::vector<uint8_t> &sp = i.space ? wsp_ : isp_;
  if (i.op == Opcode::Fill) {
    std::memset(&sp[i.dst], static_cast<int>(i.value), i.bytes);
    bytes = i.bytes;
  } else {
    const uint8_t *host = buffers[i.buffer].data;
    for (uint32_t r = 0; r < i.rows; ++r)
      std::memcpy(&sp[i.dst + size_t(r) * i.rowBytes],
                  host + i.src + size_t(r) * i.stride, i.rowBytes);
    result.dmaBytesIn += bytes;
  }
  if (i.space)
    wspWritten(i.dst, i.dst + bytes, state.tile);
}

std::string Simulator::execute(const Instr &i,
                               const std::vector<HostBuffer> &buffers,
                               State &state, RunResult &result) {
  switch (i.op) {
  case Opcode::Load:
  case Opcode::Store:
  case Opcode::Fill:
    dma(i, buffers, state, result);
    return "";
  case Opcode::Matmul:
    matmul(i, state);
    state.tile = Tile{i.K <= config_.rows, i.w, i.K, i.N, i.wSigned};
    return "";
  case Opcode::Requant:
    requant(i, state);
    return "";
  case Opcode::Add:
    return add(i, state);
  case Opcode::Pool:
    return pool(i, state);
  case Opcode::SetReg:
    (i.queue == 1 ? &state.mm[0] : &state.pp[0])[i.reg] =
        static_cast<int32_t>(i.value);
    return "";
  case Opcode::End:
    return "";
  }
  return "";
}

//===----------------------------------------------------------------------===//
// The run loop
//===----------------------------------------------------------------------===//

/// The four queues while running.
struct qc::npu::detail::Queues {
  std::array<std::vector<size_t>, kNumQueues> order; ///< program indices
  std::array<size_t, kNumQueues> head{};
  std::array<int64_t, kNumQueues> running; ///< instruction, or -1
  std::array<int64_t, kNumSemaphores> sem{};

  Queues() { running.fill(-1); }
  bool idle() const {
    for (unsigned q = 0; q < kNumQueues; ++q)
      if (running[q] >= 0 || head[q] < order[q].size())
        return false;
    return true;
  }
};
using qc::npu::detail::Queues;

static bool canWait(const Instr &i, const std::array<int64_t, kNumSemaphores> &sem) {
  std::array<int64_t, kNumSemaphores> need{};
  for (const SemRef *s : {&i.wait0, &i.wait1})
    if (s->valid)
      ++need[s->id];
  for (unsigned k = 0; k < kNumSemaphores; ++k)
    if (sem[k] < need[k])
      return false;
  return true;
}

static std::string deadlockReport(const std::vector<Instr> &instrs,
                                  const Queues &qs, uint64_t t,
                                  int64_t &first) {
  std::string msg = "deadlock at cycle " + std::to_string(t) + ":";
  first = -1;
  for (unsigned q = 0; q < kNumQueues; ++q) {
    if (qs.head[q] >= qs.order[q].size())
      continue;
    size_t idx = qs.order[q][qs.head[q]];
    first = first < 0 ? int64_t(idx) : std::min<int64_t>(first, idx);
    msg += " " + describe(idx, instrs[idx]) + " in queue " +
           queueName(static_cast<Queue>(q)) + " waits on";
    for (const SemRef *s : {&instrs[idx].wait0, &instrs[idx].wait1})
      if (s->valid)
        msg += " s" + std::to_string(s->id) + "=" +
               std::to_string(qs.sem[s->id]);
    msg += ";";
  }
  msg.pop_back();
  return msg;
}

RunResult Simulator::runBlob(const std::vector<uint8_t> &blob,
                             const std::vector<HostBuffer> &buffers) {
  RunResult result;
  std::optional<Program> program = readBlob(blob, config_, result.error);
  if (!program)
    return result;
  return run(*program, buffers);
}

RunResult Simulator::run(const Program &program,
                         const std::vector<HostBuffer> &buffers) {
  if (!program.config.sameShape(config_)) {
    RunResult result;
    result.error = "configuration mismatch: the program is for another NPU";
    return result;
  }
  return run(program.instrs, buffers);
}

static std::string checkConfig(const NpuConfig &c) {
  if (c.rows == 0 || c.cols == 0 || c.cols > 63 || c.dmaBytesPerCycle == 0 ||
      c.ppuLanes == 0)
    return "invalid configuration (R, C, B and P must be positive, C <= 63)";
  return "";
}

/// Completions at cycle t: signal, free the queue.
static void complete(const std::vector<Instr> &instrs, const RunResult &result,
                     uint64_t t, Queues &qs) {
  for (unsigned q = 0; q < kNumQueues; ++q) {
    int64_t r = qs.running[q];
    if (r < 0 || result.stats[r].end != t)
      continue;
    if (instrs[r].signal.valid)
      ++qs.sem[instrs[r].signal.id];
    qs.running[q] = -1;
  }
}

/// The next cycle something can change: a completion, or the fetch of a
/// queue's head; UINT64_MAX if none (a deadlock, unless all is done).
static uint64_t nextEvent(const Queues &qs, const RunResult &result,
                          uint64_t t) {
  uint64_t next = UINT64_MAX;
  for (unsigned q = 0; q < kNumQueues; ++q) {
    if (qs.running[q] >= 0)
      next = std::min(next, result.stats[qs.running[q]].end);
    else if (qs.head[q] < qs.order[q].size() &&
             qs.order[q][qs.head[q]] + 1 > t)
      next = std::min<uint64_t>(next, qs.order[q][qs.head[q]] + 1);
  }
  return next;
}

bool Simulator::start(const std::vector<Instr> &instrs,
                      const std::vector<HostBuffer> &buffers, uint64_t t,
                      Queues &qs, State &state, RunResult &result) {
  // Queues start in the order LD, MM, PP, ST (docs/npu.md section 4).
  for (unsigned q = 0; q < kNumQueues; ++q) {
    if (qs.running[q] >= 0 || qs.head[q] >= qs.order[q].size())
      continue;
    size_t k = qs.order[q][qs.head[q]];
    const Instr &i = instrs[k];
    if (k + 1 > t || !canWait(i, qs.sem))
      continue;
    for (const SemRef *s : {&i.wait0, &i.wait1})
      if (s->valid)
        --qs.sem[s->id];
    InstrStats &st = result.stats[k];
    st.start = t;
    st.end = t + cost(i, state);
    st.macs = i.op == Opcode::Matmul ? uint64_t(i.M) * i.K * i.N : 0;
    result.macs += st.macs;
    std::string why = execute(i, buffers, state, result);
    if (!why.empty()) {
      result.error = describe(k, i) + ": " + why;
      result.errorIndex = int64_t(k);
      return false;
    }
    qs.running[q] = int64_t(k);
    ++qs.head[q];
  }
  return true;
}

bool Simulator::precheck(const std::vector<Instr> &instrs,
                         const std::vector<HostBuffer> &buffers,
                         RunResult &result) const {
  result.error = checkConfig(config_);
  if (result.error.empty())
    result.error = checkProgram(instrs, &result.errorIndex);
  for (size_t k = 0; result.error.empty() && k < instrs.size(); ++k) {
    std::string why = check(instrs[k], buffers);
    if (!why.empty()) {
      result.error = describe(k, instrs[k]) + ": " + why;
      result.errorIndex = int64_t(k);
    }
  }
  return result.error.empty();
}

RunResult Simulator::run(const std::vector<Instr> &instrs,
                         const std::vector<HostBuffer> &buffers) {
  RunResult result;
  if (!precheck(instrs, buffers, result))
    return result;
  Queues qs;
  for (size_t k = 0; k + 1 < instrs.size(); ++k)
    qs.order[static_cast<unsigned>(queueOf(instrs[k]))].push_back(k);
  result.stats.assign(instrs.size(), InstrStats());
  State state;
  state.pp[PP_OUT_LO] = -128;
  state.pp[PP_OUT_HI] = 127;

  // Instruction k is fetched during cycle k and may start at cycle k + 1.
  uint64_t t = 0;
  while (!qs.idle()) {
    complete(instrs, result, t, qs);
    if (!start(instrs, buffers, t, qs, state, result))
      return result;
    if (qs.idle())
      break;
    uint64_t next = nextEvent(qs, result, t);
    if (next == UINT64_MAX) {
      result.error = deadlockReport(instrs, qs, t, result.errorIndex);
      return result;
    }
    t = next;
  }
  // The last completion (the loop stops once the last one has started).
  for (const InstrStats &st : result.stats)
    t = std::max(t, st.end);
  result.cycles = std::max<uint64_t>(t, instrs.size());
  result.stats.back() = InstrStats{result.cycles, result.cycles, 0};
  result.ok = true;
  uint64_t capacity = result.cycles * config_.rows * config_.cols;
  result.utilisation = capacity ? double(result.macs) / double(capacity) : 0;
  return result;
}
