#include "quartier/shapes.h"

#include <stdlib.h>

void qtr_shapes_free(struct qtr_shapes *s)
{
    if (!s)
        return;
    free(s->feat_ring);
    free(s->ring_pt);
    free(s->ring_hole);
    free(s->x);
    free(s->y);
    free(s);
}

int qtr_shapes_bbox(const struct qtr_shapes *s, double *minx, double *miny, double *maxx,
                    double *maxy)
{
    if (!s || s->npoints == 0)
        return 0;
    double x0 = s->x[0], x1 = s->x[0], y0 = s->y[0], y1 = s->y[0];
    for (size_t i = 1; i < s->npoints; i++) {
        if (s->x[i] < x0)
            x0 = s->x[i];
        if (s->x[i] > x1)
            x1 = s->x[i];
        if (s->y[i] < y0)
            y0 = s->y[i];
        if (s->y[i] > y1)
            y1 = s->y[i];
    }
    *minx = x0;
    *miny = y0;
    *maxx = x1;
    *maxy = y1;
    return 1;
}
