/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The drive quirks file (docs/quirks.md): what is known of particular drives and no probe
 * can find out, as data. One drive per line, matched on the INQUIRY vendor, product and
 * revision with fnmatch(3) globs:
 *
 *   vendor=EXAMPLE product="CD-RW BURNER 52X" revision=1.0? drop=RAW/R96P write-offset=+30
 *
 * drop= takes write modes away (write-modes.h names, globs allowed); write-offset= is the
 * drive's write offset in samples (one stereo sample = 4 bytes). Every matching line
 * applies, in file order; a later write offset wins.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drive-probe.h"

typedef struct quirk {
        unsigned line;                     /* in the file, for the log */
        char *vendor, *product, *revision; /* globs; "*" when the line names none */
        char **drop;                       /* mode-name globs, NULL-terminated; NULL for none */
        bool have_write_offset;
        int32_t write_offset; /* samples */
} quirk;

typedef struct quirks {
        size_t n;
        quirk *q;
} quirks;

/* Called for each line that cannot be used, which is then skipped. */
typedef void quirks_warn_fn(void *userdata, unsigned line, const char *message);

/* Parses a quirks file's text into *ret (empty for an empty text). Returns 0 or -ENOMEM. */
int quirks_parse(const char *text, quirks_warn_fn *warn, void *userdata, quirks *ret);

/* Reads and parses path. A missing file is no quirks (0); other errors -errno. */
int quirks_load(const char *path, quirks_warn_fn *warn, void *userdata, quirks *ret);

void quirks_free(quirks *q);

/* Applies every entry matching the drive's INQUIRY strings to info: write_modes.dropped,
 * write_offset. Returns how many entries matched. q may be NULL (no quirks). */
size_t quirks_apply(const quirks *q, drive_info *info);

/* Matches a mode-name glob against every write mode, with and without Test Write. */
write_mode_set quirks_modes_matching(const char *glob);
