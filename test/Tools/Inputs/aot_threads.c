/* Calls one network compiled by convforge-compile from many threads at once:
 * the generated entry point must be re-entrant (no hidden global scratch).
 *
 *   cc -DHEADER='"net.h"' -DFORWARD=net_forward -DPREFIX=NET aot_threads.c \
 *      net.o -lpthread -lm
 *   ./a.out THREADS ITERATIONS input0.npy output0.npy
 *
 * Makes 16 distinct inputs (deterministic), computes each output once on
 * the main thread, then has THREADS threads call FORWARD ITERATIONS times
 * each, on inputs that vary by thread and iteration, checking every output
 * bit for bit against the first result for its input. Writes input 0 and
 * its output as .npy files, so that the test can compare them with
 * convforge-run (the JIT) on the same input. Exit status 0 when every output
 * matched, 1 otherwise. -DSHARED_OUTPUT makes all threads write one buffer:
 * a data race, for ThreadSanitizer to find. Its threads call the entry point
 * that takes a workspace, each with its own: FORWARD hands one cached
 * workspace from call to call with atomics, which order the calls that pass
 * it on, and would hide the race whenever the calls did not overlap. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define INPUT_SIZE CAT(PREFIX, _INPUT0_SIZE)
#define OUTPUT_SIZE CAT(PREFIX, _OUTPUT0_SIZE)
#define INPUT_RANK CAT(PREFIX, _INPUT0_RANK)
#define OUTPUT_RANK CAT(PREFIX, _OUTPUT0_RANK)
#define DISTINCT 16

static float *inputs[DISTINCT];
static float *expected[DISTINCT];
static int iterations;

struct Result {
  long calls, mismatches, failures;
};

#ifdef SHARED_OUTPUT
/* A deliberate bug, to show that ThreadSanitizer sees races in the
 * generated code: every thread writes the same output buffer. */
static float sharedOutput[OUTPUT_SIZE];
#endif

static void *work(void *argument) {
  long thread = (long)(intptr_t)argument;
  struct Result *result = calloc(1, sizeof(struct Result));
#ifdef SHARED_OUTPUT
  float *output = sharedOutput;
  void *workspace =
      aligned_alloc(64, (CAT(PREFIX, _WORKSPACE_BYTES) + 64) / 64 * 64);
  if (!workspace)
    abort();
#else
  float *output = malloc(sizeof(float) * OUTPUT_SIZE);
#endif
  if (!result || !output)
    abort();
  for (int i = 0; i < iterations; ++i) {
    int k = (int)((thread * 7 + i * 3) % DISTINCT);
#ifdef SHARED_OUTPUT
    /* Only the generated code touches the shared buffer. */
    if (CAT(FORWARD, _with_workspace)(inputs[k], output, workspace) != 0)
      ++result->failures;
    ++result->calls;
#else
    memset(output, 0xff, sizeof(float) * OUTPUT_SIZE); /* NaN */
    if (FORWARD(inputs[k], output) != 0)
      ++result->failures;
    ++result->calls;
    if (memcmp(output, expected[k], sizeof(float) * OUTPUT_SIZE) != 0)
      ++result->mismatches;
#endif
  }
#ifdef SHARED_OUTPUT
  free(workspace);
#else
  free(output);
#endif
  return result;
}

static int writeNpy(const char *path, const float *data, long count,
                    const long long *shape, int rank) {
  char header[128];
  int length = snprintf(header, sizeof(header),
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (");
  for (int i = 0; i < rank; ++i)
    length +=
        snprintf(header + length, sizeof(header) - length, "%lld, ", shape[i]);
  length += snprintf(header + length, sizeof(header) - length, "), }");
  while ((10 + length + 1) % 64 != 0)
    header[length++] = ' ';
  header[length++] = '\n';
  FILE *file = fopen(path, "wb");
  if (!file)
    return 0;
  unsigned char preamble[10] = {0x93,
                                'N',
                                'U',
                                'M',
                                'P',
                                'Y',
                                1,
                                0,
                                (unsigned char)(length & 0xff),
                                (unsigned char)(length >> 8)};
  int ok = fwrite(preamble, 1, 10, file) == 10 &&
           fwrite(header, 1, length, file) == (size_t)length &&
           fwrite(data, sizeof(float), count, file) == (size_t)count;
  return fclose(file) == 0 && ok;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s THREADS ITERATIONS input0.npy output0.npy\n",
            argv[0]);
    return 2;
  }
  int threads = atoi(argv[1]);
  iterations = atoi(argv[2]);
  if (threads < 1 || threads > 256 || iterations < 1)
    return 2;

  uint64_t state = 12345;
  for (int k = 0; k < DISTINCT; ++k) {
    inputs[k] = malloc(sizeof(float) * INPUT_SIZE);
    expected[k] = malloc(sizeof(float) * OUTPUT_SIZE);
    if (!inputs[k] || !expected[k])
      return 1;
    for (long i = 0; i < INPUT_SIZE; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      inputs[k][i] = (float)(state >> 40) / (float)(1 << 24) * 2.0f - 1.0f;
    }
    if (FORWARD(inputs[k], expected[k]) != 0)
      return 1;
  }
  /* Not vacuous: the inputs give different outputs. */
  for (int k = 1; k < DISTINCT; ++k)
    if (memcmp(expected[k], expected[0], sizeof(float) * OUTPUT_SIZE) == 0) {
      fprintf(stderr, "inputs 0 and %d give the same output\n", k);
      return 1;
    }

  pthread_t *ids = malloc(sizeof(pthread_t) * threads);
  for (long t = 0; t < threads; ++t)
    if (pthread_create(&ids[t], NULL, work, (void *)(intptr_t)t) != 0)
      return 1;
  long calls = 0, mismatches = 0, failures = 0;
  for (long t = 0; t < threads; ++t) {
    void *value;
    pthread_join(ids[t], &value);
    struct Result *result = value;
    calls += result->calls;
    mismatches += result->mismatches;
    failures += result->failures;
    free(result);
  }
  printf("%d threads, %ld calls, %ld mismatches, %ld failures\n", threads,
         calls, mismatches, failures);

  /* Network inputs are N×H×W×D volumes; outputs volumes or N×M. */
  long long inputShape[] = {
      CAT(PREFIX, _INPUT0_DIM0), CAT(PREFIX, _INPUT0_DIM1),
      CAT(PREFIX, _INPUT0_DIM2), CAT(PREFIX, _INPUT0_DIM3)};
  long long outputShape[] = {
      CAT(PREFIX, _OUTPUT0_DIM0), CAT(PREFIX, _OUTPUT0_DIM1),
#if OUTPUT_RANK == 4
      CAT(PREFIX, _OUTPUT0_DIM2), CAT(PREFIX, _OUTPUT0_DIM3)
#endif
  };
  if (!writeNpy(argv[3], inputs[0], INPUT_SIZE, inputShape, INPUT_RANK) ||
      !writeNpy(argv[4], expected[0], OUTPUT_SIZE, outputShape, OUTPUT_RANK))
    return 1;
  return mismatches == 0 && failures == 0 && calls == (long)threads * iterations
             ? 0
             : 1;
}
