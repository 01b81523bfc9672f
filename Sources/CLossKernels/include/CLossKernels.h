#ifndef CLOSSKERNELS_H
#define CLOSSKERNELS_H

#include <stddef.h>

/// Float32 SIMD kernels for `Losses`' softmax (`Sources/Losses/Core/Softmax.swift`, the only
/// Swift file that calls them), compiled twice from one source: for AVX2+FMA and for the
/// baseline of the target (SSE2 on x86-64, NEON on arm64), the first chosen at run time when the
/// CPU has AVX2 and FMA. Swift has no function multiversioning, and compiling the package for
/// AVX2 would make it fail on CPUs without it. `LOSSES_KERNELS=portable` in the environment
/// forces the baseline code (read at the first call); `lk_select` switches between calls.
///
/// Vectors are eight `float` lanes, stored contiguously (a Swift `SIMD8<Float>`, any alignment).

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    /// The target's baseline instructions: every CPU the package runs on.
    lk_portable = 0,
    /// AVX2 and FMA (x86-64 since Haswell / Zen).
    lk_avx2 = 1,
} lk_implementation;

/// What `lk_softmax_block` writes besides x and the max (bits, or-ed).
enum {
    lk_probabilities = 1,
    lk_log_normaliser = 2,
};

/// The implementation the kernels use now.
lk_implementation lk_active(void);

/// Uses `implementation` from the next call on; returns 0 (and changes nothing) when this CPU
/// cannot run it. Not for use while kernels run on other threads.
int lk_select(lk_implementation implementation);

/// The softmax over C classes of eight consecutive positions: class c's lanes start at
/// `logits + c * stride` (`lanes` ≤ 8 of them valid; the others read as 0). Writes the lanes into
/// `x[c]` and m = max_c x_c into `max`; with `lk_probabilities` p_c = e^{x_c − m} / z into `p[c]`
/// (0 in lanes ≥ `lanes`), with `lk_log_normaliser` log z into `log_z`, z = Σ_c e^{x_c − m}.
/// `p` is scratch for C vectors even without `lk_probabilities`.
void lk_softmax_block(const float *logits, ptrdiff_t stride, int classes, int lanes, int outputs,
                      float *x, float *p, float *max, float *log_z);

/// y_i = e^{x_i} for x_i ≤ 0 (Cephes `expf`; error and domain in `Implementation.h`).
void lk_exp(const float *x, float *y, size_t count);

/// y_i = log x_i for x_i normal, ±0, +∞ or NaN (Cephes `logf`).
void lk_log(const float *x, float *y, size_t count);

#ifdef __cplusplus
}
#endif

#endif
