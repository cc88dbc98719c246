/* Runs a network compiled by convforge-compile on a .npy input and writes
 * the output as .npy: how a C program embeds the generated code.
 *
 *   cc -DHEADER='"net.h"' -DFORWARD=net_forward -DPREFIX=NET aot_main.c net.o
 *   ./a.out input.npy output.npy
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define INPUT_SIZE CAT(PREFIX, _INPUT0_SIZE)
#define OUTPUT_SIZE CAT(PREFIX, _OUTPUT0_SIZE)
#define OUTPUT_RANK CAT(PREFIX, _OUTPUT0_RANK)

/* Reads the float32 data of a version 1.0 .npy file of INPUT_SIZE values. */
static int readNpy(const char *path, float *data, long count) {
  FILE *file = fopen(path, "rb");
  if (!file)
    return 0;
  unsigned char preamble[10];
  int ok = fread(preamble, 1, 10, file) == 10 &&
           memcmp(preamble, "\x93NUMPY\x01\x00", 8) == 0;
  if (ok) {
    long headerLength = preamble[8] | (preamble[9] << 8);
    ok = fseek(file, 10 + headerLength, SEEK_SET) == 0 &&
         fread(data, sizeof(float), count, file) == (size_t)count;
  }
  fclose(file);
  return ok;
}

static int writeNpy(const char *path, const float *data, long count,
                    const long long *shape, int rank) {
  char header[128];
  int length = snprintf(header, sizeof(header),
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (");
  for (int i = 0; i < rank; ++i)
    length += snprintf(header + length, sizeof(header) - length, "%lld, ",
                       shape[i]);
  length += snprintf(header + length, sizeof(header) - length, "), }");
  while ((10 + length + 1) % 64 != 0)
    header[length++] = ' ';
  header[length++] = '\n';
  FILE *file = fopen(path, "wb");
  if (!file)
    return 0;
  unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                (unsigned char)(length & 0xff),
                                (unsigned char)(length >> 8)};
  int ok = fwrite(preamble, 1, 10, file) == 10 &&
           fwrite(header, 1, length, file) == (size_t)length &&
           fwrite(data, sizeof(float), count, file) == (size_t)count;
  return fclose(file) == 0 && ok;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s input.npy output.npy\n", argv[0]);
    return 1;
  }
  float *input = malloc(sizeof(float) * INPUT_SIZE);
  float *output = malloc(sizeof(float) * OUTPUT_SIZE);
  if (!input || !output || !readNpy(argv[1], input, INPUT_SIZE)) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
#ifdef WITH_WORKSPACE
  /* The caller's workspace, run twice on it: the second run's output must
     not depend on what the first left in the workspace. */
  void *workspace = aligned_alloc(64, (CAT(PREFIX, _WORKSPACE_BYTES) + 63) /
                                          64 * 64);
  if (!workspace ||
      CAT(FORWARD, _with_workspace)(input, output, workspace) != 0 ||
      CAT(FORWARD, _with_workspace)(input, output, workspace) != 0) {
    fprintf(stderr, "the network failed\n");
    return 1;
  }
  free(workspace);
#else
  if (FORWARD(input, output) != 0) {
    fprintf(stderr, "the network failed\n");
    return 1;
  }
#endif
  long long shape[OUTPUT_RANK];
#define DIM(i) CAT(CAT(PREFIX, _OUTPUT0_DIM), i)
  shape[0] = DIM(0);
#if OUTPUT_RANK > 1
  shape[1] = DIM(1);
#endif
#if OUTPUT_RANK > 2
  shape[2] = DIM(2);
#endif
#if OUTPUT_RANK > 3
  shape[3] = DIM(3);
#endif
  if (!writeNpy(argv[2], output, OUTPUT_SIZE, shape, OUTPUT_RANK)) {
    fprintf(stderr, "cannot write %s\n", argv[2]);
    return 1;
  }
  free(input);
  free(output);
  return 0;
}
