/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Streams a finalized layout as a raw DAO image to an fd, strictly
 * sequentially (pipes work): lead-in from layout.first_lba to LBA -151 with
 * the TOC in Q and CD-Text in R-W, the 150-sector pause of track 1, the
 * program area, and the lead-out. docs/image-format.md describes every field.
 */

#include <stddef.h>
#include <stdint.h>

#include "rawburn/image-layout.h"

/* Called every so many sectors; a nonzero return stops the write with it. */
typedef int (*rb_progress_fn)(uint64_t done, uint64_t total, void *userdata);

int rb_image_write(const rb_layout_t *l, int fd, rb_progress_fn progress, void *userdata, char *err,
                   size_t errlen);

/* What a write did that the caller may want to say. */
typedef struct rb_write_report {
        /* Audio samples (not silent) the write offset moved off the program
         * area's audio (write-offset.h). */
        uint64_t offset_dropped_samples;
} rb_write_report_t;

/* rb_image_write() with a report (may be NULL). */
int rb_image_write_report(const rb_layout_t *l, int fd, rb_progress_fn progress, void *userdata,
                          rb_write_report_t *report, char *err, size_t errlen);

/*
 * The sectors from LBA from to to - 1 alone, written at fd's position: a span
 * that starts at the image's start (the lead-in and track 1's pause, to LBA
 * 0 for them alone), or in the lead-out. For a copy of a disc
 * (disc-copy.h), whose program area was read, not made.
 */
int rb_image_write_span(const rb_layout_t *l, int fd, int32_t from, int32_t to, char *err,
                        size_t errlen);

/*
 * The sector at lba, main channel and raw interleaved P-W (R-W: CD-Text in
 * the lead-in, else zero), without reading any source: main channel comes
 * as silence / zero data. For tests and the benchmark. The Q and P are
 * exactly what rb_image_write() emits.
 */
int rb_image_sector_subchannel(const rb_layout_t *l, int32_t lba, uint8_t raw[96]);
