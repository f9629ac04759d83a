/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus-loop.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"

struct bus_loop {
        uv_loop_t *loop;
        sd_bus *bus;
        uv_poll_t poll;
        uv_timer_t timer;
        /* Re-arms before the loop blocks, so messages queued by any callback
         * (udev, workers, signals) are flushed without each caller asking. */
        uv_prepare_t prepare;
        int poll_events;
        bool detached;
        int open_handles;
        bus_loop_disconnected_fn on_disconnect;
        void *userdata;
};

/* Processing more than this many messages in one go would starve the other
 * fds; the rest is picked up through a 0 ms timer. */
#define PROCESS_BUDGET 64

static void process(bus_loop *bl);

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void on_poll(uv_poll_t *handle, int status, int events)
{
        process(handle->data);
}

static void on_timer(uv_timer_t *handle)
{
        process(handle->data);
}

static void on_prepare(uv_prepare_t *handle)
{
        bus_loop_rearm(handle->data);
}

static void disconnected(bus_loop *bl)
{
        if (bl->detached)
                return;
        bus_loop_detach(bl);
        if (bl->on_disconnect)
                bl->on_disconnect(bl->userdata);
}

static void process(bus_loop *bl)
{
        if (bl->detached)
                return;
        for (int i = 0; i < PROCESS_BUDGET; i++) {
                int r = sd_bus_process(bl->bus, NULL);

                if (r == -ENOTCONN || r == -ECONNRESET || r == -EPIPE) {
                        log_error_errno(r, "Lost the bus connection");
                        disconnected(bl);
                        return;
                }
                if (r < 0) {
                        log_warning_errno(r, "sd_bus_process failed");
                        break;
                }
                if (r == 0)
                        break;
        }
        bus_loop_rearm(bl);
}

void bus_loop_rearm(bus_loop *bl)
{
        uint64_t until;
        int events, r, uv_events = 0;

        if (bl->detached)
                return;

        events = sd_bus_get_events(bl->bus);
        if (events < 0) {
                disconnected(bl);
                return;
        }
        if (events & POLLIN)
                uv_events |= UV_READABLE;
        if (events & POLLOUT)
                uv_events |= UV_WRITABLE;
        if (uv_events != bl->poll_events) {
                uv_poll_start(&bl->poll, uv_events, on_poll);
                bl->poll_events = uv_events;
        }

        /* Absolute CLOCK_MONOTONIC µs; 0 means "now", r == 0 means "never". */
        r = sd_bus_get_timeout(bl->bus, &until);
        if (r <= 0 || until == UINT64_MAX) {
                uv_timer_stop(&bl->timer);
                return;
        }
        if (until == 0) {
                uv_timer_start(&bl->timer, on_timer, 0, 0);
        } else {
                uint64_t now = now_usec();
                uint64_t ms = until > now ? (until - now + 999) / 1000 : 0; /* round up */

                uv_timer_start(&bl->timer, on_timer, ms, 0);
        }
}

int bus_loop_attach(uv_loop_t *loop, sd_bus *bus, bus_loop_disconnected_fn on_disconnect,
                    void *userdata, bus_loop **ret)
{
        bus_loop *bl;
        int fd, r;

        fd = sd_bus_get_fd(bus);
        if (fd < 0)
                return fd;
        bl = calloc(1, sizeof *bl);
        if (!bl)
                return -ENOMEM;
        bl->loop = loop;
        bl->bus = bus;
        bl->on_disconnect = on_disconnect;
        bl->userdata = userdata;
        r = uv_poll_init(loop, &bl->poll, fd);
        if (r < 0) {
                free(bl);
                return r;
        }
        uv_timer_init(loop, &bl->timer);
        uv_prepare_init(loop, &bl->prepare);
        bl->poll.data = bl->timer.data = bl->prepare.data = bl;
        uv_prepare_start(&bl->prepare, on_prepare);
        /* Anything already queued (Hello, name request) goes out at once. */
        uv_timer_start(&bl->timer, on_timer, 0, 0);
        *ret = bl;
        return 0;
}

static void on_closed(uv_handle_t *handle)
{
        bus_loop *bl = handle->data;

        /* libuv runs close callbacks in no promised order: free with the last. */
        if (--bl->open_handles == 0)
                free(bl);
}

void bus_loop_detach(bus_loop *bl)
{
        if (!bl || bl->detached)
                return;
        bl->detached = true;
        bl->open_handles = 3;
        uv_close((uv_handle_t *)&bl->poll, on_closed);
        uv_close((uv_handle_t *)&bl->timer, on_closed);
        uv_close((uv_handle_t *)&bl->prepare, on_closed);
}
