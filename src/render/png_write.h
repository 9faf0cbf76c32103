/* png_write.h - an ARGB32 image surface as PNG (png_write.c), private to src/render/. */
#ifndef QTR_RENDER_PNG_WRITE_H
#define QTR_RENDER_PNG_WRITE_H

#include <stdio.h>

#include <cairo.h>

/** Writes the ARGB32 image surface to fp as PNG; CAIRO_STATUS_WRITE_ERROR when writing fails. */
cairo_status_t qtr_png_write(cairo_surface_t *surf, FILE *fp);

#endif
