/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The message after the prefix already in err (used bytes of it, as
 * snprintf() counted them: more than errlen when the prefix was cut). */
static void vappend(char *err, size_t errlen, int used, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static void vappend(char *err, size_t errlen, int used, const char *fmt, va_list ap)
{
        if (used >= 0 && (size_t)used < errlen)
                vsnprintf(err + used, errlen - (size_t)used, fmt, ap);
}

int rb__fail(char *err, size_t errlen, int r, const char *fmt, ...)
{
        if (err && errlen) {
                va_list ap;
                va_start(ap, fmt);
                vappend(err, errlen, 0, fmt, ap);
                va_end(ap);
        }
        return r;
}

int rb__fail_in(char *err, size_t errlen, int r, const char *name, const char *fmt, ...)
{
        if (err && errlen) {
                va_list ap;
                va_start(ap, fmt);
                vappend(err, errlen, snprintf(err, errlen, "%s: ", name), fmt, ap);
                va_end(ap);
        }
        return r;
}

int rb__fail_at(char *err, size_t errlen, const char *name, unsigned line, const char *fmt, ...)
{
        if (err && errlen) {
                va_list ap;
                va_start(ap, fmt);
                vappend(err, errlen, snprintf(err, errlen, "%s:%u: ", name, line), fmt, ap);
                va_end(ap);
        }
        return -EINVAL;
}

void rb__vappend(char *buf, size_t len, const char *fmt, va_list ap)
{
        if (!buf || !len)
                return;
        size_t used = strnlen(buf, len);
        if (used + 1 < len)
                vsnprintf(buf + used, len - used, fmt, ap);
}

void rb__append(char *buf, size_t len, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        rb__vappend(buf, len, fmt, ap);
        va_end(ap);
}

void rb__vwarn(char *buf, size_t len, const char *fmt, va_list ap)
{
        rb__vappend(buf, len, fmt, ap);
        rb__append(buf, len, "\n");
}

void rb__warn(char *buf, size_t len, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        rb__vwarn(buf, len, fmt, ap);
        va_end(ap);
}
