/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Daemon: what it starts (the quirks, the bus, the drive monitor), when
 * it takes its bus name, its list of recorders, and how it stops.
 */
#include "daemon.h"

#include <signal.h>
#include <string.h>

#include "bus-util.h"
#include "drive-monitor.h"
#include "hold-wait.h"
#include "image-guard.h"
#include "log.h"
#include "recorder.h"

static void stop_loop(Daemon *d)
{
        uv_stop(d->loop);
}

static void on_disconnect(void *userdata)
{
        stop_loop(userdata);
}

static void on_signal(uv_signal_t *handle, int signum)
{
        Daemon *d = handle->data;

        log_info("Received %s, shutting down", strsignal(signum));
        stop_loop(d);
}

static int on_name_acquired(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Daemon *d = userdata;

        if (sd_bus_message_is_method_error(m, NULL)) {
                const sd_bus_error *e = sd_bus_message_get_error(m);

                log_error("Cannot own %s: %s", RAWBURN_BUS_NAME,
                          e && e->message ? e->message : "?");
                stop_loop(d);
                return 0;
        }
        d->name_acquired = true;
        log_info("rawburnd " RAWBURN_VERSION " serving %s", RAWBURN_BUS_NAME);
        return 0;
}

void daemon_maybe_request_name(Daemon *d)
{
        int r;

        if (d->name_requested || !d->bus)
                return;
        /* Drives described, and trays a killed predecessor left locked let
         * go: a client that sees the name finds the drives ready. */
        for (Recorder *rec = d->recorders; rec; rec = rec->next)
                if (!rec->have_info || rec->unlocking)
                        return; /* probe_done() and unlock_done() call again */
        d->name_requested = true;
        r = sd_bus_request_name_async(d->bus, NULL, RAWBURN_BUS_NAME, 0, on_name_acquired, d);
        if (r < 0) {
                log_error_errno(r, "Cannot request %s", RAWBURN_BUS_NAME);
                stop_loop(d);
        }
}

Recorder *daemon_find_recorder(Daemon *d, const char *name)
{
        for (Recorder *r = d->recorders; r; r = r->next)
                if (strcmp(r->name, name) == 0)
                        return r;
        return NULL;
}

Recorder *daemon_find_recorder_by_path(Daemon *d, const char *path)
{
        for (Recorder *r = d->recorders; r; r = r->next)
                if (strcmp(r->path, path) == 0)
                        return r;
        return NULL;
}

void daemon_remove_all_recorders(Daemon *d)
{
        while (d->recorders)
                recorder_remove(d->recorders);
}

/* A call that waited for polkit comes back after its drive has gone: IMAPI2's
 * DeviceNotExist, where sd-bus would answer UnknownObject for the path. */
static int answer_drive_gone(sd_bus_message *call, void *userdata)
{
        Recorder *rec = daemon_find_recorder_by_path(userdata, sd_bus_message_get_path(call));

        if (rec && rec->exported)
                return 0;
        bus_reply_gone(call);
        return 1;
}

static void quirks_warning(void *userdata, const char *name, unsigned line, const char *message)
{
        log_warning("%s:%u: %s; line ignored", name, line, message);
}

static void load_quirks(Daemon *d, rb_quirks_origin_t origin, const char *path)
{
        size_t had = d->quirks.count;
        int r = rb_quirks_load(&d->quirks, origin, path, quirks_warning, d);

        if (r < 0)
                log_warning_errno(r, "Cannot read the quirks file %s, going on without", path);
        else
                log_debug("Quirks file %s: %zu entries", path, d->quirks.count - had);
}

/* Both files, the distribution's then the local administrator's: its entries win. */
static void load_all_quirks(Daemon *d)
{
        load_quirks(d, RB_QUIRKS_DISTRIBUTION, d->quirks_path);
        load_quirks(d, RB_QUIRKS_LOCAL, d->local_quirks_path);
}

/* SIGHUP (systemctl reload): the quirks files again, applied to every drive, without
 * letting go of the drives or a burn. A write already prepared keeps the offset its
 * image was made with; the offset shown changes for the next one. */
static void on_reload(uv_signal_t *handle, int signum)
{
        Daemon *d = handle->data;

        rb_quirks_free(&d->quirks);
        load_all_quirks(d);
        log_info("Received %s, drive quirks read again: %zu entries", strsignal(signum),
                 d->quirks.count);
        for (Recorder *rec = d->recorders; rec; rec = rec->next)
                recorder_reapply_quirks(rec);
}

int daemon_start(Daemon *d)
{
        int r;

        /* A caller's image file truncated while it burns must end that burn,
         * not the daemon. */
        r = image_guard_install();
        if (r < 0)
                return log_error_errno(r, "Cannot install the SIGBUS handler");

        /* Before the first drive is probed: the quirks apply to every probe. */
        load_all_quirks(d);

        r = sd_bus_open_system(&d->bus);
        if (r < 0)
                return log_error_errno(r, "Cannot connect to the system bus");
        /* Our own outgoing calls (polkit) may wait for a password dialog. */
        (void)sd_bus_set_method_call_timeout(d->bus, 120ull * 1000000ull);

        r = polkit_registry_new(d->bus, answer_drive_gone, d, &d->polkit);
        if (r < 0)
                return log_error_errno(r, "Cannot watch for polkit's answers");
        r = hold_waits_new(d, &d->hold_waits);
        if (r < 0)
                return log_error_errno(r, "Cannot set up waiting for udev");
        r = manager_register(d);
        if (r < 0)
                return log_error_errno(r, "Cannot register %s", RAWBURN_MANAGER_PATH);
        r = bus_loop_attach(d->loop, d->bus, on_disconnect, d, &d->bus_loop);
        if (r < 0)
                return log_error_errno(r, "Cannot attach the bus to the loop");
        r = drive_monitor_start(d, &d->monitor);
        if (r < 0)
                return log_error_errno(r, "Cannot watch drives with udev");
        daemon_maybe_request_name(d);

        uv_signal_init(d->loop, &d->sigterm);
        uv_signal_init(d->loop, &d->sigint);
        uv_signal_init(d->loop, &d->sighup);
        d->sigterm.data = d->sigint.data = d->sighup.data = d;
        uv_signal_start(&d->sigterm, on_signal, SIGTERM);
        uv_signal_start(&d->sigint, on_signal, SIGINT);
        uv_signal_start(&d->sighup, on_reload, SIGHUP);
        return 0;
}

static void close_walk(uv_handle_t *handle, void *arg)
{
        if (!uv_is_closing(handle))
                uv_close(handle, NULL);
}

void daemon_shutdown(Daemon *d)
{
        /* A running write is cancelled and waited for; prepared drives are
         * unlocked and let go. */
        d->stopping = true;
        /* Release every drive (exclusive holds, flocks) and say so on the bus. */
        if (d->bus)
                daemon_remove_all_recorders(d);
        drive_monitor_stop(d->monitor);
        hold_waits_free(d->hold_waits);
        d->hold_waits = NULL;
        d->polkit = polkit_registry_free(d->polkit);
        bus_loop_detach(d->bus_loop);
        if (d->bus)
                sd_bus_flush_close_unref(d->bus);
        d->bus = NULL;
        uv_walk(d->loop, close_walk, NULL);
        /* Let close callbacks and running probes finish. */
        uv_run(d->loop, UV_RUN_DEFAULT);
        uv_loop_close(d->loop);
        rb_quirks_free(&d->quirks);
}
