/*
 * labels.h - what a column is called for people: the alias QGIS shows, the
 * legend title of a map, the heading in the report ("Anteil mit
 * Migrationshintergrund (%)" instead of mh_share), in German or English.
 */
#ifndef QUARTIER_LABELS_H
#define QUARTIER_LABELS_H

#include <stddef.h>

#include "quartier/config.h"

struct qtr_label {
    char alias[160];       /* short, for QGIS field aliases, legends and table heads */
    char description[400]; /* one sentence: what it is and where it comes from */
    char unit[24];         /* "%", "ha", "" */
    int decimals;          /* sensible decimals for display */
};

/**
 * The label of a column of the districts layer, by name and origin ("boundaries", a table
 * id, or "quartier" for computed columns). `english` selects the language. Always fills
 * `out` (falls back to the column name).
 */
void qtr_column_label(const struct qtr_config *cfg, const char *name, const char *origin,
                      int english, struct qtr_label *out);

/** Label of an index name ("dissimilarity" -> "Segregationsindex (Dissimilarität, D)"). */
const char *qtr_index_label(const char *index, int english);

#endif
