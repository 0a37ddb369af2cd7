// Input that is not in the LLVM dialect gets a located error, not a crash.
// RUN: not quant-translate --emit-obj %s -o %t.o 2>&1 | FileCheck %s
// RUN: not quant-translate --emit-obj --cpu=no-such-cpu-xyz %S/emit-obj.mlir -o %t.o 2>&1 | FileCheck %s --check-prefix=CPU
// CHECK: error: cannot translate the module to LLVM IR (is it fully lowered to the LLVM dialect?)
// CPU: error: unknown CPU 'no-such-cpu-xyz' for {{.*}} (use native, generic, or an LLVM CPU name such as x86-64-v3)
func.func @not_lowered(%x: tensor<4xi32>) -> tensor<4xi32> {
  return %x : tensor<4xi32>
}
