/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The drive quirks files (docs/quirks.md): what is known of particular drives and no probe
 * can find out, as data, in one format that rawburnd and rawburnctl read with this one
 * parser. Two files, read in this order:
 *
 *   DATADIR/rawburn/quirks.conf     the distribution's (RB_QUIRKS_DISTRIBUTION)
 *   SYSCONFDIR/rawburn/quirks.conf  the local administrator's (RB_QUIRKS_LOCAL)
 *
 * One drive per line, KEY=VALUE words separated by blanks; double quotes keep blanks inside
 * a value; '#' starts a comment:
 *
 *   vendor=EXAMPLE product="CD-RW BURNER 52X" revision=1.0? drop=RAW/R96P write-offset=+30
 *
 * vendor, product, revision are fnmatch(3) globs against the INQUIRY strings (trailing
 * blanks removed, case-sensitive; a key left out matches any drive); drop= names write
 * modes the drive does not write right (SupportedWriteModes names, globs allowed);
 * write-offset= is the drive's write offset in samples (one stereo sample = 4 bytes), at
 * most ±RB_WRITE_OFFSET_MAX (write-offset.h); read-offset= its read offset, the same way
 * (+N: the drive delivers audio N samples late; rawburnctl image read and copy take it
 * out). Every line matching a drive applies, the local file's after the distribution's:
 * drops add up, the last write offset and the last read offset win. A line
 * that cannot be used is reported to the warn callback and skipped; the others apply.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum rb_quirks_origin {
        RB_QUIRKS_NONE,         /* no file: "none" */
        RB_QUIRKS_DISTRIBUTION, /* the distribution's file: "distribution" */
        RB_QUIRKS_LOCAL,        /* the local administrator's file: "local" */
} rb_quirks_origin_t;

typedef struct rb_quirk {
        rb_quirks_origin_t origin;
        unsigned line;                     /* in its file */
        char *vendor, *product, *revision; /* globs; "*" when the line names none */
        bool revision_given;               /* the line names a revision */
        char **drop;                       /* mode-name globs, NULL-terminated; NULL for none */
        bool has_write_offset;
        int32_t write_offset; /* samples */
        bool has_read_offset;
        int32_t read_offset; /* samples */
} rb_quirk_t;

typedef struct rb_quirks {
        rb_quirk_t *entries; /* in the order read: later ones win */
        size_t count;
} rb_quirks_t;

/* Called for each line that cannot be used (name: as given to parse or load). */
typedef void (*rb_quirks_warn_fn)(void *userdata, const char *name, unsigned line,
                                  const char *message);

/* The built-in path of a file (DATADIR/rawburn/quirks.conf, SYSCONFDIR/rawburn/quirks.conf);
 * NULL for RB_QUIRKS_NONE. Programs let an option or the environment name another. */
const char *rb_quirks_default_path(rb_quirks_origin_t origin);
/* "distribution", "local", "none" (DiscRecorder2.WriteOffsetSource). */
const char *rb_quirks_origin_name(rb_quirks_origin_t origin);

/* Appends the entries of a file's text to q (zeroed or from earlier calls). Returns 0 or
 * -ENOMEM (q then keeps what it had). */
int rb_quirks_parse(rb_quirks_t *q, rb_quirks_origin_t origin, const char *name, const char *text,
                    rb_quirks_warn_fn warn, void *userdata);
/* Reads path and appends its entries. A missing file adds nothing (0); other errors are
 * -errno, and q keeps what it had. */
int rb_quirks_load(rb_quirks_t *q, rb_quirks_origin_t origin, const char *path,
                   rb_quirks_warn_fn warn, void *userdata);
void rb_quirks_free(rb_quirks_t *q);

/* Whether an entry's globs match a drive's INQUIRY strings. revision NULL (not known):
 * only entries that name no revision match. */
bool rb_quirk_matches(const rb_quirk_t *k, const char *vendor, const char *product,
                      const char *revision);
/* The entry whose write offset applies to a drive (the last matching one with a write
 * offset), or NULL. */
const rb_quirk_t *rb_quirks_write_offset(const rb_quirks_t *q, const char *vendor,
                                         const char *product, const char *revision);

/* The same for the read offset. */
const rb_quirk_t *rb_quirks_read_offset(const rb_quirks_t *q, const char *vendor,
                                        const char *product, const char *revision);

/* Whether a drop= glob names at least one write mode: RAW/R96R, RAW/R96P, RAW/R16, SAO,
 * TAO, or one of them with TEST/ before it. */
bool rb_quirks_names_write_mode(const char *glob);

/* Sets a drive model's write offset in a quirks file (the local one): lines of that file
 * naming exactly this vendor and product, no revision and nothing but a write offset are
 * taken out, and `vendor=V product="P" write-offset=±N` is added at the end; every other
 * line stays as it is. The file is created when missing, written to a temporary file then
 * renamed. Returns 0, or a negative errno with the reason in err. */
int rb_quirks_set_write_offset(const char *path, const char *vendor, const char *product,
                               int32_t offset, char *err, size_t errlen);
