// RUN: quant-opt %s --split-input-file --qnt-lower-to-integer --canonicalize --qnt-cpu-gemm-kernels | FileCheck %s
// RUN: quant-opt %s --split-input-file --qnt-lower-to-integer --canonicalize "--qnt-cpu-gemm-kernels=mr=2 nr=1" | FileCheck %s --check-prefix=BLOCK
// RUN: quant-opt %s --split-input-file --qnt-compile-cpu=cpu=znver4 | FileCheck %s --check-prefix=VNNI
// RUN: quant-opt %s --split-input-file --qnt-compile-cpu=cpu=x86-64-v3 | FileCheck %s --check-prefix=PORTABLE
// RUN: not quant-opt %s --split-input-file --qnt-lower-to-integer "--qnt-cpu-gemm-kernels=mr=9" 2>&1 | FileCheck %s --check-prefix=BADMR
// RUN: not quant-opt %s --split-input-file --qnt-compile-cpu=cpu=pentium9000 2>&1 | FileCheck %s --check-prefix=BADCPU

// A fully connected layer (u8 x i8, per-channel, 20 outputs: one full and
// one padded 16-channel block, K = 6 padded to 8) becomes one loop nest of
// 16-lane vectors: packed weights [2][2][64], the bias as the accumulators'
// start, dot products as extend/multiply/strided shuffles, the rescale and
// the clamp on the accumulators, one 16-byte store per vector.
// CHECK-LABEL: func.func @fc
// CHECK-DAG: arith.constant dense_resource<qnt_packed_weights_{{[0-9]+}}> : tensor<2x2x64xi8>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<32xi32>
// CHECK: tensor.pad {{.*}} high[0, 2]
// CHECK: scf.for {{.*}} -> (tensor<3x32xi8>)
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>)
// CHECK: vector.transfer_read {{.*}} : tensor<2x2x64xi8>, vector<64xi8>
// CHECK: vector.bitcast {{.*}} : vector<4xi8> to vector<1xi32>
// CHECK-COUNT-4: vector.shuffle
// CHECK: scf.yield
// CHECK-NOT: qnt.fixed_point_mul
// CHECK-NOT: linalg.generic
// CHECK: vector.transfer_write {{.*}} : vector<16xi8>, tensor<3x32xi8>
// CHECK: tensor.extract_slice {{.*}} to tensor<3x20xi8>
// BLOCK-LABEL: func.func @fc
// BLOCK: scf.for {{.*}} step %c2{{.*}} -> (tensor<3x32xi8>)
// VNNI-LABEL: llvm.func @fc
// VNNI-SAME: target_cpu = "znver4"
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// PORTABLE-LABEL: llvm.func @fc
// PORTABLE-NOT: vpdpbusd
// PORTABLE: llvm.shufflevector
// BADMR: error: qnt-cpu-gemm-kernels: mr must be 1 to 8 and nr 1 to 4
// BADCPU: error: {{.*}}unknown CPU 'pentium9000'
func.func @fc(%x: tensor<3x6xf32>) -> tensor<3x20xf32> {
  %q = qnt.quantize %x : tensor<3x6xf32> to tensor<3x6x!qnt.uniform<u8:f32, 0.02:100>>
  %wc = arith.constant dense<[[1, -2, 3, -4, 5, -6], [7, 8, 9, 10, 11, 12], [-1, -1, -1, -1, -1, -1], [127, -127, 0, 1, 2, 3], [1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2], [3, 3, 3, 3, 3, 3], [4, 4, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [6, 6, 6, 6, 6, 6], [7, 7, 7, 7, 7, 7], [8, 8, 8, 8, 8, 8], [9, 9, 9, 9, 9, 9], [10, 10, 10, 10, 10, 10], [11, 11, 11, 11, 11, 11], [12, 12, 12, 12, 12, 12], [13, 13, 13, 13, 13, 13], [14, 14, 14, 14, 14, 14], [15, 15, 15, 15, 15, 15], [16, 16, 16, 16, 16, 16]]> : tensor<20x6xi8>
  %w = qnt.storage_cast %wc : tensor<20x6xi8> to tensor<20x6x!qnt.uniform<i8:f32, 0.01>>
  %y = qnt.fully_connected %q, %w : (tensor<3x6x!qnt.uniform<u8:f32, 0.02:100>>, tensor<20x6x!qnt.uniform<i8:f32, 0.01>>) -> tensor<3x20x!qnt.uniform<u8:f32, 0.05:128>>
  %r = qnt.dequantize %y : tensor<3x20x!qnt.uniform<u8:f32, 0.05:128>> to tensor<3x20xf32>
  return %r : tensor<3x20xf32>
}

// -----

// Activations times activations are not a kernel (no constant weights):
// the generic contraction stays.
// CHECK-LABEL: func.func @two_activations
// CHECK: linalg.generic {{.*}}reduction
// CHECK-NOT: vector.transfer_write
func.func @two_activations(%a: tensor<2x8x!qnt.uniform<u8:f32, 0.02:100>>, %b: tensor<8x4x!qnt.uniform<i8:f32, 0.01>>) -> tensor<2x4x!qnt.uniform<u8:f32, 0.05:128>> {
  %y = qnt.matmul %a, %b : tensor<2x8x!qnt.uniform<u8:f32, 0.02:100>>, tensor<8x4x!qnt.uniform<i8:f32, 0.01>> -> tensor<2x4x!qnt.uniform<u8:f32, 0.05:128>>
  return %y : tensor<2x4x!qnt.uniform<u8:f32, 0.05:128>>
}

// -----

// A 3x3 convolution of u8 with 8 channels reads its (padded) input in
// place, tap by tap (no im2col copy), and writes the NHWC result directly.
// CHECK-LABEL: func.func @conv_implicit
// CHECK: tensor.pad
// CHECK-NOT: linalg.generic
// CHECK: scf.for {{.*}} -> (tensor<1x5x5x16xi8>)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.transfer_read {{.*}} : tensor<1x7x7x8xi8>, vector<4xi8>
// CHECK: vector.transfer_write {{.*}} : vector<16xi8>, tensor<1x5x5x16xi8>
func.func @conv_implicit(%x: tensor<1x5x5x8x!qnt.uniform<u8:f32, 0.02:100>>) -> tensor<1x5x5x16x!qnt.uniform<u8:f32, 0.05:128>> {
  %wc = arith.constant dense<3> : tensor<16x3x3x8xi8>
  %w = qnt.storage_cast %wc : tensor<16x3x3x8xi8> to tensor<16x3x3x8x!qnt.uniform<i8:f32, 0.01>>
  %y = qnt.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x5x5x8x!qnt.uniform<u8:f32, 0.02:100>>, tensor<16x3x3x8x!qnt.uniform<i8:f32, 0.01>>) -> tensor<1x5x5x16x!qnt.uniform<u8:f32, 0.05:128>>
  return %y : tensor<1x5x5x16x!qnt.uniform<u8:f32, 0.05:128>>
}

// -----

// Three input channels (not a multiple of 4) and i8 activations go through
// an im2col copy that pads channels to 4 and flips i8 to u8 (xor 0x80).
// CHECK-LABEL: func.func @conv_im2col
// CHECK: linalg.generic
// CHECK: arith.xori
// CHECK: tensor.collapse_shape {{.*}} into tensor<25x36xi8>
func.func @conv_im2col(%x: tensor<1x5x5x3x!qnt.uniform<i8:f32, 0.02:-3>>) -> tensor<1x5x5x16x!qnt.uniform<i8:f32, 0.05:1>> {
  %wc = arith.constant dense<3> : tensor<16x3x3x3xi8>
  %w = qnt.storage_cast %wc : tensor<16x3x3x3xi8> to tensor<16x3x3x3x!qnt.uniform<i8:f32, 0.01>>
  %y = qnt.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x5x5x3x!qnt.uniform<i8:f32, 0.02:-3>>, tensor<16x3x3x3x!qnt.uniform<i8:f32, 0.01>>) -> tensor<1x5x5x16x!qnt.uniform<i8:f32, 0.05:1>>
  return %y : tensor<1x5x5x16x!qnt.uniform<i8:f32, 0.05:1>>
}
