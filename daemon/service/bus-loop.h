/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * sd-bus driven by the libuv loop: one uv_poll_t on the bus fd, one
 * uv_timer_t for sd-bus's absolute CLOCK_MONOTONIC timeout, both re-armed
 * after every processing run (sd_bus_get_events/get_timeout change with
 * every message queued or read). Nothing is armed that fires when nothing
 * happens.
 */

#include <systemd/sd-bus.h>
#include <uv.h>

typedef struct bus_loop bus_loop;

/* Called once when the connection drops (the loop should then stop). */
typedef void (*bus_loop_disconnected_fn)(void *userdata);

int bus_loop_attach(uv_loop_t *loop, sd_bus *bus, bus_loop_disconnected_fn on_disconnect,
                    void *userdata, bus_loop **ret);
/* Re-reads events and timeout: call after queueing messages from outside a
 * bus callback (from a uv callback), so they get flushed. */
void bus_loop_rearm(bus_loop *bl);
/* Stops watching; the handles are closed through the loop (run it once more). */
void bus_loop_detach(bus_loop *bl);
