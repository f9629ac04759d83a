/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "recorder-work.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"

static void on_run(uv_work_t *uv)
{
        recorder_work *w = uv->data;

        w->run(w);
}

static void clear_busy(Recorder *rec)
{
        free(rec->job_owner);
        rec->job_owner = NULL;
        rec->job_what = NULL;
}

/* The drive is free again before anyone hears back: a caller answered may
 * open it at once, and a probe queued by done() must find it unheld. */
static void let_go(recorder_work *w)
{
        if (w->busy)
                clear_busy(w->rec);
        if (w->hold)
                recorder_unhold(w->rec);
}

static void on_done(uv_work_t *uv, int status)
{
        recorder_work *w = uv->data;
        /* done() may free the job: keep what is released after it. */
        Recorder *rec = w->rec;
        sd_bus_message *call = w->call;

        let_go(w);
        if (rec->removed && call)
                bus_reply_gone(call);
        w->done(w, status);
        sd_bus_message_unref(call);
        recorder_unref(rec);
}

int recorder_work_queue(recorder_work *w, Recorder *rec, recorder_work_run_fn run,
                        recorder_work_done_fn done)
{
        int r;

        w->fd = -1;
        if (w->busy) {
                rec->job_owner = strdup(sd_bus_message_get_sender(w->call));
                if (!rec->job_owner)
                        return -ENOMEM;
                rec->job_what = w->busy;
        }
        if (w->hold) {
                r = recorder_hold(rec, &w->fd);
                if (r < 0) {
                        if (w->busy)
                                clear_busy(rec);
                        return r;
                }
        }
        w->rec = recorder_ref(rec);
        sd_bus_message_ref(w->call);
        w->run = run;
        w->done = done;
        w->uv.data = w;
        r = uv_queue_work(rec->daemon->loop, &w->uv, on_run, on_done);
        if (r < 0)
                on_done(&w->uv, r);
        return 0;
}
