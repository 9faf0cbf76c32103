/*
 * rng.c - xoshiro256** with splitmix64 seeding; exact binomial (inversion / BTPE),
 * multinomial by conditional binomials, Fisher-Yates shuffle.
 */
#include "quartier/rng.h"

#include <math.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void qtr_rng_seed(struct qtr_rng *r, uint64_t seed, uint64_t stream)
{
    /* Hash the stream number once so that neighbouring (seed, stream) pairs do not
     * share splitmix64 sequences shifted by one step. */
    uint64_t h = stream;
    uint64_t x = seed ^ splitmix64(&h);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1; /* the all-zero state is a fixed point of xoshiro */
}

uint64_t qtr_rng_next(struct qtr_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double qtr_rng_uniform(struct qtr_rng *r)
{
    return (double)(qtr_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t qtr_rng_below(struct qtr_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    /* Lemire (2019), "Fast random integer generation in an interval", ACM TOMACS 29(1),
     * with a 128-bit product where the compiler has one. */
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    uint64_t x = qtr_rng_next(r);
    u128 m = (u128)x * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = (0 - n) % n;
        while (l < t) {
            x = qtr_rng_next(r);
            m = (u128)x * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
#else
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = qtr_rng_next(r);
    while (x >= lim);
    return x % n;
#endif
}

double qtr_rng_normal(struct qtr_rng *r)
{
    double u, v, s;
    do {
        u = 2.0 * qtr_rng_uniform(r) - 1.0;
        v = 2.0 * qtr_rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt(-2.0 * log(s) / s);
}

/* Inversion by sequential search from 0 (Kachitvichyanukul & Schmeiser 1988, algorithm
 * BINV); p <= 0.5, expected n*p + 1 steps. If rounding leaves U above the summed mass we
 * restart instead of truncating, so no value is cut off. */
static uint64_t binomial_inversion(struct qtr_rng *r, uint64_t n, double p)
{
    const double q = 1.0 - p;
    const double s = p / q;
    const double a = ((double)n + 1.0) * s;
    const double f0 = exp((double)n * log1p(-p));
    for (;;) {
        double u = qtr_rng_uniform(r);
        double f = f0;
        uint64_t x = 0;
        for (;;) {
            if (u < f)
                return x;
            if (x >= n)
                break; /* rounding residue: draw again */
            u -= f;
            x++;
            f *= a / (double)x - s;
        }
    }
}

/* Remainder of Stirling's series for ln Γ(a) with a = k + 1, i.e. ln k! minus
 * (k + 1/2) ln a - a + ln sqrt(2π): 1/(12a) - 1/(360a³) + 1/(1260a⁵) - 1/(1680a⁷) +
 * 1/(1188a⁹), in Horner form (K&S 1988, step 5.3; 13860 = 166320/12). */
static double stirling_delta(double a)
{
    double a2 = a * a;
    return (13860.0 - (462.0 - (132.0 - (99.0 - 140.0 / a2) / a2) / a2) / a2) / a / 166320.0;
}

/* BTPE, Kachitvichyanukul & Schmeiser (1988), Comm. ACM 31(2):216-222, for p <= 0.5 and
 * n*p >= 30. The final acceptance test uses ln f(y)/f(M) with the Stirling corrections
 * signed as the derivation requires (+M!, +(n-M)!, -y!, -(n-y)!). */
static uint64_t binomial_btpe(struct qtr_rng *r, uint64_t n, double p)
{
    const double dn = (double)n;
    const double q = 1.0 - p;
    const double nrq = dn * p * q;
    const double fm = dn * p + p;
    const double m = floor(fm);
    const double p1 = floor(2.195 * sqrt(nrq) - 4.6 * q) + 0.5;
    const double xm = m + 0.5;
    const double xl = xm - p1;
    const double xr = xm + p1;
    const double c = 0.134 + 20.5 / (15.3 + m);
    double a = (fm - xl) / (fm - xl * p);
    const double laml = a * (1.0 + a / 2.0);
    a = (xr - fm) / (xr * q);
    const double lamr = a * (1.0 + a / 2.0);
    const double p2 = p1 * (1.0 + 2.0 * c);
    const double p3 = p2 + c / laml;
    const double p4 = p3 + c / lamr;

    for (;;) {
        double u = qtr_rng_uniform(r) * p4;
        double v = qtr_rng_uniform(r);
        double y;
        if (u <= p1) {
            /* triangular region: accept at once */
            y = floor(xm - p1 * v + u);
            return (uint64_t)y;
        }
        if (u <= p2) {
            /* parallelograms */
            double x = xl + (u - p1) / c;
            v = v * c + 1.0 - fabs(m - x + 0.5) / p1;
            if (v > 1.0)
                continue;
            y = floor(x);
        } else if (u <= p3) {
            /* left exponential tail */
            y = floor(xl + log(v) / laml);
            if (y < 0.0)
                continue;
            v = v * (u - p2) * laml;
        } else {
            /* right exponential tail */
            y = floor(xr - log(v) / lamr);
            if (y > dn)
                continue;
            v = v * (u - p3) * lamr;
        }
        double k = fabs(y - m);
        if (k <= 20.0 || k >= nrq / 2.0 - 1.0) {
            /* explicit evaluation of f(y)/f(M) by the recurrence */
            double s = p / q;
            double aa = s * (dn + 1.0);
            double f = 1.0;
            if (m < y) {
                for (double i = m + 1.0; i <= y; i += 1.0)
                    f *= aa / i - s;
            } else if (m > y) {
                for (double i = y + 1.0; i <= m; i += 1.0)
                    f /= aa / i - s;
            }
            if (v <= f)
                return (uint64_t)y;
            continue;
        }
        /* squeeze on ln v, then the Stirling-based bound */
        double rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.1666666666666) / nrq + 0.5);
        double t = -k * k / (2.0 * nrq);
        double lv = log(v);
        if (lv < t - rho)
            return (uint64_t)y;
        if (lv > t + rho)
            continue;
        double x1 = y + 1.0, f1 = m + 1.0, z = dn + 1.0 - m, w = dn - y + 1.0;
        double bound = xm * log(f1 / x1) + (dn - m + 0.5) * log(z / w) +
                       (y - m) * log(w * p / (x1 * q)) + stirling_delta(f1) + stirling_delta(z) -
                       stirling_delta(x1) - stirling_delta(w);
        if (lv <= bound)
            return (uint64_t)y;
    }
}

uint64_t qtr_rng_binomial(struct qtr_rng *r, uint64_t n, double p)
{
    if (n == 0 || !(p > 0.0))
        return 0;
    if (p >= 1.0)
        return n;
    int flip = p > 0.5;
    double pp = flip ? 1.0 - p : p;
    uint64_t x;
    if ((double)n * pp < 30.0)
        x = binomial_inversion(r, n, pp);
    else
        x = binomial_btpe(r, n, pp);
    return flip ? n - x : x;
}

void qtr_rng_multinomial(struct qtr_rng *r, uint64_t n, const double *p, size_t k, uint64_t *out)
{
    double rest = 0.0;
    for (size_t i = 0; i < k; i++)
        if (p[i] > 0.0)
            rest += p[i];
    uint64_t left = n;
    for (size_t i = 0; i < k; i++) {
        double pi = p[i] > 0.0 ? p[i] : 0.0;
        if (left == 0 || !(rest > 0.0) || pi == 0.0) {
            out[i] = 0;
            continue;
        }
        /* the last positive category takes what is left; rounding in `rest` must not
         * lose or invent trials */
        double pr = pi >= rest ? 1.0 : pi / rest;
        uint64_t xi = qtr_rng_binomial(r, left, pr);
        out[i] = xi;
        left -= xi;
        rest -= pi;
    }
    if (left > 0) {
        /* rounding made `rest` reach 0 before the last positive category: give the
         * remainder to the last positive category so sum(out) == n */
        for (size_t i = k; i-- > 0;)
            if (p[i] > 0.0) {
                out[i] += left;
                break;
            }
    }
}

void qtr_rng_shuffle(struct qtr_rng *r, void *base, size_t n, size_t size)
{
    unsigned char *b = base;
    unsigned char tmp[64];
    if (n < 2 || size == 0)
        return;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)qtr_rng_below(r, (uint64_t)i + 1);
        if (j == i)
            continue;
        unsigned char *pi = b + i * size, *pj = b + j * size;
        size_t done = 0;
        while (done < size) {
            size_t chunk = size - done < sizeof tmp ? size - done : sizeof tmp;
            memcpy(tmp, pi + done, chunk);
            memcpy(pi + done, pj + done, chunk);
            memcpy(pj + done, tmp, chunk);
            done += chunk;
        }
    }
}
