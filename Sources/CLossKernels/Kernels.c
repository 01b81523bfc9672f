// One source, two compilations: `Implementation.h` is included once for the target's baseline
// and once with every function compiled for AVX2+FMA; the choice between them is made once per
// process (`active`).
//
// Vectors use Clang/GCC vector extensions: eight floats, lane-wise operators, comparisons give
// 0 / −1 per lane. Bit manipulation is done on unsigned lanes (wrapping, no undefined overflow).
// A product followed by a sum may be fused into one FMA instruction where the CPU has it (Clang's
// default `-ffp-contract=on`), so the two implementations can differ in the last bit; both stay
// within the error stated for each function.

#include "CLossKernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef float v8f __attribute__((vector_size(32)));
typedef unsigned v8u __attribute__((vector_size(32)));
typedef int v8i __attribute__((vector_size(32)));

#define INLINE static inline __attribute__((always_inline))

// Vectors are passed between inlined helpers only, never across a real call, so the baseline's
// register convention for 256-bit vectors (which differs with AVX) never matters.
#pragma clang diagnostic ignored "-Wpsabi"

#define NAME(f) f##_portable
#include "Implementation.h"
#undef NAME

typedef struct {
    void (*softmax)(const float *, ptrdiff_t, int, int, int, float *, float *, float *, float *);
    void (*exp)(const float *, float *, size_t);
    void (*log)(const float *, float *, size_t);
} table;

#if defined(__x86_64__) || defined(__i386__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define NAME(f) f##_avx2
#include "Implementation.h"
#undef NAME
#pragma clang attribute pop

static const table tables[] = {
    {softmax_portable, exp_portable, log_portable},
    {softmax_avx2, exp_avx2, log_avx2},
};

static int supported(lk_implementation implementation) {
    if (implementation == lk_portable) return 1;
    // The CPU's features and the OS's saving of the 256-bit registers (libgcc / compiler-rt).
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
static const table tables[] = {{softmax_portable, exp_portable, log_portable}};

static int supported(lk_implementation implementation) { return implementation == lk_portable; }
#endif

/// The implementation in use, −1 until the first call chooses one. Relaxed atomics: every
/// thread that races on the first call chooses the same.
static int active = -1;

lk_implementation lk_active(void) {
    int chosen = __atomic_load_n(&active, __ATOMIC_RELAXED);
    if (chosen >= 0) return (lk_implementation)chosen;
    const char *forced = getenv("LOSSES_KERNELS");
    chosen = (forced && strcmp(forced, "portable") == 0) || !supported(lk_avx2) ? lk_portable : lk_avx2;
    __atomic_store_n(&active, chosen, __ATOMIC_RELAXED);
    return (lk_implementation)chosen;
}

int lk_select(lk_implementation implementation) {
    if ((implementation != lk_portable && implementation != lk_avx2) || !supported(implementation)) return 0;
    __atomic_store_n(&active, (int)implementation, __ATOMIC_RELAXED);
    return 1;
}

void lk_softmax_block(const float *logits, ptrdiff_t stride, int classes, int lanes, int outputs,
                      float *x, float *p, float *max, float *log_z) {
    tables[lk_active()].softmax(logits, stride, classes, lanes, outputs, x, p, max, log_z);
}

void lk_exp(const float *x, float *y, size_t count) { tables[lk_active()].exp(x, y, count); }

void lk_log(const float *x, float *y, size_t count) { tables[lk_active()].log(x, y, count); }
