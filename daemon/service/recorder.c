/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus-errors.h"
#include "drive-ops.h"
#include "erase-bus.h"
#include "log.h"
#include "media-prepare.h"
#include "quirks.h"
#include "rawcd-bus.h"
#include "recorder-bus.h"
#include "recorder-work.h"
#include "recorder.h"
#include "tray-marks.h"

/*
 * One Recorder per optical drive: its lifetime, its probes (on libuv worker
 * threads, since SG_IO blocks) and its presence on the bus. The object is
 * exported once the first probe is done, so that InterfacesAdded already
 * carries real values.
 */

typedef struct probe_job {
        recorder_work base; /* first: the job is its recorder_work */
        char *devnode;
        bool write_modes;  /* also confirm the write modes (until that has been done once) */
        int write_modes_r; /* what drive_probe_write_modes() returned */
        drive_info info;
} probe_job;

Recorder *recorder_ref(Recorder *r)
{
        r->refs++;
        return r;
}

static void recorder_free(Recorder *r)
{
        for (unsigned i = 0; i < r->n_probe_waiters; i++)
                sd_bus_message_unref(r->probe_waiters[i]);
        rawcd_free(&r->rawcd);
        free(r->job_owner);
        free(r->syspath);
        sd_bus_track_unref(r->excl_track);
        sd_bus_track_unref(r->mcn_track);
        if (r->hold_fd >= 0)
                close(r->hold_fd);
        free(r->excl_client_name);
        free(r->excl_bus_name);
        free(r->name);
        free(r->path);
        free(r->devnode);
        free(r->sg_devnode);
        free(r->unique_id);
        free(r);
}

void recorder_unref(Recorder *r)
{
        if (r && --r->refs == 0)
                recorder_free(r);
}

static int parse_number(const char *name)
{
        const char *p = name + strcspn(name, "0123456789");

        return *p ? atoi(p) : -1;
}

int recorder_new(Daemon *d, const char *name, const char *devnode, const char *sg_devnode,
                 const char *unique_id, Recorder **ret)
{
        Recorder *r = calloc(1, sizeof *r), **tail;
        int k;

        if (!r)
                return -ENOMEM;
        r->daemon = d;
        r->refs = 1;
        r->hold_fd = -1;
        rawcd_init(&r->rawcd);
        r->number = parse_number(name);
        r->name = strdup(name);
        r->devnode = strdup(devnode);
        r->sg_devnode = sg_devnode ? strdup(sg_devnode) : NULL;
        r->unique_id = strdup(unique_id ? unique_id : devnode);
        if (!r->name || !r->devnode || !r->unique_id || (sg_devnode && !r->sg_devnode)) {
                recorder_free(r);
                return -ENOMEM;
        }
        /* Kernel names are [a-z0-9] in practice; encode anyway so that any name
         * makes a valid object path. */
        k = sd_bus_path_encode(RAWBURN_RECORDER_PATH, name, &r->path);
        if (k < 0) {
                recorder_free(r);
                return k;
        }
        /* Keep the list in the order drives appeared. */
        for (tail = &d->recorders; *tail; tail = &(*tail)->next)
                ;
        *tail = r;
        *ret = r;
        return 0;
}

static void unexport(Recorder *r)
{
        if (!r->exported)
                return;
        (void)sd_bus_emit_object_removed(r->daemon->bus, r->path);
        r->slot_recorder = sd_bus_slot_unref(r->slot_recorder);
        r->slot_rawcd = sd_bus_slot_unref(r->slot_rawcd);
        r->slot_erase = sd_bus_slot_unref(r->slot_erase);
        r->exported = false;
        manager_recorders_changed(r->daemon);
}

static int export(Recorder *r)
{
        sd_bus *bus = r->daemon->bus;
        int k;

        k = sd_bus_add_object_vtable(bus, &r->slot_recorder, r->path, RAWBURN_RECORDER_IFACE,
                                     recorder_vtable, r);
        if (k < 0)
                return k;
        k = sd_bus_add_object_vtable(bus, &r->slot_rawcd, r->path, RAWBURN_RAWCD_IFACE,
                                     rawcd_vtable, r);
        if (k >= 0)
                k = sd_bus_add_object_vtable(bus, &r->slot_erase, r->path, RAWBURN_ERASE_IFACE,
                                             erase_vtable, r);
        if (k < 0) {
                r->slot_recorder = sd_bus_slot_unref(r->slot_recorder);
                r->slot_rawcd = sd_bus_slot_unref(r->slot_rawcd);
                return k;
        }
        r->exported = true;
        (void)sd_bus_emit_object_added(bus, r->path);
        manager_recorders_changed(r->daemon);
        return 0;
}

void recorder_remove(Recorder *r)
{
        Daemon *d = r->daemon;

        for (Recorder **p = &d->recorders; *p; p = &(*p)->next)
                if (*p == r) {
                        *p = r->next;
                        break;
                }
        r->next = NULL;
        r->removed = true;
        rawcd_recorder_removed(r, d->stopping);
        recorder_release_exclusive(r);
        unexport(r);
        recorder_unref(r);
}

static void probe_work(recorder_work *w)
{
        probe_job *job = (probe_job *)w;

        if (drive_probe(job->devnode, &job->info) < 0 || !job->write_modes)
                return;
        /* MODE SELECT probes of page 05h, once per drive: they change the page for a moment
         * (and put it back), so they are not repeated on every media change. */
        job->write_modes_r = drive_probe_write_modes(job->devnode, &job->info);
}

static void log_write_modes(const Recorder *r)
{
        const char *names[2 * WRITE_MODE_COUNT];
        char text[256] = "";
        size_t n, len = 0;

        n = write_modes_names(write_modes_supported(&r->info.write_modes), names,
                              sizeof names / sizeof names[0]);
        for (size_t k = 0; k < n && len < sizeof text; k++)
                len +=
                    (size_t)snprintf(text + len, sizeof text - len, "%s%s", k ? " " : "", names[k]);
        log_info("Drive %s writes %s%s", r->name, n ? text : "nothing",
                 r->info.write_modes.probed ? "" : " (claimed, not confirmed by MODE SELECT)");
        if (r->info.write_offset.have)
                log_info("Drive %s: write offset %+d samples (%s quirks file)", r->name,
                         (int)r->info.write_offset.samples,
                         rb_quirks_origin_name(r->info.write_offset.origin));
}

bool recorder_adopt_info(Recorder *r, const drive_info *fresh)
{
        drive_info old_info, *old = &old_info; /* a few KiB, on the loop thread */
        bool had = r->have_info, changed, modes_news;

        memcpy(old, &r->info, sizeof *old);
        memcpy(&r->info, fresh, sizeof r->info);
        /* The write modes are confirmed once (drive_probe_write_modes): a probe that did not
         * (not asked to, the drive busy or not ready) keeps what an earlier one found. */
        if (!r->info.write_modes.probed && had && old->write_modes.probed) {
                r->info.write_modes.accepted = old->write_modes.accepted;
                r->info.write_modes.probed = true;
        }
        /* What the drive is does not change with one failed answer: a probe
         * that could not read the identity, features or capabilities keeps
         * the last ones (ProbeError says what went wrong). */
        if (had && !r->info.have_inquiry && old->have_inquiry) {
                r->info.inquiry = old->inquiry;
                r->info.have_inquiry = true;
        }
        if (had && !r->info.have_config && old->have_config) {
                r->info.config = old->config;
                r->info.have_config = true;
                r->info.write_modes = old->write_modes;
        }
        if (had && !r->info.have_caps && old->have_caps) {
                r->info.caps = old->caps;
                r->info.have_caps = true;
        }
        quirks_apply(&r->daemon->quirks, &r->info);
        r->have_info = true;
        changed = !had || memcmp(old, &r->info, sizeof *old) != 0;
        modes_news = !had ||
                     write_modes_supported(&old->write_modes) !=
                         write_modes_supported(&r->info.write_modes) ||
                     old->write_modes.probed != r->info.write_modes.probed;
        if (modes_news)
                log_write_modes(r);
        return changed;
}

int recorder_wait_for_probe(Recorder *r, sd_bus_message *call)
{
        if (r->n_probe_waiters == RECORDER_PROBE_WAITERS_MAX)
                return -ENOSPC;
        r->probe_waiters[r->n_probe_waiters++] = sd_bus_message_ref(call);
        polkit_keep_answer(r->daemon->polkit, call);
        log_debug("%s: %s waits for the drive's probe", r->name, sd_bus_message_get_member(call));
        return 0;
}

int recorder_resume_call(Recorder *r, sd_bus_message *call)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        int k = r->removed ? -ENODEV : polkit_requeue(r->daemon->polkit, call);

        if (k >= 0)
                return 0;
        polkit_forget_answer(r->daemon->polkit, call);
        if (k == -ENODEV)
                bus_error_set(&e, "DeviceNotExist", "the drive was unplugged");
        else
                sd_bus_error_set_errnof(&e, -k, "Cannot resume the call: %s", strerror(-k));
        (void)sd_bus_reply_method_error(call, &e);
        sd_bus_error_free(&e);
        return k;
}

/* The calls that waited for the probe run again, or hear that the drive left. */
static void resume_probe_waiters(Recorder *r)
{
        unsigned n = r->n_probe_waiters;

        r->n_probe_waiters = 0;
        for (unsigned i = 0; i < n; i++) {
                (void)recorder_resume_call(r, r->probe_waiters[i]);
                sd_bus_message_unref(r->probe_waiters[i]);
        }
}

void recorder_reapply_quirks(Recorder *r)
{
        drive_info *old;

        if (!r->have_info || r->removed)
                return;
        old = malloc(sizeof *old); /* a few KiB */
        if (!old)
                return;
        memcpy(old, &r->info, sizeof *old);
        quirks_apply(&r->daemon->quirks, &r->info);
        if (memcmp(old, &r->info, sizeof *old) != 0) {
                log_write_modes(r);
                if (r->exported)
                        recorder_emit_changed(r);
        }
        free(old);
}

static void probe_done(recorder_work *w, int status)
{
        probe_job *job = (probe_job *)w;
        Recorder *r = w->rec;
        bool changed;

        r->probing = false;
        if (status < 0)
                log_error("Cannot queue probe of %s: %s", r->name, uv_strerror(status));
        if (r->removed || status < 0)
                goto out;

        if (job->write_modes && job->write_modes_r < 0)
                log_debug("Drive %s: write modes not confirmed yet: %s", r->name,
                          strerror(-job->write_modes_r));
        if (job->info.error[0] && strcmp(job->info.error, r->info.error) != 0)
                log_warning("Drive %s misbehaves: %s", r->name, job->info.error);
        changed = recorder_adopt_info(r, &job->info);

        if (!r->exported) {
                int k = export(r);

                if (k < 0)
                        log_error_errno(k, "Cannot export %s on the bus", r->path);
        } else if (changed) {
                recorder_emit_changed(r);
        }

        if (r->probe_again) {
                r->probe_again = false;
                recorder_refresh(r);
        }
out:
        resume_probe_waiters(r);
        daemon_maybe_request_name(r->daemon);
        free(job->devnode);
        free(job);
}

void recorder_refresh(Recorder *r)
{
        probe_job *job;

        if (r->removed)
                return;
        if (r->probing || r->rawcd.state != RAWCD_IDLE) {
                /* One probe at a time; the events that came meanwhile are
                 * covered by one more run afterwards. A prepared drive is
                 * not probed behind its owner's back: it is read again when
                 * let go. */
                r->probe_again = true;
                return;
        }
        job = calloc(1, sizeof *job);
        if (!job)
                return;
        job->devnode = strdup(r->devnode);
        if (!job->devnode) {
                free(job);
                return;
        }
        job->write_modes = !(r->have_info && r->info.write_modes.probed);
        r->probing = true;
        /* No hold, no busy mark: queueing cannot fail. */
        (void)recorder_work_queue(&job->base, r, probe_work, probe_done);
}

void recorder_announce_media_change(Recorder *r)
{
        char path[PATH_MAX];
        int fd;

        if (r->removed || !r->syspath)
                return;
        /* udisks and desktops learn about a burned or erased disc from a
         * change uevent; writing it here is what the kernel does for a disc
         * inserted. */
        snprintf(path, sizeof path, "%s/uevent", r->syspath);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "change", 6) != 6)
                log_warning("%s: cannot announce the new disc (%s): %s", r->name, path,
                            strerror(errno));
        else
                log_debug("%s: announced the new disc (change uevent)", r->name);
        if (fd >= 0)
                close(fd);
}

/* ---- a tray an earlier rawburnd left locked (tray-marks.h) */

typedef struct unlock_job {
        recorder_work base; /* first: the job is its recorder_work */
        char *devnode;
} unlock_job;

static void unlock_work(recorder_work *w)
{
        unlock_job *job = (unlock_job *)w;
        /* Read-write, as PREVENT ALLOW MEDIUM REMOVAL needs (tray-marks.c). */
        int fd = open(job->devnode, O_RDWR | O_NONBLOCK | O_CLOEXEC);

        if (fd >= 0) {
                media_release(fd, w->rec->name, false);
                close(fd);
        }
}

static void unlock_done(recorder_work *w, int status)
{
        unlock_job *job = (unlock_job *)w;

        if (status >= 0)
                log_notice("%s: unlocked the tray an earlier rawburnd left locked", w->rec->name);
        w->rec->unlocking = false;
        daemon_maybe_request_name(w->rec->daemon);
        free(job->devnode);
        free(job);
}

void recorder_unlock_stale_tray(Recorder *r)
{
        unlock_job *job;

        if (!tray_mark_take(r->name))
                return;
        job = calloc(1, sizeof *job);
        if (!job || !(job->devnode = strdup(r->devnode))) {
                free(job);
                return;
        }
        r->unlocking = true;
        /* No hold, no busy mark: queueing cannot fail. */
        (void)recorder_work_queue(&job->base, r, unlock_work, unlock_done);
}

int recorder_hold(Recorder *r, int *fd)
{
        if (r->hold_refs == 0) {
                int k = drive_open_exclusive(r->devnode, &r->hold_fd);

                if (k < 0) {
                        r->hold_fd = -1;
                        return k;
                }
        }
        r->hold_refs++;
        *fd = r->hold_fd;
        return 0;
}

void recorder_unhold(Recorder *r)
{
        if (r->hold_refs == 0 || --r->hold_refs > 0)
                return;
        close(r->hold_fd); /* and with it the flock */
        r->hold_fd = -1;
}
