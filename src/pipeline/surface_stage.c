/*
 * surface_stage.c - the kernel ("surface") multigroup indices of a run (surface_stage.h).
 */
#include "surface_stage.h"

#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "quartier/surface.h"

/* What the run may hold: 3/4 of the physical memory or of the address-space limit. */
static double memory_budget(void)
{
    double phys = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGE_SIZE);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (double)rl.rlim_cur < phys)
        phys = (double)rl.rlim_cur;
    return phys > 0 ? 0.75 * phys : 0;
}

int qtr_pipeline_surface(const struct qtr_config *cfg, struct qtr_state *st,
                         const struct qtr_units *u, const double *cx, const double *cy,
                         const struct qtr_index_options *io, struct qtr_error *err)
{
    const char **labels = calloc(u->ngroups ? u->ngroups : 1, sizeof *labels);
    if (!labels)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t g = 0, k = 0; g < cfg->ngroups && k < u->ngroups; g++)
        if (cfg->groups[g].multigroup)
            labels[k++] = cfg->groups[g].id;
    struct qtr_units su = *u;
    su.cx = cx;
    su.cy = cy;
    struct qtr_surface_options so = {.bandwidth_m = QTR_SURFACE_BANDWIDTH_M,
                                     .fn = QTR_KERNEL_TRIANGULAR,
                                     .memory_limit = memory_budget()};
    int rc = qtr_indices_surface(&su, &so, io, labels, &st->indices, &st->nindices, err);
    free(labels);
    return rc;
}
