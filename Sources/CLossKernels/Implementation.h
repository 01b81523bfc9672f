// The kernels of one implementation, included by `Kernels.c` once per instruction set with
// `NAME(f)` defined to give its functions distinct names (and, for AVX2, inside a
// `#pragma clang attribute` that compiles every function here for it). Everything is inlined into
// the three entry points at the end, so no 256-bit vector crosses a call.

INLINE v8f NAME(splat)(float value) { return (v8f){value, value, value, value, value, value, value, value}; }

/// a where `mask` is set, else b (a blend).
INLINE v8f NAME(blend)(v8i mask, v8f a, v8f b) { return (v8f)(((v8u)mask & (v8u)a) | (~(v8u)mask & (v8u)b)); }

/// Eight floats from any address; the first `lanes` of them when fewer, the others 0.
INLINE v8f NAME(load)(const float *a, int lanes) {
    v8f v = NAME(splat)(0);
    // A constant size for a whole vector: one load, not a call.
    if (lanes == 8) memcpy(&v, a, sizeof v);
    else memcpy(&v, a, (size_t)lanes * sizeof(float));
    return v;
}

INLINE void NAME(store)(float *a, v8f v, int lanes) {
    if (lanes == 8) memcpy(a, &v, sizeof v);
    else memcpy(a, &v, (size_t)lanes * sizeof(float));
}

/// e^x for x ≤ 0, lane-wise — the softmax's exponents x_c − m (Cephes `expf`: Cody–Waite
/// reduction x = n ln 2 + r, |r| ≤ ln 2 / 2, and a degree-6 polynomial for e^r; relative error
/// < 2 ulp where e^x is a normal float, checked against `Foundation.exp` by `SoftmaxKernelTests`).
///
/// x is first raised to −127 ln 2: there n = −127 puts an exponent field of 0 into the scale 2ⁿ,
/// so the result is exactly 0 with no lane-wise fix-up afterwards. Below −87.34 (e^x subnormal)
/// the result is 0 or within 2⁻¹²⁶ of e^x. NaN gives NaN (the clamp keeps it, the polynomial
/// propagates it). Positive x is outside the domain: nothing clamps it from above, and from 88.73
/// on the scale's exponent overflows.
INLINE v8f NAME(vexp)(v8f x) {
    const float low = -88.0296919311f;
    v8f xc = NAME(blend)(x < low, NAME(splat)(low), x);
    // Adding 1.5·2²³ rounds to the nearest integer n, which then sits in the low mantissa bits.
    const float magic = 12582912.0f;
    v8f t = xc * 1.44269504088896341f + magic;
    v8f n = t - magic;
    v8f r = xc - n * 0.693359375f + n * 2.12194440e-4f;
    v8f poly = NAME(splat)(1.9875691500e-4f);
    poly = poly * r + 1.3981999507e-3f;
    poly = poly * r + 8.3334519073e-3f;
    poly = poly * r + 4.1665795894e-2f;
    poly = poly * r + 1.6666665459e-1f;
    poly = poly * r + 5.0000001201e-1f;
    poly = poly * (r * r) + r + 1.0f;
    // 2ⁿ from the bits: n + 127 in the exponent field (n ∈ [−127, 0] after the clamp).
    v8u nBits = (v8u)t - 0x4B400000u;
    v8f scale = (v8f)((nBits + 127u) << 23);
    return poly * scale;
}

/// log x, lane-wise, for x normal or ±0, +∞, NaN (Cephes `logf`: x = m·2^e with m ∈ [√½, √2),
/// a degree-9 polynomial in m − 1; error < 1 ulp over the normal floats, checked by
/// `SoftmaxKernelTests`). 0 gives −∞, negative x and NaN give NaN; subnormal x is outside the domain.
///
/// m and e come without a comparison (FreeBSD's `logf`): adding 1 − √½ to the bits carries into
/// the exponent exactly when the mantissa is ≥ √2 / 2, so e is the carried exponent and m the
/// mantissa with √½'s bits added back.
INLINE v8f NAME(vlog)(v8f x) {
    v8u bits = (v8u)x + (0x3F800000u - 0x3F3504F3u);
    // The biased exponent k as a float without a conversion: the bits of 2²³ + k.
    v8f e = (v8f)((bits >> 23) | 0x4B000000u) - (8388608.0f + 127.0f);
    v8f m = (v8f)((bits & 0x007FFFFFu) + 0x3F3504F3u) - 1.0f;
    v8f z = m * m;
    v8f y = NAME(splat)(7.0376836292e-2f);
    y = y * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    // log(1 + m) = m − m²/2 + m³ P(m), and e ln 2 in two parts (Cody–Waite).
    y = (y * m - 0.5f) * z - e * 2.12194440e-4f;
    v8f result = m + y + e * 0.693359375f;
    result = NAME(blend)(x == INFINITY, x, result);
    result = NAME(blend)(x == 0.0f, NAME(splat)(-INFINITY), result);
    return NAME(blend)(~(x >= 0.0f), NAME(splat)(NAN), result);
}

INLINE void NAME(softmax_block)(const float *logits, ptrdiff_t stride, int classes, int lanes, int outputs,
                          float *x, float *p, float *max, float *log_z) {
    // The running max as a compare and blend: a NaN logit is skipped here (its own e^{x − m} is
    // NaN and makes z, so the whole position, NaN).
    v8f m = NAME(splat)(-INFINITY);
    for (int c = 0; c < classes; c++) {
        v8f xc = NAME(load)(logits + c * stride, lanes);
        NAME(store)(x + 8 * c, xc, 8);
        m = NAME(blend)(xc > m, xc, m);
    }
    v8f z = NAME(splat)(0);
    for (int c = 0; c < classes; c++) {
        v8f e = NAME(vexp)(NAME(load)(x + 8 * c, 8) - m);
        NAME(store)(p + 8 * c, e, 8);
        z += e;
    }
    NAME(store)(max, m, 8);
    if (outputs & lk_log_normaliser) NAME(store)(log_z, NAME(vlog)(z), 8);
    if (!(outputs & lk_probabilities)) return;
    // One division per lane instead of one per class (p within 1.5 ulp of e^{x_c − m}/z).
    v8f inverse = 1.0f / z;
    if (lanes < 8) {
        // Lanes past the end hold x = 0 (so p = 1/C): their p must read 0.
        const v8i lane = {0, 1, 2, 3, 4, 5, 6, 7};
        inverse = NAME(blend)(lane < lanes, inverse, NAME(splat)(0));
    }
    for (int c = 0; c < classes; c++) NAME(store)(p + 8 * c, NAME(load)(p + 8 * c, 8) * inverse, 8);
}

/// y = f(x) over an array, eight at a time.
#define MAP(f)                                                                 \
    for (size_t i = 0; i < count; i += 8) {                                    \
        int lanes = count - i < 8 ? (int)(count - i) : 8;                      \
        NAME(store)(y + i, f(NAME(load)(x + i, lanes)), lanes);                \
    }

static void NAME(softmax)(const float *logits, ptrdiff_t stride, int classes, int lanes, int outputs,
                          float *x, float *p, float *max, float *log_z) {
    NAME(softmax_block)(logits, stride, classes, lanes, outputs, x, p, max, log_z);
}

static void NAME(exp)(const float *x, float *y, size_t count) { MAP(NAME(vexp)) }

static void NAME(log)(const float *x, float *y, size_t count) { MAP(NAME(vlog)) }

#undef MAP
