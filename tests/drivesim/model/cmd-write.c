/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RAW write path. */
#include "ds-internal.h"

void ds_cmd_write(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_synchronize_cache(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_read_buffer_capacity(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_close_track_session(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_send_cue_sheet(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

