/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The input of `burn`: what its SOURCE… arguments name, where the sectors
 * rawburnctl hands to rawburnd come from (rawburnd's sector_feed is the
 * other end, the stream it reads). A raw DAO-96 image is passed to rawburnd
 * as its own descriptor, so that the daemon maps it; anything else becomes
 * a disc loaded into librawburn's image creator, whose image is made on the
 * fly into a pipe (stream-writer.h). A
 * single SOURCE that is not a sheet is probed with the image inspector: it
 * is raw when its first sectors carry a valid lead-in Q subchannel.
 */

#include <stdbool.h>
#include <stdint.h>

#include "rawburn/image-layout.h"
#include "rawburn/raw-image-creator.h"

typedef struct burn_input {
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
        /* otherwise: the image creator the sources were loaded into, and
         * its disc as laid out (placed and checked) */
        rb_raw_image_creator_t *creator;
        const rb_layout_t *layout;
} burn_input;

typedef struct burn_input_options {
        int32_t sector_type; /* 0: from the image (raw) or raw (made here) */
        int32_t first_lba;   /* INT32_MIN: 95:00:00 for raw images */
        const char *cue_charset;
        bool allow_short_tracks;
} burn_input_options;

/*
 * Opens SOURCE… Returns 0, or a negative errno with the reason (naming the
 * file) in err: the caller exits with EXIT_SOURCE. Warnings are printed.
 */
int burn_input_open(burn_input *s, char *const *paths, size_t n, const burn_input_options *o,
                    char *err, size_t errlen);
/* burn_input_open() for a command: the reason said as an error. EXIT_OK, or EXIT_SOURCE
 * (s closed again). */
int burn_input_open_or_say(burn_input *s, char *const *paths, size_t n,
                           const burn_input_options *o);
void burn_input_close(burn_input *s);

/* LBA of the lead-out start, INT32_MIN when unknown. */
int32_t burn_input_leadout(const burn_input *s);
/* Sectors the stream holds before LBA 0 (WriteMedia2's argument). */
int32_t burn_input_leadin_sectors(const burn_input *s);
/* "3 tracks, 12:34 of audio" and the like, for the first line of a burn. */
void burn_input_describe(const burn_input *s, char *buf, size_t size);
