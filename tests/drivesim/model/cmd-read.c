/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading back what was recorded. */
#include "ds-internal.h"

void ds_cmd_read_toc(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_read_cd(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_read_cd_msf(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_read(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_read_sub_channel(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_seek(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

