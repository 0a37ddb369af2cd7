//===- ObjectEmitter.cpp - LLVM dialect to native object files ------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/ObjectEmitter.h"

#include "qc/Pipelines/Registration.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

#include <memory>

using namespace mlir;

/// The host's CPU name and features when cpu is "native"; the named CPU with
/// its default features otherwise.
static std::pair<std::string, std::string> resolveCpu(const qc::CpuTarget &t) {
  if (t.cpu != "native")
    return {t.cpu == "generic" ? "generic" : t.cpu, ""};
  std::string features;
  for (const auto &[name, enabled] : llvm::sys::getHostCPUFeatures())
    features += (enabled ? "+" : "-") + name.str() + ",";
  return {llvm::sys::getHostCPUName().str(), features};
}

LogicalResult qc::emitObjectFile(Operation *module, const CpuTarget &target,
                                 llvm::raw_ostream &os) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return module->emitError("cannot translate the module to LLVM IR (is it "
                             "fully lowered to the LLVM dialect?)");

  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return module->emitError("no LLVM target for ")
           << triple.str() << ": " << error;
  auto [cpu, features] = resolveCpu(target);
  // An unknown CPU name would make LLVM abort later ("64-bit code requested
  // on a subtarget that doesn't support it"): check it first.
  std::unique_ptr<llvm::TargetMachine> probe(llvmTarget->createTargetMachine(
      triple, "generic", "", llvm::TargetOptions(), llvm::Reloc::PIC_));
  if (!probe || !probe->getMCSubtargetInfo()->isCPUStringValid(cpu))
    return module->emitError("unknown CPU '")
           << cpu << "' for " << triple.str()
           << " (use native, generic, or an LLVM CPU name such as x86-64-v3)";
  std::unique_ptr<llvm::TargetMachine> machine(
      llvmTarget->createTargetMachine(triple, cpu, features,
                                      llvm::TargetOptions(),
                                      llvm::Reloc::PIC_, std::nullopt,
                                      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return module->emitError("cannot create a target machine for CPU '")
           << cpu << "'";
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());

  auto optimize = makeOptimizingTransformer(3, 0, machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return module->emitError("LLVM optimization failed: ")
           << llvm::toString(std::move(err));

  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, stream, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return module->emitError("the target cannot emit object files");
  codegen.run(*llvmModule);
  os.write(buffer.data(), buffer.size());
  return success();
}

void qc::registerObjectEmission() {
  static llvm::cl::opt<std::string> cpu(
      "cpu", llvm::cl::init("native"),
      llvm::cl::desc("CPU for --emit-obj: native, generic, or an LLVM CPU "
                     "name (x86-64-v3, x86-64-v4, ...)"));
  TranslateFromMLIRRegistration registration(
      "emit-obj", "Emit a relocatable object file from the LLVM dialect",
      [](Operation *op, llvm::raw_ostream &os) {
        return emitObjectFile(op, CpuTarget{cpu}, os);
      },
      [](DialectRegistry &registry) {
        registerQuantDialects(registry);
        registerAllToLLVMIRTranslations(registry);
      });
}
