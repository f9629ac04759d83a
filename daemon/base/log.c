/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int max_level = LOG_INFO;

void log_set_max_level(int level)
{
        max_level = level;
}

int log_get_max_level(void)
{
        return max_level;
}

int log_full_errno(int level, int error, const char *fmt, ...)
{
        int saved_errno = errno;
        int e = abs(error);

        if (level <= max_level) {
                char buf[1024];
                va_list ap;

                va_start(ap, fmt);
                vsnprintf(buf, sizeof buf, fmt, ap);
                va_end(ap);
                /* One fprintf per line so that concurrent threads never interleave. */
                if (e != 0)
                        fprintf(stderr, "<%d>%s: %s\n", level, buf, strerror(e));
                else
                        fprintf(stderr, "<%d>%s\n", level, buf);
        }
        errno = saved_errno;
        return -e;
}
