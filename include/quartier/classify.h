/*
 * classify.h - class breaks for choropleth maps and QGIS graduated styles.
 *
 * All methods skip NaN values, and return k + 1 ascending limits with
 * limits[0] = minimum and limits[k] = maximum of the finite values, plus the
 * class of every input value. Class membership follows QGIS's graduated
 * renderer (QgsGraduatedSymbolRenderer::rangeForValue): value v belongs to the
 * first class i with limits[i] <= v <= limits[i + 1], so a value lying exactly
 * on a limit goes to the lower class. Limits that coincide (ties in quantiles,
 * fewer distinct values than classes) are merged, so the returned k can be
 * smaller than the requested one; a class never has zero width unless all
 * values are equal (then k = 1 and limits[0] = limits[1]).
 *
 * The functions are pure: no I/O, deterministic, no global state.
 */
#ifndef QUARTIER_CLASSIFY_H
#define QUARTIER_CLASSIFY_H

#include <stddef.h>

#include "quartier/error.h"

enum qtr_class_method {
    /*
     * Equal count. Breaks are the sample quantiles of Hyndman & Fan (1996)
     * type 7 (linear interpolation between order statistics x[(n-1)q]), the
     * rule of QGIS's "Equal Count (Quantile)" (QgsClassificationQuantile,
     * QGIS >= 3.10), R's default and numpy's default.
     */
    QTR_CLASS_QUANTILE = 0,
    /*
     * Natural breaks: the exact Fisher (1958) / Jenks (1977) optimum that
     * minimises the total within-class sum of squared deviations, by dynamic
     * programming over the sorted values (O(k n^2)). Above
     * QTR_JENKS_MAX_VALUES finite values the optimum is computed on a
     * deterministic sample of that many order statistics spread evenly over
     * the sorted values (always including minimum and maximum); QGIS samples
     * too (3000 values by default: at random in 3.22, evenly spread over the
     * sorted values in current QgsClassificationJenks). Limits are the largest
     * value of each class, as in QGIS. QGIS's own DP (from R classInt) does
     * not forbid splits between equal values; ours does, so a value never
     * straddles two classes.
     */
    QTR_CLASS_JENKS = 1,
    /*
     * Standard deviation: inner limits at mean + j * step * sd for every
     * integer j with |j * step| <= 3 whose limit lies strictly between
     * minimum and maximum (sd = population standard deviation, divisor n, as
     * QGIS's QgsClassificationStandardDeviation). `k` is ignored; the number
     * of classes follows from the data (at most 8 with step 1). step
     * defaults to 1 SD. QGIS instead spreads "pretty" breaks in SD units over
     * the requested number of classes; fixed 1-SD steps read more easily in
     * a council report.
     */
    QTR_CLASS_STDDEV = 2,
    /* Equal interval: limits[i] = min + i (max - min) / k (QGIS "Equal Interval"). */
    QTR_CLASS_EQUAL = 3
};

/* Above this many finite values natural breaks are computed on a sample. */
#define QTR_JENKS_MAX_VALUES 5000

struct qtr_classes {
    size_t k;        /* number of classes */
    double *limits;  /* k + 1 ascending limits */
    size_t n;        /* number of input values */
    int *cls;        /* n: class 0..k-1 of each value, -1 for NaN */
    double mean, sd; /* set by QTR_CLASS_STDDEV (population SD), else NaN */
};

/**
 * Classify x[0..n-1] with method m into (at most) k classes. For
 * QTR_CLASS_STDDEV, `sd_step` is the step in standard deviations (<= 0 means
 * 1); other methods ignore it. On success out owns two malloc'ed arrays;
 * release them with qtr_classes_release(). Errors: QTR_ERR_USAGE (k < 1 or
 * unknown method), QTR_ERR_DOMAIN (no finite value, or non-finite +-Inf
 * values which have no class), QTR_ERR_NOMEM.
 */
int qtr_classify(const double *x, size_t n, enum qtr_class_method m, size_t k, double sd_step,
                 struct qtr_classes *out, struct qtr_error *err);

/**
 * Optional "pretty" limits for legends: round the inner limits of c to
 * `decimals` decimal places (half away from zero), the lowest limit down and
 * the highest up (so every value stays covered), merge limits that became
 * equal, and reclassify x[0..c->n-1] (the values c was computed from). The
 * labels then show exactly the limits the classes use. Errors: QTR_ERR_USAGE
 * (decimals outside -6..10).
 */
int qtr_classes_round(struct qtr_classes *c, const double *x, int decimals, struct qtr_error *err);

/** Free the arrays in c and zero it. NULL-safe. */
void qtr_classes_release(struct qtr_classes *c);

/**
 * Class of value v for ascending limits[0..k] (first i with
 * limits[i] <= v <= limits[i+1]); -1 when v is NaN or outside [limits[0], limits[k]].
 */
int qtr_class_of(const double *limits, size_t k, double v);

/**
 * Total within-class sum of squared deviations of the sorted values
 * sorted[0..n-1] split into classes that end at indices end[0..k-1]
 * (exclusive; end[k-1] = n). Used to check natural breaks; compensated sums.
 */
double qtr_class_sdcm(const double *sorted, size_t n, const size_t *end, size_t k);

/** Short English name of a method ("quantile", "jenks", "stddev", "equal"); "?" if unknown. */
const char *qtr_class_method_name(enum qtr_class_method m);

/**
 * The id QGIS uses for the method in a QML <classificationMethod id="...">:
 * "Quantile", "Jenks", "StdDev", "EqualInterval"; NULL if unknown. Lets a
 * planner re-classify the style in QGIS with the same method.
 */
const char *qtr_class_method_qgis_id(enum qtr_class_method m);

/**
 * Parse a method name (as above; also "natural", "equal_interval", "sd");
 * returns 0 on success or QTR_ERR_USAGE.
 */
int qtr_class_method_parse(const char *name, enum qtr_class_method *m, struct qtr_error *err);

/**
 * Format v with `decimals` (0..10) digits after the decimal comma in German
 * convention: "1.234,5", "-0,25", "12,0"; negative zero prints as "0,0".
 * From 10^15 on (in absolute value) three significant digits and the power
 * of ten: "1,23e+18". Writes at most size bytes including the NUL; returns 0,
 * or QTR_ERR_USAGE when v is not finite, decimals is out of range or buf is
 * too small.
 */
int qtr_format_de(double v, int decimals, char *buf, size_t size);

/**
 * Legend label of a class in German format, "12,5 – 20,0 %" (en dash, the
 * unit after a space; unit may be NULL or ""). Same errors as qtr_format_de.
 */
int qtr_class_label_de(double lo, double hi, int decimals, const char *unit, char *buf,
                       size_t size);

#endif
