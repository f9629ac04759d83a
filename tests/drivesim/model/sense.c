/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "ds-internal.h"

void ds_fail(ds_drive *d, ds_cmd *cmd, uint8_t key, uint8_t asc, uint8_t ascq)
{
        /* Fixed format (70h), 18 bytes: what cdrdao, wodim and libburn all parse. */
        uint8_t *s = cmd->sense;

        memset(s, 0, DS_SENSE_MAX);
        s[0] = 0x70;
        s[2] = key & 0x0f;
        s[7] = DS_SENSE_MAX - 8; /* additional sense length */
        s[12] = asc;
        s[13] = ascq;
        cmd->sense_len = DS_SENSE_MAX;
        cmd->status = DS_STATUS_CHECK_CONDITION;
        /* No data moves on a failed command. */
        cmd->resid = cmd->data_len;

        memcpy(d->last_sense, s, DS_SENSE_MAX);
        d->last_sense_valid = true;
}

void ds_fail_invalid_cdb(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x24, 0x00);
}

void ds_reply(ds_cmd *cmd, const void *buf, size_t len)
{
        size_t n = len < cmd->data_len ? len : cmd->data_len;

        if (cmd->direction == DS_DIR_FROM_DEVICE && n > 0)
                memcpy(cmd->data, buf, n);
        cmd->resid = cmd->data_len - n;
}

void ds_reply_alloc(ds_cmd *cmd, const void *buf, size_t len, size_t alloc)
{
        ds_reply(cmd, buf, len < alloc ? len : alloc);
}
