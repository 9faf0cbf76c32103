/*
 * renewal.h - identification of renewal-candidate districts after the Berlin
 * "Monitoring Soziale Stadtentwicklung" (MSS) method: standardised indicators,
 * status and dynamics indices, classes, the attention rule, a German/English
 * reason per district, and the rank-based MSS 2007 variant.
 *
 * Pure kernels: arrays and lengths in, caller-allocated arrays out, no I/O.
 *
 * Conventions used throughout:
 *  - n districts; arrays of length n are indexed by district.
 *  - `valid[i]` = 1 when district i takes part in means, SDs and ranks
 *    (see qtr_renewal_mask); outputs for districts with valid[i] = 0 are NaN
 *    (or class 0), never a number that could be mistaken for a result.
 *  - Indices are oriented so that HIGHER = WORSE (MSS: a high status index is
 *    a low social status).
 *
 * Method reference: Senatsverwaltung für Stadtentwicklung und Wohnen Berlin,
 * "Monitoring Soziale Stadtentwicklung 2021", Methodik: each index indicator is
 * z-standardised over the valid Planungsräume, the z-scores are summed with
 * equal weights, the sum is standardised again and classified at -1, +1, +1.5
 * (status) and -1, +1 (dynamics) standard deviations.
 */
#ifndef QUARTIER_RENEWAL_H
#define QUARTIER_RENEWAL_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"
#include "quartier/strutil.h"

/** How indicator values (and the composite sums) are standardised. */
enum qtr_std_method {
    QTR_STD_Z = 0,          /* (x - mean) / SD, population SD (divide by n), MSS */
    QTR_STD_Z_WEIGHTED = 1, /* population-weighted mean and SD (weights = residents) */
    QTR_STD_PERCENTILE = 2  /* mid-rank percentile 0..100 (ties share the mean rank) */
};

/** Why a district is kept out of standardisation (qtr_renewal_mask). */
enum qtr_renewal_validity {
    QTR_RENEWAL_VALID = 0,
    QTR_RENEWAL_SMALL = 1,   /* fewer residents than the minimum (or no population value) */
    QTR_RENEWAL_OUTLIER = 2, /* declared outlier / invalid by the statistics office */
    QTR_RENEWAL_MISSING = 3  /* at least one index indicator has no value */
};

/** Report language for names and reasons. */
enum qtr_lang { QTR_LANG_DE = 0, QTR_LANG_EN = 1 };

/**
 * Decide for every district whether it takes part in the index computation.
 * population may be NULL (no minimum applied); a NaN population counts as
 * SMALL when min_population > 0. outlier may be NULL; outlier[i] != 0 marks a
 * declared outlier. ind holds nind arrays of n indicator values; NaN = missing.
 * The first applicable reason wins in the order SMALL, OUTLIER, MISSING.
 * reason_out (n, caller-allocated) gets an enum qtr_renewal_validity per
 * district; *nvalid_out (may be NULL) the number of valid districts.
 * Returns QTR_ERR_DOMAIN when fewer than two districts are valid.
 */
int qtr_renewal_mask(size_t n, const double *population, double min_population,
                     const uint8_t *outlier, size_t nind, const double *const *ind,
                     uint8_t *reason_out, size_t *nvalid_out, struct qtr_error *err);

/**
 * Mean ranks (1-based; ties share their mean rank, as scipy's rankdata 'average') of the
 * x[i] with valid[i] = 1 (valid NULL = all) into out; out[i] = NaN for the others. Returns
 * the number of valid values, or (size_t)-1 when out of memory. The one rank function of the
 * renewal code (percentile standardisation, the MSS 2007 ranking).
 */
size_t qtr_mean_ranks(size_t n, const double *x, const uint8_t *valid, double *out);

/**
 * Standardise x over the districts with valid[i] = 1 (valid NULL = all).
 * weight (residents) is required for QTR_STD_Z_WEIGHTED and ignored otherwise.
 * out[i] is NaN where valid[i] = 0. Mean and SD use compensated sums.
 * Errors: QTR_ERR_DATA when a valid district has a NaN value or a negative/NaN
 * weight (the message names the district index); QTR_ERR_DOMAIN when fewer
 * than two districts are valid, the SD is zero (all values equal) or the
 * weights sum to zero.
 */
int qtr_standardise(size_t n, const double *restrict x, const uint8_t *restrict valid,
                    const double *restrict weight, enum qtr_std_method method, double *restrict out,
                    struct qtr_error *err);

/**
 * Change of an indicator between two dates, in the indicator's units
 * (percentage points for shares): out = (current - previous) * per_years / years,
 * or plain current - previous when per_years <= 0. years must be > 0 when
 * per_years > 0. NaN in either input gives NaN (a missing change).
 */
int qtr_renewal_change(size_t n, const double *restrict current, const double *restrict previous,
                       double years, double per_years, double *restrict out, struct qtr_error *err);

/**
 * Composite index (status index from the status indicators' values, dynamics
 * index from the dynamics indicators' changes).
 * values: nind arrays of n; weights: nind weights (NULL = all 1, MSS: equal);
 * higher_better: nind flags (NULL = all higher_worse); a higher_better
 * indicator's standardised score enters with its sign flipped so that the sum
 * is "higher = worse". The weighted sum is standardised again with the same
 * method over the valid districts.
 * z_out: nind caller-allocated arrays of n (may be NULL) receiving each
 * indicator's standardised score in its OWN direction (not flipped), for the
 * reasons; index_out (n): the composite index, NaN where valid[i] = 0.
 * Errors as qtr_standardise, naming the indicator by position (1-based).
 */
int qtr_renewal_composite(size_t n, size_t nind, const double *const *values, const double *weights,
                          const uint8_t *higher_better, const uint8_t *valid,
                          const double *population, enum qtr_std_method method, double **z_out,
                          double *index_out, struct qtr_error *err);

/** MSS status classes (1..4); 0 = no class (invalid district). */
enum qtr_status_class {
    QTR_STATUS_NONE = 0,
    QTR_STATUS_HOCH = 1,
    QTR_STATUS_MITTEL = 2,
    QTR_STATUS_NIEDRIG = 3,
    QTR_STATUS_SEHR_NIEDRIG = 4
};

/** MSS dynamics classes (1..3); 0 = no class. */
enum qtr_dynamics_class {
    QTR_DYN_NONE = 0,
    QTR_DYN_POSITIV = 1,
    QTR_DYN_STABIL = 2,
    QTR_DYN_NEGATIV = 3
};

/** MSS default thresholds (in SD of the standardised index). */
/* clang-format off */
#define QTR_MSS_STATUS_THRESHOLDS {-1.0, 1.0, 1.5}
#define QTR_MSS_DYNAMICS_THRESHOLDS {-1.0, 1.0}
/* clang-format on */

/**
 * Status class of a standardised status index with ascending thresholds t:
 * x < t[0] hoch; t[0] <= x <= t[1] mittel; t[1] < x <= t[2] niedrig;
 * x > t[2] sehr niedrig. NaN gives 0.
 * A value exactly on a limit belongs to the MIDDLE side ("-1 bis +1" in the
 * MSS text); MSS classifies the unrounded index (see qtr_renewal_composite and
 * tests/e2e/test_mss2021.c: rounding the index to 2 decimals before
 * classifying does not reproduce the published classes, the unrounded index
 * does, and no published PLR lies within 0.001 SD of a limit).
 */
int qtr_renewal_status_class(double x, const double t[3]);

/** Dynamics class: x < t[0] positiv; t[0] <= x <= t[1] stabil; x > t[1] negativ; NaN 0. */
int qtr_renewal_dynamics_class(double x, const double t[2]);

/** "hoch", "mittel", "niedrig", "sehr niedrig" (en: high, medium, low, very low); "" for 0. */
const char *qtr_status_class_name(int cls, enum qtr_lang lang);

/** "positiv", "stabil", "negativ" (en: positive, stable, negative); "" for 0. */
const char *qtr_dynamics_class_name(int cls, enum qtr_lang lang);

/**
 * Combined class as text, status first: "mittel / negativ" (en: "medium /
 * negative"), as in the legend of the MSS 2021 map "Gesamtindex Soziale
 * Ungleichheit"; "" when a class is 0 or out of range.
 */
const char *qtr_status_dynamics_name(int status_class, int dyn_class, enum qtr_lang lang);

/** "nicht bewertet" (en: "not rated"): a district without classes (too few residents,
 * outlier, missing indicator). */
const char *qtr_not_rated_name(enum qtr_lang lang);

/** MSS numeric dynamics code as published in DI_N: positiv 1, stabil 3, negativ 5; 0 otherwise. */
int qtr_dynamics_mss_code(int dyn_class);

/**
 * Status/dynamics group (12 groups). MSS 2021 publishes it as number
 * 10*status + mss_code (11, 13, 15, 21, ..., 45; column SDI_N) and label
 * "1+", "1+/-", "1-", ..., "4-" (column SDI; + = positive, +/- = stable,
 * - = negative dynamics); dotted_out gets the short form "status.dynamics"
 * with dynamics 1..3 ("1.1" ... "4.3"). number_out and dotted_out may be NULL.
 * Returns 0, or QTR_ERR_DOMAIN when a class is 0 (labels "" and number 0).
 */
int qtr_renewal_group(int status_class, int dyn_class, int *number_out, char label_out[8],
                      char dotted_out[8]);

/** Attention flags (bit set). */
enum qtr_attention_flag {
    QTR_ATTN_STATUS = 1,     /* status niedrig or sehr niedrig */
    QTR_ATTN_DYNAMICS = 2,   /* status mittel and dynamics negativ */
    QTR_ATTN_SEGREGATION = 4 /* at risk of segregation (overlay) */
};

/**
 * Default MSS attention rule plus the segregation overlay for one district:
 * QTR_ATTN_STATUS when status is niedrig/sehr niedrig; QTR_ATTN_DYNAMICS when
 * status is mittel and dynamics negativ; QTR_ATTN_SEGREGATION when the
 * group's location quotient is significantly high (lq_high != 0), its share
 * rose (share_change > 0; NaN = unknown = no) and status is niedrig/sehr
 * niedrig. Returns the flag set (0 = no attention).
 */
unsigned qtr_renewal_attention(int status_class, int dyn_class, int lq_high, double share_change);

/** One indicator's part in a district's reason. */
struct qtr_reason_item {
    const char *label; /* label in the report language, e.g. "SGB-II-Quote" */
    double z;          /* standardised score in the indicator's own direction */
    double weight;     /* weight in the index (ranking of contributions) */
    int higher_better; /* 1 when a high value is good */
    /* The real values, named before the standard score. has_value = 0: the
     * reason names the standard score only. */
    int has_value;
    double value;       /* the district's value (for a dynamics item: its change) */
    double reference;   /* the value to compare with; NaN = none */
    int reference_city; /* 1: the city's own rate ("Stadt"), 0: the mean of the districts */
    const char *unit;   /* "%", "m²", ...; NULL = none */
    int is_change;      /* value is a change: signed, and "%" reads "Pp." (en "pp") */
};

/**
 * How the classes were formed, so that a reason names only the indicators
 * that drive the class. With the z methods the index is the weighted sum of
 * the oriented scores divided by its SD over the valid districts (its mean is
 * 0), so indicator k adds weight_k * oriented z_k / sd to the index.
 */
struct qtr_reason_method {
    double status_sd;   /* SD of sum_k weight_k * oriented z_k (status); <= 0 or NaN = unknown */
    double dynamics_sd; /* the same for the dynamics index */
    double status_thresholds[3];
    double dynamics_thresholds[2];
};

/**
 * Human-readable reason for one district, appended to out, e.g.
 * "Status sehr niedrig – SGB-II-Quote: 31,2 % (Stadt 12,0 %; 2,1 SD über Mittel),
 * Kinderarmut: 40,8 % (Stadt 16,4 %; 1,8 SD über Mittel); Dynamik negativ –
 * Veränderung SGB-II-Quote: +2,4 Pp. (Gebietsmittel +0,3 Pp.; 1,2 SD über Mittel)";
 * a no-break space joins a number and its unit.
 * In German the decimal separator is a comma. Items without has_value read
 * "SGB-II-Quote 2,1 SD über Mittel".
 * Which indicators are named ("drive the class"): for a status class other
 * than mittel (dynamics other than stabil) and a known SD in m, the fewest
 * indicators whose contributions to the index (weight * oriented z / sd), the
 * largest first, already carry the index past the limit of its class
 * (niedrig: above t[1], sehr niedrig: above t[2], hoch: below t[0]; dynamics
 * negativ: above u[1], positiv: below u[0]); indicators with the same
 * contribution as the last one named are named too. Indicators pulling the
 * other way, and scores that round to 0,0 SD, are never named. Without m (or
 * with an unknown SD, as with percentile ranks) the at most max_items
 * indicators that push the index furthest in the direction of the class are
 * named. For mittel/stabil none.
 * attention_flags adds "; Segregationsrisiko (Lagequotient signifikant hoch,
 * Anteil steigend)" when QTR_ATTN_SEGREGATION is set.
 * status_items/dyn_items may be NULL when their count is 0; m may be NULL. A
 * class of 0 writes "ungültig"/"invalid". Returns 0 or QTR_ERR_NOMEM.
 */
int qtr_renewal_reason(int status_class, size_t nstatus, const struct qtr_reason_item *status_items,
                       int dyn_class, size_t ndyn, const struct qtr_reason_item *dyn_items,
                       const struct qtr_reason_method *m, unsigned attention_flags,
                       size_t max_items, enum qtr_lang lang, struct qtr_buf *out,
                       struct qtr_error *err);

/**
 * Rank-based alternative (MSS 2007): over the valid districts, status and
 * dynamics indices are ranked ascending (rank 1 = best = lowest index; ties
 * get their mean rank), combined as (3 * status_rank + 2 * dynamics_rank) / 5,
 * and the worst decile is flagged: the k = ceil(nvalid / 10) districts with
 * the highest combined score, plus any district tied with the k-th.
 * status_rank_out, dyn_rank_out (may be NULL), score_out (n; NaN if invalid),
 * flag_out (n; 1 = worst decile). A valid district with a NaN index is
 * QTR_ERR_DATA; fewer than one valid district QTR_ERR_DOMAIN.
 */
int qtr_renewal_rank(size_t n, const double *status_index, const double *dyn_index,
                     const uint8_t *valid, double *status_rank_out, double *dyn_rank_out,
                     double *score_out, uint8_t *flag_out, struct qtr_error *err);

/* ---- the whole identification in one call ------------------------------ */

/** One indicator as the renewal identification sees it. */
struct qtr_renewal_indicator {
    const char *label;      /* label in the report language (reasons) */
    const double *value;    /* n values at the current date (NaN = missing) */
    const double *previous; /* n values at the previous date; NULL when dynamics_weight = 0 */
    double status_weight;   /* weight in the status index, 0 = not a status indicator */
    double dynamics_weight; /* weight of its change in the dynamics index, 0 = not used */
    int higher_better;      /* 1 when a high value is good */
    const char *unit;       /* unit of the value for the reasons ("%"); NULL = none */
    /* Denominator behind a rate (n values, may be NULL): the reasons compare a
     * district's value with the city's own rate sum(value * denominator) /
     * sum(denominator) over all districts with both; without it, with the
     * mean of the valid districts. */
    const double *denominator;
};

enum qtr_renewal_method {
    QTR_RENEWAL_MSS = 0, /* z-scores and thresholds */
    QTR_RENEWAL_RANK = 1 /* MSS 2007: ranks 3:2, worst decile */
};

struct qtr_renewal_config {
    enum qtr_renewal_method method;
    enum qtr_std_method standardise;
    double status_thresholds[3];
    double dynamics_thresholds[2];
    double min_population; /* districts with fewer residents are invalid */
    double years;          /* years between the two dates (needed when per_years > 0) */
    double per_years;      /* changes per this many years; 0 = plain difference */
    enum qtr_lang lang;
    size_t max_reason_items; /* indicators named per part of a reason */
};

/** MSS defaults: method mss, z, thresholds -1/1/1.5 and -1/1, 300 residents,
 * plain differences, German, 2 items per reason. */
void qtr_renewal_config_init(struct qtr_renewal_config *cfg);

/** Per-district results; arrays of n owned by the struct (qtr_renewal_result_release). */
struct qtr_renewal_result {
    size_t n, nvalid;
    uint8_t *validity;       /* enum qtr_renewal_validity */
    double *status_index;    /* NaN when invalid */
    double *dynamics_index;  /* NaN when invalid or no dynamics indicator */
    uint8_t *status_class;   /* enum qtr_status_class */
    uint8_t *dynamics_class; /* enum qtr_dynamics_class (0 without dynamics indicators) */
    int *group;              /* MSS SDI_N number (0 when no group) */
    char (*group_label)[8];  /* MSS SDI label "2+/-" ("" when no group) */
    unsigned *attention;     /* enum qtr_attention_flag bits; QTR_ATTN_RANK with method rank */
    double *rank_score;      /* method rank: (3 status rank + 2 dynamics rank) / 5; else NULL */
    char **reason;           /* one malloc'ed text per district */
};

/** With method rank: the district is in the worst decile of the combined rank. */
#define QTR_ATTN_RANK 8u

/**
 * Run the identification: validity mask (population, outlier flags, missing
 * indicator values or changes), status index over the indicators with
 * status_weight != 0, dynamics index over the changes (qtr_renewal_change) of
 * those with dynamics_weight != 0, classes, groups, attention (default MSS
 * rule; the segregation overlay when lq_high and share_change are given, both
 * may be NULL), the rank variant when cfg->method is rank, and a reason per
 * district (invalid ones say why). With method rank the worst-decile flag
 * (QTR_ATTN_RANK) replaces the MSS class rule; the overlay still applies.
 * population may be NULL (no minimum), outlier may be NULL.
 * res is filled on success and must be released with
 * qtr_renewal_result_release (also after a failure: it is then empty).
 * Errors: QTR_ERR_USAGE (no status indicator, bad weights/thresholds/years),
 * QTR_ERR_DOMAIN (fewer than 2 valid districts, an indicator without spread),
 * QTR_ERR_NOMEM.
 */
int qtr_renewal_run(size_t n, size_t nind, const struct qtr_renewal_indicator *ind,
                    const double *population, const uint8_t *outlier, const uint8_t *lq_high,
                    const double *share_change, const struct qtr_renewal_config *cfg,
                    struct qtr_renewal_result *res, struct qtr_error *err);

/** Free the arrays of res and zero it. NULL-safe. */
void qtr_renewal_result_release(struct qtr_renewal_result *res);

#endif
