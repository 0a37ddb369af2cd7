//===- NpuOps.td - npu dialect: the NPU's instructions -----*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// One op per instruction of docs/npu.md section 3, one attribute per
// field, inside an npu.program that states the machine configuration.
// The verifiers check what the encoder and the simulator check: every
// field within its width and range, every scratchpad footprint inside the
// program's memories. An npu.program is therefore encodable 1:1 into the
// program blob (docs/npu.md section 5).
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_NPU_IR_NPUOPS_TD
#define QC_DIALECT_NPU_IR_NPUOPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/BuiltinAttributes.td"

def Npu_Dialect : Dialect {
  let name = "npu";
  let cppNamespace = "::qc::npu";
  let summary = "The quant NPU's instruction set (docs/npu.md)";
  let description = [{
    Programs for our accelerator at the level of its instructions: DMA
    (`npu.load`, `npu.store`, `npu.fill`), the systolic array
    (`npu.matmul`), the post-processing unit (`npu.requant`, `npu.add`,
    `npu.pool`) and configuration registers (`npu.setreg`), each carrying
    its dependency tokens (`wait`, `signal`: counting semaphores 0..7).
    `--qnt-compile-npu` produces it; `quant-translate --emit-npu` encodes
    it. docs/npu.md is the specification of every field.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class Npu_Op<string mnemonic, list<Trait> traits = []>
    : Op<Npu_Dialect, mnemonic, traits>;

def Npu_SpaceIsp : I32EnumAttrCase<"isp", 0>;
def Npu_SpaceWsp : I32EnumAttrCase<"wsp", 1>;
def Npu_Space : I32EnumAttr<"Space", "an NPU scratchpad",
    [Npu_SpaceIsp, Npu_SpaceWsp]> {
  let cppNamespace = "::qc::npu";
  let genSpecializedAttr = 0;
}
def Npu_SpaceAttr : EnumAttr<Npu_Dialect, Npu_Space, "space">;

def Npu_QueueMM : I32EnumAttrCase<"mm", 1>;
def Npu_QueuePP : I32EnumAttrCase<"pp", 2>;
def Npu_Queue : I32EnumAttr<"RegisterQueue", "a queue with registers",
    [Npu_QueueMM, Npu_QueuePP]> {
  let cppNamespace = "::qc::npu";
  let genSpecializedAttr = 0;
}
def Npu_QueueAttr : EnumAttr<Npu_Dialect, Npu_Queue, "queue">;

def Npu_ProgramOp : Npu_Op<"program", [SingleBlock, NoTerminator,
                                       IsolatedFromAbove]> {
  let summary = "an NPU program and the machine it is compiled for";
  let description = [{
    The instructions, in program order, of one program for a machine with
    an `rows` x `cols` array, `isp` and `wsp` scratchpad bytes and `acc`
    int32 accumulators (docs/npu.md section 1). The last op must be
    `npu.end`.

    ```mlir
    npu.program attributes {rows = 16, cols = 16, isp = 262144, wsp = 262144, acc = 16384} {
      npu.load {space = #npu<space isp>, buffer = 1, dst = 0, src = 0, rows = 1, row_bytes = 64, src_stride = 64, signal = 0}
      npu.end
    }
    ```
  }];
  let arguments = (ins I64Attr:$rows, I64Attr:$cols, I64Attr:$isp,
                       I64Attr:$wsp, I64Attr:$acc);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

/// Every instruction: up to two semaphores to wait on, one to signal.
class Npu_InstrOp<string mnemonic, dag fields, list<Trait> traits = []>
    : Npu_Op<mnemonic, !listconcat(traits, [HasParent<"ProgramOp">])> {
  let arguments = !con(fields, (ins
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$wait,
      OptionalAttr<I64Attr>:$signal));
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def Npu_LoadOp : Npu_InstrOp<"load", (ins Npu_SpaceAttr:$space,
    I64Attr:$buffer, I64Attr:$dst, I64Attr:$src, I64Attr:$rows,
    I64Attr:$row_bytes, I64Attr:$src_stride)> {
  let summary = "DMA host buffer -> scratchpad, 2-D strided (LD queue)";
}

def Npu_StoreOp : Npu_InstrOp<"store", (ins I64Attr:$buffer, I64Attr:$src,
    I64Attr:$dst, I64Attr:$rows, I64Attr:$row_bytes, I64Attr:$dst_stride)> {
  let summary = "DMA input scratchpad -> host buffer, 2-D strided (ST queue)";
}

def Npu_FillOp : Npu_InstrOp<"fill", (ins Npu_SpaceAttr:$space,
    I64Attr:$dst, I64Attr:$bytes, I64Attr:$value)> {
  let summary = "fill scratchpad bytes with one value (LD queue)";
}

def Npu_MatmulOp : Npu_InstrOp<"matmul", (ins UnitAttr:$accumulate,
    UnitAttr:$in_signed, UnitAttr:$w_signed, I64Attr:$in,
    I64Attr:$in_stride, I64Attr:$m, I64Attr:$k, I64Attr:$w, I64Attr:$n,
    I64Attr:$acc)> {
  let summary = "the systolic array: ACC[M][N] (+)= (X - IN_ZP)(W - W_ZP) (MM queue)";
}

def Npu_RequantOp : Npu_InstrOp<"requant", (ins UnitAttr:$out_signed,
    I64Attr:$acc, I64Attr:$m, I64Attr:$n, I64Attr:$out,
    I64Attr:$out_stride, I64Attr:$table)> {
  let summary = "bias, fixed-point rescale, zero point, clamp, narrow (PP queue)";
}

def Npu_AddOp : Npu_InstrOp<"add", (ins UnitAttr:$a_signed,
    UnitAttr:$b_signed, UnitAttr:$out_signed, I64Attr:$a, I64Attr:$b,
    I64Attr:$out, I64Attr:$count)> {
  let summary = "quantized elementwise add, TFLite's algorithm (PP queue)";
}

def Npu_PoolOp : Npu_InstrOp<"pool", (ins UnitAttr:$is_avg,
    UnitAttr:$count_pad, UnitAttr:$is_signed, I64Attr:$in, I64Attr:$out,
    I64Attr:$h, I64Attr:$w, I64Attr:$c, I64Attr:$kh, I64Attr:$kw,
    I64Attr:$sh, I64Attr:$sw, DenseI64ArrayAttr:$pads)> {
  let summary = "max or average pooling of an NHWC image (PP queue)";
}

def Npu_SetRegOp : Npu_InstrOp<"setreg", (ins Npu_QueueAttr:$queue,
    I64Attr:$reg, I64Attr:$value)> {
  let summary = "set a configuration register of the MM or PP queue";
}

def Npu_EndOp : Npu_InstrOp<"end", (ins)> {
  let summary = "the end of the program";
}

#endif // QC_DIALECT_NPU_IR_NPUOPS_TD
