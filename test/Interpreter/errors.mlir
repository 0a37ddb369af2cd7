// arith's undefined behaviour is a located error, not a crash or an
// arbitrary value: division by zero and INT_MIN / -1 (in a linalg body and
// on whole tensors), shifts by the bit width or more, wrap-around in an op
// marked nsw, and table reads out of bounds. A body op the interpreter does not know is reported before
// anything runs.

// RUN: %python3 -c "import numpy as np; np.save('%t.x.npy', np.array([-2**31, -1, 0, 40], dtype=np.int32))"
// RUN: not quant-run %s --entry=div_by_zero --input %t.x.npy --output-dir %t.out 2>&1 | FileCheck %s --check-prefix=DIV
// RUN: not quant-run %s --entry=div_overflow --input %t.x.npy --output-dir %t.out 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// RUN: not quant-run %s --entry=shift --input %t.x.npy --output-dir %t.out 2>&1 | FileCheck %s --check-prefix=SHIFT
// RUN: not quant-run %s --entry=nsw --input %t.x.npy --output-dir %t.out 2>&1 | FileCheck %s --check-prefix=NSW
// RUN: not quant-run %s --entry=table --input %t.x.npy --output-dir %t.out 2>&1 | FileCheck %s --check-prefix=TABLE
// RUN: not quant-run %s --entry=unsupported --input %t.x.npy --output-dir %t.out 2>&1 | FileCheck %s --check-prefix=UNKNOWN-OP

#id = affine_map<(d0) -> (d0)>

// DIV-NOT: output0
func.func @div_by_zero(%x: tensor<4xi32>) -> tensor<4xi32> {
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xi32>) outs(%x : tensor<4xi32>) {
  ^bb0(%a: i32, %o: i32):
    %seven = arith.constant 7 : i32
    // DIV: :[[@LINE+1]]:10: error: interpreter: division by zero in arith.divsi
    %q = arith.divsi %seven, %a : i32
    linalg.yield %q : i32
  } -> tensor<4xi32>
  // DIV: :[[@LINE-8]]:8: note: while executing 'linalg.generic'
  return %r : tensor<4xi32>
}

func.func @div_overflow(%x: tensor<4xi32>) -> tensor<4xi32> {
  %minus1 = arith.constant dense<-1> : tensor<4xi32>
  // OVERFLOW: :[[@LINE+1]]:8: error: interpreter: signed division overflow (INT_MIN / -1) in arith.divsi
  %q = arith.divsi %x, %minus1 : tensor<4xi32>
  return %q : tensor<4xi32>
}

func.func @shift(%x: tensor<4xi32>) -> tensor<4xi32> {
  %one = arith.constant dense<1> : tensor<4xi32>
  // SHIFT: :[[@LINE+1]]:8: error: interpreter: shift amount 2147483648 is not less than the bit width 32 in arith.shli
  %s = arith.shli %one, %x : tensor<4xi32>
  return %s : tensor<4xi32>
}

func.func @nsw(%x: tensor<4xi32>) -> tensor<4xi32> {
  // NSW: :[[@LINE+1]]:8: error: interpreter: signed wrap-around despite the nsw flag in arith.addi
  %s = arith.addi %x, %x overflow<nsw> : tensor<4xi32>
  return %s : tensor<4xi32>
}

func.func @table(%x: tensor<4xi32>) -> tensor<4xi32> {
  %table = arith.constant dense<[1, 2, 3]> : tensor<3xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xi32>) outs(%x : tensor<4xi32>) {
  ^bb0(%a: i32, %o: i32):
    %i = arith.index_cast %a : i32 to index
    // TABLE: :[[@LINE+1]]:10: error: interpreter: index -2147483648 out of bounds in tensor.extract
    %t = tensor.extract %table[%i] : tensor<3xi32>
    linalg.yield %t : i32
  } -> tensor<4xi32>
  return %r : tensor<4xi32>
}

func.func @unsupported(%x: tensor<4xi32>) -> tensor<4xi32> {
  // UNKNOWN-OP: :[[@LINE+1]]:8: error: interpreter: 'linalg.generic' is not supported by the reference interpreter
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xi32>) outs(%x : tensor<4xi32>) {
  ^bb0(%a: i32, %o: i32):
    %sum, %carry = arith.addui_extended %a, %o : i32, i1
    linalg.yield %sum : i32
  } -> tensor<4xi32>
  return %r : tensor<4xi32>
}
