//===- JitRunner.cpp - compile and run a model on the host CPU ------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The entry function gets `llvm.emit_c_interface`, so it is called as
//   void _mlir_ciface_NAME(Desc *arg0, ..., Desc *result0, ..., Desc *arena)
// where each Desc is a ranked memref descriptor {allocated, aligned, offset,
// sizes[rank], strides[rank]} (all 8-byte words). Results are written into
// buffers the runner provides; the arena (qnt-plan-arena) is allocated once
// per compiled model.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/JitRunner.h"

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/Qnt/IR/QntDialect.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Interpreter/Interpreter.h"
#include "qc/Pipelines/Pipelines.h"
#include "qc/Target/Cpu/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

#include <cstdlib>
#include <set>

using namespace mlir;
using namespace qc;

namespace {

/// dtype and static shape of one argument or result.
struct Signature {
  rt::DType dtype;
  std::vector<int64_t> shape;
};

bool isInteger(rt::DType d) {
  return d != rt::DType::F32 && d != rt::DType::F64 && d != rt::DType::Bool;
}

/// Words of a ranked memref descriptor.
size_t descriptorWords(const Signature &s) { return 3 + 2 * s.shape.size(); }

/// The user-visible signature of an edge: quantized edges (after
/// qnt-storage-boundary, `qnt.type` names their quantized type) exchange
/// their storage integers with the sign of the storage type.
FailureOr<Signature> signatureOf(Type type, DictionaryAttr attrs) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape() ||
      isa<qnt::UniformType>(ranked.getElementType()))
    return failure();
  Type element = ranked.getElementType();
  if (auto quantized = attrs ? attrs.getAs<TypeAttr>("qnt.type") : nullptr)
    if (qnt::UniformType q = qnt::getUniformElementType(quantized.getValue()))
      element = q.getStorageType();
  FailureOr<rt::DType> dtype = getRuntimeDType(element);
  if (failed(dtype))
    return failure();
  return Signature{*dtype, std::vector<int64_t>(ranked.getShape().begin(),
                                                ranked.getShape().end())};
}

} // namespace

struct CompiledModel::Impl {
  std::unique_ptr<ExecutionEngine> engine;
  void (*entry)(void **) = nullptr;
  std::vector<Signature> args, results;
  /// The arena, allocated once (64-byte aligned, as the planner assumes).
  int64_t arenaSize = 0;
  std::vector<unsigned char> arenaBytes;

  void *arena() {
    auto base = reinterpret_cast<uintptr_t>(arenaBytes.data());
    return reinterpret_cast<void *>((base + 63) / 64 * 64);
  }
  Signature arenaSignature() const { return {rt::DType::I8, {arenaSize}}; }
};

CompiledModel::CompiledModel(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
CompiledModel::~CompiledModel() = default;

FailureOr<std::unique_ptr<CompiledModel>>
CompiledModel::compile(ModuleOp module, StringRef entryName,
                       const CpuTarget &target) {
  auto f = module.lookupSymbol<func::FuncOp>(entryName);
  if (!f)
    return module.emitError("no function @") << entryName;
  auto impl = std::make_unique<Impl>();
  {
    PassManager boundary(module.getContext());
    boundary.addPass(createQntStorageBoundaryPass());
    if (failed(boundary.run(module)))
      return failure();
  }
  for (unsigned i = 0; i < f.getNumArguments(); ++i) {
    FailureOr<Signature> s =
        signatureOf(f.getArgumentTypes()[i], f.getArgAttrDict(i));
    if (failed(s))
      return f.emitError("the CPU target needs static tensors at the "
                         "model's edges; argument ")
             << i << " is " << f.getArgumentTypes()[i];
    impl->args.push_back(*s);
  }
  for (unsigned i = 0; i < f.getNumResults(); ++i) {
    FailureOr<Signature> s =
        signatureOf(f.getResultTypes()[i], f.getResultAttrDict(i));
    if (failed(s))
      return f.emitError("the CPU target needs static tensors at the "
                         "model's edges; result ")
             << i << " is " << f.getResultTypes()[i];
    impl->results.push_back(*s);
  }
  f->setAttr("llvm.emit_c_interface", UnitAttr::get(module.getContext()));
  // qnt annotations (ranges, names) mean nothing to LLVM: drop them from
  // the signature so the translation does not warn about them.
  auto qntNames = [](DictionaryAttr attrs) {
    SmallVector<StringAttr> names;
    if (attrs)
      for (NamedAttribute attr : attrs)
        if (attr.getName().strref().starts_with("qnt."))
          names.push_back(attr.getName());
    return names;
  };
  for (unsigned i = 0; i < f.getNumArguments(); ++i)
    for (StringAttr name : qntNames(f.getArgAttrDict(i)))
      f.removeArgAttr(i, name);
  for (unsigned i = 0; i < f.getNumResults(); ++i)
    for (StringAttr name : qntNames(f.getResultAttrDict(i)))
      f.removeResultAttr(i, name);

  PassManager pm(module.getContext());
  CompileCpuOptions pipelineOptions;
  pipelineOptions.cpu = target.cpu;
  buildCpuCodegenPipeline(pm, pipelineOptions);
  if (failed(pm.run(module)))
    return module.emitError("lowering for the CPU failed (see above)");

  if (auto llvmEntry = module.lookupSymbol<LLVM::LLVMFuncOp>(entryName))
    if (auto size = llvmEntry->getAttrOfType<IntegerAttr>("qnt.arena_size"))
      impl->arenaSize = size.getInt();
  impl->arenaBytes.resize(impl->arenaSize + 64);

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  DialectRegistry translations;
  registerAllToLLVMIRTranslations(translations);
  module.getContext()->appendDialectRegistry(translations);
  ExecutionEngineOptions options;
  // Optimize for the host (as --emit-obj does for its target): without a
  // target machine the O3 pipeline costs vector code for no CPU at all.
  auto hostMachine = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!hostMachine)
    return module.emitError("cannot describe the host CPU: ")
           << llvm::toString(hostMachine.takeError());
  hostMachine->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto machine = hostMachine->createTargetMachine();
  if (!machine)
    return module.emitError("cannot create a target machine for the host: ")
           << llvm::toString(machine.takeError());
  auto optimize = makeOptimizingTransformer(3, 0, machine->get());
  options.transformer = optimize;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine)
    return module.emitError("JIT compilation failed: ")
           << llvm::toString(engine.takeError());
  impl->engine = std::move(*engine);
  auto entry = impl->engine->lookupPacked(("_mlir_ciface_" + entryName).str());
  if (!entry)
    return module.emitError("no compiled entry point: ")
           << llvm::toString(entry.takeError());
  impl->entry = *entry;
  return std::unique_ptr<CompiledModel>(new CompiledModel(std::move(impl)));
}

/// A descriptor over `data` (row-major, offset 0).
static std::vector<int64_t> describe(void *data, const Signature &s) {
  std::vector<int64_t> words(descriptorWords(s));
  words[0] = words[1] = static_cast<int64_t>(reinterpret_cast<intptr_t>(data));
  words[2] = 0;
  std::vector<int64_t> strides = rt::stridesOf(s.shape);
  for (size_t i = 0; i < s.shape.size(); ++i) {
    words[3 + i] = s.shape[i];
    words[3 + s.shape.size() + i] = strides[i];
  }
  return words;
}

std::vector<rt::Tensor>
CompiledModel::adaptInputs(ArrayRef<rt::Tensor> inputs) const {
  std::vector<rt::Tensor> adapted(inputs.begin(), inputs.end());
  for (size_t i = 0; i < adapted.size() && i < impl_->args.size(); ++i) {
    const Signature &s = impl_->args[i];
    if (adapted[i].dtype() != s.dtype && adapted[i].shape() == s.shape &&
        isInteger(adapted[i].dtype()) && isInteger(s.dtype))
      adapted[i] = adapted[i].castTo(s.dtype);
  }
  return adapted;
}

LogicalResult CompiledModel::run(ArrayRef<rt::Tensor> inputs,
                                 std::vector<rt::Tensor> &outputs,
                                 std::string &error) {
  Impl &m = *impl_;
  if (inputs.size() != m.args.size()) {
    error = "expected " + std::to_string(m.args.size()) + " inputs";
    return failure();
  }
  std::vector<rt::Tensor> buffers = adaptInputs(inputs);
  std::vector<std::vector<int64_t>> descriptors;
  for (size_t i = 0; i < buffers.size(); ++i) {
    if (buffers[i].dtype() != m.args[i].dtype ||
        buffers[i].shape() != m.args[i].shape) {
      error = "input " + std::to_string(i) + " is " + buffers[i].describe();
      return failure();
    }
    descriptors.push_back(describe(buffers[i].raw(), m.args[i]));
  }
  // Outputs are the caller's buffers (out-params), then the arena.
  outputs.clear();
  for (const Signature &s : m.results)
    outputs.emplace_back(s.dtype, s.shape);
  for (size_t i = 0; i < outputs.size(); ++i)
    descriptors.push_back(describe(outputs[i].raw(), m.results[i]));
  descriptors.push_back(describe(m.arena(), m.arenaSignature()));

  std::vector<void *> pointers;
  for (auto &d : descriptors)
    pointers.push_back(d.data());
  std::vector<void *> packed;
  for (void *&p : pointers)
    packed.push_back(&p);
  m.entry(packed.data());
  return success();
}
