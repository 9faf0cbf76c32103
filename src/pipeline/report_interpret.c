/*
 * report_interpret.c - reading the dissimilarity index D without a borrowed scale (issue
 * 10 §2): the often quoted "below 0.3 low, 0.3 to 0.6 moderate, above high" comes from US
 * metropolitan areas (Massey and Denton 1993, Black-White segregation over census tracts of
 * about 4,000 residents) and has not been checked for groups in German districts; the
 * report compares D with its expected value under random allocation and, with two dates,
 * with the city's own earlier value instead.
 */
#include "report_interpret.h"

#include "report_internal.h"

int qtr_report_d_reading(const struct rs *r, const struct qtr_index_value *d, int first,
                         struct qtr_buf *b)
{
    int rc = QTR_OK;
    if (isfinite(d->expected)) {
        char e[32], x[32];
        num(r, d->expected, 2, e, sizeof e);
        /* from the two numbers as printed, so that the sentence adds up on the page */
        double over = round(100 * d->value) / 100 - round(100 * d->expected) / 100;
        num(r, fabs(over), 2, x, sizeof x);
        if (first)
            rc |= qtr_buf_printf(
                b,
                T(r,
                  " Auch wenn die Einwohner zufällig auf die Gebiete verteilt wären, läge D "
                  "wegen der begrenzten Zahl der Einwohner je Gebiet nicht bei 0, sondern bei "
                  "etwa %s (Zufallserwartung); der gemessene Wert liegt %s %s.",
                  " Even if residents were allocated to the districts at random, D would not be "
                  "0 but about %s because of the limited number of residents per district "
                  "(random expectation); the measured value is %s %s."),
                e, x,
                over >= 0 ? T(r, "darüber", "above it") : T(r, "darunter", "below it"));
        else
            rc |= qtr_buf_printf(b, T(r, " Zufallserwartung: %s.", " Random expectation: %s."),
                                 e);
    }
    if (first)
        rc |= qtr_buf_puts(
            b, T(r,
                 " Eine Einteilung in „gering“, „mäßig“ und „hoch“ verwendet der Bericht nicht: "
                 "Die oft zitierten Grenzen 0,3 und 0,6 (Massey und Denton 1993) stammen aus "
                 "Untersuchungen der Segregation von Schwarzen und Weißen in US-amerikanischen "
                 "Großstadtregionen über Census Tracts mit rund 4.000 Einwohnern und sind für "
                 "Gruppen in deutschen Stadtgebieten nicht geprüft. Verglichen wird deshalb mit "
                 "der Zufallserwartung und, bei zwei Stichtagen, mit dem früheren Wert der "
                 "Stadt.",
                 " The report uses no scale of \"low\", \"moderate\" and \"high\": the often "
                 "quoted limits 0.3 and 0.6 (Massey and Denton 1993) come from studies of "
                 "Black-White segregation in US metropolitan areas over census tracts of about "
                 "4,000 residents and have not been checked for groups in German districts. D is "
                 "therefore compared with its random expectation and, with two dates, with the "
                 "city's earlier value."));
    return rc ? QTR_ERR_NOMEM : QTR_OK;
}
