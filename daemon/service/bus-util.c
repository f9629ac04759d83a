/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus-util.h"

#include <stdio.h>
#include <string.h>

#include "bus-errors.h"
#include "log.h"

int bus_append_int_array(sd_bus_message *reply, const int32_t *v, size_t n)
{
        int r = sd_bus_message_open_container(reply, 'a', "i");

        for (size_t k = 0; r >= 0 && k < n; k++)
                r = sd_bus_message_append(reply, "i", v[k]);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

void bus_reply_error(sd_bus_message *m, sd_bus_error *e)
{
        int r = sd_bus_reply_method_error(m, e);

        if (r < 0)
                log_debug_errno(r, "Cannot send error reply");
        sd_bus_error_free(e);
}

void bus_reply_gone(sd_bus_message *m)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;

        bus_error_set(&e, "DeviceNotExist", sd_bus_message_get_path(m));
        bus_reply_error(m, &e);
}
