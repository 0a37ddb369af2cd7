// Calibration: the float model runs in the interpreter over the samples.
// Two samples of [1, 4] stacked in one .npy:
//   sample 0: [-2.0, 0.5, 1.0, 3.0]   sample 1: [-1.0, 0.0, 4.0, 1.0]
// RUN: %python3 -c "import numpy as np; np.save('%t.npy', np.array([[-2.0, 0.5, 1.0, 3.0], [-1.0, 0.0, 4.0, 1.0]], dtype=np.float32))"
// RUN: quant-opt %s --qnt-propagate-ranges="calibration=%t.npy" | FileCheck %s --check-prefix=MINMAX
// RUN: quant-opt %s --qnt-propagate-ranges="calibration=%t.npy method=ema ema-decay=0.5" | FileCheck %s --check-prefix=EMA
// RUN: quant-opt %s --qnt-propagate-ranges="calibration=%t.npy method=percentile percentile=99.0" | FileCheck %s --check-prefix=PCT
// RUN: quant-opt %s --qnt-propagate-ranges="calibration=%t.npy method=kl" | FileCheck %s --check-prefix=ANY
// RUN: quant-opt %s --qnt-propagate-ranges="calibration=%t.npy method=mse" | FileCheck %s --check-prefix=ANY
//
// The same samples as a directory of one-sample files, and as a .npz keyed
// by the argument's name.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %python3 -c "import numpy as np; np.save('%t.dir/a.npy', np.array([[-2.0, 0.5, 1.0, 3.0]], dtype=np.float32)); np.save('%t.dir/b.npy', np.array([[-1.0, 0.0, 4.0, 1.0]], dtype=np.float32))"
// RUN: quant-opt %s --qnt-propagate-ranges="calibration=%t.dir" | FileCheck %s --check-prefix=MINMAX
// RUN: %python3 -c "import numpy as np; np.savez('%t.npz', image=np.array([[-2.0, 0.5, 1.0, 3.0], [-1.0, 0.0, 4.0, 1.0]], dtype=np.float32))"
// RUN: quant-opt %s --qnt-propagate-ranges="calibration=%t.npz" | FileCheck %s --check-prefix=MINMAX

// min/max over both samples.
// MINMAX-LABEL: func.func @main
// MINMAX-SAME: qnt.range = #qnt.range<-2.000000e+00, 4.000000e+00>
// MINMAX: qnt.relu {{.*}}qnt.range = #qnt.range<0.000000e+00, 4.000000e+00>
// The calibrated [-1, 1] of the clamp stays within its static bounds.
// MINMAX: qnt.clamp {{.*}}qnt.range = #qnt.range<-1.000000e+00, 1.000000e+00>
// MINMAX: qnt.add {{.*}}qnt.range = #qnt.range<-1.000000e+00, 5.000000e+00>

// EMA with decay 0.5: min -2 then 0.5 * -2 + 0.5 * -1 = -1.5; max 3 then 3.5.
// EMA-LABEL: func.func @main
// EMA-SAME: qnt.range = #qnt.range<-1.500000e+00, 3.500000e+00>

// The 99th percentile cuts inside [-2, 4].
// PCT-LABEL: func.func @main
// PCT-SAME: qnt.range = #qnt.range<-1.{{[0-9]+}}, 3.{{[0-9]+}}>

// ANY-LABEL: func.func @main
// ANY-SAME: qnt.range = #qnt.range<
// ANY: qnt.relu {{.*}}qnt.range = #qnt.range<0.000000e+00,

func.func @main(%x: tensor<1x4xf32> {qnt.name = "image"}) -> tensor<1x4xf32> {
  %r = qnt.relu %x : tensor<1x4xf32> -> tensor<1x4xf32>
  %c = qnt.clamp %x min -1.0 max 1.0 : tensor<1x4xf32> -> tensor<1x4xf32>
  %s = qnt.add %r, %c : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32>
  return %s : tensor<1x4xf32>
}
