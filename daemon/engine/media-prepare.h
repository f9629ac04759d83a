/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * PrepareMedia's and ReleaseMedia's device work, run on a libuv worker
 * thread: open the drive exclusively, wait until it is ready, check for a
 * blank CD, read ATIP, set RAW writing and the speed, lock the tray; and
 * back.
 */

#include <stdbool.h>
#include <stdint.h>

#include "drive-error.h"
#include "drive-ops.h"
#include "drive-probe.h"

typedef struct prepare_request {
        int fd; /* the drive's hold (recorder_hold), borrowed */
        mmc_raw_write_params write_params;
        int32_t speed; /* sectors per second, -1 the fastest */
        bool pure_cav;
        unsigned ready_timeout_ms;
} prepare_request;

typedef struct prepare_outcome {
        bool ok;
        drive_error error;
        uint32_t result; /* 0 or S_IMAPI_*ADJUSTED */
        drive_media media;
        bool have_info;
        drive_info info; /* the drive read again, current speed included */
} prepare_outcome;

void media_prepare(const prepare_request *req, prepare_outcome *out);

/* Unlocks the tray and ejects when asked. Failures are only logged: the
 * drive is let go either way (the caller closes, or unholds, fd). */
void media_release(int fd, const char *name, bool eject);
