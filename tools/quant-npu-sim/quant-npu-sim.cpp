//===- quant-npu-sim.cpp - run an NPU program blob on the simulator -------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Runs a program blob (quant-translate --emit-npu; docs/npu.md section 5)
// on the cycle-counting simulator of runtime/npu with host buffers read
// from and written to raw files, and prints cycles, MACs, MAC utilisation
// and DMA traffic (per instruction with --trace). The simulator is built
// for the machine configuration the blob records. Plain C++, no MLIR.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/Program.h"
#include "qc/npu/Simulator.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

using namespace qc::npu;

namespace {

const char *kUsage =
    "usage: quant-npu-sim PROGRAM.npu [options]\n"
    "Runs an NPU program blob (quant-translate --emit-npu) on the\n"
    "cycle-counting simulator of docs/npu.md and prints cycles, MACs, MAC\n"
    "utilisation and DMA bytes.\n"
    "  --buffer N=FILE   host buffer N (0..15) holds FILE's bytes\n"
    "  --zeros N=BYTES   host buffer N is BYTES zero bytes\n"
    "  --output N=FILE   write host buffer N to FILE after the run\n"
    "  --trace           one line per instruction: queue, start, end, MACs\n";

int fail(const std::string &message) {
  std::fprintf(stderr, "quant-npu-sim: error: %s\n", message.c_str());
  return 1;
}

bool readFile(const std::string &path, std::vector<uint8_t> &out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  out.assign(std::istreambuf_iterator<char>(in),
             std::istreambuf_iterator<char>());
  return true;
}

/// "N=REST" with N in 0..15.
bool splitIndexed(const char *arg, int &index, std::string &rest) {
  const char *eq = std::strchr(arg, '=');
  if (!eq || eq == arg)
    return false;
  char *end = nullptr;
  long n = std::strtol(arg, &end, 10);
  if (end != eq || n < 0 || n > 15)
    return false;
  index = static_cast<int>(n);
  rest = eq + 1;
  return !rest.empty();
}

} // namespace

int main(int argc, char **argv) {
  std::string programPath;
  std::map<int, std::vector<uint8_t>> data;
  std::map<int, std::string> outputs;
  bool trace = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    int index;
    std::string rest;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--trace") {
      trace = true;
    } else if ((arg == "--buffer" || arg == "--zeros" || arg == "--output") &&
               i + 1 < argc) {
      if (!splitIndexed(argv[++i], index, rest))
        return fail(arg + " takes N=VALUE with N in 0..15, got '" + argv[i] +
                    "'");
      if (arg == "--buffer") {
        if (!readFile(rest, data[index]))
          return fail("cannot read '" + rest + "'");
      } else if (arg == "--zeros") {
        char *end = nullptr;
        unsigned long long n = std::strtoull(rest.c_str(), &end, 10);
        if (*end || n > (1ull << 32))
          return fail("--zeros " + rest + ": not a byte count");
        data[index].assign(n, 0);
      } else {
        outputs[index] = rest;
      }
    } else if (!arg.empty() && arg[0] != '-' && programPath.empty()) {
      programPath = arg;
    } else {
      return fail("unexpected argument '" + arg + "'\n" + kUsage);
    }
  }
  if (programPath.empty())
    return fail(std::string("no program given\n") + kUsage);
  std::vector<uint8_t> blob;
  if (!readFile(programPath, blob))
    return fail("cannot read '" + programPath + "'");
  // The machine the blob was compiled for (readBlob checks it in full).
  NpuConfig config;
  std::string problem;
  if (!peekBlobConfig(blob.data(), blob.size(), config, problem))
    return fail(programPath + ": " + problem);
  std::vector<HostBuffer> buffers(16);
  for (auto &[index, bytes] : data)
    buffers[index] = HostBuffer{bytes.data(), bytes.size()};
  Simulator sim(config);
  RunResult r = sim.runBlob(blob, buffers);
  if (!r.ok)
    return fail(programPath + ": " + r.error);
  if (trace) {
    std::string error;
    std::optional<Program> program = readBlob(blob, config, error);
    for (size_t i = 0; program && i < program->instrs.size(); ++i) {
      const Instr &in = program->instrs[i];
      std::printf("%5zu %-2s %-8s start %8llu end %8llu macs %llu\n", i,
                  queueName(queueOf(in)), opcodeName(in.op),
                  static_cast<unsigned long long>(r.stats[i].start),
                  static_cast<unsigned long long>(r.stats[i].end),
                  static_cast<unsigned long long>(r.stats[i].macs));
    }
  }
  std::printf("cycles %llu, MACs %llu, MAC utilisation %.2f%% of %ux%u, "
              "DMA in %llu bytes, out %llu bytes\n",
              static_cast<unsigned long long>(r.cycles),
              static_cast<unsigned long long>(r.macs), 100.0 * r.utilisation,
              config.rows, config.cols,
              static_cast<unsigned long long>(r.dmaBytesIn),
              static_cast<unsigned long long>(r.dmaBytesOut));
  for (auto &[index, path] : outputs) {
    if (!data.count(index))
      return fail("--output " + std::to_string(index) +
                  ": there is no buffer " + std::to_string(index));
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(data[index].data()),
              static_cast<std::streamsize>(data[index].size()));
    if (!out)
      return fail("cannot write '" + path + "'");
  }
  return 0;
}
