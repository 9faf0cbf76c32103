/*
 * map_batch.c - several map files drawn at the same time (one map in PNG, SVG and PDF): each
 * job has its own cairo surface and file, so the files are byte for byte those of
 * qtr_map_render one after the other (issue 12: a city's maps were half of its run).
 */
#include <cairo.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "map_internal.h"
#include "quartier/map.h"

/*
 * cairo's toy font faces, fontconfig and FreeType are safe to use from several threads, but
 * fontconfig's first configuration load is heavy and each thread would wait on it: it is
 * done here once, before the threads start, by measuring a text in the map font.
 */
static void warm_fonts(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(s);
    qtr_map_font(cr, 10, 0);
    (void)qtr_map_text_width(cr, "0");
    qtr_map_font(cr, 10, 1);
    (void)qtr_map_text_width(cr, "0");
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* threads (0: OpenMP's default), at most one per job */
static int team_size(int threads, size_t n)
{
#ifdef _OPENMP
    int t = threads > 0 ? threads : omp_get_max_threads();
#else
    int t = 1;
    (void)threads;
#endif
    return (size_t)t > n ? (int)n : t < 1 ? 1 : t;
}

void qtr_map_render_jobs(const struct qtr_map_job *job, size_t n, int threads, int *st,
                         struct qtr_error *err)
{
    if (n == 0)
        return;
    int team = team_size(threads, n);
    if (team > 1)
        warm_fonts();
    /* the team takes the jobs in order: callers put the longest first */
    long nj = (long)n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(team) if (team > 1)
    for (long k = 0; k < nj; k++) {
        qtr_error_clear(&err[k]);
        st[k] = qtr_map_render(job[k].map, job[k].fmt, job[k].path, NULL, &err[k]);
    }
}
