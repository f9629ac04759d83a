/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "drive-error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "imapi-errors.h"

void drive_error_set(drive_error *e, const char *name, const char *fmt, ...)
{
        va_list ap;

        memset(e, 0, sizeof *e);
        e->name = name;
        va_start(ap, fmt);
        vsnprintf(e->detail, sizeof e->detail, fmt, ap);
        va_end(ap);
}

void drive_error_from_command(drive_error *e, uint8_t op, const char *what, int r,
                              const sgio_result *res)
{
        if (r == -EIO && res && res->has_sense) {
                const char *hint = sense_hint(op, &res->sense);

                drive_error_set(e, sense_to_error(op, &res->sense),
                                "%s: command %02Xh, sense %02X/%02X/%02X%s%s", what, op,
                                res->sense.key, res->sense.asc, res->sense.ascq,
                                hint ? ". Hint: " : "", hint ? hint : "");
                e->has_sense = true;
                e->sense = res->sense;
        } else if (r == -ETIMEDOUT) {
                drive_error_set(e, "RecorderCommandTimeout",
                                "%s: command %02Xh got no answer in time", what, op);
        } else {
                drive_error_set(e, imapi_error_from_errno(r), "%s: command %02Xh: %s", what, op,
                                strerror(-r));
        }
        e->op = op;
        e->from_command = true;
}

const char *drive_error_sense_text(const drive_error *e, char buf[16])
{
        if (!e->has_sense)
                buf[0] = '\0';
        else
                snprintf(buf, 16, "%02X/%02X/%02X", e->sense.key, e->sense.asc, e->sense.ascq);
        return buf;
}
