/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Who the drive is and what it can do: TEST UNIT READY, REQUEST SENSE,
 * INQUIRY, GET CONFIGURATION, GET EVENT STATUS NOTIFICATION, MODE SENSE/SELECT. */
#include <string.h>

#include "ds-internal.h"

static void not_implemented(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00);
}

void ds_cmd_test_unit_ready(ds_drive *d, ds_cmd *cmd)
{
        /* Readiness was checked by the dispatcher (NEEDS_MEDIUM). */
}

void ds_cmd_request_sense(ds_drive *d, ds_cmd *cmd)
{
        uint8_t s[DS_SENSE_MAX] = {0x70, 0, DS_SK_NO_SENSE, 0, 0, 0, 0, DS_SENSE_MAX - 8};

        if (d->last_sense_valid) {
                memcpy(s, d->last_sense, sizeof s);
                d->last_sense_valid = false;
        }
        ds_reply(cmd, s, sizeof s);
}

void ds_cmd_inquiry(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[96] = {0};

        if (cmd->cdb[1] & 0x01) { /* EVPD pages are not offered */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        r[0] = 0x05; /* peripheral device type: CD/DVD */
        r[1] = 0x80; /* removable medium */
        r[2] = 0x05; /* SPC-3 */
        r[3] = 0x32; /* HiSup, response data format 2 */
        r[4] = sizeof r - 5;
        memset(r + 8, ' ', 28);
        memcpy(r + 8, d->config.vendor, strlen(d->config.vendor));
        memcpy(r + 16, d->config.product, strlen(d->config.product));
        memcpy(r + 32, d->config.revision, strlen(d->config.revision));
        ds_reply(cmd, r, sizeof r < ds_get_be16(cmd->cdb + 3) ? sizeof r : ds_get_be16(cmd->cdb + 3));
}

void ds_cmd_get_configuration(ds_drive *d, ds_cmd *cmd)
{
        not_implemented(d, cmd);
}

void ds_cmd_get_event_status(ds_drive *d, ds_cmd *cmd)
{
        not_implemented(d, cmd);
}

void ds_cmd_mode_sense(ds_drive *d, ds_cmd *cmd)
{
        not_implemented(d, cmd);
}

void ds_cmd_mode_select(ds_drive *d, ds_cmd *cmd)
{
        not_implemented(d, cmd);
}

void ds_cmd_mechanism_status(ds_drive *d, ds_cmd *cmd)
{
        not_implemented(d, cmd);
}
