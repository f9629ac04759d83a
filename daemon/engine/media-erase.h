/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * EraseMedia's device work (IMAPI2 IDiscFormat2Erase), on a libuv worker
 * thread: take the drive exclusively, wait until it is ready, check that it
 * holds a CD-RW, lock the tray, BLANK with Immed and follow the drive's
 * progress until it is done, then let go.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "drive-error.h"

typedef struct erase_request {
        int fd; /* the drive's hold (recorder_hold), borrowed */
        bool full;
        unsigned ready_timeout_ms, timeout_ms;
} erase_request;

/* Written by the worker, read by the loop thread for Update. */
typedef struct erase_progress {
        atomic_int_least64_t started_ms, now_ms;
        atomic_uint permille; /* the drive's progress indication, 0 until it gives one */
} erase_progress;

typedef struct erase_outcome {
        drive_error error; /* error.name NULL: the disc is blank */
} erase_outcome;

void media_erase(const erase_request *req, erase_progress *progress, erase_outcome *out);
