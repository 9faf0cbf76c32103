/*
 * format.h - numbers, p-values, dates and a few fixed names as the report and the
 * legends print them, in German ("1.234,5", "31.12.2022") or English ("1234.5",
 * "2022-12-31").
 */
#ifndef QUARTIER_FORMAT_H
#define QUARTIER_FORMAT_H

#include <stddef.h>

#include "quartier/classify.h"

/** v with `dec` decimals; "–" when v is not finite. English never prints "-0". */
void qtr_fmt_num(int en, double v, int dec, char *buf, size_t size);

/** A p-value as in the tables (3 decimals). */
void qtr_fmt_p(int en, double p, char *buf, size_t size);

/**
 * p for a sentence: "p < 0,01", "p = 0,03". With few simulations (`perms`) the smallest
 * attainable p = 1 / (1 + perms) can be 0,01 or more; the sentence then says so.
 */
void qtr_fmt_ptext(int en, unsigned perms, double p, char *buf, size_t size);

/** An ISO date "YYYY-MM-DD" as "DD.MM.YYYY" (German) or as is (English); else copied. */
void qtr_fmt_date(int en, const char *iso, char *buf, size_t size);

/** Name of an action field of the Berlin integration programme ("bildung" -> "Sprache und
 * Bildung"); an unknown id is returned as is, NULL or "" as "ohne Handlungsfeld". */
const char *qtr_action_field_label(int en, const char *field);

/** How a classification method is described under a map ("natürliche Unterbrechungen"). */
const char *qtr_class_method_text(int en, enum qtr_class_method m);

#endif
