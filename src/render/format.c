/*
 * format.c - numbers, p-values, dates and fixed names for the report and map legends
 * (moved from src/pipeline/report_stage.c).
 */
#include "quartier/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define T(en, de_, en_) ((en) ? (en_) : (de_))

void qtr_fmt_num(int en, double v, int dec, char *buf, size_t size)
{
    if (!isfinite(v) || qtr_format_de(v, dec, buf, size)) {
        snprintf(buf, size, "–");
        return;
    }
    if (en) /* "1.234,5" -> "1,234.5": the same digits with the marks swapped */
        for (char *p = buf; *p; p++)
            *p = *p == '.' ? ',' : *p == ',' ? '.' : *p;
}

/* p-value as in the tables: "0,001", "< 0,001" never occurs with the +1 correction. */
void qtr_fmt_p(int en, double p, char *buf, size_t size)
{
    qtr_fmt_num(en, p, 3, buf, size);
}

/*
 * p for a sentence: "p < 0,01", "p = 0,03". With few simulations the
 * smallest attainable p = 1 / (1 + permutations) can be 0,01 or more; the
 * sentence then says so, because "p = 0,05" would read as a borderline result
 * when it is only the resolution of the test.
 */
void qtr_fmt_ptext(int en, unsigned perms, double p, char *buf, size_t size)
{
    char b[32];
    double pmin = perms ? 1.0 / (1.0 + perms) : NAN;
    if (pmin >= 0.01 && p <= pmin * (1 + 1e-9)) {
        qtr_fmt_num(en, p, 2, b, sizeof b);
        snprintf(buf, size,
                 T(en, "p = %s, der kleinste mit %u Simulationen mögliche Wert",
                   "p = %s, the smallest value possible with %u simulations"),
                 b, perms);
    } else if (p < 0.01) {
        qtr_fmt_num(en, 0.01, 2, b, sizeof b);
        snprintf(buf, size, "p < %s", b);
    } else {
        qtr_fmt_num(en, p, 2, b, sizeof b);
        snprintf(buf, size, "p = %s", b);
    }
}

void qtr_fmt_date(int en, const char *iso, char *buf, size_t size)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
        snprintf(buf, size, "%s", iso ? iso : "");
        return;
    }
    if (en)
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(buf, size, "%02d.%02d.%04d", d, m, y);
}

const char *qtr_action_field_label(int en, const char *f)
{
    static const struct {
        const char *id, *de, *en;
    } fields[] = {
        {"bildung", "Sprache und Bildung", "Language and education"},
        {"arbeit", "Arbeit", "Work"},
        {"wohnen", "Wohnen und Zusammenleben", "Housing and living together"},
        {"jugend", "Jugend und Soziales", "Youth and social affairs"},
        {"gesundheit", "Gesundheit", "Health"},
        {"kultur", "Kultur und Religion", "Culture and religion"},
        {"verwaltung", "Interkulturelle Öffnung der Verwaltung",
         "Intercultural opening of the administration"},
    };
    if (!f || !*f)
        return T(en, "ohne Handlungsfeld", "no action field");
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
        if (!strcmp(f, fields[k].id))
            return en ? fields[k].en : fields[k].de;
    return f;
}

const char *qtr_class_method_text(int en, enum qtr_class_method m)
{
    switch (m) {
    case QTR_CLASS_JENKS:
        return T(en, "natürliche Unterbrechungen (Jenks)", "natural breaks (Jenks)");
    case QTR_CLASS_STDDEV:
        return T(en, "Standardabweichungen", "standard deviations");
    case QTR_CLASS_EQUAL:
        return T(en, "gleiche Intervalle", "equal intervals");
    default:
        return T(en, "gleiche Anzahl Gebiete (Quantile)", "equal counts (quantiles)");
    }
}
