/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "recorder-bus.h"

#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "bus-errors.h"
#include "bus-util.h"
#include "drive-ops.h"
#include "hold-wait.h"
#include "log.h"
#include "recorder-access.h"
#include "recorder-work.h"

#define ACTION_EJECT     "org.rawburn1.eject"
#define ACTION_EXCLUSIVE "org.rawburn1.acquire-exclusive-access"

static const drive_info *info_of(void *userdata)
{
        return &((Recorder *)userdata)->info;
}

/* ------------------------------------------------------------- getters */

GETTER(get_vendor)
{
        return sd_bus_message_append(reply, "s", info_of(userdata)->inquiry.vendor);
}

GETTER(get_product)
{
        return sd_bus_message_append(reply, "s", info_of(userdata)->inquiry.product);
}

GETTER(get_revision)
{
        return sd_bus_message_append(reply, "s", info_of(userdata)->inquiry.revision);
}

GETTER(get_active_id)
{
        return sd_bus_message_append(reply, "s", ((Recorder *)userdata)->unique_id);
}

GETTER(get_volume_name)
{
        return sd_bus_message_append(reply, "s", ((Recorder *)userdata)->devnode);
}

GETTER(get_device_paths)
{
        Recorder *rec = userdata;

        if (rec->sg_devnode)
                return sd_bus_message_append(reply, "as", 2, rec->devnode, rec->sg_devnode);
        return sd_bus_message_append(reply, "as", 1, rec->devnode);
}

/* Where a file system on the disc is mounted: Linux's "drive letters and
 * NTFS mount points". Read on demand; mounts do not go through udev. */
GETTER(get_volume_path_names)
{
        Recorder *rec = userdata;
        FILE *f = setmntent("/proc/self/mounts", "re");
        struct mntent *m;
        int r;

        r = sd_bus_message_open_container(reply, 'a', "s");
        if (r < 0)
                goto out;
        while (f && (m = getmntent(f)))
                if (strcmp(m->mnt_fsname, rec->devnode) == 0) {
                        r = sd_bus_message_append(reply, "s", m->mnt_dir);
                        if (r < 0)
                                goto out;
                }
        r = sd_bus_message_close_container(reply);
out:
        if (f)
                endmntent(f);
        return r;
}

GETTER(get_can_load)
{
        const drive_info *i = info_of(userdata);

        return sd_bus_message_append(reply, "b", i->have_caps && mmc_caps_can_load(&i->caps));
}

GETTER(get_legacy_number)
{
        return sd_bus_message_append(reply, "i", ((Recorder *)userdata)->number);
}

static int append_features(sd_bus_message *reply, const drive_info *i, bool only_current)
{
        int32_t v[MMC_MAX_FEATURES];
        size_t n = 0;

        for (size_t k = 0; k < i->config.n_features; k++)
                if (!only_current || i->config.feature_current[k])
                        v[n++] = i->config.features[k];
        return bus_append_int_array(reply, v, n);
}

GETTER(get_supported_features)
{
        return append_features(reply, info_of(userdata), false);
}

GETTER(get_current_features)
{
        return append_features(reply, info_of(userdata), true);
}

static int append_profiles(sd_bus_message *reply, const drive_info *i, bool only_current)
{
        int32_t v[MMC_MAX_PROFILES];
        size_t n = 0;

        for (size_t k = 0; k < i->config.n_profiles; k++)
                if (!only_current || (i->config.profile_current[k] && i->media_present))
                        v[n++] = i->config.profiles[k];
        return bus_append_int_array(reply, v, n);
}

GETTER(get_supported_profiles)
{
        return append_profiles(reply, info_of(userdata), false);
}

GETTER(get_current_profiles)
{
        return append_profiles(reply, info_of(userdata), true);
}

GETTER(get_mode_pages)
{
        const drive_info *i = info_of(userdata);
        int32_t v[DRIVE_MAX_MODE_PAGES];

        for (size_t k = 0; k < i->n_mode_pages; k++)
                v[k] = i->mode_pages[k];
        return bus_append_int_array(reply, v, i->n_mode_pages);
}

GETTER(get_excl_owner)
{
        Recorder *rec = userdata;

        /* A preparation takes the drive exclusively under its client name, as
         * IMAPI2's writers take the lock themselves. */
        if (rec->rawcd.owner)
                return sd_bus_message_append(reply, "s", rec->rawcd.settings.client_name);
        return sd_bus_message_append(reply, "s",
                                     rec->excl_client_name ? rec->excl_client_name : "");
}

GETTER(get_media_present)
{
        return sd_bus_message_append(reply, "b", info_of(userdata)->media_present);
}

GETTER(get_write_modes)
{
        const char *names[2 * WRITE_MODE_COUNT];
        size_t n = write_modes_names(write_modes_supported(&info_of(userdata)->write_modes), names,
                                     sizeof names / sizeof names[0]);
        int r = sd_bus_message_open_container(reply, 'a', "s");

        for (size_t k = 0; r >= 0 && k < n; k++)
                r = sd_bus_message_append(reply, "s", names[k]);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

GETTER(get_probe_error)
{
        return sd_bus_message_append(reply, "s", info_of(userdata)->error);
}

/* The quirks files' offsets for the drive (docs/quirks.md): 0 and "none" without one. The
 * write offset is burn's, the read offset a copy's. */
static int append_offset(sd_bus_message *reply, const quirk_offset *o)
{
        return sd_bus_message_append(reply, "i", o->samples);
}

static int append_offset_source(sd_bus_message *reply, const quirk_offset *o)
{
        return sd_bus_message_append(reply, "s", rb_quirks_origin_name(o->origin));
}

GETTER(get_write_offset)
{
        return append_offset(reply, &info_of(userdata)->write_offset);
}

GETTER(get_write_offset_source)
{
        return append_offset_source(reply, &info_of(userdata)->write_offset);
}

GETTER(get_read_offset)
{
        return append_offset(reply, &info_of(userdata)->read_offset);
}

GETTER(get_read_offset_source)
{
        return append_offset_source(reply, &info_of(userdata)->read_offset);
}

/* ------------------------------------------------------------- methods */

typedef struct tray_job {
        recorder_work base; /* first: the job is its recorder_work */
        char *devnode;
        bool load;
        int result;
        scsi_sense sense;
} tray_job;

static void tray_work(recorder_work *w)
{
        tray_job *job = (tray_job *)w;

        job->result = drive_load_eject(job->devnode, job->load, &job->sense);
}

static void tray_reply(tray_job *job, int status)
{
        sd_bus_message *call = job->base.call;
        sd_bus_error e = SD_BUS_ERROR_NULL;

        if (status < 0) {
                bus_error_set(&e, "Fail", "cannot queue the command");
                bus_reply_error(call, &e);
        } else if (job->result == -EIO) {
                bus_error_set_sense(&e, MMC_OP_START_STOP_UNIT, &job->sense);
                bus_reply_error(call, &e);
        } else if (job->result < 0) {
                bus_error_set(&e, imapi_error_from_errno(job->result), strerror(-job->result));
                bus_reply_error(call, &e);
        } else {
                (void)sd_bus_reply_method_return(call, NULL);
        }
}

static void tray_done(recorder_work *w, int status)
{
        tray_job *job = (tray_job *)w;

        if (!w->rec->removed) /* else recorder_work told the caller */
                tray_reply(job, status);
        /* The kernel's media events follow a real eject; read the state
         * anyway, drives differ in what they announce. */
        if (!w->rec->removed)
                recorder_refresh(w->rec);
        free(job->devnode);
        free(job);
}

/* Queues the START STOP UNIT; answered by tray_done(). */
static int begin_tray(Recorder *rec, sd_bus_message *m, bool load, sd_bus_error *error)
{
        tray_job *job = calloc(1, sizeof *job);

        if (!job || !(job->devnode = strdup(rec->devnode))) {
                free(job);
                return bus_error_set(error, "OutOfMemory", NULL);
        }
        job->base.call = m;
        job->load = load;
        /* No hold, no busy mark: queueing cannot fail. */
        (void)recorder_work_queue(&job->base, rec, tray_work, tray_done);
        return 1;
}

static int method_tray(sd_bus_message *m, Recorder *rec, bool load, sd_bus_error *error)
{
        int r;

        /* Refuse what cannot succeed before bothering the user with polkit
         * (and again after it decided: the handler runs again then). */
        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        if (recorder_busy(rec, error))
                return -EBUSY;
        /* The tray is locked for a preparation: its owner releases first. */
        if (rec->rawcd.state == RAWCD_WRITING)
                return bus_error_set(error, "WriteInProgress", "the tray stays shut while writing");
        if (rec->rawcd.state != RAWCD_IDLE)
                return bus_error_set(error, "MediaIsPrepared",
                                     "the media is prepared for writing: ReleaseMedia first");
        r = recorder_authorize(rec, m, ACTION_EJECT, error);
        if (r <= 0)
                return r < 0 ? r : 1; /* 0: runs again with polkit's answer */
        return begin_tray(rec, m, load, error);
}

static int method_eject(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_tray(m, userdata, false, error);
}

static int method_close_tray(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;

        if (rec->have_info && rec->info.have_caps && !mmc_caps_can_load(&rec->info.caps))
                return bus_error_set(error, "Fail", "this drive cannot close its tray");
        return method_tray(m, userdata, true, error);
}

int recorder_hold_error(Recorder *rec, sd_bus_message *call, int r, sd_bus_error *error)
{
        char detail[256];

        /* A drive just plugged in is held for half a second while MODE SELECT
         * confirms its write modes: that is no other program. */
        if (r == -EBUSY && rec->probing && recorder_wait_for_probe(rec, call) == 0)
                return 1;
        /* udev reading a disc just put in: a moment (hold-wait.h). */
        if (r == -EAGAIN) {
                int k = hold_wait(rec->daemon->hold_waits, rec, call);

                if (k > 0)
                        return 1;
                if (k < 0)
                        r = k;
        }
        if (r == -EAGAIN) {
                snprintf(detail, sizeof detail,
                         "udev is still examining the drive after more than %u s (systemd-udevd "
                         "holds its lock): try again when it is done, or take the disc out and "
                         "put it in again",
                         rec->daemon->burn.ready_timeout_ms / 1000);
                /* Not AccessDenied: no program took the drive, it is still
                 * being got ready after a disc change. */
                bus_error_set(error, "RecorderMediaBecomingReady", detail);
        } else if (r == -EBUSY) {
                bus_error_set(error, "AccessDenied",
                              "the drive is in use by another program (mounted, or opened "
                              "exclusively); close that program or unmount the disc, and try "
                              "again");
        } else if (r == -ENOMEM) {
                bus_error_set(error, "OutOfMemory", NULL);
        } else {
                snprintf(detail, sizeof detail, "cannot open the drive: %s", strerror(-r));
                bus_error_set(error, imapi_error_from_errno(r), detail);
        }
        return r;
}

void recorder_release_exclusive(Recorder *rec)
{
        if (!rec->excl_bus_name)
                return;
        log_info("Exclusive access to %s by \"%s\" (%s) released", rec->name, rec->excl_client_name,
                 rec->excl_bus_name);
        recorder_unhold(rec);
        rec->excl_track = sd_bus_track_unref(rec->excl_track);
        free(rec->excl_bus_name);
        free(rec->excl_client_name);
        rec->excl_bus_name = rec->excl_client_name = NULL;
        if (rec->exported && !rec->removed)
                (void)sd_bus_emit_properties_changed(rec->daemon->bus, rec->path,
                                                     RAWBURN_RECORDER_IFACE, "ExclusiveAccessOwner",
                                                     NULL);
}

/* The owner left the bus (or released its last count). */
static int excl_track_empty(sd_bus_track *track, void *userdata)
{
        recorder_release_exclusive(userdata);
        return 0;
}

/* The first call takes the drive; each call adds one count for its sender. */
static int take_exclusive(Recorder *rec, sd_bus_message *m, const char *client, bool force,
                          sd_bus_error *error)
{
        const char *sender = sd_bus_message_get_sender(m);
        int r, fd;

        if (!rec->excl_bus_name) {
                /* Shared with the caller's own preparation, if any. */
                r = recorder_hold(rec, &fd);
                if (r < 0)
                        return recorder_hold_error(rec, m, r, error);
                r = sd_bus_track_new(rec->daemon->bus, &rec->excl_track, excl_track_empty, rec);
                if (r >= 0)
                        r = sd_bus_track_set_recursive(rec->excl_track, true);
                if (r < 0 || !(rec->excl_bus_name = strdup(sender)) ||
                    !(rec->excl_client_name = strdup(client))) {
                        recorder_unhold(rec);
                        rec->excl_track = sd_bus_track_unref(rec->excl_track);
                        free(rec->excl_bus_name);
                        rec->excl_bus_name = NULL;
                        return bus_error_set(error, "OutOfMemory", NULL);
                }
                log_info("Exclusive access to %s taken by \"%s\" (%s%s)", rec->name, client, sender,
                         force ? ", forced" : "");
                (void)sd_bus_emit_properties_changed(rec->daemon->bus, rec->path,
                                                     RAWBURN_RECORDER_IFACE, "ExclusiveAccessOwner",
                                                     NULL);
        }
        /* One reference per call: the count IMAPI keeps. */
        r = sd_bus_track_add_name(rec->excl_track, sender);
        if (r < 0)
                return bus_error_set(error, "Fail", strerror(-r));
        return sd_bus_reply_method_return(m, NULL);
}

static int method_acquire(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        const char *client;
        int force, r;

        r = sd_bus_message_read(m, "bs", &force, &client);
        if (r < 0)
                return r;
        if (!client_name_valid(client))
                return bus_error_set(error, "RecorderClientNameIsNotValid",
                                     "1 to 64 printable ASCII characters");
        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        r = recorder_authorize(rec, m, ACTION_EXCLUSIVE, error);
        if (r <= 0)
                return r < 0 ? r : 1; /* 0: runs again with polkit's answer */
        return take_exclusive(rec, m, client, force, error);
}

static int method_release(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        const char *sender = sd_bus_message_get_sender(m);

        if (!rec->excl_bus_name)
                return bus_error_set(error, "Fail", "exclusive access is not held");
        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        /* Dropping the last count empties the track, which releases. */
        (void)sd_bus_track_remove_name(rec->excl_track, sender);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_disable_mcn(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        int r;

        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        if (!rec->mcn_track) {
                r = sd_bus_track_new(rec->daemon->bus, &rec->mcn_track, NULL, NULL);
                if (r < 0)
                        return r;
                (void)sd_bus_track_set_recursive(rec->mcn_track, true);
        }
        r = sd_bus_track_add_name(rec->mcn_track, sd_bus_message_get_sender(m));
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, NULL);
}

static int method_enable_mcn(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;

        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        if (rec->mcn_track &&
            sd_bus_track_remove_name(rec->mcn_track, sd_bus_message_get_sender(m)) > 0 &&
            sd_bus_track_count(rec->mcn_track) == 0)
                recorder_refresh(rec); /* catch up with what was not announced */
        return sd_bus_reply_method_return(m, NULL);
}

/* ------------------------------------------------------------- vtables */

#define CHANGES SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE

const sd_bus_vtable recorder_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD_WITH_ARGS("EjectMedia", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_eject,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("CloseTray", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_close_tray,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("AcquireExclusiveAccess", SD_BUS_ARGS("b", force, "s", client_name),
                            SD_BUS_NO_RESULT, method_acquire, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("ReleaseExclusiveAccess", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT,
                            method_release, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("DisableMcn", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_disable_mcn,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("EnableMcn", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_enable_mcn,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_PROPERTY("ActiveDiscRecorder", "s", get_active_id, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("VendorId", "s", get_vendor, 0, CHANGES),
    SD_BUS_PROPERTY("ProductId", "s", get_product, 0, CHANGES),
    SD_BUS_PROPERTY("ProductRevision", "s", get_revision, 0, CHANGES),
    SD_BUS_PROPERTY("VolumeName", "s", get_volume_name, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("VolumePathNames", "as", get_volume_path_names, 0, 0),
    SD_BUS_PROPERTY("DevicePaths", "as", get_device_paths, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("DeviceCanLoadMedia", "b", get_can_load, 0, CHANGES),
    SD_BUS_PROPERTY("LegacyDeviceNumber", "i", get_legacy_number, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("SupportedFeaturePages", "ai", get_supported_features, 0, CHANGES),
    SD_BUS_PROPERTY("CurrentFeaturePages", "ai", get_current_features, 0, CHANGES),
    SD_BUS_PROPERTY("SupportedProfiles", "ai", get_supported_profiles, 0, CHANGES),
    SD_BUS_PROPERTY("CurrentProfiles", "ai", get_current_profiles, 0, CHANGES),
    SD_BUS_PROPERTY("SupportedModePages", "ai", get_mode_pages, 0, CHANGES),
    SD_BUS_PROPERTY("ExclusiveAccessOwner", "s", get_excl_owner, 0, CHANGES),
    SD_BUS_PROPERTY("MediaPresent", "b", get_media_present, 0, CHANGES),
    SD_BUS_PROPERTY("ProbeError", "s", get_probe_error, 0, CHANGES),
    SD_BUS_PROPERTY("SupportedWriteModes", "as", get_write_modes, 0, CHANGES),
    SD_BUS_PROPERTY("WriteOffset", "i", get_write_offset, 0, CHANGES),
    SD_BUS_PROPERTY("WriteOffsetSource", "s", get_write_offset_source, 0, CHANGES),
    SD_BUS_PROPERTY("ReadOffset", "i", get_read_offset, 0, CHANGES),
    SD_BUS_PROPERTY("ReadOffsetSource", "s", get_read_offset_source, 0, CHANGES),
    SD_BUS_VTABLE_END,
};

void recorder_emit_changed(Recorder *rec)
{
        sd_bus *bus = rec->daemon->bus;

        int r;

        /* NULL names: every property flagged EMITS_CHANGE, with its value. */
        r = sd_bus_emit_properties_changed_strv(bus, rec->path, RAWBURN_RECORDER_IFACE, NULL);
        if (r < 0)
                log_warning_errno(r, "Cannot signal changes of %s", rec->path);
        r = sd_bus_emit_properties_changed_strv(bus, rec->path, RAWBURN_RAWCD_IFACE, NULL);
        if (r < 0)
                log_warning_errno(r, "Cannot signal changes of %s", rec->path);
}
