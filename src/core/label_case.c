/*
 * label_case.c - a planner's label inside an English sentence (label_case.h).
 */
#include "quartier/label_case.h"

#include <stdio.h>
#include <string.h>

/* Words English writes with a capital anywhere in a sentence that can begin a label of a
 * population group or an indicator: nationalities, languages, religions, places. */
static const char *const proper[] = {
    "German",    "Germans",    "Germany",  "European", "Europeans", "Turkish",   "Turks",
    "Syrian",    "Syrians",    "Polish",   "Poles",    "Ukrainian", "Ukrainians", "Russian",
    "Russians",  "Romanian",   "Romanians", "Bulgarian", "Bulgarians", "Italian", "Italians",
    "Greek",     "Greeks",     "Arab",     "Arabs",    "Arabic",    "Afghan",    "Afghans",
    "Iraqi",     "Iraqis",     "Asian",    "Asians",   "African",   "Africans",  "American",
    "Americans", "Muslim",     "Muslims",  "Christian", "Christians", "Jewish",  "Jews",
    "English",   "French",     "Berlin",   "Berliners", "Hamburg",  "Sunday",    "Monday",
};

char *qtr_label_in_sentence(int en, const char *label, char *buf, size_t size)
{
    if (!size)
        return buf;
    snprintf(buf, size, "%s", label ? label : "");
    if (!en || buf[0] < 'A' || buf[0] > 'Z')
        return buf;
    size_t n = strcspn(buf, " -/,;:()");
    if (n < 2)
        return buf; /* "D", "A-level" */
    for (size_t i = 1; i < n; i++)
        if (buf[i] < 'a' || buf[i] > 'z')
            return buf; /* "SGB", "EU", "Über" (UTF-8), "iPhone" */
    for (size_t k = 0; k < sizeof proper / sizeof *proper; k++)
        if (strlen(proper[k]) == n && !strncmp(buf, proper[k], n))
            return buf;
    buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}
