//===- HeaderEmitter.cpp - C header for a compiled model ------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The entry is called through MLIR's C interface (the function carries
// `llvm.emit_c_interface` when compiled):
//   void _mlir_ciface_NAME(NAME_argK_t *argK..., NAME_resultK_t *resultK...,
//                          NAME_arena_t *arena)
// Each tensor travels as a ranked memref descriptor; NAME_run() wraps the
// call for plain row-major buffers. The arena size comes from compiling a
// copy of the module (qnt-plan-arena). Quantized edges are described with
// their storage type, scale and zero point. The quantization
// parameters given for an f32 input are those of the qnt.quantize that
// consumes it (for an output, the qnt.dequantize that produces it), so a
// caller can also feed or read the integer values directly.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/HeaderEmitter.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Pipelines/Pipelines.h"
#include "qc/Pipelines/Registration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace qc;

namespace {

/// C element type and dtype name of a tensor's elements.
std::pair<const char *, const char *> cType(Type element) {
  if (element.isF32())
    return {"float", "f32"};
  if (element.isF64())
    return {"double", "f64"};
  if (auto q = dyn_cast<qnt::UniformType>(element)) {
    bool s = q.isSigned();
    switch (q.getStorageWidth()) {
    case 16:
      return {"int16_t", "i16"};
    case 32:
      return {"int32_t", "i32"};
    default:
      return {s ? "int8_t" : "uint8_t", s ? "i8" : "u8"};
    }
  }
  switch (element.getIntOrFloatBitWidth()) {
  case 1:
  case 8:
    return {"int8_t", "i8"};
  case 16:
    return {"int16_t", "i16"};
  case 32:
    return {"int32_t", "i32"};
  default:
    return {"int64_t", "i64"};
  }
}

/// The per-tensor qnt type a value is quantized with at the edge.
qnt::UniformType edgeType(Value v, bool isArgument) {
  if (auto q = qnt::getUniformElementType(v.getType()))
    return q;
  if (isArgument) {
    for (Operation *user : v.getUsers())
      if (auto quantize = dyn_cast<qnt::QuantizeOp>(user))
        return qnt::getUniformElementType(quantize.getType());
    return {};
  }
  if (auto dequantize = v.getDefiningOp<qnt::DequantizeOp>())
    return qnt::getUniformElementType(dequantize.getInput().getType());
  return {};
}

void emitTensor(llvm::raw_ostream &os, StringRef fn, StringRef what,
                unsigned index, Value v, bool isArgument) {
  auto type = cast<RankedTensorType>(v.getType());
  auto [ctype, dtype] = cType(type.getElementType());
  std::string name = (fn + "_" + what + Twine(index)).str();
  std::string upper = StringRef(name).upper();
  int64_t rank = type.getRank();
  os << "/* " << what << " " << index << ": " << dtype << "[";
  llvm::interleave(type.getShape(), os, "x");
  os << "] */\n";
  os << "typedef struct {\n  " << ctype << " *allocated;\n  " << ctype
     << " *aligned;\n  int64_t offset;\n  int64_t sizes[" << std::max<int64_t>(rank, 1)
     << "];\n  int64_t strides[" << std::max<int64_t>(rank, 1) << "];\n} "
     << name << "_t;\n";
  os << "#define " << upper << "_RANK " << rank << "\n";
  os << "#define " << upper << "_DTYPE \"" << dtype << "\"\n";
  os << "static const int64_t " << upper << "_SHAPE[" << std::max<int64_t>(rank, 1)
     << "] = {";
  llvm::interleaveComma(type.getShape(), os);
  os << "};\n";
  if (qnt::UniformType q = edgeType(v, isArgument); q && q.isPerTensor()) {
    os << "#define " << upper << "_SCALE " << llvm::format("%.17g", q.getScale())
       << "\n#define " << upper << "_ZERO_POINT " << q.getZeroPoint() << "\n";
  }
  os << "\n";
}

/// The arena the compiled entry needs: a copy of the module through the
/// CPU pipeline (the arena does not depend on the CPU chosen).
FailureOr<int64_t> planArena(ModuleOp module, StringRef entry) {
  OwningOpRef<ModuleOp> copy(module.clone());
  PassManager pm(module.getContext());
  CompileCpuOptions options;
  options.cpu = "";
  buildCompileCpuPipeline(pm, options);
  if (failed(pm.run(*copy)))
    return module.emitError("cannot compile the model to find its arena "
                            "size (see above)");
  auto f = copy->lookupSymbol<LLVM::LLVMFuncOp>(entry);
  auto size = f ? f->getAttrOfType<IntegerAttr>("qnt.arena_size") : nullptr;
  if (!size)
    return module.emitError("the compiled model has no arena size");
  return size.getInt();
}

func::FuncOp findEntry(ModuleOp module, StringRef entry) {
  if (!entry.empty())
    return module.lookupSymbol<func::FuncOp>(entry);
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    return main;
  func::FuncOp only;
  for (auto f : module.getOps<func::FuncOp>())
    if (!f.isExternal())
      only = only ? func::FuncOp() : f;
  return only;
}

} // namespace

LogicalResult qc::emitCHeader(ModuleOp module, StringRef entry,
                              llvm::raw_ostream &os) {
  func::FuncOp f = findEntry(module, entry);
  if (!f)
    return module.emitError("no entry function: name it with --entry=");
  for (Type t : llvm::concat<const Type>(f.getArgumentTypes(),
                                         f.getResultTypes()))
    if (!isa<RankedTensorType>(t) || !cast<RankedTensorType>(t).hasStaticShape())
      return f.emitError("--emit-c-header needs static tensor arguments and "
                         "results (is the module already lowered?), got ")
             << t;
  FailureOr<int64_t> arenaSize = planArena(module, f.getSymName());
  if (failed(arenaSize))
    return failure();
  StringRef fn = f.getSymName();
  std::string upperFn = fn.upper();
  std::string guard = ("QC_MODEL_" + upperFn + "_H");
  os << "/* Generated by quant-translate --emit-c-header: how to call @" << fn
     << "\n * compiled with quant (quant-opt --qnt-compile-cpu, quant-translate\n"
        " * --emit-obj). Tensors are passed as MLIR ranked memref descriptors\n"
        " * (row-major: strides[i] = product of sizes[i+1..]). The caller owns\n"
        " * every buffer: inputs (never written), outputs, and one arena of\n"
        " * " << upperFn << "_ARENA_SIZE bytes, " << upperFn
     << "_ARENA_ALIGNMENT-byte aligned, for all\n"
        " * intermediate values (reusable across calls, not shared between\n"
        " * concurrent calls). The model allocates nothing. */\n";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  Block &body = f.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  std::vector<std::pair<std::string, std::string>> params; // (C type, name)
  for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
    emitTensor(os, fn, "arg", i, arg, /*isArgument=*/true);
    params.push_back({cType(cast<RankedTensorType>(arg.getType())
                                .getElementType()).first,
                      "arg" + std::to_string(i)});
  }
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    emitTensor(os, fn, "result", i, v, /*isArgument=*/false);
    params.push_back({cType(cast<RankedTensorType>(v.getType())
                                .getElementType()).first,
                      "result" + std::to_string(i)});
  }
  os << "/* arena: scratch memory for every intermediate tensor */\n";
  os << "#define " << upperFn << "_ARENA_SIZE " << *arenaSize << "\n";
  os << "#define " << upperFn << "_ARENA_ALIGNMENT 64\n";
  os << "/* The same figure, exported by the object file. */\n";
  os << "extern const int64_t " << fn << "_arena_size;\n";
  os << "typedef struct {\n  uint8_t *allocated;\n  uint8_t *aligned;\n  "
        "int64_t offset;\n  int64_t sizes[1];\n  int64_t strides[1];\n} "
     << fn << "_arena_t;\n\n";
  os << "/* The entry point: inputs, then outputs, then the arena. */\n";
  os << "void _mlir_ciface_" << fn << "(";
  for (auto [i, p] : llvm::enumerate(params))
    os << (i ? ", " : "") << fn << "_" << p.second << "_t *" << p.second;
  os << (params.empty() ? "" : ", ") << fn << "_arena_t *arena);\n\n";

  // Plain-pointer wrapper: row-major buffers in, row-major buffers out.
  os << "/* Convenience: row-major buffers of the shapes above. */\n";
  os << "static inline void " << fn << "_run(";
  unsigned numArgs = f.getNumArguments();
  for (auto [i, p] : llvm::enumerate(params))
    os << (i < numArgs ? "const " : "") << p.first << " *" << p.second << ", ";
  os << "void *arena) {\n";
  for (auto [i, p] : llvm::enumerate(params)) {
    std::string type = (fn + "_" + p.second + "_t").str();
    std::string upper = StringRef(fn.str() + "_" + p.second).upper();
    os << "  " << type << " d_" << p.second << " = {(" << p.first << " *)"
       << p.second << ", (" << p.first << " *)" << p.second << ", 0, {0}, {0}};\n";
    os << "  for (int d = " << upper << "_RANK - 1, stride = 1; d >= 0; --d) {\n"
       << "    d_" << p.second << ".sizes[d] = " << upper << "_SHAPE[d];\n"
       << "    d_" << p.second << ".strides[d] = stride;\n"
       << "    stride *= (int)" << upper << "_SHAPE[d];\n  }\n";
  }
  os << "  " << fn << "_arena_t d_arena = {(uint8_t *)arena, (uint8_t *)arena, 0, {"
     << upperFn << "_ARENA_SIZE}, {1}};\n";
  os << "  _mlir_ciface_" << fn << "(";
  for (auto &p : params)
    os << "&d_" << p.second << ", ";
  os << "&d_arena);\n}\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return success();
}

void qc::registerHeaderEmission() {
  static llvm::cl::opt<std::string> entry(
      "entry", llvm::cl::init(""),
      llvm::cl::desc("Entry function for --emit-c-header (default: @main or "
                     "the only function)"));
  TranslateFromMLIRRegistration registration(
      "emit-c-header", "Emit the C header of a model's entry point",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a module");
        return emitCHeader(module, entry, os);
      },
      [](DialectRegistry &registry) { registerQuantDialects(registry); });
}
