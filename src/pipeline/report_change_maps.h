/* report_change_maps.h - a change map per group and indicator when there are two dates. */
#ifndef QTR_REPORT_CHANGE_MAPS_H
#define QTR_REPORT_CHANGE_MAPS_H

struct rs;

/*
 * Under "Veränderung seit dem ...": for every group with a share map its change of share
 * (QTR_ROLE_SHARE_CHANGE) and for every indicator its change (QTR_ROLE_IND_CHANGE), in
 * percentage points for shares, classes symmetric around 0 in the diverging palette of the
 * presentation table (as the QGIS styles). Nothing without a previous date.
 */
int qtr_report_change_maps(struct rs *r);

#endif
