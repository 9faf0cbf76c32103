/*
 * test_decay_field.c - the distance-decay sums without stored pairs: the direct sums against
 * hand-computed values, the FFT over a lattice against the direct sums (the error bound of
 * decay_field.h: relative 1e-6 on the indices, on a 10,000-cell grid built here), a lattice
 * with cells off it, and memory that grows linearly, not with the square of n. The kernel lag
 * (no stored weights) against the stored kernel weights and their lag: bit for bit.
 */
#include "test_util.h"

#include <sys/resource.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "quartier/decay_field.h"
#include "quartier/weights.h"

struct city {
    size_t n;
    double *x, *t, *area, *cx, *cy;
};

static void city_free(struct city *c)
{
    free(c->x);
    free(c->t);
    free(c->area);
    free(c->cx);
    free(c->cy);
}

/* side × side cells of `cell` metres with a smooth group share and varying totals
 * (deterministic: a linear congruential generator). */
static struct city grid_city(size_t side, double cell)
{
    struct city c;
    c.n = side * side;
    c.x = malloc(c.n * sizeof *c.x);
    c.t = malloc(c.n * sizeof *c.t);
    c.area = malloc(c.n * sizeof *c.area);
    c.cx = malloc(c.n * sizeof *c.cx);
    c.cy = malloc(c.n * sizeof *c.cy);
    assert_true(c.x && c.t && c.area && c.cx && c.cy);
    uint64_t s = 12345;
    for (size_t i = 0; i < c.n; i++) {
        size_t r = i / side, k = i % side;
        c.cx[i] = 370050.0 + (double)k * cell;
        c.cy[i] = 5800050.0 + (double)r * cell;
        c.area[i] = cell * cell;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(s >> 11) * 0x1.0p-53;
        c.t[i] = 3 + floor(200 * u * u);
        double p = 0.5 + 0.4 * sin((double)k / 17.0) * cos((double)r / 23.0);
        c.x[i] = floor(c.t[i] * p);
    }
    return c;
}

static struct qtr_units units_of(const struct city *c)
{
    return (struct qtr_units){
        .n = c->n, .group = c->x, .total = c->t, .area = c->area, .cx = c->cx, .cy = c->cy};
}

/* The five indices and the sums C x through a field of the given method. */
static void family(const struct city *c, double cutoff, enum qtr_decay_method m,
                   struct qtr_decay_family *r, double *cxv, const char **how, double *share)
{
    struct qtr_units u = units_of(c);
    struct qtr_decay_options o;
    qtr_decay_options_default(&o);
    o.cutoff_m = cutoff;
    struct qtr_decay_field *f = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_decay_field_new(&u, &o, m, &f, &err), QTR_OK);
    assert_int_equal(qtr_decay_family_compute(f, &u, r, &err), QTR_OK);
    if (cxv)
        assert_int_equal(qtr_decay_field_apply(f, c->x, cxv, &err), QTR_OK);
    if (how)
        *how = qtr_decay_field_method(f, share);
    qtr_decay_field_free(f);
}

static void test_by_hand(void **state)
{
    (void)state;
    /* three districts: 0 and 1 are 1 km apart, 2 is 30 km away (beyond the 20 km cut-off) */
    double cx[] = {0, 1000, 0}, cy[] = {0, 0, 30000}, area[] = {1e6, 4e6, 0};
    double t[] = {10, 20, 30}, x[] = {1, 2, 3}, out[3];
    struct qtr_units u = {.n = 3, .group = x, .total = t, .area = area, .cx = cx, .cy = cy};
    struct qtr_decay_options o;
    qtr_decay_options_default(&o);
    struct qtr_decay_field *f = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_decay_field_new(&u, &o, QTR_DECAY_AUTO, &f, &err), QTR_OK);
    assert_string_equal(qtr_decay_field_method(f, NULL), "direct");
    assert_int_equal(qtr_decay_field_apply(f, x, out, &err), QTR_OK);
    /* c_ii = exp(-sqrt(0.6 a_i / 1e6)), c_01 = exp(-1) */
    double c0 = exp(-sqrt(0.6)), c1 = exp(-sqrt(2.4)), e1 = exp(-1.0);
    assert_close(out[0], c0 * 1 + e1 * 2, 1e-14);
    assert_close(out[1], e1 * 1 + c1 * 2, 1e-14);
    assert_close(out[2], 1.0 * 3, 1e-14);
    const double *one = qtr_decay_field_c1(f), *ct = qtr_decay_field_ct(f);
    assert_close(one[0], c0 + e1, 1e-14);
    assert_close(ct[1], e1 * 10 + c1 * 20, 1e-13);
    /* relative clustering by hand: Pxx/Pyy - 1 with y = t - x */
    struct qtr_decay_family r;
    assert_int_equal(qtr_decay_family_compute(f, &u, &r, &err), QTR_OK);
    double pxx = (1 * (c0 * 1 + e1 * 2) + 2 * (e1 * 1 + c1 * 2) + 3 * 3) / 36.0;
    double pyy = (9 * (c0 * 9 + e1 * 18) + 18 * (e1 * 9 + c1 * 18) + 27 * 27) / (54.0 * 54.0);
    assert_int_equal(r.status[QTR_DECAY_RCL], QTR_OK);
    assert_close(r.value[QTR_DECAY_RCL], pxx / pyy - 1, 1e-13);
    /* the published functions go through the same field */
    double v;
    assert_int_equal(qtr_relative_clustering(&u, &o, &v, &err), QTR_OK);
    assert_close(v, pxx / pyy - 1, 1e-13);
    qtr_decay_field_free(f);
}

static void compare(const struct qtr_decay_family *a, const struct qtr_decay_family *b, double tol)
{
    for (int k = 0; k < QTR_DECAY_NINDEX; k++) {
        assert_int_equal(a->status[k], QTR_OK);
        assert_int_equal(b->status[k], QTR_OK);
        print_message("%-26s lattice %.15g direct %.15g (relative %.2g)\n",
                      qtr_decay_index_names[k], a->value[k], b->value[k],
                      fabs(a->value[k] - b->value[k]) / fabs(b->value[k]));
        assert_close(a->value[k], b->value[k], tol * fabs(b->value[k]));
    }
}

/* The stated bound: lattice vs exact to relative 1e-6 on a 10,000-cell grid (100 m cells,
 * every pair within the 20 km cut-off). */
static void test_lattice_10k(void **state)
{
    (void)state;
    struct city c = grid_city(100, 100.0);
    struct qtr_decay_family fl, fd;
    double *cl = malloc(c.n * sizeof *cl), *cd = malloc(c.n * sizeof *cd), share;
    const char *how;
    family(&c, 20000.0, QTR_DECAY_LATTICE, &fl, cl, &how, &share);
    assert_string_equal(how, "lattice");
    assert_close(share, 1.0, 0.0);
    family(&c, 20000.0, QTR_DECAY_DIRECT, &fd, cd, &how, NULL);
    assert_string_equal(how, "direct");
    compare(&fl, &fd, 1e-6);
    double worst = 0;
    for (size_t i = 0; i < c.n; i++)
        worst = fmax(worst, fabs(cl[i] - cd[i]) / cd[i]);
    print_message("largest relative difference of (C x)_i: %.3g\n", worst);
    assert_true(worst <= 1e-9);
    /* the automatic choice takes the lattice for this size */
    family(&c, 20000.0, QTR_DECAY_AUTO, &fl, NULL, &how, NULL);
    assert_string_equal(how, "lattice");
    free(cl);
    free(cd);
    city_free(&c);
}

/* Cells off the lattice (clipped at a boundary: centroids moved) and two cells at the same
 * place: the lattice way sums those directly, as sources and as targets. A short cut-off
 * (2 km) exercises the kernel's edge inside the grid. */
static void test_lattice_with_cells_off_it(void **state)
{
    (void)state;
    struct city c = grid_city(60, 100.0);
    for (size_t i = 0; i < c.n; i += 19) {
        c.cx[i] += 37.25;
        c.cy[i] -= 11.5;
        c.area[i] *= 0.6;
    }
    c.cx[5] = c.cx[6]; /* 5 and 6 coincide */
    c.cy[5] = c.cy[6];
    double cuts[] = {2000.0, 20000.0};
    for (int k = 0; k < 2; k++) {
        struct qtr_decay_family fl, fd;
        const char *how;
        double share;
        family(&c, cuts[k], QTR_DECAY_LATTICE, &fl, NULL, &how, &share);
        assert_string_equal(how, "lattice");
        assert_true(share > 0.9 && share < 1.0);
        family(&c, cuts[k], QTR_DECAY_DIRECT, &fd, NULL, NULL, NULL);
        compare(&fl, &fd, 1e-6);
    }
    city_free(&c);
}

static void test_no_lattice(void **state)
{
    (void)state;
    double cx[] = {0, 1000.5, 2713.25, 40.125}, cy[] = {0, 17.5, 3001.75, 999.0};
    double area[] = {1e4, 1e4, 1e4, 1e4}, t[] = {10, 20, 30, 40}, x[] = {1, 2, 3, 4};
    struct qtr_units u = {.n = 4, .group = x, .total = t, .area = area, .cx = cx, .cy = cy};
    struct qtr_decay_options o;
    qtr_decay_options_default(&o);
    struct qtr_decay_field *f = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_decay_field_new(&u, &o, QTR_DECAY_LATTICE, &f, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "lattice"));
    assert_null(f);
    /* the PySAL variant has no field */
    o.variant = QTR_DECAY_PYSAL;
    assert_int_equal(qtr_decay_field_new(&u, &o, QTR_DECAY_AUTO, &f, &err), QTR_ERR_USAGE);
}

/* The stored way: qtr_weights_kernel (w_ii = 1) and qtr_spatial_lag_counts. */
static void stored_lag(const double *cx, const double *cy, size_t n, enum qtr_kernel_fn fn,
                       double h, const double *v, int round, double *out)
{
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    assert_int_equal(
        qtr_weights_kernel(cx, cy, n, fn, h, 0, 0, QTR_KERNEL_SELF_ONE, &w, &err), QTR_OK);
    assert_int_equal(qtr_spatial_lag_counts(w, v, round, out, &err), QTR_OK);
    qtr_csr_free(w);
}

/* Exact equality of two arrays (the same operations in the same order). */
static void assert_same(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&a[i], &b[i], sizeof a[i]))
            fail_msg("district %zu: %.17g != %.17g", i, a[i], b[i]);
}

/* The kernel lag is the stored kernel and its lag, bit for bit: on the 10,000-cell grid (every
 * 100 m; rounded, as the multiscalar profile uses it, and not), and on scattered points with
 * duplicates for every kernel function. */
static void test_kernel_lag_matches_stored(void **state)
{
    (void)state;
    struct city c = grid_city(100, 100.0);
    double *a = malloc(c.n * sizeof *a), *b = malloc(c.n * sizeof *b),
           *lt = malloc(c.n * sizeof *lt);
    assert_true(a && b && lt);
    struct qtr_error err = {0};
    const double bws[] = {250, 500, 1000};
    for (size_t k = 0; k < 3; k++)
        for (int round = 0; round < 2; round++) {
            const double *v[2] = {c.x, c.t};
            double *o[2] = {a, lt};
            assert_int_equal(qtr_kernel_lag(c.cx, c.cy, c.n, QTR_KERNEL_TRIANGULAR, bws[k], 2, v,
                                            round, o, &err),
                             QTR_OK);
            stored_lag(c.cx, c.cy, c.n, QTR_KERNEL_TRIANGULAR, bws[k], c.x, round, b);
            assert_same(a, b, c.n);
            stored_lag(c.cx, c.cy, c.n, QTR_KERNEL_TRIANGULAR, bws[k], c.t, round, b);
            assert_same(lt, b, c.n);
        }
    /* scattered points (a third of them repeated) over 5 km, every kernel function */
    size_t n = 3000;
    uint64_t s = 99;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        if (i % 3 == 2) {
            c.cx[i] = c.cx[i - 1];
            c.cy[i] = c.cy[i - 1];
            continue;
        }
        c.cx[i] = 370000.0 + 5000.0 * (double)(s >> 11) * 0x1.0p-53;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        c.cy[i] = 5800000.0 + 5000.0 * (double)(s >> 11) * 0x1.0p-53;
    }
    for (int fn = QTR_KERNEL_TRIANGULAR; fn <= QTR_KERNEL_GAUSSIAN; fn++) {
        const double *v[1] = {c.x};
        double *o[1] = {a};
        assert_int_equal(
            qtr_kernel_lag(c.cx, c.cy, n, (enum qtr_kernel_fn)fn, 700.0, 1, v, 0, o, &err),
            QTR_OK);
        stored_lag(c.cx, c.cy, n, (enum qtr_kernel_fn)fn, 700.0, c.x, 0, b);
        assert_same(a, b, n);
    }
    /* what is refused */
    const double *v[1] = {c.x};
    double *o[1] = {a};
    assert_int_equal(qtr_kernel_lag(c.cx, c.cy, n, QTR_KERNEL_TRIANGULAR, 0, 1, v, 0, o, &err),
                     QTR_ERR_USAGE);
    c.x[7] = NAN;
    assert_int_equal(
        qtr_kernel_lag(c.cx, c.cy, n, QTR_KERNEL_TRIANGULAR, 100, 1, v, 0, o, &err),
        QTR_ERR_DOMAIN);
    free(a);
    free(b);
    free(lt);
    city_free(&c);
}

/* The kernel lag in the cells' order: the stored kernel's lag up to the rounding of the sums
 * (relative 1e-12; equal once rounded), on scattered points with duplicates for every kernel
 * function, and the same bits with one thread as with two. */
static void test_kernel_lag_cell_order(void **state)
{
    (void)state;
    struct city c = grid_city(60, 100.0);
    size_t n = c.n;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *a1 = malloc(n * sizeof *a1);
    assert_true(a && b && a1);
    uint64_t s = 7;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        if (i % 4 == 3) {
            c.cx[i] = c.cx[i - 1];
            c.cy[i] = c.cy[i - 1];
            continue;
        }
        c.cx[i] = 370000.0 + 4000.0 * (double)(s >> 11) * 0x1.0p-53;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        c.cy[i] = 5800000.0 + 4000.0 * (double)(s >> 11) * 0x1.0p-53;
    }
    struct qtr_error err = {0};
    for (int fn = QTR_KERNEL_TRIANGULAR; fn <= QTR_KERNEL_GAUSSIAN; fn++)
        for (int round = 0; round < 2; round++) {
            const double *v[1] = {c.t};
            double *o[1] = {a};
            assert_int_equal(qtr_kernel_lag_cell_order(c.cx, c.cy, n, (enum qtr_kernel_fn)fn,
                                                       600.0, 1, v, round, o, &err),
                             QTR_OK);
            stored_lag(c.cx, c.cy, n, (enum qtr_kernel_fn)fn, 600.0, c.t, round, b);
            for (size_t i = 0; i < n; i++) {
                if (round)
                    assert_true(a[i] == b[i]);
                else
                    assert_true(fabs(a[i] - b[i]) <= 1e-12 * fabs(b[i]));
            }
#ifdef _OPENMP
            int nt = omp_get_max_threads();
            omp_set_num_threads(nt > 1 ? 1 : 2);
            o[0] = a1;
            assert_int_equal(qtr_kernel_lag_cell_order(c.cx, c.cy, n, (enum qtr_kernel_fn)fn,
                                                       600.0, 1, v, round, o, &err),
                             QTR_OK);
            omp_set_num_threads(nt);
            assert_same(a, a1, n);
#endif
        }
    const double *v[1] = {c.t};
    double *o[1] = {a};
    assert_int_equal(qtr_kernel_lag_cell_order(c.cx, c.cy, n, QTR_KERNEL_TRIANGULAR, -1, 1, v,
                                               1, o, &err),
                     QTR_ERR_USAGE);
    free(a);
    free(b);
    free(a1);
    city_free(&c);
}

struct kctx {
    const double *x, *y;
    size_t n;
};

static int stored_builder(double h, void *vctx, struct qtr_csr **out, struct qtr_error *err)
{
    const struct kctx *k = vctx;
    return qtr_weights_kernel(k->x, k->y, k->n, QTR_KERNEL_TRIANGULAR, h, 0, 0,
                              QTR_KERNEL_SELF_ONE, out, err);
}

/* The multiscalar profile through the kernel lag equals the profile over stored kernels. */
static void test_multiscalar_profile_kernel(void **state)
{
    (void)state;
    struct city c = grid_city(100, 100.0);
    struct qtr_units u = units_of(&c);
    const double bws[] = {250, 500, 1000};
    const qtr_aspatial_index fns[] = {qtr_dissimilarity, qtr_entropy};
    double val[6], ref[3];
    int st[6], rst[3];
    struct qtr_error err = {0};
    assert_int_equal(qtr_multiscalar_profile_kernel(&u, bws, 3, fns, 2, val, st, &err), QTR_OK);
    struct kctx k = {c.cx, c.cy, c.n};
    for (size_t f = 0; f < 2; f++) {
        assert_int_equal(
            qtr_multiscalar_profile(&u, bws, 3, stored_builder, &k, fns[f], ref, rst, &err),
            QTR_OK);
        for (size_t b = 0; b < 3; b++) {
            assert_int_equal(st[f * 3 + b], QTR_OK);
            assert_int_equal(rst[b], QTR_OK);
            assert_same(&val[f * 3 + b], &ref[b], 1);
        }
    }
    city_free(&c);
}

/* The child's part: build the field and the family for a side × side grid with method m and
 * print the peak resident memory (KiB) getrusage reports; side 0 only starts (the baseline). */
static int peak_child(size_t side, enum qtr_decay_method m)
{
    if (side) {
        struct city c = grid_city(side, 100.0);
        struct qtr_units u = units_of(&c);
        struct qtr_decay_options o;
        qtr_decay_options_default(&o);
        struct qtr_decay_field *f = NULL;
        struct qtr_decay_family r;
        struct qtr_error err = {0};
        if (qtr_decay_field_new(&u, &o, m, &f, &err) || qtr_decay_family_compute(f, &u, &r, &err))
            return 1;
        qtr_decay_field_free(f);
        city_free(&c);
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru))
        return 1;
    printf("%ld\n", ru.ru_maxrss);
    return 0;
}

/* Runs this test program again as `--peak SIDE METHOD` (a fresh process: a forked child of an
 * OpenMP program cannot start threads again) and reads its peak memory. */
static long child_peak_kib(size_t side, enum qtr_decay_method m)
{
    char cmd[4200], exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(len > 0);
    exe[len] = '\0';
    snprintf(cmd, sizeof cmd, "'%s' --peak %zu %d", exe, side, (int)m);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    long peak = -1;
    assert_int_equal(fscanf(p, "%ld", &peak), 1);
    assert_int_equal(pclose(p), 0);
    assert_true(peak > 0);
    return peak;
}

/* Issue 12: no stage's memory grows with the square of n. On n and 4n cells with every pair
 * within the cut-off, stored pairs would need 16 times the memory (1.2 GB at 10,000 cells);
 * the field's grows about 4 times. Asserted: growth(4n) ≤ 8 growth(n) + 16 MiB. */
static void test_memory_linear(void **state)
{
    (void)state;
    enum qtr_decay_method methods[] = {QTR_DECAY_DIRECT, QTR_DECAY_LATTICE};
    size_t small[] = {50, 100}; /* direct: 2,500 and 10,000 cells; lattice: 10,000 and 40,000 */
    for (int k = 0; k < 2; k++) {
        long base = child_peak_kib(0, methods[k]);
        long a = child_peak_kib(small[k], methods[k]) - base;
        long b = child_peak_kib(2 * small[k], methods[k]) - base;
        print_message("%s: peak memory above the baseline %ld KiB on %zu cells, %ld KiB on %zu\n",
                      k ? "lattice" : "direct", a, small[k] * small[k], b, 4 * small[k] * small[k]);
        assert_true(b <= 8 * (a > 0 ? a : 0) + 16 * 1024);
    }
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--peak"))
        return peak_child((size_t)strtoul(argv[2], NULL, 10),
                          (enum qtr_decay_method)strtol(argv[3], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_lattice_10k),
        cmocka_unit_test(test_lattice_with_cells_off_it),
        cmocka_unit_test(test_no_lattice),
        cmocka_unit_test(test_kernel_lag_matches_stored),
        cmocka_unit_test(test_kernel_lag_cell_order),
        cmocka_unit_test(test_multiscalar_profile_kernel),
        cmocka_unit_test(test_memory_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
