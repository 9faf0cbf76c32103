#include "quartier/testhook.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Does the variable's value name `point` (exactly, or as "POINT:...")? */
static const char *names(const char *var, const char *point)
{
    const char *v = getenv(var);
    size_t n = strlen(point);
    if (!v || strncmp(v, point, n) != 0 || (v[n] != '\0' && v[n] != ':'))
        return NULL;
    return v + n;
}

int qtr_test_hook(const char *point)
{
    const char *rest;
    if (names("QTR_TEST_KILL_AT", point))
        raise(SIGKILL);
    if ((rest = names("QTR_TEST_WAIT_AT", point)) != NULL && *rest == ':') {
        struct stat sb;
        const struct timespec tick = {0, 20000000};
        for (int i = 0; i < 3000 && stat(rest + 1, &sb) != 0; i++)
            nanosleep(&tick, NULL);
    }
    return names("QTR_TEST_FAIL_AT", point) != NULL;
}
