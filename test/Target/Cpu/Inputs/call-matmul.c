/* Calls the compiled @matmul_i8 through MLIR's C interface
 * (_mlir_ciface_*, ranked memref descriptors) and checks it. */
#include <stdint.h>
#include <stdio.h>

typedef struct { int8_t *allocated, *aligned; int64_t offset, sizes[2], strides[2]; } MemRefI8;
typedef struct { int32_t *allocated, *aligned; int64_t offset, sizes[2], strides[2]; } MemRefI32;
typedef struct { uint8_t *allocated, *aligned; int64_t offset, sizes[1], strides[1]; } MemRefArena;

/* Inputs, then outputs, then the arena (qnt-plan-arena). */
void _mlir_ciface_matmul_i8(MemRefI8 *x, MemRefI8 *w, MemRefI32 *result,
                            MemRefArena *arena);
extern const int64_t matmul_i8_arena_size;

int main(void) {
  int8_t x[4][8], w[8][3];
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 8; ++k)
      x[i][k] = (int8_t)(i * 37 - k * 23 + 11);
  for (int k = 0; k < 8; ++k)
    for (int j = 0; j < 3; ++j)
      w[k][j] = (int8_t)(k * 19 - j * 53 - 128);
  MemRefI8 xd = {&x[0][0], &x[0][0], 0, {4, 8}, {8, 1}};
  MemRefI8 wd = {&w[0][0], &w[0][0], 0, {8, 3}, {3, 1}};
  int32_t o[4][3];
  static _Alignas(64) uint8_t space[4096];
  if (matmul_i8_arena_size > (int64_t)sizeof space)
    return 2;
  MemRefI32 out = {&o[0][0], &o[0][0], 0, {4, 3}, {3, 1}};
  MemRefArena arena = {space, space, 0, {matmul_i8_arena_size}, {1}};
  _mlir_ciface_matmul_i8(&xd, &wd, &out, &arena);
  int ok = 0;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) {
      int32_t ref = 0;
      for (int k = 0; k < 8; ++k)
        ref += (int32_t)x[i][k] * (int32_t)w[k][j];
      int32_t got = out.aligned[out.offset + i * out.strides[0] + j * out.strides[1]];
      ok += got == ref;
      if (got != ref)
        printf("mismatch at (%d, %d): %d vs %d\n", i, j, got, ref);
    }
  printf("%d of 12 outputs match\n", ok);
  return ok == 12 ? 0 : 1;
}
