//===- NpuEmitter.cpp - npu.program to the NPU's program blob -------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The npu dialect mirrors the instruction set field for field, so emission
// is a copy of attributes into qc::npu::Instr, then the runtime's encoder
// and blob writer (runtime/lib/npu): the same code the simulator's decoder
// is tested against. The encoder's own validation runs too, so a program
// that slipped past the verifiers still cannot produce a bad word.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Npu/NpuEmitter.h"

#include "qc/Dialect/Npu/IR/NpuOps.h"
#include "qc/Pipelines/Registration.h"
#include "qc/npu/Program.h"

#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <functional>

using namespace mlir;
using namespace qc;
using namespace qc::npu;

namespace {

/// The attribute of an npu op that holds the ISA field `field` (the runtime
/// names fields as docs/npu.md does, in camelCase; the dialect in
/// snake_case).
std::string attrNameOf(StringRef field) {
  if (field == "Cp")
    return "c";
  if (field == "signed")
    return "is_signed";
  if (llvm::all_of(field, [](char c) { return !std::islower(c); }))
    return field.lower();
  std::string name;
  for (char c : field) {
    if (std::isupper(c)) {
      name += '_';
      name += static_cast<char>(std::tolower(c));
    } else {
      name += c;
    }
  }
  return name;
}

/// The value of attribute `name` as the field's bits: integers (two's
/// complement), unit flags (absent: 0), the scratchpad and queue enums.
uint32_t fieldValue(Operation *op, StringRef name) {
  Attribute attr = op->getAttr(name);
  if (!attr)
    return 0;
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return static_cast<uint32_t>(i.getInt());
  if (isa<UnitAttr>(attr))
    return 1;
  if (auto space = dyn_cast<SpaceAttr>(attr))
    return static_cast<uint32_t>(space.getValue());
  if (auto queue = dyn_cast<RegisterQueueAttr>(attr))
    return static_cast<uint32_t>(queue.getValue());
  return 0;
}

Opcode opcodeOf(Operation *op) {
  return llvm::TypeSwitch<Operation *, Opcode>(op)
      .Case([](LoadOp) { return Opcode::Load; })
      .Case([](StoreOp) { return Opcode::Store; })
      .Case([](FillOp) { return Opcode::Fill; })
      .Case([](MatmulOp) { return Opcode::Matmul; })
      .Case([](RequantOp) { return Opcode::Requant; })
      .Case([](AddOp) { return Opcode::Add; })
      .Case([](PoolOp) { return Opcode::Pool; })
      .Case([](SetRegOp) { return Opcode::SetReg; })
      .Default([](Operation *) { return Opcode::End; });
}

/// One npu op as an instruction: every field of its opcode (the runtime's
/// field table) from the attribute of that name, plus the tokens.
Instr toInstr(Operation *op) {
  Instr in;
  in.op = opcodeOf(op);
  for (const FieldInfo &f : fieldsOf(in.op))
    in.*f.member = fieldValue(op, attrNameOf(f.name));
  if (auto pool = dyn_cast<PoolOp>(op)) {
    ArrayRef<int64_t> pads = pool.getPads();
    in.padTop = static_cast<uint32_t>(pads[0]);
    in.padBottom = static_cast<uint32_t>(pads[1]);
    in.padLeft = static_cast<uint32_t>(pads[2]);
    in.padRight = static_cast<uint32_t>(pads[3]);
  }
  if (auto wait = op->getAttrOfType<DenseI64ArrayAttr>("wait")) {
    ArrayRef<int64_t> w = wait.asArrayRef();
    if (!w.empty())
      in.wait0 = SemRef{true, static_cast<uint8_t>(w[0])};
    if (w.size() > 1)
      in.wait1 = SemRef{true, static_cast<uint8_t>(w[1])};
  }
  if (auto signal = op->getAttrOfType<IntegerAttr>("signal"))
    in.signal = SemRef{true, static_cast<uint8_t>(signal.getInt())};
  return in;
}

} // namespace

LogicalResult qc::collectNpuProgram(ModuleOp module, NpuConfig &config,
                                    std::vector<Instr> &instrs) {
  SmallVector<ProgramOp> programs(module.getOps<ProgramOp>());
  if (programs.size() != 1)
    return module.emitError()
           << "expected one npu.program, found " << programs.size();
  ProgramOp program = programs.front();
  config.rows = static_cast<uint32_t>(program.getRows());
  config.cols = static_cast<uint32_t>(program.getCols());
  config.ispBytes = static_cast<uint32_t>(program.getIsp());
  config.wspBytes = static_cast<uint32_t>(program.getWsp());
  config.accEntries = static_cast<uint32_t>(program.getAcc());
  for (Operation &op : program.getBody().front()) {
    Instr in = toInstr(&op);
    std::string problem = validate(in);
    if (!problem.empty())
      return op.emitError() << "cannot be encoded: " << problem;
    instrs.push_back(in);
  }
  std::string problem = checkProgram(instrs);
  if (!problem.empty())
    return program.emitError() << problem;
  return success();
}

/// A translation from an npu module: collect its program, then `write`.
static void registerProgramTranslation(
    StringRef name, StringRef description,
    std::function<void(const NpuConfig &, const std::vector<Instr> &,
                       raw_ostream &)>
        write) {
  TranslateFromMLIRRegistration(
      name, description,
      [write](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError() << "expected a module";
        NpuConfig config;
        std::vector<Instr> instrs;
        if (failed(collectNpuProgram(module, config, instrs)))
          return failure();
        write(config, instrs, os);
        return success();
      },
      [](DialectRegistry &registry) { registerQuantDialects(registry); });
}

void qc::registerNpuEmission() {
  registerProgramTranslation(
      "emit-npu", "Encode an npu.program as the NPU's program blob",
      [](const NpuConfig &config, const std::vector<Instr> &instrs,
         raw_ostream &os) {
        std::vector<uint8_t> bytes = writeBlob(config, instrs);
        os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
      });
  registerProgramTranslation(
      "emit-npu-asm", "Disassemble an npu.program, one instruction per line",
      [](const NpuConfig &config, const std::vector<Instr> &instrs,
         raw_ostream &os) {
        os << "; QNPU-1 " << config.rows << "x" << config.cols << " isp "
           << config.ispBytes << " wsp " << config.wspBytes << " acc "
           << config.accEntries << ", " << instrs.size() << " instructions\n";
        for (size_t i = 0; i < instrs.size(); ++i)
          os << llvm::format_decimal(i, 5) << ": " << toAsm(instrs[i]) << "\n";
      });
}
