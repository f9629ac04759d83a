/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A disc read raw into a DAO-96 image, for image read and copy: the full TOC
 * and the CD-Text packs through ReadToc, every sector of the program area and
 * lead-out through ReadMedia straight into the image file (rawburnd writes to
 * it; the client copies nothing), sectors that fail read again one by one,
 * and the lead-in, track 1's pause and what the drive gives of the lead-out
 * made again by librawburn (disc-copy.h).
 */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "drive-list.h"
#include "rawburn/image-layout.h"

/* Sectors that stayed unreadable, listed in the report. */
#define DISC_READ_MAX_BAD 1000

typedef struct disc_read_options {
        unsigned retries;   /* reads of a failing sector after the first */
        bool accept_errors; /* unreadable sectors become zeros (else the read fails) */
        /* The drive's read offset in samples (+N: the drive delivers audio
         * N samples late); 0: none. */
        int32_t read_offset;
        /* read_offset was given (--read-offset, --no-read-offset); else the
         * drive's ReadOffset (quirks files) applies */
        bool read_offset_given;
} disc_read_options;

typedef struct disc_read_result {
        rb_layout_t layout;   /* the disc as read (rb_layout_free() via disc_read_clear) */
        int32_t leadout_read; /* lead-out sectors the drive gave */
        int32_t bad[DISC_READ_MAX_BAD];
        unsigned bad_count;
        uint64_t bad_total; /* may exceed bad_count */
        bool has_cdtext;
        sd_bus_error error; /* a bus failure */
        int error_r;
        char message[1100]; /* what went wrong otherwise */
} disc_read_result;

/*
 * Reads the disc in drive d into image_fd (a regular file or memfd, written
 * from its start and cut to the image's length). Returns 0, or a negative
 * errno with res->error (a bus error) or res->message set; -EIO when sectors
 * stayed unreadable and accept_errors is off (res->bad lists them).
 */
int disc_read_image(sd_bus *bus, const drive *d, int image_fd, const disc_read_options *o,
                    disc_read_result *res);

void disc_read_clear(disc_read_result *res);

/* Reports a failed disc_read_image() on stderr (and --json); returns the exit status. */
int disc_read_report_failure(const drive *d, int r, const disc_read_result *res);

/*
 * The whole of a command's read: rawburnd's drives, the one arg names (or
 * the only one), the disc read into image_fd, a line saying what was read
 * (or a JSON event "read-done"), failures reported. Returns the exit status.
 */
int disc_read_drive(const char *arg, int image_fd, const disc_read_options *o);
