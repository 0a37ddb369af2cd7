//===- CpuFeatures.h - what the target CPU offers the kernels ----*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_CPU_CPUFEATURES_H
#define QC_TARGET_CPU_CPUFEATURES_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace qc {

/// A CPU name resolved against LLVM's X86 (or host) target: "native" is the
/// host's name and exact feature list, "generic" the baseline of the
/// triple, anything else an LLVM CPU name with its default features.
struct ResolvedCpu {
  std::string name;
  std::string features; // "+avx512f,..." for native, empty otherwise
  bool avx512vnni = false;
};

/// Resolves `cpu`; on an unknown name returns nullopt and sets `error`.
std::optional<ResolvedCpu> resolveCpu(llvm::StringRef cpu, std::string &error);

} // namespace qc

#endif // QC_TARGET_CPU_CPUFEATURES_H
