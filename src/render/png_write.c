/*
 * png_write.c - a map's image surface as a PNG file, in a fraction of the time of
 * cairo_surface_write_to_png_stream: the same pixels and chunks as cairo writes them (8-bit RGB
 * when every pixel is opaque, else RGBA un-premultiplied as cairo does; bKGD white), but one
 * row filter (Sub) and zlib level PNG_LEVEL instead of libpng's adaptive choice among all five
 * filters at level 6, which took about an eighth of a city run (issue 12). Maps are large flat
 * areas of a few colours: the files grow by a few percent.
 */
#include "png_write.h"

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PNG_LEVEL 3

static void write_fp(png_structp png, png_bytep data, png_size_t len)
{
    FILE *fp = png_get_io_ptr(png);
    if (fwrite(data, 1, len, fp) != len)
        png_error(png, "write error");
}

static void flush_fp(png_structp png)
{
    (void)png;
}

static void quiet_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

cairo_status_t qtr_png_write(cairo_surface_t *surf, FILE *fp)
{
    cairo_surface_flush(surf);
    if (cairo_image_surface_get_format(surf) != CAIRO_FORMAT_ARGB32)
        return CAIRO_STATUS_INVALID_FORMAT;
    int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
    int stride = cairo_image_surface_get_stride(surf);
    const unsigned char *data = cairo_image_surface_get_data(surf);
    if (!data || w <= 0 || h <= 0)
        return CAIRO_STATUS_INVALID_SIZE;
    int opaque = 1;
    for (int y = 0; y < h && opaque; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++)
            if ((row[x] >> 24) != 0xFFu) {
                opaque = 0;
                break;
            }
    }
    int bpp = opaque ? 3 : 4;
    unsigned char *volatile out = malloc((size_t)w * (size_t)bpp);
    if (!out)
        return CAIRO_STATUS_NO_MEMORY;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, quiet_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        free(out);
        return CAIRO_STATUS_NO_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(out);
        return CAIRO_STATUS_WRITE_ERROR;
    }
    png_set_write_fn(png, fp, write_fp, flush_fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_color_16 white = {0, 255, 255, 255, 255};
    png_set_bKGD(png, info, &white);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, PNG_LEVEL);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        unsigned char *o = out;
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x];
            unsigned a = p >> 24, r = (p >> 16) & 0xFFu, g = (p >> 8) & 0xFFu, b = p & 0xFFu;
            if (opaque) {
                *o++ = (unsigned char)r;
                *o++ = (unsigned char)g;
                *o++ = (unsigned char)b;
            } else if (a == 0) {
                memset(o, 0, 4);
                o += 4;
            } else {
                /* cairo's unpremultiply_data */
                *o++ = (unsigned char)((r * 255 + a / 2) / a);
                *o++ = (unsigned char)((g * 255 + a / 2) / a);
                *o++ = (unsigned char)((b * 255 + a / 2) / a);
                *o++ = (unsigned char)a;
            }
        }
        png_write_row(png, out);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(out);
    return CAIRO_STATUS_SUCCESS;
}
