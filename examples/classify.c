/* examples/classify.c: runs the example CNN compiled by quant, as an embedded
 * program would, with no quant library at all: the object file
 * (quant-translate --emit-obj) and its header (--emit-c-header) are all it
 * needs.
 *
 *   classify INPUT.npy OUTPUT.npy
 *
 * INPUT.npy holds N images, float32, shape [N, 16, 16, 3] (or one image);
 * the program runs them one after the other, prints each predicted class and
 * writes the N x 10 scores to OUTPUT.npy. Memory: one static arena of
 * CNN_ARENA_SIZE bytes, stated by the header; the model allocates nothing.
 */
#include "cnn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_FLOATS (16 * 16 * 3)
#define CLASSES 10

static _Alignas(CNN_ARENA_ALIGNMENT) uint8_t arena[CNN_ARENA_SIZE];

/* A little-endian float32, C-order .npy (format 1.0 or 2.0): returns the
 * number of floats read into *data (malloc'ed), or -1. */
static long read_npy_f32(const char *path, float **data) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  unsigned char magic[8];
  long count = -1;
  if (fread(magic, 1, 8, f) == 8 && memcmp(magic, "\x93NUMPY", 6) == 0) {
    unsigned long header = 0;
    unsigned char len[4] = {0};
    size_t width = magic[6] == 1 ? 2 : 4;
    if (fread(len, 1, width, f) == width) {
      header = len[0] | (len[1] << 8) | (width == 4 ? (len[2] << 16) | ((unsigned long)len[3] << 24) : 0);
      char *text = calloc(header + 1, 1);
      if (text && fread(text, 1, header, f) == header &&
          strstr(text, "'<f4'") && strstr(text, "'fortran_order': False")) {
        long start = ftell(f);
        fseek(f, 0, SEEK_END);
        long bytes = ftell(f) - start;
        fseek(f, start, SEEK_SET);
        *data = malloc(bytes > 0 ? (size_t)bytes : 1);
        if (*data && fread(*data, 1, (size_t)bytes, f) == (size_t)bytes)
          count = bytes / 4;
      }
      free(text);
    }
  }
  fclose(f);
  return count;
}

static int write_npy_f32(const char *path, const float *data, long rows,
                         long cols) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  char header[128];
  int n = snprintf(header, sizeof header,
                   "{'descr': '<f4', 'fortran_order': False, 'shape': (%ld, %ld), }",
                   rows, cols);
  int total = 10 + n + 1;
  int pad = (64 - total % 64) % 64;
  unsigned short len = (unsigned short)(n + pad + 1);
  fwrite("\x93NUMPY\x01\x00", 1, 8, f);
  fputc(len & 0xff, f);
  fputc(len >> 8, f);
  fwrite(header, 1, (size_t)n, f);
  for (int i = 0; i < pad; ++i)
    fputc(' ', f);
  fputc('\n', f);
  fwrite(data, sizeof(float), (size_t)(rows * cols), f);
  return fclose(f);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s INPUT.npy OUTPUT.npy\n", argv[0]);
    return 2;
  }
  if (cnn_arena_size != CNN_ARENA_SIZE) {
    fprintf(stderr, "cnn.h does not match the linked object (arena %ld vs %ld)\n",
            (long)CNN_ARENA_SIZE, (long)cnn_arena_size);
    return 1;
  }
  float *images = NULL;
  long floats = read_npy_f32(argv[1], &images);
  if (floats <= 0 || floats % IMAGE_FLOATS) {
    fprintf(stderr, "%s: expected float32 images of 16x16x3\n", argv[1]);
    return 1;
  }
  long count = floats / IMAGE_FLOATS;
  float *scores = malloc(sizeof(float) * CLASSES * (size_t)count);
  if (!scores)
    return 1;
  for (long i = 0; i < count; ++i) {
    float *out = scores + i * CLASSES;
    cnn_run(images + i * IMAGE_FLOATS, out, arena);
    int best = 0;
    for (int c = 1; c < CLASSES; ++c)
      if (out[c] > out[best])
        best = c;
    printf("image %ld: class %d (score %.4f)\n", i, best, out[best]);
  }
  printf("arena: %ld bytes, input scale %.6g zero point %d, output scale %.6g zero point %d\n",
         (long)CNN_ARENA_SIZE, CNN_ARG0_SCALE, CNN_ARG0_ZERO_POINT,
         CNN_RESULT0_SCALE, CNN_RESULT0_ZERO_POINT);
  int rc = write_npy_f32(argv[2], scores, count, CLASSES);
  free(images);
  free(scores);
  return rc ? 1 : 0;
}
