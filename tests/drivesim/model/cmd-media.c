/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What is in the tray: disc and track information, ATIP, capacity, speeds. */
#include "ds-internal.h"

void ds_cmd_read_disc_information(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_read_track_information(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_read_capacity(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_get_performance(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_set_cd_speed(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_set_streaming(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_read_disc_structure(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_send_opc_information(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_reply_atip(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

