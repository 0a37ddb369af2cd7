//===- LayerBuilder.cpp - QNPU-1 programs for one quantized layer ---------===//
//
// Part of the quant project.
//
// See LayerBuilder.h for the program's shape and its semaphores.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/LayerBuilder.h"
#include "qc/npu/InstrBuilders.h"

#include <algorithm>
#include <cstdlib>

using namespace qc::npu;

namespace {

constexpr int kSemMm = 0, kSemRq = 1, kSemFree = 2, kSemWLoaded = 4,
              kSemWFree = 6;
constexpr uint64_t kSpAddrLimit = 1u << 18; ///< MATMUL/REQUANT ISP, WSP fields
constexpr uint64_t kAccLimit = 1u << 14;    ///< ACC entry fields
constexpr uint32_t kMaxRows = 4095, kMaxRowBytes = 65535;
constexpr uint32_t kMaxFill = (1u << 20) - 1;

uint64_t align4(uint64_t v) { return (v + 3) & ~uint64_t(3); }

/// Copies `bytes` contiguous bytes of buffer 0 at `src` to WSP `dst`, in
/// LOADs of at most 65535 bytes; returns the last one's index.
size_t loadContiguous(std::vector<Instr> &p, uint32_t dst, uint32_t src,
                      uint64_t bytes) {
  for (uint64_t done = 0; done < bytes;) {
    uint32_t n =
        static_cast<uint32_t>(std::min<uint64_t>(bytes - done, kMaxRowBytes));
    p.push_back(load(1, 0, dst + done, src + done, 1, n, 0));
    done += n;
  }
  return p.size() - 1;
}

std::string checkLayer(const ConvLayer &l, const NpuConfig &config) {
  if (l.H < 1 || l.W < 1 || l.Cin < 1 || l.Cout < 1 || l.KH < 1 || l.KW < 1)
    return "every dimension (H, W, Cin, Cout, KH, KW) must be at least 1";
  if (l.strideH < 1 || l.strideW < 1)
    return "strides must be at least 1";
  if (l.dilationH != 1 || l.dilationW != 1)
    return "dilations other than 1 are not supported";
  if (l.padTop < 0 || l.padBottom < 0 || l.padLeft < 0 || l.padRight < 0)
    return "paddings must not be negative";
  if (l.H + l.padTop + l.padBottom < l.KH ||
      l.W + l.padLeft + l.padRight < l.KW)
    return "the kernel is larger than the padded input";
  if (l.weights.size() != size_t(l.Cout) * l.KH * l.KW * l.Cin)
    return "weights must hold Cout * KH * KW * Cin = " +
           std::to_string(size_t(l.Cout) * l.KH * l.KW * l.Cin) +
           " values, not " + std::to_string(l.weights.size());
  if (!l.bias.empty() && l.bias.size() != size_t(l.Cout))
    return "bias must be empty or hold Cout values";
  size_t nm = l.stage.multipliers.size();
  if (nm != 1 && nm != size_t(l.Cout))
    return "the output stage needs one multiplier or one per output channel";
  int rounding = static_cast<int>(l.stage.rounding);
  if (rounding < 0 || rounding > 3)
    return "unknown rounding";
  int32_t oLo = l.outSigned ? -128 : 0, oHi = l.outSigned ? 127 : 255;
  if (l.stage.lo < oLo || l.stage.hi > oHi)
    return "the output clamp must lie inside the output type's range";
  // The zero-point border is FILLed with bytes: the zero point must be one.
  bool padded = l.padTop + l.padBottom + l.padLeft + l.padRight > 0;
  int32_t zpByte =
      l.inSigned ? int32_t(int8_t(l.inZp)) : int32_t(uint8_t(l.inZp));
  if (padded && l.inZp != zpByte)
    return "a padded layer's input zero point must be a value of the input "
           "type";
  // The partial sums must stay within int32 (MATMUL saturates; the
  // reference does not): bound |x - inZp| * |w - wZp| * KH * KW * Cin.
  int64_t xLo = l.inSigned ? -128 : 0,
          xMax = std::max<int64_t>(std::abs(xLo - l.inZp),
                                   std::abs(xLo + 255 - l.inZp));
  int64_t wMax = std::max<int64_t>(std::abs(-128 - int64_t(l.wZp)),
                                   std::abs(127 - int64_t(l.wZp)));
  if (double(xMax) * double(wMax) * l.KH * l.KW * l.Cin > 2147483647.0)
    return "the partial sums may leave int32 (|x - zp| <= " +
           std::to_string(xMax) + ", |w - wZp| <= " + std::to_string(wMax) +
           ", " + std::to_string(int64_t(l.KH) * l.KW * l.Cin) + " terms)";
  if (config.cols < 1 || config.cols > 63)
    return "the configuration's C must be 1..63";
  if (l.Cin > int(kMaxRows))
    return "Cin (" + std::to_string(l.Cin) + ") exceeds MATMUL's K limit 4095";
  if (l.OW() > int(kMaxRows))
    return "OW (" + std::to_string(l.OW()) + ") exceeds MATMUL's M limit 4095";
  if (uint64_t(l.strideW) * l.Cin > 65535)
    return "strideW * Cin exceeds MATMUL's inStride limit 65535";
  return "";
}

} // namespace

BuiltProgram qc::npu::buildConv2d(const ConvLayer &l, const NpuConfig &config) {
  BuiltProgram out;
  out.error = checkLayer(l, config);
  if (!out.ok())
    return out;

  const int OH = l.OH(), OW = l.OW(), taps = l.KH * l.KW;
  const uint64_t Hp = uint64_t(l.H) + l.padTop + l.padBottom,
                 Wp = uint64_t(l.W) + l.padLeft + l.padRight;
  const uint64_t rowPitch = Wp * l.Cin, inArea = Hp * rowPitch;
  const int C = static_cast<int>(config.cols);
  const int nMax = std::min(C, l.Cout);
  const int groups = (l.Cout + C - 1) / C;

  // ISP: the padded input, then the output slots.
  const uint64_t ispLimit = std::min<uint64_t>(config.ispBytes, kSpAddrLimit);
  if (inArea > ispLimit) {
    out.error = "the padded input (" + std::to_string(inArea) +
                " bytes) does not fit the ISP (" + std::to_string(ispLimit) +
                " bytes)";
    return out;
  }
  if (uint64_t(l.W) * l.Cin > kMaxRowBytes) {
    out.error = "an input row (" + std::to_string(uint64_t(l.W) * l.Cin) +
                " bytes) exceeds LOAD's 65535 bytes per row";
    return out;
  }
  // WSP: one or two slots of a group's tiles and table.
  const uint64_t tileBytes = uint64_t(taps) * l.Cin * nMax;
  const uint64_t wSlot = align4(tileBytes) + 12 * uint64_t(nMax);
  const uint64_t wspLimit = std::min<uint64_t>(config.wspBytes, kSpAddrLimit);
  if (wSlot > wspLimit) {
    out.error = "the weight tiles and table of one channel group (" +
                std::to_string(wSlot) + " bytes) do not fit the WSP (" +
                std::to_string(wspLimit) + " bytes)";
    return out;
  }
  const int wSlots = groups > 1 && 2 * wSlot <= wspLimit ? 2 : 1;
  // Bands: rows of OW * nMax accumulators and output bytes per slot.
  const uint64_t accLimit = std::min<uint64_t>(config.accEntries, kAccLimit);
  const uint64_t perRow = uint64_t(OW) * nMax;
  auto bandRowsFor = [&](uint64_t slots) {
    uint64_t r = std::min<uint64_t>(OH, accLimit / (slots * perRow));
    r = std::min<uint64_t>(r, (ispLimit - inArea) / (slots * perRow));
    return std::min<uint64_t>(r, kMaxRows / OW); // REQUANT's and STORE's M
  };
  uint64_t slots = 2, bandRows = bandRowsFor(2);
  if (bandRows == 0) {
    slots = 1;
    bandRows = bandRowsFor(1);
  }
  if (bandRows == 0) {
    if (accLimit < perRow) {
      out.error = "one output row of a channel group (" +
                  std::to_string(perRow) +
                  " accumulators) does not fit the ACC (" +
                  std::to_string(accLimit) + " entries)";
    } else {
      out.error = "the padded input (" + std::to_string(inArea) +
                  " bytes) and one output row of a channel group (" +
                  std::to_string(perRow) + " bytes) do not fit the ISP (" +
                  std::to_string(ispLimit) + " bytes)";
    }
    return out;
  }
  const int bands = static_cast<int>((OH + bandRows - 1) / bandRows);
  const uint64_t outBase = inArea, outSlot = bandRows * perRow;
  const uint64_t accSlot = bandRows * perRow;

  // Constants: per group, the tiles [tap][Cin][N] then the table.
  std::vector<uint64_t> groupOffset(groups);
  uint64_t total = 0;
  for (int g = 0; g < groups; ++g) {
    int N = std::min(C, l.Cout - g * C);
    groupOffset[g] = total;
    total += align4(uint64_t(taps) * l.Cin * N) + 12 * uint64_t(N);
  }
  if (total > 0xFFFFFFFFu) {
    out.error = "the constants exceed 4 GiB";
    return out;
  }
  out.constants.assign(total, 0);
  for (int g = 0; g < groups; ++g) {
    int c0 = g * C, N = std::min(C, l.Cout - c0);
    uint64_t base = groupOffset[g];
    for (int n = 0; n < N; ++n) {
      int o = c0 + n;
      for (int t = 0; t < taps; ++t)
        for (int ci = 0; ci < l.Cin; ++ci)
          out.constants[base + (uint64_t(t) * l.Cin + ci) * N + n] =
              static_cast<uint8_t>(
                  l.weights[(uint64_t(o) * taps + t) * l.Cin + ci]);
      uint64_t table = base + align4(uint64_t(taps) * l.Cin * N) + 12 * n;
      const rt::Multiplier &m =
          l.stage.multipliers[l.stage.multipliers.size() == 1 ? 0 : o];
      put32(out.constants, table, l.bias.empty() ? 0 : l.bias[o]);
      put32(out.constants, table + 4, m.m0);
      put32(out.constants, table + 8, m.shift);
    }
  }

  std::vector<Instr> &p = out.instrs;
  // The input. Three ways, cheapest first:
  //  - no left/right padding: the rows are dense at the padded pitch, so
  //    LOADs of up to 4095 rows, and FILLs of the top and bottom borders;
  //  - H >= 3, W >= padLeft, padRight and a padded row within 65535 bytes:
  //    rows 1 .. H-2 LOADed whole at the padded pitch (each carrying bytes
  //    of its neighbours where the borders go), rows 0 and H-1 into the
  //    interior, then FILLs of the top and bottom borders and of the
  //    left/right borders (those of rows r and r + 1 are contiguous). The LD
  //    queue runs in order, so the FILLs come after the LOADs;
  //  - otherwise a FILL of the whole area, then one LOAD per row.
  const uint32_t inRow = static_cast<uint32_t>(uint64_t(l.W) * l.Cin);
  const uint8_t zp = static_cast<uint8_t>(l.inZp);
  auto fillRange = [&](uint64_t from, uint64_t bytes) {
    for (uint64_t done = 0; done < bytes;) {
      uint32_t n =
          static_cast<uint32_t>(std::min<uint64_t>(bytes - done, kMaxFill));
      p.push_back(fill(0, static_cast<uint32_t>(from + done), n, zp));
      done += n;
    }
  };
  auto loadInterior = [&](int y) {
    p.push_back(load(0, 1,
                     static_cast<uint32_t>((l.padTop + y) * rowPitch +
                                           uint64_t(l.padLeft) * l.Cin),
                     y * inRow, 1, inRow, 0));
  };
  const uint64_t topBytes = uint64_t(l.padTop) * rowPitch,
                 bottomFrom = (uint64_t(l.padTop) + l.H) * rowPitch;
  const uint64_t leftBytes = uint64_t(l.padLeft) * l.Cin,
                 rightBytes = uint64_t(l.padRight) * l.Cin;
  if (l.padLeft == 0 && l.padRight == 0) {
    for (int y = 0; y < l.H; y += kMaxRows) {
      uint32_t rows = std::min<uint32_t>(kMaxRows, l.H - y);
      p.push_back(
          load(0, 1, (l.padTop + y) * inRow, y * inRow, rows, inRow, inRow));
    }
    fillRange(0, topBytes);
    fillRange(bottomFrom, inArea - bottomFrom);
  } else if (l.H >= 3 && l.W >= l.padLeft && l.W >= l.padRight &&
             rowPitch <= kMaxRowBytes) {
    loadInterior(0);
    for (int y = 1; y < l.H - 1; y += kMaxRows) {
      uint32_t rows = std::min<uint32_t>(kMaxRows, l.H - 1 - y);
      p.push_back(load(0, 1, static_cast<uint32_t>((l.padTop + y) * rowPitch),
                       static_cast<uint32_t>(y * inRow - leftBytes), rows,
                       static_cast<uint32_t>(rowPitch), inRow));
    }
    loadInterior(l.H - 1);
    fillRange(0, topBytes + leftBytes);
    for (int y = 0; y + 1 < l.H; ++y)
      fillRange((l.padTop + y) * rowPitch + leftBytes + inRow,
                rightBytes + leftBytes);
    fillRange(bottomFrom - rightBytes, inArea - bottomFrom + rightBytes);
  } else {
    fillRange(0, inArea);
    for (int y = 0; y < l.H; ++y)
      loadInterior(y);
  }
  // Registers.
  p.push_back(setreg(1, MM_IN_ZP, l.inZp));
  p.push_back(setreg(1, MM_W_ZP, l.wZp));
  p.push_back(setreg(2, PP_OUT_ZP, l.stage.zeroPoint));
  p.push_back(setreg(2, PP_OUT_LO, l.stage.lo));
  p.push_back(setreg(2, PP_OUT_HI, l.stage.hi));
  p.push_back(setreg(2, PP_ROUNDING, static_cast<int32_t>(l.stage.rounding)));

  const int totalBands = groups * bands;
  for (int g = 0; g < groups; ++g) {
    int c0 = g * C, N = std::min(C, l.Cout - c0);
    int ws = g % wSlots;
    uint32_t wBase = static_cast<uint32_t>(ws * wSlot);
    uint32_t tableAddr =
        static_cast<uint32_t>(wBase + align4(uint64_t(taps) * l.Cin * N));
    uint64_t groupBytes = align4(uint64_t(taps) * l.Cin * N) + 12 * uint64_t(N);
    size_t firstLoad = p.size();
    size_t lastLoad = loadContiguous(
        p, wBase, static_cast<uint32_t>(groupOffset[g]), groupBytes);
    if (g >= wSlots)
      p[firstLoad].wait0 = sem(kSemWFree + ws);
    p[lastLoad].signal = sem(kSemWLoaded + ws);

    for (int b = 0; b < bands; ++b) {
      int bandIndex = g * bands + b;
      int s = static_cast<int>(bandIndex % slots);
      int oy0 = static_cast<int>(b * bandRows);
      int rows = std::min<int>(static_cast<int>(bandRows), OH - oy0);
      uint32_t accBase = static_cast<uint32_t>(s * accSlot);
      uint32_t outAddr = static_cast<uint32_t>(outBase + s * outSlot);
      size_t firstMm = p.size();
      for (int t = 0; t < taps; ++t) {
        int kh = t / l.KW, kw = t % l.KW;
        for (int r = 0; r < rows; ++r) {
          int oy = oy0 + r;
          uint32_t in =
              static_cast<uint32_t>((uint64_t(oy) * l.strideH + kh) * rowPitch +
                                    uint64_t(kw) * l.Cin);
          p.push_back(
              matmul(in, static_cast<uint32_t>(l.strideW * l.Cin),
                     static_cast<uint32_t>(OW), static_cast<uint32_t>(l.Cin),
                     static_cast<uint32_t>(wBase + uint64_t(t) * l.Cin * N),
                     static_cast<uint32_t>(N),
                     static_cast<uint32_t>(accBase + uint64_t(r) * OW * N),
                     t > 0, l.inSigned, true));
          out.macs += uint64_t(OW) * l.Cin * N;
        }
      }
      if (b == 0)
        p[firstMm].wait0 = sem(kSemWLoaded + ws);
      if (bandIndex >= int(slots))
        p[firstMm].wait1 = sem(kSemFree + s);
      p.back().signal = sem(kSemMm);

      p.push_back(
          withSems(requant(accBase, static_cast<uint32_t>(rows * OW),
                           static_cast<uint32_t>(N), outAddr,
                           static_cast<uint32_t>(N), tableAddr, l.outSigned),
                   kSemMm, kSemRq));
      if (b == bands - 1 && g + wSlots < groups) {
        // The group's WSP slot is free once this REQUANT is done (its
        // MATMULs completed before it started); PP runs in order.
        Instr free = setreg(2, PP_OUT_ZP, l.stage.zeroPoint);
        free.signal = sem(kSemWFree + ws);
        p.push_back(free);
      }
      bool freesSlot = bandIndex + int(slots) < totalBands;
      p.push_back(withSems(
          store(2, static_cast<uint32_t>((uint64_t(oy0) * OW) * l.Cout + c0),
                outAddr, static_cast<uint32_t>(rows * OW),
                static_cast<uint32_t>(N), static_cast<uint32_t>(l.Cout)),
          kSemRq, freesSlot ? kSemFree + s : -1));
    }
  }
  p.push_back(Instr{});

  out.inputBytes = uint64_t(l.H) * l.W * l.Cin;
  out.outputBytes = uint64_t(OH) * OW * l.Cout;
  out.groups = groups;
  out.bands = bands;
  for (size_t i = 0; i < p.size(); ++i) {
    std::string why = validate(p[i]);
    if (!why.empty()) {
      BuiltProgram bad;
      bad.error = "internal: instruction " + std::to_string(i) + " (" +
                  toAsm(p[i]) + "): " + why;
      return bad;
    }
  }
  return out;
}

BuiltProgram qc::npu::buildFullyConnected(const FcLayer &l,
                                          const NpuConfig &config) {
  ConvLayer c;
  c.H = 1;
  c.W = l.M;
  c.Cin = l.K;
  c.inSigned = l.inSigned;
  c.inZp = l.inZp;
  c.Cout = l.N;
  c.weights = l.weights; // [N][K] is OHWI with KH = KW = 1
  c.wZp = l.wZp;
  c.bias = l.bias;
  c.outSigned = l.outSigned;
  c.stage = l.stage;
  return buildConv2d(c, config);
}
