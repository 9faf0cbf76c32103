/*
 * complement.h - complementary groups (a group and the rest of the population, e.g. residents
 * with and without a migration background) get the same inference for the indices that are
 * the same for both (issue 10 §2). Not installed.
 */
#ifndef QTR_COMPLEMENT_H
#define QTR_COMPLEMENT_H

#include "quartier/config.h"
#include "quartier/pipeline.h"

/**
 * For every pair of single groups whose counts add up to the total in every district in the
 * indices (checked cell by cell; a suppressed or missing count in either breaks the pair),
 * each index with the same value for both (relative 1e-12: D, Gini, Theil's H, Eta², Atkinson
 * b = 0.5, the spatial D ...) takes the first group's p-value, expected value and interval for
 * the second group too. For such an index the null distribution and the bootstrap of the two
 * groups are the same distribution (a draw for one group is the complement of a draw for the
 * other), so one set of draws serves both, and the report does not show two p-values or two
 * intervals for one number. Returns the number of pairs found.
 */
size_t qtr_complement_share_inference(struct qtr_state *st, const struct qtr_config *cfg);

#endif
