/* share_change.h - the change of a group's share between the two reference dates. */
#ifndef QTR_PIPELINE_SHARE_CHANGE_H
#define QTR_PIPELINE_SHARE_CHANGE_H

#include "quartier/pipeline.h"

/*
 * Add "<id>_share_change" (role QTR_ROLE_SHARE_CHANGE, percentage points): the group's share
 * "<id>_share" at the current date minus 100 * previous count / previous total, for the
 * districts in the indices. Nothing when the analysis has no previous date for the group
 * ([group] previous, [population] previous_total). A suppressed count at either date
 * suppresses the change; no previous value or no previous resident leaves it empty.
 */
int qtr_share_change_column(struct qtr_state *st, const struct qtr_config *cfg,
                            const struct qtr_group_spec *gs, struct qtr_error *err);

#endif
