/*
 * font_cleanup.h - free cairo's and fontconfig's process-wide font data at
 * the end of a test, so that the sanitizer build (LeakSanitizer) reports only
 * real leaks. fontconfig keeps its parsed configuration until FcFini(); it is
 * loaded by cairo, so it is looked up at run time instead of linked.
 */
#ifndef QTR_TEST_FONT_CLEANUP_H
#define QTR_TEST_FONT_CLEANUP_H

#include <cairo.h>
#include <dlfcn.h>

static inline void qtr_test_font_cleanup(void)
{
    cairo_debug_reset_static_data();
    void *fc = dlopen("libfontconfig.so.1", RTLD_NOW);
    if (fc) {
        void (*fini)(void) = NULL;
        *(void **)&fini = dlsym(fc, "FcFini");
        if (fini)
            fini();
        dlclose(fc);
    }
}

#endif
