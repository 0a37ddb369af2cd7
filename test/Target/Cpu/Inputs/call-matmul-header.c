/* Calls @matmul_i8 through the header quant-translate --emit-c-header
 * generated (model.h on the include path). */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>

int main(void) {
  int8_t x[4][8], w[8][3];
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 8; ++k)
      x[i][k] = (int8_t)(i * 5 - k * 3);
  for (int k = 0; k < 8; ++k)
    for (int j = 0; j < 3; ++j)
      w[k][j] = (int8_t)(k - j * 7);
  matmul_i8_arg0_t xd = {&x[0][0], &x[0][0], 0, {4, 8}, {8, 1}};
  matmul_i8_arg1_t wd = {&w[0][0], &w[0][0], 0, {8, 3}, {3, 1}};
  matmul_i8_results_t out;
  _mlir_ciface_matmul_i8(&out, &xd, &wd);
  int ok = MATMUL_I8_RESULT0_RANK == 2 && MATMUL_I8_RESULT0_SHAPE[1] == 3;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) {
      int32_t ref = 0;
      for (int k = 0; k < 8; ++k)
        ref += x[i][k] * w[k][j];
      const matmul_i8_result0_t *r = &out.result0;
      ok &= r->aligned[r->offset + i * r->strides[0] + j * r->strides[1]] == ref;
    }
  free(out.result0.allocated);
  printf("%s: %s\n", MATMUL_I8_ARG0_DTYPE, ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}
