/*
 * rng.h - a small seeded random number generator for simulations and permutation inference.
 *
 * xoshiro256** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number generators")
 * seeded through splitmix64 (Steele, Lea & Flood 2014). The state is a plain value the
 * caller owns: no globals, no locking. For parallel loops give every draw its own stream
 * (qtr_rng_seed(&r, seed, draw_index)) so results do not depend on the thread count.
 *
 * Binomial draws are exact: inversion (sequential search) when min(p,1-p)*n < 30 and BTPE
 * (Kachitvichyanukul & Schmeiser 1988, Comm. ACM 31(2)) above, O(1) expected per draw.
 */
#ifndef QUARTIER_RNG_H
#define QUARTIER_RNG_H

#include <stddef.h>
#include <stdint.h>

struct qtr_rng {
    uint64_t s[4];
};

/** Seed `r` from (seed, stream). Different streams give unrelated sequences. */
void qtr_rng_seed(struct qtr_rng *r, uint64_t seed, uint64_t stream);

/** Next 64 random bits. */
uint64_t qtr_rng_next(struct qtr_rng *r);

/** Uniform double in [0, 1) with 53 random bits. */
double qtr_rng_uniform(struct qtr_rng *r);

/** Uniform integer in [0, n) without modulo bias (Lemire 2019); n = 0 gives 0. */
uint64_t qtr_rng_below(struct qtr_rng *r, uint64_t n);

/** Standard normal deviate (Marsaglia polar method). */
double qtr_rng_normal(struct qtr_rng *r);

/**
 * Binomial(n, p) draw. p outside [0,1] is clamped; p NaN gives 0.
 * Exact up to floating-point rounding of the probabilities.
 */
uint64_t qtr_rng_binomial(struct qtr_rng *r, uint64_t n, double p);

/**
 * Multinomial(n; p[0..k-1]) draw into out[0..k-1] by conditional binomials, O(k).
 * p need not sum to 1 (it is normalised); negative or NaN p_i count as 0. If no
 * p_i is positive, out is all zero (there is no category to put the n trials in).
 */
void qtr_rng_multinomial(struct qtr_rng *r, uint64_t n, const double *p, size_t k,
                         uint64_t *out);

/** Fisher-Yates shuffle of n elements of `size` bytes each at `base`. */
void qtr_rng_shuffle(struct qtr_rng *r, void *base, size_t n, size_t size);

#endif
