//===- onednn-bench.cpp - oneDNN int8 GEMM and conv timings ---------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The peer column of bench/cpu-kernels.sh: oneDNN (2.x API) running the same
// quantized layers as our compiled kernels, on one thread.
//
//   onednn-bench [--iters N] [--reps R]                 every shape below
//   onednn-bench [--iters N] [--reps R] fc M K N        one FC / GEMM
//   onednn-bench [--iters N] [--reps R] conv N H W IC OC KH KW PAD STRIDE
//
// fc: src u8 [M, K], weights s8 [K, N] (any layout, reordered once), s32
// bias, dst u8 [M, N]. conv: NHWC u8 src, s8 weights (any layout), s32 bias,
// NHWC u8 dst, convolution_auto. Both with per-output-channel output scales
// (S_x * S_w[c] / S_y), a src zero point and a dst zero point: the same
// requantizing layer as a qnt.fully_connected / qnt.conv2d on u8
// activations and per-channel i8 weights.
//
// Each shape: warm-up runs, then R repetitions of N timed runs
// (steady_clock); the best repetition's time per run is reported. One line
// per shape:
//
//   onednn NAME isa=ISA impl=IMPL us=T gops=G
//
// ISA is dnnl::get_effective_cpu_isa(), IMPL the primitive's
// implementation string (e.g. brg:avx512_core_vnni), which shows what the
// primitive actually dispatched to.
//
// Single thread: the OpenMP runtime oneDNN links (libgomp on Debian) is
// asked for one thread through omp_set_num_threads, found with dlsym so
// that this file needs no OpenMP flags; the script also sets
// OMP_NUM_THREADS=1 and pins the process with taskset.
//
//===----------------------------------------------------------------------===//

#include "oneapi/dnnl/dnnl.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

struct Options {
  int iters = 0; // 0: chosen from the shape's size
  int reps = 5;
};

const char *isaName(cpu_isa isa) {
  switch (isa) {
  case cpu_isa::all:
    return "all";
  case cpu_isa::sse41:
    return "sse41";
  case cpu_isa::avx:
    return "avx";
  case cpu_isa::avx2:
    return "avx2";
  case cpu_isa::avx2_vnni:
    return "avx2_vnni";
  case cpu_isa::avx512_mic:
    return "avx512_mic";
  case cpu_isa::avx512_mic_4ops:
    return "avx512_mic_4ops";
  case cpu_isa::avx512_core:
    return "avx512_core";
  case cpu_isa::avx512_core_vnni:
    return "avx512_core_vnni";
  case cpu_isa::avx512_core_bf16:
    return "avx512_core_bf16";
  case cpu_isa::avx512_core_amx:
    return "avx512_core_amx";
  }
  return "unknown";
}

/// Asks the OpenMP runtime (if oneDNN uses one) for one thread; returns the
/// number of threads it reports afterwards, or 0 without OpenMP.
int forceSingleThread() {
  using SetFn = void (*)(int);
  using GetFn = int (*)();
  auto set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
  auto get = reinterpret_cast<GetFn>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"));
  if (set)
    set(1);
  return get ? get() : 0;
}

template <typename T> void fillRandom(memory &mem, int lo, int hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(lo, hi);
  T *p = static_cast<T *>(mem.get_data_handle());
  size_t n = mem.get_desc().get_size() / sizeof(T);
  for (size_t i = 0; i < n; ++i)
    p[i] = static_cast<T>(dist(rng));
}

/// Quantization parameters shared by both layer kinds.
struct QuantAttrs {
  primitive_attr attr;
  QuantAttrs(int64_t outChannels, int channelMask) {
    // Per-output-channel output scale S_x * S_w[c] / S_y, a spread like the
    // one make-bench-models.py produces.
    std::vector<float> scales(outChannels);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> dist(0.5e-3f, 1.0e-3f);
    for (float &s : scales)
      s = dist(rng);
    attr.set_output_scales(channelMask, scales);
    attr.set_zero_points(DNNL_ARG_SRC, 0, {120});
    attr.set_zero_points(DNNL_ARG_DST, 0, {128});
  }
};

/// Weights are constants in our compiled models too: put them in the
/// layout the primitive chose, once, outside the timed loop.
memory prepareWeights(engine &eng, stream &s, const memory::desc &plain,
                      const memory::desc &chosen) {
  memory user(plain, eng);
  fillRandom<int8_t>(user, -127, 127, 2);
  if (chosen == plain)
    return user;
  memory packed(chosen, eng);
  reorder(user, packed).execute(s, user, packed);
  s.wait();
  return packed;
}

struct Result {
  double seconds = 0; // best time per run
  std::string impl;
};

Result timeIt(stream &s, const std::function<void()> &run, int iters, int reps) {
  for (int i = 0; i < std::max(2, iters / 10); ++i)
    run();
  s.wait();
  Result r;
  r.seconds = 1e30;
  for (int rep = 0; rep < reps; ++rep) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iters; ++i)
      run();
    s.wait();
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                   .count() /
               iters;
    r.seconds = std::min(r.seconds, t);
  }
  return r;
}

/// Runs enough iterations for ~0.2 s per repetition unless --iters is given.
int chooseIters(const Options &opt, double ops) {
  if (opt.iters > 0)
    return opt.iters;
  // Assume ~50 GOPS; at least 3 runs, at most 2000.
  double perRun = ops / 50e9;
  return static_cast<int>(std::clamp(0.2 / perRun, 3.0, 2000.0));
}

Result benchFc(engine &eng, stream &s, const Options &opt, int64_t M, int64_t K,
               int64_t N) {
  memory::desc srcMd({M, K}, dt::u8, tag::ab);
  memory::desc weiAny({K, N}, dt::s8, tag::any);
  memory::desc weiPlain({K, N}, dt::s8, tag::ba); // [N, K] rows, like qnt FC
  memory::desc biasMd({1, N}, dt::s32, tag::ab);
  memory::desc dstMd({M, N}, dt::u8, tag::ab);
  QuantAttrs qa(N, 1 << 1);
  matmul::desc desc(srcMd, weiAny, biasMd, dstMd);
  matmul::primitive_desc pd(desc, qa.attr, eng);
  matmul prim(pd);

  memory src(srcMd, eng), bias(biasMd, eng), dst(dstMd, eng);
  fillRandom<uint8_t>(src, 0, 255, 1);
  fillRandom<int32_t>(bias, -2000, 2000, 3);
  memory wei = prepareWeights(eng, s, weiPlain, pd.weights_desc());
  std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, src},
                                          {DNNL_ARG_WEIGHTS, wei},
                                          {DNNL_ARG_BIAS, bias},
                                          {DNNL_ARG_DST, dst}};
  int iters = chooseIters(opt, 2.0 * M * N * K);
  Result r = timeIt(s, [&] { prim.execute(s, args); }, iters, opt.reps);
  r.impl = pd.impl_info_str();
  return r;
}

Result benchConv(engine &eng, stream &s, const Options &opt, int64_t N, int64_t H,
                 int64_t W, int64_t IC, int64_t OC, int64_t KH, int64_t KW,
                 int64_t pad, int64_t stride, double ops) {
  int64_t OH = (H + 2 * pad - KH) / stride + 1;
  int64_t OW = (W + 2 * pad - KW) / stride + 1;
  memory::desc srcMd({N, IC, H, W}, dt::u8, tag::nhwc);
  memory::desc weiAny({OC, IC, KH, KW}, dt::s8, tag::any);
  memory::desc weiPlain({OC, IC, KH, KW}, dt::s8, tag::ohwi); // like qnt conv2d
  memory::desc biasMd({OC}, dt::s32, tag::x);
  memory::desc dstMd({N, OC, OH, OW}, dt::u8, tag::nhwc);
  QuantAttrs qa(OC, 1 << 1);
  convolution_forward::desc desc(prop_kind::forward_inference,
                                 algorithm::convolution_auto, srcMd, weiAny, biasMd,
                                 dstMd, {stride, stride}, {pad, pad}, {pad, pad});
  convolution_forward::primitive_desc pd(desc, qa.attr, eng);
  convolution_forward prim(pd);

  memory src(srcMd, eng), bias(biasMd, eng), dst(dstMd, eng);
  fillRandom<uint8_t>(src, 0, 255, 1);
  fillRandom<int32_t>(bias, -2000, 2000, 3);
  memory wei = prepareWeights(eng, s, weiPlain, pd.weights_desc());
  std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, src},
                                          {DNNL_ARG_WEIGHTS, wei},
                                          {DNNL_ARG_BIAS, bias},
                                          {DNNL_ARG_DST, dst}};
  int iters = chooseIters(opt, ops);
  Result r = timeIt(s, [&] { prim.execute(s, args); }, iters, opt.reps);
  r.impl = pd.impl_info_str();
  return r;
}

struct Shape {
  std::string name, kind;
  std::vector<int64_t> dims;
};

double opsOf(const Shape &sh) {
  const auto &d = sh.dims;
  if (sh.kind == "fc")
    return 2.0 * d[0] * d[1] * d[2];
  int64_t oh = (d[1] + 2 * d[7] - d[5]) / d[8] + 1;
  int64_t ow = (d[2] + 2 * d[7] - d[6]) / d[8] + 1;
  return 2.0 * d[0] * oh * ow * d[4] * d[5] * d[6] * d[3];
}

std::string defaultName(const Shape &sh) {
  std::string name = sh.kind;
  for (int64_t v : sh.dims)
    name += "-" + std::to_string(v);
  return name;
}

int usage() {
  std::fprintf(stderr,
               "usage: onednn-bench [--iters N] [--reps R] [--name NAME]\n"
               "                    [fc M K N | conv N H W IC OC KH KW PAD STRIDE]\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  Options opt;
  std::string name;
  std::vector<std::string> rest;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--iters" || a == "--reps" || a == "--name") && i + 1 < argc) {
      std::string v = argv[++i];
      if (a == "--name")
        name = v;
      else
        (a == "--iters" ? opt.iters : opt.reps) = std::atoi(v.c_str());
    } else if (a == "-h" || a == "--help") {
      return usage();
    } else {
      rest.push_back(a);
    }
  }

  std::vector<Shape> shapes;
  if (rest.empty()) {
    shapes = {{"gemm-1024", "fc", {1024, 1024, 1024}},
              {"gemm-256", "fc", {256, 256, 256}},
              {"fc-1x1024x1024", "fc", {1, 1024, 1024}},
              {"conv3x3-56x56x64", "conv", {1, 56, 56, 64, 64, 3, 3, 1, 1}},
              {"conv1x1-56x56x64", "conv", {1, 56, 56, 64, 64, 1, 1, 0, 1}}};
  } else {
    Shape sh;
    sh.kind = rest[0];
    size_t want = sh.kind == "fc" ? 3 : sh.kind == "conv" ? 9 : 0;
    if (want == 0 || rest.size() != want + 1)
      return usage();
    for (size_t i = 1; i < rest.size(); ++i)
      sh.dims.push_back(std::atoll(rest[i].c_str()));
    sh.name = name.empty() ? defaultName(sh) : name;
    shapes.push_back(sh);
  }

  int threads = forceSingleThread();
  dnnl_version_t const *v = dnnl_version();
  std::printf("# oneDNN %d.%d.%d, cpu runtime %s, threads %d, isa %s\n", v->major,
              v->minor, v->patch,
              v->cpu_runtime == DNNL_RUNTIME_OMP   ? "omp"
              : v->cpu_runtime == DNNL_RUNTIME_TBB ? "tbb"
              : v->cpu_runtime == DNNL_RUNTIME_SEQ ? "seq"
                                                   : "other",
              threads, isaName(get_effective_cpu_isa()));

  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  int status = 0;
  for (const Shape &sh : shapes) {
    double ops = opsOf(sh);
    try {
      const auto &d = sh.dims;
      Result r = sh.kind == "fc"
                     ? benchFc(eng, s, opt, d[0], d[1], d[2])
                     : benchConv(eng, s, opt, d[0], d[1], d[2], d[3], d[4], d[5],
                                 d[6], d[7], d[8], ops);
      std::printf("onednn %s isa=%s impl=%s us=%.3f gops=%.3f\n", sh.name.c_str(),
                  isaName(get_effective_cpu_isa()), r.impl.c_str(), 1e6 * r.seconds,
                  ops / r.seconds / 1e9);
    } catch (const dnnl::error &e) {
      std::printf("onednn %s error=%s status=%d\n", sh.name.c_str(), e.what(),
                  static_cast<int>(e.status));
      status = 1;
    }
    std::fflush(stdout);
  }
  return status;
}
