/*
 * index_names.c - the index names quartier reports and their families, and the selection of
 * `quartier indices --only / --skip` (config.h).
 */
#include "quartier/config.h"

#include <string.h>

const char *const qtr_index_family_names[] = {"single",  "multigroup", "spatial", "distance_decay",
                                              "profile", "local",      "surface", NULL};

/* Every index name quartier reports, with its families (space-separated). */
static const struct {
    const char *name, *families;
} index_table[] = {
    {"dissimilarity", "single"},
    {"gini", "single"},
    {"entropy", "single"},
    {"atkinson_b01", "single"},
    {"atkinson_b05", "single"},
    {"atkinson_b09", "single"},
    {"min_max", "single"},
    {"concentration_profile", "single"},
    {"modified_dissimilarity", "single"},
    {"modified_gini", "single"},
    {"bias_corrected_dissimilarity", "single"},
    {"density_corrected_dissimilarity", "single"},
    {"isolation", "single"},
    {"exposure", "single"},
    {"correlation_ratio", "single"},
    {"delta", "single"},
    {"absolute_concentration", "single"},
    {"relative_concentration", "single"},
    {"absolute_centralization", "single"},
    {"relative_centralization", "single"},
    {"proportion_central", "single"},
    {"multigroup_dissimilarity", "multigroup"},
    {"multigroup_gini", "multigroup"},
    {"multigroup_entropy", "multigroup"},
    {"multigroup_normalized_exposure", "multigroup"},
    {"multigroup_relative_diversity", "multigroup"},
    {"multigroup_squared_cv", "multigroup"},
    {"multigroup_divergence", "multigroup"},
    {"mutual_information", "multigroup"},
    {"mutual_information_between", "multigroup"},
    {"mutual_information_within", "multigroup"},
    {"multigroup_diversity", "multigroup"},
    {"multigroup_diversity_normalized", "multigroup"},
    {"simpsons_interaction", "multigroup"},
    {"simpsons_concentration", "multigroup"},
    {"global_distortion", "multigroup"},
    {"surface_dissimilarity", "multigroup spatial surface"},
    {"surface_gini", "multigroup spatial surface"},
    {"surface_entropy", "multigroup spatial surface"},
    {"surface_normalized_exposure", "multigroup spatial surface"},
    {"surface_relative_diversity", "multigroup spatial surface"},
    {"surface_squared_cv", "multigroup spatial surface"},
    {"surface_mutual_information", "multigroup spatial surface"},
    {"surface_isolation", "multigroup spatial surface"},
    {"spatial_dissimilarity", "spatial"},
    {"boundary_spatial_dissimilarity", "spatial"},
    {"perimeter_area_ratio_spatial_dissimilarity", "spatial"},
    {"spatial_proximity", "spatial distance_decay"},
    {"absolute_clustering", "spatial distance_decay"},
    {"relative_clustering", "spatial distance_decay"},
    {"distance_decay_isolation", "spatial distance_decay"},
    {"distance_decay_exposure", "spatial distance_decay"},
    {"spatial_proximity_profile", "spatial profile"},
    {"multiscalar_profile", "spatial profile"},
    {"morans_i", "spatial local"},
    {"lisa", "spatial local"},
};

static int in_family(const char *families, const char *family)
{
    size_t len = strlen(family);
    for (const char *p = families; (p = strstr(p, family)); p += len)
        if ((p == families || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
            return 1;
    return 0;
}

/* name is `pattern` itself or belongs to the family `pattern` */
static int matches(const char *name, const char *pattern)
{
    if (!strcmp(name, pattern))
        return 1;
    for (size_t i = 0; i < sizeof index_table / sizeof index_table[0]; i++)
        if (!strcmp(index_table[i].name, name))
            return in_family(index_table[i].families, pattern);
    return 0;
}

int qtr_index_name_known(const char *name)
{
    for (size_t i = 0; qtr_index_family_names[i]; i++)
        if (!strcmp(qtr_index_family_names[i], name))
            return 1;
    for (size_t i = 0; i < sizeof index_table / sizeof index_table[0]; i++)
        if (!strcmp(index_table[i].name, name))
            return 1;
    return 0;
}

int qtr_config_index_wanted(const struct qtr_config *cfg, const char *name)
{
    if (!cfg)
        return 1;
    int want = cfg->nindex_only == 0;
    for (size_t i = 0; i < cfg->nindex_only && !want; i++)
        want = matches(name, cfg->index_only[i]);
    for (size_t i = 0; i < cfg->nindex_skip && want; i++)
        want = !matches(name, cfg->index_skip[i]);
    return want;
}
