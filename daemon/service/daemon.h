/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The daemon's state, shared by the bus objects, the udev watcher and main;
 * its life in daemon.c. */

#include <libudev.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>
#include <uv.h>

#include "bus-loop.h"
#include "polkit.h"
#include "quirks.h"
#include "rawburn-bus.h"

typedef struct Daemon Daemon;
typedef struct Recorder Recorder;
typedef struct drive_monitor drive_monitor;
typedef struct hold_waits hold_waits;

/* How burns run; rawburnd's options (docs/rawburnd.8). */
typedef struct burn_config {
        int rt_priority;
        size_t buffer_bytes;
        size_t max_buffer_bytes; /* all running burns together */
        size_t buffer_bytes_in_use;
        unsigned command_timeout_ms, ready_timeout_ms, finish_timeout_ms, erase_timeout_ms;
} burn_config;

struct Daemon {
        uv_loop_t *loop;
        sd_bus *bus;
        bus_loop *bus_loop;
        drive_monitor *monitor;
        Recorder *recorders;
        bool always_check_polkit;
        polkit_registry *polkit;       /* questions to polkit and their answers */
        hold_waits *hold_waits;        /* calls waiting for udev to let a drive go */
        const char *quirks_path;       /* the distribution's quirks file (quirks.h) */
        const char *local_quirks_path; /* the local administrator's, read after it */
        rb_quirks_t quirks;
        bool stopping;
        const char *runtime_dir; /* --runtime-dir */
        bool unlock_trays;       /* --unlock-trays */
        burn_config burn;
        bool name_requested, name_acquired;
        uv_signal_t sigterm, sigint, sighup;
};

Recorder *daemon_find_recorder(Daemon *d, const char *name);
Recorder *daemon_find_recorder_by_path(Daemon *d, const char *path);
void daemon_remove_all_recorders(Daemon *d);

/* Reads the quirks files, connects to the system bus, exports the manager and
 * starts watching drives. */
int daemon_start(Daemon *d);
/* Cancels running writes, lets every drive go, and closes the loop. */
void daemon_shutdown(Daemon *d);

/* Takes org.rawburn1 once every drive found at start is described,
 * so that a client that sees the name sees the drives (Type=dbus readiness). */
void daemon_maybe_request_name(Daemon *d);

/* manager.c */
int manager_register(Daemon *d);
void manager_recorders_changed(Daemon *d);
