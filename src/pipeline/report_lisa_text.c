/*
 * report_lisa_text.c - what the LISA cluster maps show, in words for planners: the
 * neighbourhood, the permutations, the significance level with its FDR correction and
 * what "Hoch-Hoch" ... "Niedrig-Hoch" mean (issue 10 §3). The settings are those of the
 * spatial stage (lisa_settings.h).
 */
#include "lisa_settings.h"
#include "report_internal.h"
#include "report_lisa_text.h"

void qtr_report_lisa_subtitle(const struct rs *r, char *buf, size_t size)
{
    char a[16];
    num(r, QTR_LISA_ALPHA, 2, a, sizeof a);
    snprintf(buf, size,
             T(r, "Lokaler Moran-Test (Anselin 1995); Queen-Nachbarn, %u Permutationen, "
                  "p ≤ %s nach FDR-Korrektur",
               "Local Moran test (Anselin 1995); queen neighbours, %u permutations, p ≤ %s "
               "after FDR correction"),
             qtr_lisa_permutations(r->cfg), a);
}

int qtr_report_lisa_explain(struct rs *r)
{
    char a[16], buf[2400];
    num(r, QTR_LISA_ALPHA, 2, a, sizeof a);
    unsigned long long seed =
        (unsigned long long)(r->ctx && r->ctx->seed ? r->ctx->seed : r->cfg->seed);
    snprintf(
        buf, sizeof buf,
        T(r,
          "Die Karten der räumlichen Cluster zeigen, wo Gebiete mit hohem oder niedrigem Anteil "
          "der Gruppe beieinanderliegen (lokaler Moran-Test, Anselin 1995). Hoch und niedrig "
          "heißt: über oder unter dem Mittel der Gebiete. Nachbarn sind Gebiete mit gemeinsamer "
          "Grenze oder gemeinsamem Eckpunkt (Queen-Nachbarschaft), alle gleich gewichtet. Ob ein "
          "Muster zufällig sein kann, prüfen %u zufällige Vertauschungen der Anteile zwischen den "
          "Gebieten (Permutationen, Startwert %llu). Weil jedes Gebiet einzeln getestet wird, "
          "werden die p-Werte für die vielen gleichzeitigen Tests korrigiert (Falscherkennungsrate, "
          "FDR, nach Benjamini und Hochberg 1995); signifikant ist ein Gebiet, dessen korrigierter "
          "p-Wert höchstens %s beträgt.",
          "The maps of spatial clusters show where districts with a high or a low share of the "
          "group lie next to each other (local Moran test, Anselin 1995). High and low mean: "
          "above or below the mean of the districts. Neighbours are districts sharing a "
          "boundary or a corner point (queen contiguity), all weighted equally. Whether a "
          "pattern may be chance is tested with %u random exchanges of the shares between the "
          "districts (permutations, seed %llu). As every district is tested on its own, the "
          "p-values are corrected for the many tests at once (false discovery rate, FDR, after "
          "Benjamini and Hochberg 1995); a district is significant when its corrected p-value is "
          "at most %s."),
        qtr_lisa_permutations(r->cfg), seed, a);
    if (para(r, buf))
        return QTR_ERR_NOMEM;
    /* cluster type and meaning, in the order of the map legend */
    static const char *const de[][2] = {
        {"Hoch-Hoch", "hoher Anteil, und die Nachbarn haben ebenfalls hohe Anteile: ein "
                      "Schwerpunkt, in dem die Gruppe über mehrere Gebiete hinweg stark "
                      "vertreten ist"},
        {"Niedrig-Niedrig", "niedriger Anteil, auch in den Nachbargebieten: ein Bereich, in dem "
                            "die Gruppe über mehrere Gebiete hinweg selten ist"},
        {"Niedrig-Hoch", "niedriger Anteil inmitten von Nachbarn mit hohem Anteil: ein Gebiet, "
                         "das in einem Schwerpunkt der Gruppe eine Ausnahme bildet"},
        {"Hoch-Niedrig", "hoher Anteil inmitten von Nachbarn mit niedrigem Anteil: ein einzelnes "
                         "Gebiet, das sich von seiner Umgebung abhebt"},
        {"nicht signifikant", "kein Muster, das sich vom Zufall unterscheiden lässt; das heißt "
                              "nicht, dass der Anteil dort durchschnittlich ist"}};
    static const char *const en[][2] = {
        {"High-High", "a high share, and the neighbours have high shares too: a concentration "
                      "where the group is strongly represented across several districts"},
        {"Low-Low", "a low share, in the neighbouring districts as well: an area where the "
                    "group is rare across several districts"},
        {"Low-High", "a low share among neighbours with high shares: a district that is an "
                     "exception within a concentration of the group"},
        {"High-Low", "a high share among neighbours with low shares: a single district that "
                     "stands out from its surroundings"},
        {"not significant", "no pattern that can be told apart from chance; this does not mean "
                            "that the share there is average"}};
    const char *head[2] = {T(r, "Clustertyp", "Cluster type"), T(r, "Bedeutung", "Meaning")};
    ADD(qtr_doc_table(r->doc,
                      T(r, "Was die Clustertypen bedeuten", "What the cluster types mean"), 2,
                      head, NULL));
    for (size_t k = 0; k < sizeof de / sizeof de[0]; k++) {
        const char *cells[2] = {T(r, de[k][0], en[k][0]), T(r, de[k][1], en[k][1])};
        ADD(qtr_doc_row(r->doc, cells));
    }
    return QTR_OK;
}
