/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "source-layout.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int layout_check_short_tracks(const rb_layout_t *l, bool allow, char *warning, size_t warnlen,
                              char *err, size_t errlen)
{
        char shorts[512];

        if (warnlen)
                warning[0] = 0;
        if (!rb_layout_short_tracks(l, shorts, sizeof shorts))
                return 0;
        if (allow) {
                snprintf(warning, warnlen,
                         "shorter than the Red Book's 4 s minimum: %s; some players skip or "
                         "mis-seek such tracks",
                         shorts);
                return 0;
        }
        snprintf(err, errlen,
                 "shorter than the Red Book's 4 s minimum: %s (--allow-short-tracks burns them "
                 "anyway)",
                 shorts);
        return -EINVAL;
}
