/*
 * map.c - choropleth / category maps with cairo: the entry points (into a context, into a
 * PNG, SVG or PDF file written atomically) and the SVG title and description.
 */
#include "quartier/map.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "map_internal.h"
#include "png_write.h"
#include "quartier/classify.h"
#include "quartier/strutil.h"
#include "svg_ids.h"

static cairo_status_t write_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
                                                        : CAIRO_STATUS_WRITE_ERROR;
}

/* XML text of s (may be NULL) appended to b: & < > escaped. */
static void xml_text(struct qtr_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&')
            qtr_buf_puts(b, "&amp;");
        else if (*s == '<')
            qtr_buf_puts(b, "&lt;");
        else if (*s == '>')
            qtr_buf_puts(b, "&gt;");
        else
            qtr_buf_append(b, s, 1);
    }
}

/* "<title>..</title><desc>..</desc>" of a map (title, subtitle, source, date); NULL: no memory */
static char *svg_meta(const struct qtr_map *m)
{
    struct qtr_buf b = {0};
    qtr_buf_puts(&b, "\n<title>");
    xml_text(&b, m->title);
    qtr_buf_puts(&b, "</title>\n<desc>");
    const char *part[3] = {m->subtitle, m->source, m->date};
    for (int k = 0, any = 0; k < 3; k++)
        if (part[k] && *part[k]) {
            qtr_buf_puts(&b, any++ ? " \xc2\xb7 " : "");
            xml_text(&b, part[k]);
        }
    if (qtr_buf_puts(&b, "</desc>") != QTR_OK) {
        qtr_buf_release(&b);
        return NULL;
    }
    return b.data;
}

/* cairo's SVG collected in memory, finished by qtr_svg_finish (svg_ids.h) when complete */
static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return qtr_buf_append(closure, (const char *)data, len) == QTR_OK ? CAIRO_STATUS_SUCCESS
                                                                      : CAIRO_STATUS_NO_MEMORY;
}

static int check_classes(const struct qtr_map *m, const char *what, struct qtr_error *err)
{
    if (!m->cls || (m->nclass && !m->colors))
        return qtr_error_set(err, QTR_ERR_USAGE, "map '%s': classes or colours missing", what);
    for (size_t f = 0; f < m->shapes->n; f++) {
        if (m->cls[f] >= (int)m->nclass || m->cls[f] < -1)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "map '%s': feature %zu has class %d, but there are %zu classes",
                                 what, f, m->cls[f], m->nclass);
    }
    return QTR_OK;
}

int qtr_map_draw(struct _cairo *cr, const struct qtr_map *m, double x, double y, double w,
                 struct qtr_map_layout *lay, struct qtr_error *err)
{
    struct qtr_map_page pg = {0};
    struct qtr_map_layout l = {0};
    int rc;
    if (!cr || !m || !(w > 0))
        return qtr_error_set(err, QTR_ERR_USAGE, "map, drawing context or width missing");
    const char *what = m->title ? m->title : "(untitled)";
    if ((rc = qtr_map_page_layout(m, &pg, &l, err)) || (rc = check_classes(m, what, err)))
        return rc;
    double f = w / pg.w;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, f, f);
    cairo_rectangle(cr, 0, 0, pg.w, pg.h);
    cairo_clip(cr);
    rc = qtr_map_page_draw(cr, m, &pg, &l);
    cairo_restore(cr);
    if (rc != QTR_OK)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory drawing map '%s'", what);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "drawing map '%s' failed: %s", what,
                             cairo_status_to_string(cairo_status(cr)));
    if (lay)
        *lay = l;
    return QTR_OK;
}

int qtr_map_render(const struct qtr_map *m, enum qtr_map_format fmt, const char *path,
                   struct qtr_map_layout *lay, struct qtr_error *err)
{
    int rc = QTR_OK;
    struct qtr_map_page pg = {0};
    struct qtr_map_layout l = {0};
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    FILE *fp = NULL;
    char *tmp = NULL, *meta = NULL;
    int fd = -1;
    struct qtr_buf svg = {0}, done = {0};

    if (!m || !path)
        return qtr_error_set(err, QTR_ERR_USAGE, "map or output path missing");
    if ((rc = qtr_map_page_layout(m, &pg, &l, err)))
        return rc;
    if ((rc = check_classes(m, path, err)))
        return rc;
    if (fmt != QTR_MAP_PNG && fmt != QTR_MAP_SVG && fmt != QTR_MAP_PDF)
        return qtr_error_set(err, QTR_ERR_USAGE, "unknown map format %d", (int)fmt);

    tmp = qtr_asprintf("%s.tmpXXXXXX", path);
    if (!tmp)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot create a file next to '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    /* mkstemp creates 0600; maps are meant to be shared like any other output */
    if (fchmod(fd, 0644) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot set permissions of '%s': %s", tmp,
                           strerror(errno));
        goto out;
    }
    fp = fdopen(fd, "wb");
    if (!fp) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    double px = 1;
    if (fmt == QTR_MAP_PNG) {
        double dpi = m->dpi > 0 ? m->dpi : 150;
        px = dpi / 72.0;
        int w = (int)ceil(pg.w * px), h = (int)ceil(pg.h * px);
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    } else if (fmt == QTR_MAP_SVG) {
        if (!(meta = svg_meta(m))) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        surf = cairo_svg_surface_create_for_stream(write_buf, &svg, pg.w, pg.h);
        cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PT);
    } else {
        surf = cairo_pdf_surface_create_for_stream(write_file, fp, pg.w, pg.h);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "quartier");
        if (m->title)
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, m->title);
        if (m->created)
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, m->created);
    }
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cairo cannot create the map surface: %s",
                           cairo_status_to_string(cairo_surface_status(surf)));
        goto out;
    }
    cr = cairo_create(surf);
    if (fmt == QTR_MAP_SVG && !m->svg_glyphs)
        cairo_set_user_data(cr, &qtr_map_text_as_path, (void *)&qtr_map_text_as_path, NULL);
    cairo_scale(cr, px, px);
    if (qtr_map_page_draw(cr, m, &pg, &l) != QTR_OK) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory drawing map '%s'", path);
        goto out;
    }
    cairo_status_t cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_SUCCESS) {
        cairo_show_page(cr);
        if (fmt == QTR_MAP_PNG)
            cs = qtr_png_write(surf, fp);
        cairo_destroy(cr);
        cr = NULL;
        cairo_surface_finish(surf);
        if (cs == CAIRO_STATUS_SUCCESS)
            cs = cairo_surface_status(surf);
        if (cs == CAIRO_STATUS_SUCCESS && fmt == QTR_MAP_SVG) {
            if (qtr_svg_finish(&done, svg.data ? svg.data : "", svg.len, meta) != QTR_OK)
                cs = CAIRO_STATUS_NO_MEMORY;
            else if (fwrite(done.data, 1, done.len, fp) != done.len)
                cs = CAIRO_STATUS_WRITE_ERROR;
        }
    }
    if (cs != CAIRO_STATUS_SUCCESS) {
        rc = qtr_error_set(err, cs == CAIRO_STATUS_WRITE_ERROR ? QTR_ERR_IO : QTR_ERR_INTERNAL,
                           "drawing map '%s' failed: %s", path, cairo_status_to_string(cs));
        goto out;
    }
    FILE *f = fp;
    fp = NULL;
    if (fclose(f) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed: %s", path, strerror(errno));
        goto out;
    }
    if (rename(tmp, path) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot move the map to '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    free(tmp);
    tmp = NULL;
    if (lay)
        *lay = l;
out:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    free(meta);
    qtr_buf_release(&svg);
    qtr_buf_release(&done);
    if (fp)
        fclose(fp);
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    return rc;
}
