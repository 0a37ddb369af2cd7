//===- Passes.td - passes of the CPU target ----------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_CPU_PASSES_TD
#define QC_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def QntStorageBoundaryPass : Pass<"qnt-storage-boundary", "::mlir::ModuleOp"> {
  let summary = "Give quantized function arguments and results their storage types";
  let description = [{
    Compiled code is called with plain integer buffers: a function argument
    or result of type `tensor<...x!qnt.uniform<u8:f32, s:z>>` becomes
    `tensor<...xi8>` (the signless storage integers) and a
    `qnt.storage_cast` at the function's entry (or before its return)
    restores the quantized type for the ops inside, so the integer lowering
    sees an ordinary quantized graph. The original type is kept as the
    argument/result attribute `qnt.type`; the C header and the runners read
    scale, zero point and signedness from it.

    Storage narrower than a byte (`i4`, `u4`, `i2`, `u2`) has no C element
    type and is rejected at the boundary (pack such tensors inside the
    model). Tensor arguments are marked `bufferization.writable = false`:
    compiled code never writes into its inputs. Public functions get
    `llvm.emit_c_interface`, so the object exports `_mlir_ciface_NAME`, the
    entry point the C header declares. Functions without a body are left
    alone.
  }];
  let dependentDialects = ["::qc::qnt::QntDialect"];
}

def QntSetEntryNamePass : Pass<"qnt-set-entry-name", "::mlir::ModuleOp"> {
  let summary = "Rename the model's entry function (its C symbol)";
  let description = [{
    Compiled code exports the entry function under its MLIR name (plus
    `_mlir_ciface_NAME`, `NAME_run` and `NAME_arena_size` in the header). A
    model's `@main` would clash with a C program's `main`, and two models
    linked into one program need different names: this pass renames `from`
    to `to` (a C identifier not already used in the module) and updates
    every reference.
  }];
  let options = [
    Option<"from", "from", "std::string", "\"main\"",
           "The entry function's current name">,
    Option<"to", "to", "std::string", "\"\"",
           "Its new name (a C identifier)">,
  ];
}

def QntCpuGemmKernelsPass : Pass<"qnt-cpu-gemm-kernels"> {
  let summary = "Register-blocked int8 GEMM/conv kernels with the rescale fused in";
  let description = [{
    Rewrites the integer contractions that `qnt-lower-to-integer` emits for
    fully-connected layers and convolutions (u8 or i8 activations times
    constant i8 weights, accumulated in int32 on top of a constant bias,
    then `qnt.fixed_point_mul` and an elementwise clamp/zero-point/narrowing
    epilogue) into one loop nest of vector code:

    - the weights are packed at compile time into blocks of 16 output
      channels by 4 reduction steps (`[N/16][K/4][16][4]` bytes), the
      layout of an AVX-512 VNNI dot product; the bias and the rescale
      parameters become per-channel vectors;
    - convolutions read their input through an im2col copy (strides,
      dilations and padding folded into it; channels padded to a multiple
      of 4 with zeros) unless they are 1x1 with unit stride; i8 activations
      are flipped to u8 (x xor 0x80) with `128 * sum(w)` taken out of the
      bias, so one kernel serves both;
    - an `mr` x `nr` block of 16-lane int32 accumulators stays in
      registers over the whole reduction; the fixed-point rescale (every
      rounding mode, bit-exact with the runtime core) and the epilogue run
      on the accumulators before the only store.

    The 4-byte dot products are plain 1-D vector arith (extend, multiply,
    add four strided shuffles) that any target lowers; after bufferization
    `qnt-cpu-vnni` turns them into `vpdpbusd` where the CPU has it. Both
    compute identical integers. Contractions of other forms (activations times
    activations, asymmetric weights, grouped and depthwise convolutions)
    are left to the generic path.
  }];
  let options = [
    Option<"rowBlock", "mr", "int64_t", "6",
           "Rows of the register block (1 to 8)">,
    Option<"vectorBlock", "nr", "int64_t", "4",
           "16-channel vectors of the register block (1 to 4)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def QntPlanArenaPass : Pass<"qnt-plan-arena", "::mlir::ModuleOp"> {
  let summary = "Place every intermediate buffer in one caller-provided arena";
  let description = [{
    After bufferization (and `buffer-results-to-out-params`), every
    statically shaped `memref.alloc` of an entry function (one no other
    function calls) becomes a `memref.view` into a new last argument
    `memref<N x i8>`, the arena, so that an inference allocates nothing.
    Buffers whose lifetimes do not overlap share memory: each buffer lives
    from its allocation to the last use of it or of any view of it (a use
    inside a loop keeps it alive for the whole loop), and offsets are
    chosen greedily, largest buffer first, at the lowest 64-byte aligned
    offset free during its lifetime (the "greedy by size" planner of
    TFLite Micro). The arena size is recorded as `qnt.arena_size` on the
    function and exported as the public constant `NAME_arena_size` (i64); `quant-translate --emit-c-header` states it and the runners
    allocate it once. Buffers that escape (returned or yielded) or have
    dynamic shapes are left to the buffer deallocation pipeline.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def QntCpuVnniPass : Pass<"qnt-cpu-vnni"> {
  let summary = "Turn 4-byte u8 x s8 dot products into AVX-512 VNNI vpdpbusd";
  let description = [{
    Rewrites `acc + sum_j shuffle(p, [j, j+4, ..., j+60])` with
    `p = extui(a : vector<64xi8>) * extsi(w : vector<64xi8>)` (the form
    `qnt-cpu-gemm-kernels` writes) into `llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"` when `cpu`
    has AVX-512 VNNI (native on Zen 4/5 or Ice Lake and later, `znver4`,
    `znver5`, `sapphirerapids`; not `x86-64-v4`, which lacks VNNI). The
    instruction adds the four u8 x s8 products of each lane to the
    accumulator with wrapping int32 arithmetic, exactly what the generic
    form computes, so results do not depend on the CPU. Runs after
    bufferization: the intrinsic call has no declared memory effects, which
    the buffer deallocation analysis would refuse.
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", "\"generic\"",
           "Target CPU: native, generic or an LLVM CPU name; empty: keep the "
           "portable form">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def QntCpuTargetAttrsPass : Pass<"qnt-cpu-target-attrs", "::mlir::ModuleOp"> {
  let summary = "Record the target CPU on every LLVM function";
  let description = [{
    Sets `target_cpu` (and, for `native`, the host's exact
    `target_features`) on each `llvm.func`, so that code built with
    CPU-specific instructions (the VNNI kernels) is compiled for a CPU that
    has them whatever CPU the object emitter or JIT defaults to. Drops the
    `qnt.*` argument and result attributes (they describe the model's
    edges for the header and the runners, and mean nothing to LLVM).
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", "\"generic\"",
           "Target CPU: native, generic or an LLVM CPU name; empty: record "
           "nothing (the code generator's default CPU applies)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // QC_TARGET_CPU_PASSES_TD
