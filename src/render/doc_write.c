/*
 * doc_write.c - the report document as HTML and as PDF at the same time (doc.h): the two
 * writers only read the document, each has its own buffer, cairo surface and file.
 */
#include "quartier/doc.h"

int qtr_doc_write_html_pdf(const struct qtr_doc *d, const char *html, const char *pdf, int threads,
                           struct qtr_error *err)
{
    struct qtr_error e[2] = {{0}, {0}};
    int rc[2] = {QTR_OK, QTR_OK};
    int team = threads == 1 ? 1 : 2;
#pragma omp parallel for schedule(dynamic, 1) num_threads(team) if (team > 1)
    for (int k = 0; k < 2; k++) {
        /* the PDF (drawing every map again) is the longer one: started first */
        if (k == 0)
            rc[0] = qtr_doc_write_pdf(d, pdf, NULL, &e[0]);
        else
            rc[1] = qtr_doc_write_html(d, html, &e[1]);
    }
    /* the HTML's error first, as when they were written one after the other */
    int first = rc[1] ? 1 : 0;
    if (rc[first] && err)
        *err = e[first];
    return rc[first];
}
