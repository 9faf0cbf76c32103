/*
 * role.c - ids of the column roles (role.h).
 */
#include "quartier/role.h"

#include <stddef.h>

static const char *const ids[QTR_ROLE_COUNT_] = {
    [QTR_ROLE_NONE] = "input",
    [QTR_ROLE_KEY] = "key",
    [QTR_ROLE_NAME] = "name",
    [QTR_ROLE_HAS_STATS] = "has_statistics",
    [QTR_ROLE_IN_INDICES] = "in_indices",
    [QTR_ROLE_AREA] = "area",
    [QTR_ROLE_TOTAL] = "total",
    [QTR_ROLE_COUNT] = "count",
    [QTR_ROLE_PARENT] = "parent",
    [QTR_ROLE_SHARE] = "share",
    [QTR_ROLE_SHARE_DIFF] = "share_diff",
    [QTR_ROLE_SHARE_CHANGE] = "share_change",
    [QTR_ROLE_LQ] = "lq",
    [QTR_ROLE_LOCAL_INDEX] = "local_index",
    [QTR_ROLE_NEIGHBOURS] = "neighbours",
    [QTR_ROLE_LISA_I] = "lisa_i",
    [QTR_ROLE_LISA_P] = "lisa_p",
    [QTR_ROLE_LISA_CLUSTER] = "lisa_cluster",
    [QTR_ROLE_GI_Z] = "gi_z",
    [QTR_ROLE_HOTSPOT] = "hotspot",
    [QTR_ROLE_LQ_P] = "lq_p",
    [QTR_ROLE_LQ_HIGH] = "lq_high",
    [QTR_ROLE_INDICATOR] = "indicator",
    [QTR_ROLE_IND_NUMERATOR] = "indicator_numerator",
    [QTR_ROLE_IND_DENOMINATOR] = "indicator_denominator",
    [QTR_ROLE_IND_PREVIOUS] = "indicator_previous",
    [QTR_ROLE_IND_CHANGE] = "indicator_change",
    [QTR_ROLE_VALIDITY] = "renewal_validity",
    [QTR_ROLE_STATUS_INDEX] = "status_index",
    [QTR_ROLE_STATUS_CLASS] = "status_class",
    [QTR_ROLE_STATUS_CODE] = "status_code",
    [QTR_ROLE_DYNAMICS_INDEX] = "dynamics_index",
    [QTR_ROLE_DYNAMICS_CLASS] = "dynamics_class",
    [QTR_ROLE_DYNAMICS_CODE] = "dynamics_code",
    [QTR_ROLE_STATUS_DYNAMICS_GROUP] = "status_dynamics_group",
    [QTR_ROLE_STATUS_DYNAMICS] = "status_dynamics",
    [QTR_ROLE_ATTENTION] = "attention",
    [QTR_ROLE_REASON] = "reason",
    [QTR_ROLE_GOAL] = "goal",
    [QTR_ROLE_AREA_ID] = "area_id",
    [QTR_ROLE_AREA_DISTRICTS] = "area_districts",
    [QTR_ROLE_AREA_KEYS] = "area_keys",
    [QTR_ROLE_AREA_RESIDENTS] = "area_residents",
    [QTR_ROLE_AREA_SHARE] = "area_share",
    [QTR_ROLE_AREA_CLUSTER] = "area_cluster",
    [QTR_ROLE_AREA_EVIDENCE] = "area_evidence",
};

const char *qtr_role_id(enum qtr_role r)
{
    return (unsigned)r < QTR_ROLE_COUNT_ && ids[r] ? ids[r] : "input";
}
