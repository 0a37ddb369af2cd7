// Bad options and bad calibration data: located errors, non-zero exit.
// RUN: not quant-opt %s --qnt-propagate-ranges="method=median" 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not quant-opt %s --qnt-propagate-ranges="calibration=%t.missing" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: printf 'not a numpy file' > %t.bad.npy
// RUN: not quant-opt %s --qnt-propagate-ranges="calibration=%t.bad.npy" 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: %python3 -c "import numpy as np; np.save('%t.shape.npy', np.zeros((3, 5), dtype=np.float32))"
// RUN: not quant-opt %s --qnt-propagate-ranges="calibration=%t.shape.npy" 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: %python3 -c "import numpy as np; np.save('%t.dtype.npy', np.zeros((1, 4), dtype=np.float64))"
// RUN: not quant-opt %s --qnt-propagate-ranges="calibration=%t.dtype.npy" 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: rm -rf %t.empty && mkdir -p %t.empty
// RUN: not quant-opt %s --qnt-propagate-ranges="calibration=%t.empty" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: %python3 -c "import numpy as np; np.savez('%t.npz', other=np.zeros((1, 4), dtype=np.float32))"
// RUN: not quant-opt %s --qnt-propagate-ranges="calibration=%t.npz" 2>&1 | FileCheck %s --check-prefix=NPZ

// METHOD: error: unknown calibration method 'median' (expected minmax, ema, percentile, kl or mse)
// MISSING: propagate-ranges-invalid.mlir:[[@LINE+7]]:1: error: calibration data {{.*}}.missing does not exist
// MALFORMED: propagate-ranges-invalid.mlir:[[@LINE+6]]:1: error: calibration file {{.*}}bad.npy: {{.*}}
// SHAPE: error: calibration file {{.*}}shape.npy, array 'arg0': expected f32[1x4], got f32[3x5]
// DTYPE: error: calibration file {{.*}}dtype.npy, array 'arg0': expected f32[1x4], got f64[1x4]
// EMPTY: error: calibration directory {{.*}} holds no .npy or .npz files
// NPZ: error: calibration file {{.*}}.npz: no array named 'arg0'

func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %r = qnt.relu %x : tensor<1x4xf32> -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}
