//===- CpuFeatures.cpp - what the target CPU offers the kernels ------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Kernels pick instructions at compile time from the `cpu` option (never
// from the machine the compiler runs on, unless the option says native), so
// that cross-compiling for x86-64-v3 from a Zen 5 gives code that runs on
// any x86-64-v3 machine.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/CpuFeatures.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>

std::optional<qc::ResolvedCpu> qc::resolveCpu(llvm::StringRef cpu,
                                              std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return std::nullopt;
  ResolvedCpu resolved;
  if (cpu == "native") {
    resolved.name = llvm::sys::getHostCPUName().str();
    for (const auto &[name, enabled] : llvm::sys::getHostCPUFeatures())
      resolved.features += (enabled ? "+" : "-") + name.str() + ",";
    if (!resolved.features.empty())
      resolved.features.pop_back();
  } else {
    resolved.name = cpu.str();
  }
  // Check the name on a generic subtarget first: creating one for an
  // unknown CPU prints a warning and carries on.
  std::unique_ptr<llvm::MCSubtargetInfo> probe(
      target->createMCSubtargetInfo(triple, "generic", ""));
  if (!probe || !probe->isCPUStringValid(resolved.name)) {
    error = "unknown CPU '" + resolved.name + "' for " + triple.str() +
            " (use native, generic, or an LLVM CPU name such as x86-64-v3)";
    return std::nullopt;
  }
  std::unique_ptr<llvm::MCSubtargetInfo> info(target->createMCSubtargetInfo(
      triple, resolved.name, resolved.features));
  if (!info) {
    error = "unknown CPU '" + resolved.name + "' for " + triple.str() +
            " (use native, generic, or an LLVM CPU name such as x86-64-v3)";
    return std::nullopt;
  }
  // VNNI on 512-bit vectors needs AVX-512F/BW as well.
  resolved.avx512vnni = triple.isX86() && info->checkFeatures("+avx512vnni") &&
                        info->checkFeatures("+avx512bw") &&
                        info->checkFeatures("+avx512f");
  return resolved;
}
