/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawcd-flow.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rawburn/msf.h>

#include "bus-errors.h"
#include "bus-util.h"
#include "inhibit.h"
#include "log.h"
#include "media-prepare.h"
#include "media-read.h"
#include "rawcd-options.h"
#include "rawcd-staged.h"
#include "recorder-bus.h"
#include "recorder-work.h"
#include "stream-check.h"
#include "tray-marks.h"

/* Progress as properties for late joiners: often enough to follow, not so
 * often that the bus carries each Update twice. */
#define PROGRESS_PROPS_INTERVAL_USEC 1000000ull

/* A drive unplugged in the middle of a command fails it with EIO (no sense)
 * a moment before udev's remove event reaches us. The burn thread waits for
 * the kernel to take the device away (drive-presence.h); this covers a
 * device that had already left sysfs when the thread looked. */
static bool recorder_left_sysfs(const Recorder *rec)
{
        return rec->syspath && access(rec->syspath, F_OK) < 0 && errno == ENOENT;
}

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000;
}

static bool on_bus(Recorder *rec)
{
        return rec->exported && !rec->removed && rec->daemon->bus;
}

void rawcd_emit_state(Recorder *rec)
{
        if (!on_bus(rec))
                return;
        (void)sd_bus_emit_properties_changed(rec->daemon->bus, rec->path, RAWBURN_RAWCD_IFACE,
                                             "State", "Owner", "ClientName", "RequestedSectorType",
                                             "BufferUnderrunFreeDisabled", "RequestedWriteSpeed",
                                             "RequestedRotationTypeIsPureCAV", "Simulate", NULL);
        (void)sd_bus_emit_properties_changed(rec->daemon->bus, rec->path, RAWBURN_RECORDER_IFACE,
                                             "ExclusiveAccessOwner", NULL);
}

static void take_info(Recorder *rec, const drive_info *info)
{
        /* Through the recorder: its write modes and quirks stay with it. */
        (void)recorder_adopt_info(rec, info);
        if (on_bus(rec))
                recorder_emit_changed(rec);
}

/* ---------------------------------------------------------------- owner */

static void owner_left(Recorder *rec);

static int on_owner_track_empty(sd_bus_track *track, void *userdata)
{
        Recorder *rec = userdata;

        /* Dropped here: sd-bus calls the handler again for as long as an
         * empty track it watches lives on. */
        rec->rawcd.owner_track = sd_bus_track_unref(rec->rawcd.owner_track);
        owner_left(rec);
        return 0;
}

static int set_owner(Recorder *rec, const char *owner)
{
        RawCD *c = &rec->rawcd;
        int r;

        c->owner = strdup(owner);
        if (!c->owner)
                return -ENOMEM;
        r = sd_bus_track_new(rec->daemon->bus, &c->owner_track, on_owner_track_empty, rec);
        if (r >= 0)
                r = sd_bus_track_add_name(c->owner_track, owner);
        if (r < 0) {
                c->owner_track = sd_bus_track_unref(c->owner_track);
                free(c->owner);
                c->owner = NULL;
        }
        return r;
}

/* Back to idle: nobody holds the drive. */
static void clear_owner(Recorder *rec)
{
        RawCD *c = &rec->rawcd;

        c->owner_track = sd_bus_track_unref(c->owner_track);
        free(c->owner);
        c->owner = NULL;
        c->owner_gone = c->one_shot = false;
        c->state = RAWCD_IDLE;
        /* Nobody's settings: the properties read the defaults again. */
        rawcd_settings_default(&c->settings, NULL);
        c->settings.client_name[0] = '\0';
        rawcd_emit_state(rec);
        /* Probes wait while the drive is held, and a burn changed the disc:
         * read it again now. */
        if (!rec->removed)
                recorder_refresh(rec);
}

/* ---------------------------------------------------------------- prepare */

typedef struct prepare_work {
        recorder_work base; /* first: the job is its recorder_work */
        prepare_request req;
        prepare_outcome out;
} prepare_work;

static void prepare_run(recorder_work *base)
{
        prepare_work *w = (prepare_work *)base;

        media_prepare(&w->req, &w->out);
}

static void write_failed(Recorder *rec, const char *name, const char *detail);

/* The preparation's call is answered here, not by recorder_work: a one-shot
 * WriteMedia waits instead, and the hold outlives the work when it succeeds. */
static void prepare_done(recorder_work *base, int status)
{
        prepare_work *w = (prepare_work *)base;
        Recorder *rec = base->rec;
        RawCD *c = &rec->rawcd;
        sd_bus_message *call = c->prepare_call;
        sd_bus_error e = SD_BUS_ERROR_NULL;

        c->prepare_call = NULL;
        if (rec->removed || c->owner_gone || status < 0 || !w->out.ok) {
                if (w->out.ok && !rec->removed)
                        /* Nobody to hand it to: let go at once. */
                        media_release(w->req.fd, rec->name, false);
                recorder_unhold(rec);
                c->fd = -1;
                if (rec->removed)
                        bus_error_set(&e, "DeviceNotExist", "the drive was removed");
                else if (status < 0)
                        bus_error_set(&e, "Fail", "the preparation was not run");
                else if (w->out.ok)
                        bus_error_set(&e, "Fail", "its caller left the bus while it ran");
                else
                        bus_error_from_drive(&w->out.error, &e);
                if (!rec->removed)
                        log_info("%s: preparation for \"%s\" failed: %s", rec->name,
                                 c->settings.client_name, e.message);
                if (c->one_shot && c->write_call) {
                        write_failed(rec, e.name, e.message);
                        sd_bus_error_free(&e);
                } else if (call) {
                        bus_reply_error(call, &e);
                } else {
                        sd_bus_error_free(&e);
                }
                if (!rec->removed && w->out.have_info)
                        take_info(rec, &w->out.info);
                clear_owner(rec);
        } else {
                /* Applied: what the owner set before is its settings now. */
                rawcd_staged_drop(c, c->owner);
                c->media = w->out.media;
                c->state = RAWCD_PREPARED;
                tray_mark_set(rec->name, rec->devnode);
                log_info("%s: prepared for \"%s\" (%s): lead-in start LBA %d, last lead-out start "
                         "LBA %d",
                         rec->name, c->settings.client_name, c->owner, c->media.leadin_start,
                         c->media.last_leadout);
                if (w->out.have_info)
                        take_info(rec, &w->out.info);
                rawcd_emit_state(rec);
                if (call)
                        (void)sd_bus_reply_method_return(call, "u", w->out.result);
                if (c->one_shot)
                        rawcd_begin_write(rec);
        }
        sd_bus_message_unref(call);
        free(w);
}

int rawcd_begin_prepare(Recorder *rec, sd_bus_message *call, const char *owner,
                        const rawcd_settings *s, bool one_shot)
{
        RawCD *c = &rec->rawcd;
        prepare_work *w;
        int r;

        w = calloc(1, sizeof *w);
        if (!w)
                return -ENOMEM;
        /* Shared with the caller's own exclusive access, if any. */
        r = recorder_hold(rec, &w->req.fd);
        if (r < 0) {
                free(w);
                return r;
        }
        r = set_owner(rec, owner);
        if (r < 0) {
                recorder_unhold(rec);
                free(w);
                return r;
        }
        c->fd = w->req.fd;
        c->settings = *s;
        c->one_shot = one_shot;
        c->state = RAWCD_PREPARING;
        c->prepare_call = sd_bus_message_ref(call);

        w->req.write_params = (mmc_raw_write_params){
            .data_block_type = (uint8_t)s->sector_type,
            .test_write = s->simulate,
            .bufe = !s->bufe_disabled,
        };
        w->req.speed = s->speed;
        w->req.pure_cav = s->pure_cav;
        w->req.ready_timeout_ms = rec->daemon->burn.ready_timeout_ms;
        log_info("%s: preparing for \"%s\" (%s)%s", rec->name, s->client_name, owner,
                 one_shot ? " to write one image" : "");
        rawcd_emit_state(rec);
        /* The hold above is the preparation's, not the work's, and there is
         * no busy mark: queueing cannot fail. */
        (void)recorder_work_queue(&w->base, rec, prepare_run, prepare_done);
        return 0;
}

/* ---------------------------------------------------------------- release */

typedef struct release_work {
        recorder_work base; /* first: the job is its recorder_work */
        sd_bus_message *reply;
        int fd;
        bool eject;
} release_work;

static void send_reply(Recorder *rec, sd_bus_message *reply)
{
        int r;

        if (!reply)
                return;
        r = sd_bus_send(rec->daemon->bus, reply, NULL);
        if (r < 0)
                log_debug_errno(r, "Cannot send a reply");
        sd_bus_message_unref(reply);
}

static void release_run(recorder_work *base)
{
        release_work *w = (release_work *)base;

        media_release(w->fd, base->rec->name, w->eject);
}

/* The preparation's hold, which the work took over, is let go here. */
static void release_done(recorder_work *base, int status)
{
        release_work *w = (release_work *)base;
        Recorder *rec = base->rec;

        if (status < 0)
                release_run(base); /* no worker: unlock from here */
        log_info("%s: released", rec->name);
        tray_mark_clear(rec->name);
        recorder_unhold(rec);
        /* Idle before the caller hears back: a PrepareMedia right after
         * ReleaseMedia (or a one-shot WriteMedia) finds the drive free. */
        clear_owner(rec);
        send_reply(rec, w->reply);
        free(w);
}

void rawcd_begin_release(Recorder *rec, sd_bus_message *reply)
{
        RawCD *c = &rec->rawcd;
        release_work *w = calloc(1, sizeof *w);

        c->state = RAWCD_RELEASING;
        rawcd_emit_state(rec);
        if (!w) {
                /* No memory for the worker: unlock and close right here. */
                media_release(c->fd, rec->name, false);
                tray_mark_clear(rec->name);
                recorder_unhold(rec);
                c->fd = -1;
                clear_owner(rec);
                send_reply(rec, reply);
                return;
        }
        w->reply = reply;
        w->fd = c->fd;
        /* Eject only what was written as asked: a failed burn stays put for
         * the user to look at. */
        w->eject = c->settings.eject_after_write && c->last_write_ok;
        c->fd = -1;
        c->last_write_ok = false;
        /* No hold, no busy mark: queueing cannot fail. */
        (void)recorder_work_queue(&w->base, rec, release_run, release_done);
}

static void owner_left(Recorder *rec)
{
        RawCD *c = &rec->rawcd;

        log_info("%s: \"%s\" (%s) left the bus", rec->name, c->settings.client_name,
                 c->owner ? c->owner : "?");
        switch (c->state) {
        case RAWCD_PREPARED:
                rawcd_begin_release(rec, NULL);
                break;
        case RAWCD_PREPARING:
        case RAWCD_WRITING:
                /* A write runs to its end (a half-written CD-R is lost
                 * anyway); then the drive is let go. */
                c->owner_gone = true;
                break;
        default:
                break;
        }
}

/* ---------------------------------------------------------------- speed */

typedef struct speed_work {
        recorder_work base; /* first: the job is its recorder_work */
        int fd;
        int32_t speed;
        bool pure_cav;
        uint32_t result;
        drive_error error;
        int r;
        bool have_info;
        drive_info info;
} speed_work;

static void speed_run(recorder_work *base)
{
        speed_work *w = (speed_work *)base;

        w->r = drive_set_write_speed(w->fd, w->speed, w->pure_cav, &w->result, &w->error);
        w->have_info = drive_probe_fd(w->fd, &w->info) == 0;
}

static void speed_reply(speed_work *w, int status)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;

        if (status < 0) {
                bus_error_set(&e, "Fail", uv_strerror(status));
                bus_reply_error(w->base.call, &e);
        } else if (w->r < 0) {
                bus_error_from_drive(&w->error, &e);
                bus_reply_error(w->base.call, &e);
        } else {
                (void)sd_bus_reply_method_return(w->base.call, "u", w->result);
        }
}

static void speed_done(recorder_work *base, int status)
{
        speed_work *w = (speed_work *)base;
        Recorder *rec = base->rec;

        if (!rec->removed) /* else recorder_work told the caller */
                speed_reply(w, status);
        if (!rec->removed && w->have_info)
                take_info(rec, &w->info);
        if (!rec->removed && rec->rawcd.state == RAWCD_PREPARED && rec->rawcd.owner_gone)
                rawcd_begin_release(rec, NULL);
        free(w);
}

int rawcd_begin_set_speed(Recorder *rec, sd_bus_message *call, int32_t speed, bool pure_cav)
{
        speed_work *w = calloc(1, sizeof *w);

        if (!w)
                return -ENOMEM;
        rec->rawcd.settings.speed = speed;
        rec->rawcd.settings.pure_cav = pure_cav;
        w->base.call = call;
        w->fd = rec->rawcd.fd; /* the preparation's hold */
        w->speed = speed;
        w->pure_cav = pure_cav;
        /* No hold of its own, no busy mark: queueing cannot fail. */
        (void)recorder_work_queue(&w->base, rec, speed_run, speed_done);
        rawcd_emit_state(rec);
        return 0;
}

/* ---------------------------------------------------------------- read */

typedef struct read_work {
        recorder_work base; /* first: the job is its recorder_work */
        read_request req;
        read_outcome out;
} read_work;

static void read_run(recorder_work *base)
{
        read_work *w = (read_work *)base;

        w->req.drive_fd = base->fd;
        media_read(&w->req, &w->out);
}

static void read_done(recorder_work *base, int status)
{
        read_work *w = (read_work *)base;
        Recorder *rec = base->rec;
        sd_bus_error e = SD_BUS_ERROR_NULL;

        if (status < 0) {
                close(w->req.output_fd); /* media_read() did not take it */
                drive_error_set(&w->out.error, "Fail", "the read could not be started");
        }
        if (rec->removed) {
                /* recorder_work told the caller */
        } else if (w->out.error.name) {
                bus_error_from_drive(&w->out.error, &e);
                bus_reply_error(base->call, &e);
        } else {
                (void)sd_bus_reply_method_return(base->call, NULL);
        }
        log_info("%s: read %lld sectors from LBA %d for %s", rec->name,
                 (long long)w->out.sectors_read, w->req.first_lba,
                 sd_bus_message_get_sender(base->call));
        free(w);
}

int rawcd_begin_read(Recorder *rec, sd_bus_message *call, int output, int32_t first, int32_t count,
                     bool owned)
{
        read_work *w = calloc(1, sizeof *w);
        int r;

        if (!w)
                return -ENOMEM;
        w->req.output_fd = fcntl(output, F_DUPFD_CLOEXEC, 3);
        if (w->req.output_fd < 0) {
                r = -errno;
                free(w);
                return r;
        }
        w->req.wait_ready = !owned;
        w->req.first_lba = first;
        w->req.sector_count = count;
        w->req.max_transfer = rec->max_transfer;
        w->req.ready_timeout_ms = rec->daemon->burn.ready_timeout_ms;
        w->base.call = call;
        /* The owner's prepared hold, or a hold of its own for a one-shot read:
         * the same descriptor either way (see hold_fd in recorder.h). */
        w->base.hold = true;
        w->base.busy = "reading";
        r = recorder_work_queue(&w->base, rec, read_run, read_done);
        if (r < 0) {
                close(w->req.output_fd);
                free(w);
        }
        return r;
}

/* ------------------------------------------------------------ read TOC */

typedef struct read_toc_work {
        recorder_work base; /* first: the job is its recorder_work */
        read_toc_request req;
        read_toc_outcome out;
} read_toc_work;

static void read_toc_run(recorder_work *base)
{
        read_toc_work *w = (read_toc_work *)base;

        w->req.drive_fd = base->fd;
        media_read_toc(&w->req, &w->out);
}

static void read_toc_done(recorder_work *base, int status)
{
        read_toc_work *w = (read_toc_work *)base;
        Recorder *rec = base->rec;
        sd_bus_error e = SD_BUS_ERROR_NULL;

        if (status < 0)
                drive_error_set(&w->out.error, "Fail", "the TOC read could not be started");
        if (rec->removed) {
                /* recorder_work told the caller */
        } else if (w->out.error.name) {
                bus_error_from_drive(&w->out.error, &e);
                bus_reply_error(base->call, &e);
        } else {
                sd_bus_message *reply = NULL;
                int r = sd_bus_message_new_method_return(base->call, &reply);

                if (r >= 0)
                        r = sd_bus_message_append_array(reply, 'y', w->out.response,
                                                        w->out.response_len);
                if (r >= 0)
                        r = sd_bus_send(NULL, reply, NULL);
                if (r < 0)
                        log_warning("%s: the TOC reply could not be sent: %s", rec->name,
                                    strerror(-r));
                sd_bus_message_unref(reply);
        }
        free(w->out.response);
        free(w);
}

int rawcd_begin_read_toc(Recorder *rec, sd_bus_message *call, uint8_t format, bool owned)
{
        read_toc_work *w = calloc(1, sizeof *w);
        int r;

        if (!w)
                return -ENOMEM;
        w->req.wait_ready = !owned;
        w->req.format = format;
        w->req.ready_timeout_ms = rec->daemon->burn.ready_timeout_ms;
        w->base.call = call;
        w->base.hold = true; /* as rawcd_begin_read() */
        w->base.busy = "reading";
        r = recorder_work_queue(&w->base, rec, read_toc_run, read_toc_done);
        if (r < 0)
                free(w);
        return r;
}

/* ---------------------------------------------------------------- write */

int rawcd_check_image_fd(int fd, sd_bus_error *error)
{
        struct stat st;
        int flags, soerr = 0;
        socklen_t len = sizeof soerr;
        struct sockaddr_storage peer;
        socklen_t plen = sizeof peer;

        flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fstat(fd, &st) < 0)
                return bus_error_set(error, "InvalidHandle", "the image descriptor is not open");
        if (flags & O_PATH)
                return bus_error_set(error, "InvalidArg",
                                     "the image descriptor was opened with O_PATH: open it for "
                                     "reading");
        if ((flags & O_ACCMODE) == O_WRONLY)
                return bus_error_set(error, "InvalidArg",
                                     "the image descriptor is write-only: open it for reading");
        switch (st.st_mode & S_IFMT) {
        case S_IFREG:
        case S_IFIFO:
                return 0;
        case S_IFSOCK:
                /* A socket must be a connected stream to read the image from. */
                if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr != 0 ||
                    getpeername(fd, (struct sockaddr *)&peer, &plen) < 0)
                        return bus_error_set(error, "InvalidHandle",
                                             "the image socket is not connected");
                return 0;
        case S_IFDIR:
                return bus_error_set(error, "InvalidArg",
                                     "the image descriptor is a directory, not a file or pipe");
        case S_IFCHR:
        case S_IFBLK:
                return bus_error_set(
                    error, "InvalidArg",
                    "the image descriptor is a device: pass a file, pipe or socket");
        default:
                /* eventfd, epoll, timerfd…: a handle, but not to a stream. */
                return bus_error_set(error, "Pointer",
                                     "the image descriptor is not a stream (not a file, pipe or "
                                     "socket)");
        }
}

static void free_result(rawcd_result *r)
{
        free(r->error_name);
        free(r->message);
        memset(r, 0, sizeof *r);
}

static int append_details(sd_bus_message *m, const rawcd_result *r)
{
        int k = sd_bus_message_open_container(m, 'a', "{sv}");

        if (k >= 0)
                k = sd_bus_message_append(m, "{sv}", "HResult", "u", r->hresult);
        if (k >= 0)
                k = sd_bus_message_append(m, "{sv}", "SectorsWritten", "x", r->sectors_written);
        if (k >= 0)
                k = sd_bus_message_append(m, "{sv}", "ElapsedTime", "i", r->elapsed);
        if (k >= 0)
                k = sd_bus_message_append(m, "{sv}", "Simulated", "b", r->simulated);
        if (k >= 0)
                k = sd_bus_message_append(m, "{sv}", "MajorFaults", "x", r->major_faults);
        if (k >= 0 && r->has_sense)
                k = sd_bus_message_append(m, "{sv}", "Sense", "s", r->sense);
        if (k >= 0 && r->op)
                k = sd_bus_message_append(m, "{sv}", "Command", "y", r->op);
        if (k >= 0)
                k = sd_bus_message_close_container(m);
        return k;
}

int rawcd_append_last_result(sd_bus_message *m, const RawCD *c)
{
        int k = sd_bus_message_open_container(m, 'r', "ssa{sv}");

        if (k >= 0)
                k = sd_bus_message_append(m, "ss", c->last.error_name ? c->last.error_name : "",
                                          c->last.message ? c->last.message : "");
        if (k >= 0)
                k = c->last.have ? append_details(m, &c->last)
                                 : sd_bus_message_append(m, "a{sv}", 0);
        if (k >= 0)
                k = sd_bus_message_close_container(m);
        return k;
}

static void emit_finished(Recorder *rec)
{
        RawCD *c = &rec->rawcd;
        sd_bus_message *m = NULL;
        int k;

        if (!on_bus(rec))
                return;
        k = sd_bus_message_new_signal(rec->daemon->bus, &m, rec->path, RAWBURN_RAWCD_IFACE,
                                      "WriteFinished");
        if (k >= 0)
                k = sd_bus_message_append(m, "ss", c->last.error_name ? c->last.error_name : "",
                                          c->last.message ? c->last.message : "");
        if (k >= 0)
                k = append_details(m, &c->last);
        if (k >= 0)
                k = sd_bus_send(rec->daemon->bus, m, NULL);
        if (k < 0)
                log_warning_errno(k, "Cannot send WriteFinished for %s", rec->name);
        sd_bus_message_unref(m);
        (void)sd_bus_emit_properties_changed(rec->daemon->bus, rec->path, RAWBURN_RAWCD_IFACE,
                                             "LastWriteResult", "WriterScheduling", NULL);
}

/* Ends the write: the reply, the signal, the drive back to prepared (or let
 * go). error NULL: success. */
static void end_write(Recorder *rec, const sd_bus_error *error, const burn_result *res)
{
        RawCD *c = &rec->rawcd;
        sd_bus_message *reply = NULL;
        const imapi_error *known = error ? imapi_error_lookup(error->name) : NULL;

        free_result(&c->last);
        c->last.have = true;
        c->last.error_name = error ? strdup(error->name) : NULL;
        c->last.message = strdup(error && error->message ? error->message : "");
        c->last.hresult = known ? known->hresult : error ? 0x80004005u : 0;
        if (res) {
                c->last.sectors_written = res->sectors_written;
                c->last.major_faults = res->major_faults;
                c->last.elapsed = (int32_t)res->seconds;
                c->last.simulated = res->simulated;
                c->last.has_sense = res->error.has_sense;
                drive_error_sense_text(&res->error, c->last.sense);
                c->last.op = res->error.op;
        }
        c->last_write_ok = error == NULL;
        if (res && res->sectors_written > 0 && !res->simulated)
                recorder_announce_media_change(rec);
        /* Suspend is allowed again before anyone hears the write is over. */
        if (c->inhibit_fd >= 0)
                close(c->inhibit_fd);
        c->inhibit_fd = -1;
        emit_finished(rec);

        if (c->write_call) {
                int k = error ? sd_bus_message_new_method_error(c->write_call, &reply, error)
                              : sd_bus_message_new_method_return(c->write_call, &reply);

                if (k < 0)
                        log_warning_errno(k, "Cannot answer WriteMedia on %s", rec->name);
                c->write_call = sd_bus_message_unref(c->write_call);
        }
        if (c->image_fd >= 0)
                close(c->image_fd);
        c->image_fd = -1;
        memset(&c->progress, 0, sizeof c->progress);
        if (on_bus(rec))
                (void)sd_bus_emit_properties_changed(
                    rec->daemon->bus, rec->path, RAWBURN_RAWCD_IFACE, "CurrentAction",
                    "ElapsedTime", "RemainingTime", "StartLba", "SectorCount", "LastReadLba",
                    "LastWrittenLba", "TotalSystemBuffer", "UsedSystemBuffer", "FreeSystemBuffer",
                    "TotalDeviceBuffer", "UsedDeviceBuffer", NULL);

        if (rec->removed) {
                /* Unplugged: nothing to unlock. Stopping: unlock the tray. */
                if (rec->daemon->stopping && c->fd >= 0)
                        media_release(c->fd, rec->name, false);
                if (c->fd >= 0)
                        recorder_unhold(rec);
                c->fd = -1;
                tray_mark_clear(rec->name);
                clear_owner(rec);
                send_reply(rec, reply);
                return;
        }
        if (c->fd < 0) {
                /* The preparation failed: prepare_done lets go. */
                send_reply(rec, reply);
                return;
        }
        c->state = RAWCD_PREPARED;
        rawcd_emit_state(rec);
        /* A one-shot write answers once the drive is free again. */
        if (c->one_shot || c->owner_gone)
                rawcd_begin_release(rec, reply);
        else
                send_reply(rec, reply);
}

static void write_failed(Recorder *rec, const char *name, const char *detail)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;

        /* detail may already be a full imapi_error message: keep it as it is. */
        sd_bus_error_set(&e, name, detail);
        end_write(rec, &e, NULL);
        sd_bus_error_free(&e);
}

static void write_failed_rb(Recorder *rec, const char *rb_name, const char *detail)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;

        bus_error_set(&e, rb_name, detail);
        end_write(rec, &e, NULL);
        sd_bus_error_free(&e);
}

static void send_update(Recorder *rec, const burn_progress *p, int32_t action)
{
        (void)sd_bus_emit_signal(
            rec->daemon->bus, rec->path, RAWBURN_RAWCD_IFACE, "Update", "iiiiiiiiiiii", action,
            p->elapsed_time, p->remaining_time, p->start_lba, p->sector_count, p->last_read_lba,
            p->last_written_lba, p->total_system_buffer, p->used_system_buffer,
            p->free_system_buffer, p->total_device_buffer, p->used_device_buffer);
}

/* entered: the phases the burn thread has begun (1 << action). uv_async
 * folds wake-ups together, so a short phase may be over before the loop
 * thread looks: it still gets its Update, in order, before the current one. */
static void emit_update(Recorder *rec, unsigned entered)
{
        RawCD *c = &rec->rawcd;
        const burn_progress *p = &c->progress;
        uint64_t now = now_usec();

        if (!on_bus(rec))
                return;
        for (int32_t a = RAWBURN_WRITE_ACTION_PREPARING; a < p->action; a++)
                if ((entered & ~c->actions_signalled) & (1u << a))
                        send_update(rec, p, a);
        c->actions_signalled |= entered;
        send_update(rec, p, p->action);
        if (now - c->progress_props_usec >= PROGRESS_PROPS_INTERVAL_USEC) {
                c->progress_props_usec = now;
                (void)sd_bus_emit_properties_changed(
                    rec->daemon->bus, rec->path, RAWBURN_RAWCD_IFACE, "CurrentAction",
                    "ElapsedTime", "RemainingTime", "StartLba", "SectorCount", "LastReadLba",
                    "LastWrittenLba", "TotalSystemBuffer", "UsedSystemBuffer", "FreeSystemBuffer",
                    "TotalDeviceBuffer", "UsedDeviceBuffer", NULL);
        }
}

static void on_job(burn_job *job, bool done, void *userdata)
{
        Recorder *rec = userdata;
        RawCD *c = &rec->rawcd;
        int action = c->progress.action;
        sd_bus_error e = SD_BUS_ERROR_NULL;
        bool drive_gone;

        burn_job_progress(job, &c->progress);
        snprintf(c->writer_scheduling, sizeof c->writer_scheduling, "%s", job->result.scheduling);
        if (action != c->progress.action)
                c->progress_props_usec = 0; /* a new phase: tell late joiners now */
        if (!done) {
                emit_update(rec, atomic_load(&job->actions_entered));
                return;
        }
        emit_update(rec, atomic_load(&job->actions_entered));

        burn_job_wait(job);
        rec->daemon->burn.buffer_bytes_in_use -= job->p.buffer_bytes;
        drive_gone = rec->removed || (job->result.error.name && !job->result.error.has_sense &&
                                      recorder_left_sysfs(rec));
        if (rec->removed && rec->daemon->stopping)
                drive_error_set(&job->result.error, "RequestCancelled",
                                "rawburnd is stopping: the write was cancelled after %lld "
                                "sectors",
                                (long long)job->result.sectors_written);
        else if (drive_gone &&
                 (!job->result.error.name || strcmp(job->result.error.name, "DeviceNotExist") != 0))
                drive_error_set(&job->result.error, "DeviceNotExist",
                                "the drive was removed during the write");
        if (job->result.have_info && !rec->removed)
                take_info(rec, &job->result.info);
        if (job->result.error.name) {
                bus_error_from_drive(&job->result.error, &e);
                log_info("%s: write for \"%s\" failed: %s", rec->name, c->settings.client_name,
                         e.message);
        } else {
                log_info("%s: write for \"%s\" done: %lld sectors%s", rec->name,
                         c->settings.client_name, (long long)job->result.sectors_written,
                         job->result.simulated ? " (simulated: nothing recorded)" : "");
        }
        c->job = NULL;
        end_write(rec, job->result.error.name ? &e : NULL, &job->result);
        sd_bus_error_free(&e);
        burn_job_finish(job);
        recorder_unref(rec);
}

static void start_job(Recorder *rec)
{
        RawCD *c = &rec->rawcd;
        Daemon *d = rec->daemon;
        burn_job *job;
        burn_params *p;

        job = calloc(1, sizeof *job);
        if (!job) {
                write_failed_rb(rec, "OutOfMemory", "no memory for the write");
                return;
        }
        p = &job->p;
        snprintf(p->drive_name, sizeof p->drive_name, "%s", rec->name);
        p->drive_fd = c->fd;
        p->sector_type = c->settings.sector_type;
        p->stream_leadin = c->stream_leadin;
        p->leadin_start = c->media.leadin_start;
        p->last_leadout = c->media.last_leadout;
        p->overburn = c->settings.overburn;
        p->simulate = c->settings.simulate;
        p->bufe = !c->settings.bufe_disabled;
        p->speed = c->settings.speed;
        p->check_after_write = c->settings.check_after_write && !c->settings.simulate;
        p->pure_cav = c->settings.pure_cav;
        p->max_transfer = rec->max_transfer;
        p->buffer_bytes = d->burn.buffer_bytes;
        p->rt_priority = d->burn.rt_priority;
        p->command_timeout_ms = d->burn.command_timeout_ms;
        p->finish_timeout_ms = d->burn.finish_timeout_ms;

        d->burn.buffer_bytes_in_use += p->buffer_bytes;
        if (burn_job_start(d->loop, job, c->image_fd, on_job, rec) < 0) {
                sd_bus_error e = SD_BUS_ERROR_NULL;

                d->burn.buffer_bytes_in_use -= p->buffer_bytes;
                bus_error_from_drive(&job->result.error, &e);
                end_write(rec, &e, &job->result);
                sd_bus_error_free(&e);
                burn_job_finish(job);
                return;
        }
        c->job = job;
        recorder_ref(rec); /* dropped when the job is done */
        log_info("%s: writing for \"%s\": %s sectors from LBA %d, stream lead-in %d sectors",
                 rec->name, c->settings.client_name,
                 stream_sector_size(p->sector_type) == 2368 ? "2368-byte" : "2448-byte",
                 p->leadin_start, p->stream_leadin);
}

static void on_inhibited(int fd, void *userdata)
{
        Recorder *rec = userdata;
        RawCD *c = &rec->rawcd;

        if (fd >= 0)
                c->inhibit_fd = fd;
        if (rec->removed || c->state != RAWCD_WRITING)
                write_failed_rb(rec, "DeviceNotExist", "the drive was removed");
        else if (c->cancel_pending)
                write_failed_rb(rec, "RequestCancelled",
                                "cancelled before anything was written: the disc is untouched");
        else
                start_job(rec);
        recorder_unref(rec);
}

/* The checks that need the prepared media: the stream against the media's
 * lead-in and the buffer the daemon can give. */
static bool check_stream_against_media(Recorder *rec)
{
        RawCD *c = &rec->rawcd;
        Daemon *d = rec->daemon;
        size_t ss = stream_sector_size(c->settings.sector_type);
        struct stat st;
        char detail[300];

        if (c->stream_leadin < -c->media.leadin_start) {
                rb_msf_t have = {0, 0, 0}, need = {0, 0, 0};

                (void)rb_lba_to_msf(-c->stream_leadin, &have);
                (void)rb_lba_to_msf(c->media.leadin_start, &need);
                snprintf(detail, sizeof detail,
                         "the stream starts at %02u:%02u:%02u (LBA %d, %d sectors before LBA 0), "
                         "this disc's lead-in starts earlier, at %02u:%02u:%02u (LBA %d)",
                         have.m, have.s, have.f, -c->stream_leadin, c->stream_leadin, need.m,
                         need.s, need.f, c->media.leadin_start);
                write_failed_rb(rec, "StreamLeadinTooShort", detail);
                return false;
        }
        if (fstat(c->image_fd, &st) == 0 && S_ISREG(st.st_mode)) {
                if ((uint64_t)st.st_size % ss != 0) {
                        snprintf(detail, sizeof detail,
                                 "the image is %llu bytes, not a whole number of %zu-byte sectors "
                                 "(RequestedSectorType %d)",
                                 (unsigned long long)st.st_size, ss, c->settings.sector_type);
                        write_failed_rb(rec, "StreamNotSupported", detail);
                        return false;
                }
                if ((uint64_t)st.st_size / ss <= (uint64_t)c->stream_leadin) {
                        snprintf(detail, sizeof detail,
                                 "the image holds %llu sectors, fewer than the %d of its lead-in "
                                 "and pregap",
                                 (unsigned long long)(st.st_size / ss), c->stream_leadin);
                        write_failed_rb(rec, "StreamNotSupported", detail);
                        return false;
                }
        }
        if (d->burn.buffer_bytes_in_use + d->burn.buffer_bytes > d->burn.max_buffer_bytes) {
                snprintf(detail, sizeof detail,
                         "running burns hold %zu MiB of buffer, another %zu MiB would pass the "
                         "limit of %zu MiB (rawburnd --max-buffer-memory)",
                         d->burn.buffer_bytes_in_use >> 20, d->burn.buffer_bytes >> 20,
                         d->burn.max_buffer_bytes >> 20);
                write_failed_rb(rec, "OutOfMemory", detail);
                return false;
        }
        return true;
}

void rawcd_begin_write(Recorder *rec)
{
        RawCD *c = &rec->rawcd;
        char why[96];
        int r;

        c->state = RAWCD_WRITING;
        c->cancel_pending = false;
        c->actions_signalled = 0;
        memset(&c->progress, 0, sizeof c->progress);
        c->progress.action = RAWBURN_WRITE_ACTION_PREPARING;
        rawcd_emit_state(rec);
        if (!check_stream_against_media(rec))
                return;
        snprintf(why, sizeof why, "Writing a disc in %s", rec->devnode);
        r = inhibit_take(rec->daemon->bus, c->settings.client_name, why, on_inhibited,
                         recorder_ref(rec));
        if (r < 0) {
                log_notice("%s: no logind inhibitor (%s)", rec->name, strerror(-r));
                on_inhibited(r, rec);
        }
}

/* ---------------------------------------------------------------- lifetime */

void rawcd_init(RawCD *c)
{
        memset(c, 0, sizeof *c);
        c->fd = c->image_fd = c->inhibit_fd = -1;
        rawcd_settings_default(&c->settings, NULL);
        c->settings.client_name[0] = '\0';
}

void rawcd_recorder_removed(Recorder *rec, bool stopping)
{
        RawCD *c = &rec->rawcd;

        rawcd_staged_drop_all(c);
        if (c->job) {
                burn_job_cancel(c->job);
                if (stopping) {
                        /* Shutting down: the write ends now, in the loop thread. */
                        burn_job_wait(c->job);
                        on_job(c->job, true, rec);
                }
        }
        if (c->state == RAWCD_PREPARED && c->fd >= 0) {
                if (stopping) /* unlock the tray; unplugged, there is nothing to unlock */
                        media_release(c->fd, rec->name, false);
                recorder_unhold(rec);
                c->fd = -1;
                tray_mark_clear(rec->name);
                clear_owner(rec);
        }
}

void rawcd_free(RawCD *c)
{
        rawcd_staged_drop_all(c);
        c->owner_track = sd_bus_track_unref(c->owner_track);
        free(c->owner);
        if (c->image_fd >= 0)
                close(c->image_fd);
        if (c->inhibit_fd >= 0)
                close(c->inhibit_fd);
        sd_bus_message_unref(c->prepare_call);
        sd_bus_message_unref(c->write_call);
        free_result(&c->last);
}
