/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus-errors.h"

#include <errno.h>
#include <stdio.h>

int bus_error_set(sd_bus_error *ret, const char *name, const char *detail)
{
        const imapi_error *e = imapi_error_lookup(name);
        char full[128], text[1024];

        if (!e)
                e = imapi_error_lookup("Fail");
        snprintf(full, sizeof full, RAWBURN_ERROR_PREFIX "%s", e->name);
        sd_bus_error_set(ret, full, imapi_error_format(e, detail, text, sizeof text));
        return -EIO;
}

int bus_error_set_sense(sd_bus_error *ret, uint8_t opcode, const scsi_sense *sense)
{
        const char *hint = sense_hint(opcode, sense);
        char detail[256];

        snprintf(detail, sizeof detail, "command %02Xh, sense %02X/%02X/%02X%s%s", opcode,
                 sense->key, sense->asc, sense->ascq, hint ? ". Hint: " : "", hint ? hint : "");
        return bus_error_set(ret, sense_to_error(opcode, sense), detail);
}

int bus_error_from_drive(const drive_error *e, sd_bus_error *ret)
{
        return bus_error_set(ret, e->name ? e->name : "Fail", e->detail[0] ? e->detail : NULL);
}
