/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The write engine's buffer model: how far the drive has burned by now. */
#include <string.h>

#include "ds-internal.h"

void ds_writer_advance(ds_drive *d)
{
}

void ds_writer_reset(ds_drive *d)
{
        memset(&d->writer, 0, sizeof d->writer);
}
