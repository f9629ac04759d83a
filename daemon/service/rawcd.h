/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The burning half of a recorder (IMAPI2 IDiscFormat2RawCD): who holds the
 * drive, their settings, the preparation, the running write. States follow
 * IMAPI2: idle → (PrepareMedia) preparing → prepared → (WriteMedia) writing
 * → prepared → (ReleaseMedia, or the owner leaving) releasing → idle.
 * Loop thread only; the device work runs on worker threads (media-prepare.h)
 * and the burn thread (burn-job.h).
 */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "burn-job.h"
#include "drive-ops.h"
#include "rawburn-bus.h"

typedef enum rawcd_state {
        RAWCD_IDLE,
        RAWCD_PREPARING,
        RAWCD_PREPARED,
        RAWCD_WRITING,
        RAWCD_RELEASING,
} rawcd_state;

/* What a caller chooses, in PrepareMedia's options or as properties. */
typedef struct rawcd_settings {
        char client_name[65];
        int32_t sector_type;
        bool bufe_disabled;
        int32_t speed; /* sectors per second, -1 the fastest */
        bool pure_cav;
        bool simulate, overburn, eject_after_write, check_after_write;
} rawcd_settings;

typedef struct rawcd_result {
        char *error_name; /* NULL: success (or no write yet: see have) */
        char *message;
        bool have;
        uint32_t hresult;
        int64_t sectors_written, major_faults;
        int32_t elapsed;
        bool simulated, has_sense;
        char sense[16];
        uint8_t op;
} rawcd_result;

struct rawcd_staged;

typedef struct RawCD {
        rawcd_state state;
        char *owner; /* unique bus name of the preparer */
        sd_bus_track *owner_track;
        bool owner_gone; /* left while preparing or writing: release when that ends */
        bool one_shot;   /* prepared by a WriteMedia for itself: released after it */
        rawcd_settings settings;
        int fd; /* the drive, O_EXCL + flock, while prepared */
        drive_media media;
        bool last_write_ok;

        sd_bus_message *prepare_call; /* PrepareMedia waiting for its worker */
        sd_bus_message *write_call;   /* WriteMedia waiting for the burn (or its preparation) */
        int image_fd;                 /* the stream of write_call */
        int32_t stream_leadin;
        burn_job *job;
        int inhibit_fd;
        bool cancel_pending; /* CancelWrite before the burn thread ran */

        char writer_scheduling[256];
        burn_progress progress;
        unsigned actions_signalled;   /* 1 << action for every phase Update told */
        uint64_t progress_props_usec; /* last PropertiesChanged of the progress values */
        rawcd_result last;

        /* Settings callers chose before their PrepareMedia (rawcd-staged.h). */
        struct rawcd_staged *staged;
        unsigned n_staged;
} RawCD;

typedef struct Recorder Recorder;

void rawcd_init(RawCD *c);
/* The drive left (or the daemon stops: then a running write is cancelled
 * and waited for). Replies to whatever waits and lets go of the drive. */
void rawcd_recorder_removed(Recorder *rec, bool stopping);
void rawcd_free(RawCD *c);
