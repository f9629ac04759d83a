/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What `burn` was given: a raw DAO-96 image (passed to rawburnd as its own
 * descriptor, so that the daemon maps it), or anything else as a layout
 * whose image is made on the fly into a pipe (stream-writer.h). A single
 * SOURCE that is not a sheet is probed with the image inspector: it is raw
 * when its first sectors carry a valid lead-in Q subchannel.
 */

#include <stdbool.h>
#include <stdint.h>

#include "rawburn/image-layout.h"

typedef struct burn_source {
        bool raw;
        /* raw: */
        int fd; /* the image, or the standard input for "-" */
        const char *path;
        bool seekable;
        int32_t sector_type; /* 1, 2, 3 */
        int32_t first_lba;   /* of the image's first sector */
        uint64_t sectors;    /* 0 when unknown (a pipe) */
        int32_t leadout_lba; /* from the lead-in TOC (A2); INT32_MIN when unknown */
        unsigned tracks;     /* from the lead-in TOC; 0 when unknown */
        /* otherwise: */
        rb_layout_t layout; /* finalized */
} burn_source;

typedef struct burn_source_options {
        int32_t sector_type; /* 0: from the image (raw) or raw (made here) */
        int32_t first_lba;   /* INT32_MIN: 95:00:00 for raw images */
        const char *cue_charset;
        bool allow_short_tracks;
} burn_source_options;

/*
 * Opens SOURCE… Returns 0, or a negative errno with the reason (naming the
 * file) in err: the caller exits with EXIT_SOURCE. Warnings are printed.
 */
int burn_source_open(burn_source *s, char *const *paths, size_t n, const burn_source_options *o,
                     char *err, size_t errlen);
void burn_source_close(burn_source *s);

/* LBA of the lead-out start, INT32_MIN when unknown. */
int32_t burn_source_leadout(const burn_source *s);
/* Sectors the stream holds before LBA 0 (WriteMedia2's argument). */
int32_t burn_source_leadin_sectors(const burn_source *s);
/* "3 tracks, 12:34 of audio" and the like, for the first line of a burn. */
void burn_source_describe(const burn_source *s, char *buf, size_t size);
