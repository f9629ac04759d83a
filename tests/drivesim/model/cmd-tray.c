/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tray, lock and blanking. */
#include "ds-internal.h"

void ds_cmd_prevent_allow(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_start_stop_unit(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_blank(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

void ds_cmd_rezero_unit(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x20, 0x00); /* not yet */
}

