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

/* ReadToc's device work: the drive's READ TOC/PMA/ATIP response of one
 * format as it came (parsing is librawburn's), for a client that copies the
 * disc and rebuilds its lead-in. */
#define READ_TOC_MAX 0xfffe /* the allocation length's 16 bits, kept even */

typedef struct read_toc_request {
        int drive_fd; /* the drive's hold, borrowed */
        bool wait_ready;
        uint8_t format; /* 0, 1, 2 or 5 */
        unsigned ready_timeout_ms;
} read_toc_request;

typedef struct read_toc_outcome {
        drive_error error;
        uint8_t *response; /* malloc'd, response_len bytes */
        size_t response_len;
} read_toc_outcome;

void media_read_toc(const read_toc_request *req, read_toc_outcome *out);
