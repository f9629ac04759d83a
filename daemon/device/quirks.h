/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The drive quirks (docs/quirks.md) applied to a drive: the files and their one parser are
 * librawburn's (rawburn/drive-quirks.h), which rawburnctl reads too; here what a matching
 * entry does to a drive_info. drop= takes write modes away (write-modes.h names, globs
 * allowed); write-offset= is the drive's write offset in samples. Every matching entry
 * applies, in the order read (the local file's after the distribution's); a later write
 * offset wins.
 */

#include <stddef.h>

#include "drive-probe.h"
#include "rawburn/drive-quirks.h"

/* Sets what every entry matching the drive's INQUIRY strings says into info:
 * write_modes.dropped, write_offset and its origin (what no entry says is cleared, so that
 * applying the files again after a reload is right). Returns how many entries matched. q may be
 * NULL (no quirks). */
size_t quirks_apply(const rb_quirks_t *q, drive_info *info);

/* Matches a mode-name glob against every write mode, with and without Test Write. */
write_mode_set quirks_modes_matching(const char *glob);
