#include <stdint.h>
#include <stdio.h>

int32_t qc_add(int32_t a, int32_t b);

int main(void) {
  printf("qc_add(40, 2) = %d\n", qc_add(40, 2));
  return 0;
}
