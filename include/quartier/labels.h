/*
 * labels.h - what a column is called for people: the alias QGIS shows, the
 * legend title of a map, the heading in the report ("Anteil mit
 * Migrationshintergrund (%)" instead of mh_share), in German or English.
 */
#ifndef QUARTIER_LABELS_H
#define QUARTIER_LABELS_H

#include <stddef.h>

#include "quartier/config.h"
#include "quartier/frame.h"
#include "quartier/present.h"

struct qtr_label {
    char alias[160];       /* short, for QGIS field aliases, legends and table heads */
    char description[400]; /* one sentence: what it is and where it comes from */
    char unit[24];         /* "%", "ha", "" */
    int decimals;          /* sensible decimals for display */
};

/**
 * How a column of the districts (or an area layer) is called and shown: the presentation
 * table (present.h) for the column's role, filled with the label, unit and classification
 * of the group or indicator it belongs to (c->of) from the analysis file. c may be NULL for
 * the fixed fields of the output layers ("key", "area_ha", ...). `english` selects the
 * language.
 */
void qtr_column_present(const struct qtr_config *cfg, const struct qtr_column *c,
                        const char *name, int english, struct qtr_present *out);

/** The same as a label (alias, description, unit, decimals). */
void qtr_column_label(const struct qtr_config *cfg, const struct qtr_column *c, const char *name,
                      int english, struct qtr_label *out);

/** Label of an index name ("dissimilarity" -> "Segregationsindex (Dissimilarität, D)"). */
const char *qtr_index_label(const char *index, int english);

#endif
