/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What rawburn remembers per drive model: /etc/rawburn/drives.conf (under
 * the build's sysconfdir; $RAWBURN_DRIVES_CONF, or a path given, instead).
 * git-config style, one section per model, named by the INQUIRY vendor and
 * product (trailing blanks dropped; compared without regard to case or to
 * runs of blanks):
 *
 *     # my burner: EAC and AccurateRip list its write offset as +30
 *     [drive "PLEXTOR" "DVDR   PX-716A"]
 *     write-offset = +30
 *
 * Keys: write-offset (samples, -88200..88200, as offset databases list the
 * drive's write offset). Lines starting with # or ; are comments. Errors
 * read "file:line: reason". A missing file is an empty configuration.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rb_drive_entry {
        char *vendor, *product;
        bool has_write_offset;
        int32_t write_offset;
        unsigned line; /* of the section header */
} rb_drive_entry_t;

typedef struct rb_drive_config {
        rb_drive_entry_t *entries;
        size_t count;
} rb_drive_config_t;

/* $RAWBURN_DRIVES_CONF, or SYSCONFDIR/rawburn/drives.conf. */
const char *rb_drive_config_default_path(void);

int rb_drive_config_parse(const char *name, const char *text, size_t len, rb_drive_config_t *c,
                          char *err, size_t errlen);
int rb_drive_config_load(const char *path, rb_drive_config_t *c, char *err, size_t errlen);
void rb_drive_config_free(rb_drive_config_t *c);

/* The entry of a model, or NULL. */
const rb_drive_entry_t *rb_drive_config_find(const rb_drive_config_t *c, const char *vendor,
                                             const char *product);
/* The entry whose "VENDOR PRODUCT" is model (blank runs and case ignored). */
const rb_drive_entry_t *rb_drive_config_find_model(const rb_drive_config_t *c, const char *model);

/* Sets a model's write offset in the file (created if missing), keeping
 * every other line as it is; written to a temporary file then renamed. */
int rb_drive_config_set_write_offset(const char *path, const char *vendor, const char *product,
                                     int32_t offset, char *err, size_t errlen);
