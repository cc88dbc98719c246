// Calls a compiled network's <name>_forward ten times on one thread and
// counts the workspaces it allocates: built with -Wl,--wrap=aligned_alloc,
// the object's calls of aligned_alloc come here. Every call must give the
// first call's output.
//
//   cc -DHEADER='"net.h"' -DFORWARD=net_forward -DPREFIX=NET \
//      aot_workspace_cache.c net.o -Wl,--wrap=aligned_alloc -lm
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include HEADER

#define CONCAT2(a, b) a##b
#define CONCAT(a, b) CONCAT2(a, b)
#define INPUT_SIZE CONCAT(PREFIX, _INPUT0_SIZE)
#define OUTPUT_SIZE CONCAT(PREFIX, _OUTPUT0_SIZE)

void *__real_aligned_alloc(size_t alignment, size_t size);

static int allocations;

void *__wrap_aligned_alloc(size_t alignment, size_t size) {
  ++allocations;
  return __real_aligned_alloc(alignment, size);
}

int main(void) {
  static float input[INPUT_SIZE], output[OUTPUT_SIZE], first[OUTPUT_SIZE];
  for (int i = 0; i < INPUT_SIZE; ++i)
    input[i] = (float)(i % 7) * 0.25f - 0.75f;
  enum { kCalls = 10 };
  for (int call = 0; call < kCalls; ++call) {
    memset(output, 0, sizeof(output));
    if (FORWARD(input, output) != 0) {
      printf("call %d failed\n", call);
      return 1;
    }
    if (call == 0)
      memcpy(first, output, sizeof(output));
    else if (memcmp(first, output, sizeof(output)) != 0) {
      printf("call %d differs from the first\n", call);
      return 1;
    }
  }
  printf("%d calls, %d workspace allocations\n", kCalls, allocations);
  return 0;
}
