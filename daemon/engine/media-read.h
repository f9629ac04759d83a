/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * ReadMedia's device work, on a libuv worker thread: READ CD of a range of
 * sectors, main channel and raw P-W, written to the caller's descriptor in
 * the layout of a DAO-96 image (2448 bytes a sector, data sectors scrambled
 * again as a RAW host sends them), so that a client compares it with its
 * image byte for byte.
 */

#include <stdbool.h>
#include <stdint.h>

#include "drive-error.h"

typedef struct read_request {
        int drive_fd;    /* the drive's hold (recorder_hold), borrowed */
        bool wait_ready; /* a one-shot read: nothing has waited for the disc yet */
        int output_fd;   /* taken over */
        int32_t first_lba, sector_count;
        uint32_t max_transfer;
        unsigned ready_timeout_ms;
} read_request;

typedef struct read_outcome {
        drive_error error;
        int64_t sectors_read;
} read_outcome;

void media_read(const read_request *req, read_outcome *out);
