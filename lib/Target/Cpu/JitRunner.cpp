//===- JitRunner.cpp - compile and run a model on the host CPU ------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The entry function gets `llvm.emit_c_interface`, so it is called as
//   void _mlir_ciface_NAME(Results *out, Desc *arg0, Desc *arg1, ...)
// where each Desc is a ranked memref descriptor {allocated, aligned, offset,
// sizes[rank], strides[rank]} (all 8-byte words) and Results holds one Desc
// per result, back to back. Results are buffers the compiled code allocated
// with malloc (unless they alias an input) and are freed after copying.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/JitRunner.h"

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/Qnt/IR/QntDialect.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Interpreter/Interpreter.h"
#include "qc/Pipelines/Pipelines.h"
#include "qc/Target/Cpu/Passes.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/Passes.h"
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

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  DialectRegistry translations;
  registerAllToLLVMIRTranslations(translations);
  module.getContext()->appendDialectRegistry(translations);
  ExecutionEngineOptions options;
  auto optimize = makeOptimizingTransformer(3, 0, nullptr);
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

/// Copies a result out of its descriptor, following its strides.
static rt::Tensor readResult(const int64_t *words, const Signature &s) {
  rt::Tensor out(s.dtype, s.shape);
  size_t rank = s.shape.size(), elem = rt::dtypeSize(s.dtype);
  auto *base = reinterpret_cast<const unsigned char *>(
      static_cast<intptr_t>(words[1]));
  int64_t offset = words[2];
  // Row-major results (the usual case) are one copy.
  std::vector<int64_t> rowMajor = rt::stridesOf(s.shape);
  if (offset == 0 &&
      std::equal(rowMajor.begin(), rowMajor.end(), words + 3 + rank)) {
    std::memcpy(out.raw(), base, out.byteSize());
    return out;
  }
  std::vector<int64_t> index(rank, 0);
  for (int64_t flat = 0, n = out.numElements(); flat < n; ++flat) {
    int64_t at = offset;
    for (size_t d = 0; d < rank; ++d)
      at += index[d] * words[3 + rank + d];
    std::memcpy(out.raw() + flat * elem, base + at * elem, elem);
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      if (++index[d] < s.shape[d])
        break;
      index[d] = 0;
    }
  }
  return out;
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
  const Impl &m = *impl_;
  if (inputs.size() != m.args.size()) {
    error = "expected " + std::to_string(m.args.size()) + " inputs";
    return failure();
  }
  // The compiled code may write into its arguments' buffers: give it
  // copies.
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
  size_t resultWords = 0;
  for (const Signature &s : m.results)
    resultWords += descriptorWords(s);
  std::vector<int64_t> results(resultWords, 0);

  std::vector<void *> pointers;
  if (!m.results.empty())
    pointers.push_back(results.data());
  for (auto &d : descriptors)
    pointers.push_back(d.data());
  std::vector<void *> packed;
  for (void *&p : pointers)
    packed.push_back(&p);
  m.entry(packed.data());

  outputs.clear();
  std::set<intptr_t> owned;
  std::set<intptr_t> inputsAllocs;
  for (auto &b : buffers)
    inputsAllocs.insert(reinterpret_cast<intptr_t>(b.raw()));
  size_t at = 0;
  for (const Signature &s : m.results) {
    outputs.push_back(readResult(results.data() + at, s));
    intptr_t allocated = static_cast<intptr_t>(results[at]);
    if (!inputsAllocs.count(allocated))
      owned.insert(allocated);
    at += descriptorWords(s);
  }
  for (intptr_t p : owned)
    std::free(reinterpret_cast<void *>(p));
  return success();
}
