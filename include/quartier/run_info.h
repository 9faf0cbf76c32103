/*
 * run_info.h - the provenance rows of a run in the GeoPackage's run_info table: date and
 * its source, language, what disclosure control suppressed, SHA-256 of every input (a
 * shapefile with its side files) and the attributions.
 */
#ifndef QUARTIER_RUN_INFO_H
#define QUARTIER_RUN_INFO_H

#include "quartier/config.h"
#include "quartier/disclosure.h"
#include "quartier/error.h"

/**
 * Append the rows to the table run_info (item, value) of the GeoPackage `gpkg`, which
 * qtr_output_write made. `date` is the run's date, `fixed` 1 when it came from
 * SOURCE_DATE_EPOCH. One transaction: on failure nothing is added.
 */
int qtr_run_info_write(const char *gpkg, const struct qtr_config *cfg,
                       const struct qtr_disclosure *disclosure, const char *date, int fixed,
                       struct qtr_error *err);

#endif
