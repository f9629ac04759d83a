/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>

#include "ds-util.h"

int ds_message(char **msg, int r, const char *fmt, ...)
{
        va_list ap;

        if (!msg)
                return r;
        va_start(ap, fmt);
        if (vasprintf(msg, fmt, ap) < 0)
                *msg = NULL;
        va_end(ap);
        return r;
}
