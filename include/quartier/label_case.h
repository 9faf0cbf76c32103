/*
 * label_case.h - a planner's label inside an English sentence (issue 10): "The dissimilarity
 * index D for foreign nationals", "change in unemployment", not "... for Foreign nationals".
 * Headings, table heads and legend titles keep the label as written.
 */
#ifndef QUARTIER_LABEL_CASE_H
#define QUARTIER_LABEL_CASE_H

#include <stddef.h>

/**
 * Copy `label` to buf (at most size bytes with the NUL) and return buf. When `en` is set and
 * the label's first word is an ordinary capitalised word (an upper-case ASCII letter followed
 * only by lower-case letters, such as "Foreign" or "Unemployment"), its first letter becomes
 * lower case. Left as written: German (nouns keep their capitals), acronyms and codes ("SGB",
 * "EU", "D"), and nationalities and place names such as "Germans", "Turkish" or "Berlin"
 * (label_case.c lists them). A NULL label gives "".
 */
char *qtr_label_in_sentence(int en, const char *label, char *buf, size_t size);

#endif
