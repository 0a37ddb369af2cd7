// quant-translate --emit-obj writes a relocatable object in process (LLVM's
// TargetMachine, no llc subprocess); a C program links against it and runs.
// RUN: quant-translate --emit-obj %s -o %t.o
// RUN: od -An -c -N4 %t.o | FileCheck %s --check-prefix=ELF
// ELF: 177   E   L   F
// RUN: %clang %S/Inputs/call-add.c %t.o -o %t.exe
// RUN: %t.exe | FileCheck %s
// CHECK: qc_add(40, 2) = 42
// The portable baseline and an explicit CPU produce working code too.
// RUN: quant-translate --emit-obj --cpu=generic %s -o %t.generic.o
// RUN: %clang %S/Inputs/call-add.c %t.generic.o -o %t.generic.exe
// RUN: %t.generic.exe | FileCheck %s
// RUN: quant-translate --mlir-to-llvmir %s | FileCheck %s --check-prefix=IR
// IR: define i32 @qc_add(i32 %0, i32 %1)
llvm.func @qc_add(%a: i32, %b: i32) -> i32 {
  %s = llvm.add %a, %b : i32
  llvm.return %s : i32
}
