/*
 * svg_ids.h - a map's SVG file as cairo wrote it, finished (src/render/svg_ids.c, used by
 * map.c): the <title> and <desc> after the <svg> start tag, and the ids that cairo numbers
 * over the whole process renumbered within the file.
 */
#ifndef QTR_SVG_IDS_H
#define QTR_SVG_IDS_H

#include <stddef.h>

#include "quartier/strutil.h"

/*
 * svg[0..len-1] (cairo's SVG document) appended to out with `insert` right after the end of
 * the <svg ...> start tag, and the ids cairo takes from process-wide counters ("surface12",
 * "image7": the number of surfaces the process made before) numbered 1, 2, ... in the order
 * they first occur, each kind on its own, in "id=\"..\"" and in references "#..": a map's file
 * does not depend on what was drawn before or beside it (maps are drawn in parallel,
 * map_batch.c). Ids that cairo numbers per file (clip1, glyph0-1) are kept. Returns 0 or
 * QTR_ERR_NOMEM.
 */
int qtr_svg_finish(struct qtr_buf *out, const char *svg, size_t len, const char *insert);

#endif
