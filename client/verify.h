/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * burn --verify: the burned disc read back through rawburnd and compared,
 * sector for sector, with the stream that was sent.
 *
 * rawburnd's ReadMedia(h output, i first_lba, i sector_count) writes the
 * program area (LBA 0 up to the lead-out; drives do not read the lead-in)
 * as 2448-byte sectors, main channel and raw P-W, into a pipe whose read end
 * is a source of the burn's event loop. The expected sectors are not kept
 * from the burn (no temporary file, no image in memory): they are read
 * again from the image file for a raw image, or made again from the
 * sources by a second image writer (stream-writer.h), which is
 * deterministic, for anything else. A raw image on a pipe cannot be read
 * twice: verify_possible() says so before anything is burned.
 * sector-compare.h says what is compared.
 */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "burn-input.h"
#include "progress.h"

typedef struct verify verify;

typedef struct verify_result {
        int32_t first_lba;       /* of the range read back: 0 */
        int64_t sectors;         /* asked for: the program area */
        int64_t compared;        /* read back and compared */
        int64_t differing;       /* including sectors the drive did not return */
        int32_t first_bad_lba;   /* INT32_MIN when every sector matched */
        unsigned first_bad_mask; /* SECTOR_DIFF_* of that sector (0: not returned) */
        unsigned any_mask;       /* of all differing sectors */
        bool stopped;            /* verify_stop() */
        /* ReadMedia failed: the error (name set), else the source could not
         * be read again (source_error set). */
        sd_bus_error error;
        int error_r;
        char source_error[1100];
} verify_result;

typedef void (*verify_done_fn)(verify *v, void *userdata);

/* 0 when the source can be read again after the burn; else -EINVAL with
 * the reason in err. */
int verify_possible(const burn_input *src, char *err, size_t errlen);

/*
 * Starts reading back and comparing the program area of the image in src
 * (its lead-out LBA known) on the prepared drive at path; progress in the
 * given style under the drive's name. done is called from the loop when
 * the comparison is over (success, mismatch, error or stop).
 */
int verify_start(verify **ret, sd_bus *bus, sd_event *event, const char *drive_name,
                 const char *path, const burn_input *src, progress_style style, verify_done_fn done,
                 void *userdata);
/* Ctrl-C: stops the read (rawburnd sees the pipe close); done follows. */
void verify_stop(verify *v);
const verify_result *verify_get_result(const verify *v);
void verify_free(verify *v);
