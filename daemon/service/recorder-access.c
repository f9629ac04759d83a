/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "recorder-access.h"

#include <stdio.h>
#include <string.h>

#include "bus-errors.h"
#include "polkit.h"

static bool other_than(const char *holder, sd_bus_message *m)
{
        const char *sender = sd_bus_message_get_sender(m);

        return holder && (!sender || strcmp(sender, holder) != 0);
}

bool recorder_locked_by_other(Recorder *rec, sd_bus_message *m)
{
        return other_than(rec->excl_bus_name, m) || other_than(rec->rawcd.owner, m) ||
               other_than(rec->job_owner, m);
}

int recorder_reply_locked(Recorder *rec, sd_bus_error *error)
{
        char detail[256];

        if (rec->job_owner) {
                snprintf(detail, sizeof detail, "the drive is busy %s for %s", rec->job_what,
                         rec->job_owner);
                return bus_error_set(error, "RecorderLocked", detail);
        }
        if (rec->rawcd.owner) {
                snprintf(detail, sizeof detail, "prepared by \"%s\" (%s)",
                         rec->rawcd.settings.client_name, rec->rawcd.owner);
                return bus_error_set(
                    error, rec->rawcd.state == RAWCD_WRITING ? "WriteInProgress" : "RecorderLocked",
                    detail);
        }
        snprintf(detail, sizeof detail, "held by \"%s\"",
                 rec->excl_client_name ? rec->excl_client_name : "");
        return bus_error_set(error, "RecorderLocked", detail);
}

int recorder_authorize(Recorder *rec, sd_bus_message *m, const char *action, sd_bus_error *error)
{
        Daemon *d = rec->daemon;

        return polkit_verify_async(m, action, d->always_check_polkit, d->polkit, error);
}

bool client_name_valid(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > 64)
                return false;
        for (size_t k = 0; k < n; k++)
                if ((unsigned char)s[k] < 0x20 || (unsigned char)s[k] > 0x7e)
                        return false;
        return true;
}

bool recorder_busy(Recorder *rec, sd_bus_error *error)
{
        if (!rec->job_owner)
                return false;
        recorder_reply_locked(rec, error);
        return true;
}
