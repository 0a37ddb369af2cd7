/* bench/time-compiled.c: times a model compiled ahead of time, as a user
 * runs it: the object from quant-translate --emit-obj, called through its
 * header's layer_run() (the entry renamed to @layer with
 * --qnt-set-entry-name=to=layer), one input, one output, one arena.
 *
 *   time-compiled RUNS REPS   prints "us per inference X" (best of REPS)
 *
 * The input is a fixed pseudo-random byte pattern; the timing does not
 * depend on the values (no data-dependent branches in compiled code). */
#define _POSIX_C_SOURCE 200112L /* clock_gettime */
#include "layer.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(LAYER_ARENA_ALIGNMENT) uint8_t arena[LAYER_ARENA_SIZE + 1];

static size_t elements(const int64_t *shape, int rank) {
  size_t n = 1;
  for (int i = 0; i < rank; ++i)
    n *= (size_t)shape[i];
  return n;
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 100;
  int reps = argc > 2 ? atoi(argv[2]) : 3;
  /* 8 bytes per element covers every element type. */
  size_t in = elements(LAYER_ARG0_SHAPE, LAYER_ARG0_RANK) * 8;
  size_t out = elements(LAYER_RESULT0_SHAPE, LAYER_RESULT0_RANK) * 8;
  unsigned char *x = aligned_alloc(64, (in + 63) / 64 * 64);
  unsigned char *y = aligned_alloc(64, (out + 63) / 64 * 64);
  if (!x || !y)
    return 1;
  unsigned state = 12345;
  for (size_t i = 0; i < in; ++i) {
    state = state * 1103515245u + 12345u;
    x[i] = (unsigned char)(state >> 24);
  }
  /* Float inputs: small finite values, not random bit patterns. */
  if (LAYER_ARG0_DTYPE[0] == 'f')
    for (size_t i = 0; i < in / 8; ++i)
      ((float *)x)[i] = (float)(x[i] % 200) / 200.0f;
  layer_run((void *)x, (void *)y, arena); /* warm-up */
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < runs; ++i)
      layer_run((void *)x, (void *)y, arena);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double us = ((double)(b.tv_sec - a.tv_sec) * 1e9 +
                 (double)(b.tv_nsec - a.tv_nsec)) / 1e3 / runs;
    if (us < best)
      best = us;
  }
  printf("us per inference %.3f\n", best);
  free(x);
  free(y);
  return 0;
}
