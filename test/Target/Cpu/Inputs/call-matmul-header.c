/* Calls @matmul_i8 through the header quant-translate --emit-c-header
 * generated (model.h on the include path). */
#include "model.h"

#include <stdio.h>

int main(void) {
  int8_t x[4][8], w[8][3];
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 8; ++k)
      x[i][k] = (int8_t)(i * 5 - k * 3);
  for (int k = 0; k < 8; ++k)
    for (int j = 0; j < 3; ++j)
      w[k][j] = (int8_t)(k - j * 7);
  /* The caller owns the output and the arena; the model allocates nothing.
   */
  static _Alignas(MATMUL_I8_ARENA_ALIGNMENT) uint8_t arena[MATMUL_I8_ARENA_SIZE];
  int32_t out[4][3];
  matmul_i8_run(&x[0][0], &w[0][0], &out[0][0], arena);
  int ok = MATMUL_I8_RESULT0_RANK == 2 && MATMUL_I8_RESULT0_SHAPE[1] == 3 &&
           matmul_i8_arena_size == MATMUL_I8_ARENA_SIZE;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) {
      int32_t ref = 0;
      for (int k = 0; k < 8; ++k)
        ref += x[i][k] * w[k][j];
      ok &= out[i][j] == ref;
    }
  printf("%s: %s\n", MATMUL_I8_ARG0_DTYPE, ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}
