/*
 * bivariate.c - the MSS status x dynamics classes and their palette (bivariate.h).
 */
#include "quartier/bivariate.h"

int qtr_biv_code(int status_class, int dyn_class)
{
    if (status_class < 1 || status_class > QTR_BIV_STATUS || dyn_class < 1 ||
        dyn_class > QTR_BIV_DYNAMICS)
        return 0;
    return (status_class - 1) * QTR_BIV_DYNAMICS + dyn_class;
}

int qtr_biv_status(int code)
{
    return code >= 1 && code <= QTR_BIV_CLASSES ? (code - 1) / QTR_BIV_DYNAMICS + 1 : 0;
}

int qtr_biv_dynamics(int code)
{
    return code >= 1 && code <= QTR_BIV_CLASSES ? (code - 1) % QTR_BIV_DYNAMICS + 1 : 0;
}

struct qtr_rgb qtr_biv_color(int code)
{
    /*
     * Rows status hoch .. sehr niedrig, columns positiv, stabil, negativ. Each column is
     * one hue in four lightness steps (CIE L* about 87, 70, 52, 33 for purple; 91, 77,
     * 58, 38 for sand; 89, 75, 59, 40 for orange), so the rows read as status also in a
     * grey-scale print, and the columns as dynamics by hue: purple and orange are the
     * ends of the dynamics map's PuOr scheme, apart also for deuteranopes.
     */
    static const struct qtr_rgb c[QTR_BIV_CLASSES] = {
        {220, 217, 238}, {240, 232, 210}, {251, 217, 184}, /* hoch */
        {173, 166, 211}, {205, 191, 159}, {245, 168, 106}, /* mittel */
        {125, 111, 179}, {157, 139, 102}, {221, 111, 42},  /* niedrig */
        {75, 58, 138},   {101, 86, 59},   {162, 64, 12},   /* sehr niedrig */
    };
    if (code < 1 || code > QTR_BIV_CLASSES)
        return qtr_palette_not_rated();
    return c[code - 1];
}
