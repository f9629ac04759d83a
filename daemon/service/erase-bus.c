/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "erase-bus.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus-errors.h"
#include "bus-util.h"
#include "log.h"
#include "media-erase.h"
#include "recorder-access.h"
#include "recorder-bus.h"
#include "recorder-work.h"
#include "tray-marks.h"

#define ACTION_ERASE "org.rawburn1.erase"

/* Update about once a second, as IMAPI2's erase events come. */
#define UPDATE_INTERVAL_MS 1000

typedef struct erase_work {
        recorder_work base; /* first: the job is its recorder_work */
        uv_timer_t timer;
        erase_request req;
        erase_progress progress;
        erase_outcome out;
} erase_work;

typedef struct erase_options {
        char client_name[65];
        bool full;
} erase_options;

static int parse_options(sd_bus_message *m, erase_options *o, sd_bus_error *error)
{
        int r;

        snprintf(o->client_name, sizeof o->client_name, "unnamed client");
        o->full = false;
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const char *key, *name;
                int full;

                r = sd_bus_message_read(m, "s", &key);
                if (r < 0)
                        return r;
                if (strcmp(key, "ClientName") == 0) {
                        if (sd_bus_message_read(m, "v", "s", &name) < 0)
                                return bus_error_set(error, "InvalidArg",
                                                     "option ClientName: must be a string (s)");
                        if (!client_name_valid(name))
                                return bus_error_set(error, "EraseClientNameIsNotValid",
                                                     "1 to 64 printable ASCII characters");
                        snprintf(o->client_name, sizeof o->client_name, "%s", name);
                } else if (strcmp(key, "FullErase") == 0) {
                        if (sd_bus_message_read(m, "v", "b", &full) < 0)
                                return bus_error_set(error, "InvalidArg",
                                                     "option FullErase: must be a boolean (b)");
                        o->full = full;
                } else {
                        char detail[128];

                        snprintf(detail, sizeof detail,
                                 "option %s: unknown (ClientName, FullErase)", key);
                        return bus_error_set(error, "InvalidArg", detail);
                }
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* IMAPI2 refuses a recorder that cannot erase when it is given one (put_Recorder), before
 * any disc is looked at: a drive that writes no CD-RW cannot blank one. Left to the disc
 * check, the caller would be told the disc is at fault (such a drive reads a CD-RW as a
 * CD-ROM), and its BLANK fails as an unknown command. */
static int check_recorder_erases(Recorder *rec, sd_bus_error *error)
{
        char detail[200];
        const char *why;

        switch (rec->have_info ? drive_info_cd_writing(&rec->info) : DRIVE_WRITES_UNKNOWN) {
        case DRIVE_WRITES_CDR:
                why = "it writes CD-R only";
                break;
        case DRIVE_WRITES_NO_CD:
                why = "it writes no CDs";
                break;
        default:
                return 0; /* it writes CD-RW, or did not say: its BLANK decides */
        }
        snprintf(detail, sizeof detail,
                 "this drive cannot erase CD-RW discs (%s): erase the disc in a drive that "
                 "writes CD-RW",
                 why);
        return bus_error_set(error, "EraseRecorderNotSupported", detail);
}

static int check_can_erase(Recorder *rec, sd_bus_message *m, sd_bus_error *error)
{
        int r = check_recorder_erases(rec, error);

        if (r < 0)
                return r;
        /* IMAPI2's erase format refuses to be pointed elsewhere while it
         * erases; over D-Bus the second EraseMedia on an erasing drive is
         * the nearest thing. */
        if (rec->job_what && strcmp(rec->job_what, "erasing") == 0) {
                char detail[200];

                snprintf(detail, sizeof detail, "the drive is erasing for %s: wait for the end",
                         rec->job_owner ? rec->job_owner : "another caller");
                return bus_error_set(error, "EraseRecorderInUse", detail);
        }
        if (recorder_busy(rec, error))
                return -EBUSY;
        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        if (rec->rawcd.state == RAWCD_WRITING)
                return bus_error_set(error, "WriteInProgress", NULL);
        if (rec->rawcd.state != RAWCD_IDLE)
                return bus_error_set(error, "MediaIsPrepared",
                                     "the media is prepared for writing: ReleaseMedia first");
        return 0;
}

static void send_update(Recorder *rec, const erase_progress *p)
{
        int64_t elapsed_ms = atomic_load(&p->now_ms) - atomic_load(&p->started_ms);
        unsigned permille = atomic_load(&p->permille);
        int32_t elapsed = (int32_t)(elapsed_ms / 1000), total = 0;

        /* The drive's progress gives the estimate; before it gives one, the
         * total is not known (0). */
        if (permille > 0)
                total = (int32_t)(elapsed_ms * 1000 / permille / 1000);
        if (rec->exported && !rec->removed)
                (void)sd_bus_emit_signal(rec->daemon->bus, rec->path, RAWBURN_ERASE_IFACE, "Update",
                                         "ii", elapsed, total);
}

static void on_timer(uv_timer_t *t)
{
        erase_work *w = t->data;

        send_update(w->base.rec, &w->progress);
}

static void free_work(uv_handle_t *h)
{
        free(h->data);
}

static void erase_run(recorder_work *base)
{
        erase_work *w = (erase_work *)base;

        w->req.fd = base->fd;
        media_erase(&w->req, &w->progress, &w->out);
}

static void emit_erasing(Recorder *rec)
{
        if (rec->exported && !rec->removed)
                (void)sd_bus_emit_properties_changed(rec->daemon->bus, rec->path,
                                                     RAWBURN_ERASE_IFACE, "Erasing", NULL);
}

static void erase_reply(erase_work *w, int status)
{
        Recorder *rec = w->base.rec;
        sd_bus_error e = SD_BUS_ERROR_NULL;

        if (status < 0)
                drive_error_set(&w->out.error, "Fail", "the erase could not be started");
        if (w->out.error.name) {
                bus_error_from_drive(&w->out.error, &e);
                log_info("%s: erase failed: %s", rec->name, e.message);
                bus_reply_error(w->base.call, &e);
        } else {
                send_update(rec, &w->progress);
                log_info("%s: erased (%s)", rec->name, w->req.full ? "full" : "minimal");
                recorder_announce_media_change(rec);
                (void)sd_bus_reply_method_return(w->base.call, NULL);
        }
}

static void erase_done(recorder_work *base, int status)
{
        erase_work *w = (erase_work *)base;
        Recorder *rec = base->rec;

        uv_timer_stop(&w->timer);
        tray_mark_clear(rec->name);
        if (!rec->removed) /* else recorder_work told the caller */
                erase_reply(w, status);
        emit_erasing(rec);
        if (!rec->removed)
                recorder_refresh(rec); /* the disc is blank now: say so */
        uv_close((uv_handle_t *)&w->timer, free_work);
}

static int begin_erase(Recorder *rec, sd_bus_message *m, const erase_options *o)
{
        erase_work *w = calloc(1, sizeof *w);
        int r;

        if (!w)
                return -ENOMEM;
        w->base.call = m;
        w->base.hold = true; /* shared with the caller's own exclusive access, if any */
        w->base.busy = "erasing";
        w->req.full = o->full;
        w->req.ready_timeout_ms = rec->daemon->burn.ready_timeout_ms;
        w->req.timeout_ms = rec->daemon->burn.erase_timeout_ms;
        w->timer.data = w;
        uv_timer_init(rec->daemon->loop, &w->timer);
        uv_timer_start(&w->timer, on_timer, UPDATE_INTERVAL_MS, UPDATE_INTERVAL_MS);
        tray_mark_set(rec->name, rec->devnode); /* the worker locks the tray while it erases */
        r = recorder_work_queue(&w->base, rec, erase_run, erase_done);
        if (r < 0) {
                tray_mark_clear(rec->name);
                uv_close((uv_handle_t *)&w->timer, free_work);
                return r;
        }
        log_info("%s: erasing (%s) for \"%s\" (%s)", rec->name, o->full ? "full" : "minimal",
                 o->client_name, sd_bus_message_get_sender(m));
        emit_erasing(rec);
        return 0;
}

static int method_erase(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        erase_options o;
        int r;

        r = parse_options(m, &o, error);
        if (r < 0)
                return sd_bus_error_is_set(error) ? r : bus_error_set(error, "InvalidArg", NULL);
        /* Before polkit is asked, and again once it has answered. */
        r = check_can_erase(rec, m, error);
        if (r < 0)
                return r;
        r = recorder_authorize(rec, m, ACTION_ERASE, error);
        if (r <= 0)
                return r < 0 ? r : 1; /* 0: runs again with polkit's answer */
        r = begin_erase(rec, m, &o);
        return r < 0 ? recorder_hold_error(rec, m, r, error) : 1;
}

static int get_erasing(sd_bus *bus, const char *path, const char *interface, const char *property,
                       sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;

        return sd_bus_message_append(reply, "b",
                                     rec->job_what && strcmp(rec->job_what, "erasing") == 0);
}

const sd_bus_vtable erase_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD_WITH_ARGS("EraseMedia", SD_BUS_ARGS("a{sv}", options), SD_BUS_NO_RESULT,
                            method_erase, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_SIGNAL_WITH_ARGS("Update",
                            SD_BUS_ARGS("i", elapsed_seconds, "i", estimated_total_seconds), 0),
    SD_BUS_PROPERTY("Erasing", "b", get_erasing, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_VTABLE_END,
};
