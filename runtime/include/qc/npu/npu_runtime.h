/*===- npu_runtime.h - C ABI to run NPU programs (the driver) -----*- C -*-===*\
|*                                                                            *|
|* Part of the quant project.                                                 *|
|*                                                                            *|
|* What compiled host code calls to run a program blob on the NPU            *|
|* (docs/npu.md): here the cycle-counting simulator stands in for the        *|
|* driver of real hardware, behind the same entry point. C, so that code     *|
|* generated through LLVM and plain C programs can call it.                  *|
\*===----------------------------------------------------------------------===*/

#ifndef QC_NPU_NPU_RUNTIME_H
#define QC_NPU_NPU_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One host buffer (docs/npu.md section 2): index = position in the array.
typedef struct qc_npu_buffer {
  uint8_t *data;
  size_t size;
} qc_npu_buffer;

/// What a run measured.
typedef struct qc_npu_stats {
  uint64_t cycles;
  uint64_t macs;
  uint64_t dma_bytes_in, dma_bytes_out;
  double utilisation; /* macs / (cycles * R * C) */
} qc_npu_stats;

/// Runs the program blob on a machine of the configuration it records,
/// with `count` (at most 16) host buffers. Returns 0 on success; otherwise
/// non-zero, and when `error` is not null, a NUL-terminated message (the
/// failing instruction's index and why) is written there, truncated to
/// `error_size` bytes. `stats` may be null.
int qc_npu_run(const uint8_t *blob, size_t blob_size,
               const qc_npu_buffer *buffers, int count, qc_npu_stats *stats,
               char *error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif /* QC_NPU_NPU_RUNTIME_H */
