/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Work for a drive on a libuv worker thread (SG_IO blocks), the way every
 * job of the service layer runs: the Recorder stays alive until the work is
 * done, the drive's hold and the "busy" mark are taken for the work if it
 * asks, and a call waiting for the work reads DeviceNotExist if the drive
 * left meanwhile. Loop thread only, but for run().
 *
 * A job embeds recorder_work as its first member, fills in what it needs
 * (call, hold, busy) and queues itself with recorder_work_queue().
 */

#include <stdbool.h>
#include <systemd/sd-bus.h>
#include <uv.h>

#include "recorder.h"

typedef struct recorder_work recorder_work;

/* On a worker thread: the device work alone, no Recorder state. */
typedef void (*recorder_work_run_fn)(recorder_work *w);
/*
 * On the loop thread once the work is over, with the hold and the busy mark
 * already let go (the drive is free before anyone hears back). status < 0:
 * the work never ran. If the drive was removed meanwhile (w->rec->removed),
 * w->call has been answered DeviceNotExist already. May free the job; w->rec
 * and w->call are released after it returns.
 */
typedef void (*recorder_work_done_fn)(recorder_work *w, int status);

struct recorder_work {
        uv_work_t uv;
        Recorder *rec;
        /* Filled in before queueing, as the job needs: */
        sd_bus_message *call; /* the call waiting for the work, or NULL */
        bool hold;            /* take the drive's hold (recorder_hold): fd */
        const char *busy;     /* "erasing", "reading": the drive is busy for
                               * everyone but call's sender (Recorder.job_owner) */
        /* Set by recorder_work_queue(): */
        int fd; /* the held drive, valid in run() */
        recorder_work_run_fn run;
        recorder_work_done_fn done;
};

/*
 * Takes a reference on rec (and on call), the hold and the busy mark, and
 * queues run(). Returns 0, or a negative errno when the hold or the mark
 * could not be taken (nothing taken then, done not called). If libuv
 * refuses the work, done runs at once with that status.
 */
int recorder_work_queue(recorder_work *w, Recorder *rec, recorder_work_run_fn run,
                        recorder_work_done_fn done);
