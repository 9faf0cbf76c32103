/*
 * role.h - what a column of the districts is: a count, a share, a location quotient, a
 * p-value, a class, ... Set where the column is made (qtr_frame_add_computed, the join
 * for input columns); everything that shows a column (labels, QGIS styles, report maps,
 * disclosure control) asks the role and the group or indicator the column belongs to,
 * never the column's name. The look of each role is in present.h.
 */
#ifndef QUARTIER_ROLE_H
#define QUARTIER_ROLE_H

enum qtr_role {
    QTR_ROLE_NONE = 0,         /* an input column nothing in the analysis names */
    /* fixed fields of the districts layer (output.c) */
    QTR_ROLE_KEY,              /* district key */
    QTR_ROLE_NAME,             /* district name */
    QTR_ROLE_HAS_STATS,        /* 0/1: every table had a row */
    QTR_ROLE_IN_INDICES,       /* 0/1: the district enters the indices */
    QTR_ROLE_AREA,             /* area in hectares */
    /* input columns the analysis file names */
    QTR_ROLE_TOTAL,            /* the residents count ([analysis] total) */
    QTR_ROLE_COUNT,            /* a group's count ([group] column); of = group id */
    QTR_ROLE_PARENT,           /* the parent area ([boundaries] parent) */
    /* shares and location quotients (pipeline.c); of = group id */
    QTR_ROLE_SHARE,            /* percent of residents */
    QTR_ROLE_SHARE_DIFF,       /* percentage points above the city's share */
    QTR_ROLE_SHARE_CHANGE,     /* change of the share since the previous date, percentage points */
    QTR_ROLE_LQ,               /* location quotient, 1 = as the city */
    QTR_ROLE_LOCAL_INDEX,      /* local diversity, entropy, ... of all groups */
    /* spatial statistics (spatial_stage.c); of = group id */
    QTR_ROLE_NEIGHBOURS,       /* number of queen neighbours */
    QTR_ROLE_LISA_I,           /* local Moran's I */
    QTR_ROLE_LISA_P,           /* its pseudo p-value */
    QTR_ROLE_LISA_CLUSTER,     /* cluster type, text */
    QTR_ROLE_GI_Z,             /* Getis-Ord Gi* z-score */
    QTR_ROLE_HOTSPOT,          /* hot/cold spot, text */
    QTR_ROLE_LQ_P,             /* p-value of the location quotient */
    QTR_ROLE_LQ_HIGH,          /* 0/1: share significantly above the city's */
    /* indicators (renewal_stage.c); of = indicator id */
    QTR_ROLE_INDICATOR,
    QTR_ROLE_IND_NUMERATOR,
    QTR_ROLE_IND_DENOMINATOR,
    QTR_ROLE_IND_PREVIOUS,
    QTR_ROLE_IND_CHANGE,
    /* renewal monitoring (renewal_stage.c) */
    QTR_ROLE_VALIDITY,         /* text */
    QTR_ROLE_STATUS_INDEX,     /* z-score */
    QTR_ROLE_STATUS_CLASS,     /* text */
    QTR_ROLE_STATUS_CODE,      /* 1..4 */
    QTR_ROLE_DYNAMICS_INDEX,   /* z-score */
    QTR_ROLE_DYNAMICS_CLASS,   /* text */
    QTR_ROLE_DYNAMICS_CODE,    /* 1..3 */
    QTR_ROLE_STATUS_DYNAMICS_GROUP, /* "1+" .. "4-" */
    QTR_ROLE_STATUS_DYNAMICS,  /* "mittel / negativ" */
    QTR_ROLE_ATTENTION,        /* 0/1 */
    QTR_ROLE_REASON,           /* text */
    QTR_ROLE_GOAL,             /* goal state, text; of = target id */
    /* fields of the cluster and candidate layers (spatial_stage.c) */
    QTR_ROLE_AREA_ID,          /* running number */
    QTR_ROLE_AREA_DISTRICTS,   /* number of districts */
    QTR_ROLE_AREA_KEYS,        /* their keys */
    QTR_ROLE_AREA_RESIDENTS,   /* residents */
    QTR_ROLE_AREA_SHARE,       /* the group's share */
    QTR_ROLE_AREA_CLUSTER,     /* cluster type of a cluster area, text */
    QTR_ROLE_AREA_EVIDENCE,    /* why a candidate area, text */
    QTR_ROLE_COUNT_
};

/** A stable id of the role ("share", "lisa_p", ...), for messages, tests and docs. */
const char *qtr_role_id(enum qtr_role r);

#endif
