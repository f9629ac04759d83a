/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Which trays rawburnd has locked, remembered in its runtime directory
 * (RUNTIME_DIRECTORY under systemd, /run/rawburnd otherwise), so that a
 * tray is unlocked even when rawburnd was killed while it held one: by the
 * unit's ExecStopPost (rawburnd --unlock-trays) or by the next start, when
 * the drive is seen again. One file per drive, "locked-srN", holding the
 * device node.
 */

#include <stdbool.h>

/* dir NULL: $RUNTIME_DIRECTORY, else /run/rawburnd. Without a usable
 * directory the marks are off (logged): locking works, recovery does not. */
int tray_marks_init(const char *dir);

void tray_mark_set(const char *name, const char *devnode);
void tray_mark_clear(const char *name);
/* A mark left for this drive by an earlier rawburnd; cleared with it. */
bool tray_mark_take(const char *name);

/* rawburnd --unlock-trays: ALLOW MEDIUM REMOVAL on every marked drive and
 * clear the marks. Returns how many trays it could not unlock. */
int tray_marks_unlock_all(void);
