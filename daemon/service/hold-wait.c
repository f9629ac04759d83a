/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "hold-wait.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "bus-errors.h"
#include "bus-util.h"
#include "log.h"
#include "polkit.h"
#include "recorder.h"

typedef struct hold_waiter {
        struct hold_waiter *next;
        Recorder *rec;        /* a reference */
        sd_bus_message *call; /* a reference */
        uint64_t deadline;    /* uv_now() */
        /* Put back on the bus at the last tick; a call that is still so at
         * the next one did not meet udev again: it has been answered. */
        bool requeued;
} hold_waiter;

struct hold_waits {
        Daemon *daemon;
        uv_timer_t timer;
        hold_waiter *list;
};

static void drop(hold_waiter **link)
{
        hold_waiter *x = *link;

        *link = x->next;
        sd_bus_message_unref(x->call);
        recorder_unref(x->rec);
        free(x);
}

static void on_tick(uv_timer_t *timer)
{
        hold_waits *w = timer->data;
        hold_waiter **link = &w->list;

        while (*link) {
                hold_waiter *x = *link;

                if (x->requeued || recorder_resume_call(x->rec, x->call) < 0) {
                        drop(link);
                        continue;
                }
                x->requeued = true;
                link = &x->next;
        }
        if (!w->list)
                uv_timer_stop(&w->timer);
}

int hold_waits_new(Daemon *d, hold_waits **ret)
{
        hold_waits *w = calloc(1, sizeof *w);
        int r;

        if (!w)
                return -ENOMEM;
        w->daemon = d;
        r = uv_timer_init(d->loop, &w->timer);
        if (r < 0) {
                free(w);
                return r;
        }
        w->timer.data = w;
        *ret = w;
        return 0;
}

static void on_closed(uv_handle_t *handle)
{
        free(handle->data);
}

void hold_waits_free(hold_waits *w)
{
        if (!w)
                return;
        while (w->list) {
                if (!w->list->requeued) {
                        sd_bus_error e = SD_BUS_ERROR_NULL;

                        polkit_forget_answer(w->daemon->polkit, w->list->call);
                        bus_error_set(&e, "Fail", "rawburnd is stopping");
                        bus_reply_error(w->list->call, &e);
                }
                drop(&w->list);
        }
        uv_close((uv_handle_t *)&w->timer, on_closed);
}

int hold_wait(hold_waits *w, Recorder *rec, sd_bus_message *call)
{
        uint64_t now = uv_now(w->daemon->loop);
        hold_waiter **link = &w->list, *x;

        while (*link && (*link)->call != call)
                link = &(*link)->next;
        x = *link;
        if (!x) {
                x = calloc(1, sizeof *x);
                if (!x)
                        return -ENOMEM;
                x->rec = recorder_ref(rec);
                x->call = sd_bus_message_ref(call);
                x->deadline = now + w->daemon->burn.ready_timeout_ms;
                x->next = w->list;
                w->list = x;
                log_info("%s: %s waits for udev to finish with the drive", rec->name,
                         sd_bus_message_get_member(call));
        } else if (now >= x->deadline) {
                drop(link);
                return 0;
        }
        x->requeued = false;
        polkit_keep_answer(w->daemon->polkit, call);
        if (!uv_is_active((uv_handle_t *)&w->timer))
                uv_timer_start(&w->timer, on_tick, HOLD_WAIT_POLL_MS, HOLD_WAIT_POLL_MS);
        return 1;
}
