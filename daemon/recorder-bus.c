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

#include "errors.h"
#include "log.h"
#include "polkit.h"

#define ACTION_EJECT     "org.rawburn1.eject"
#define ACTION_EXCLUSIVE "org.rawburn1.acquire-exclusive-access"

/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE */
enum { SECTOR_PQ_ONLY = 1, SECTOR_IS_COOKED = 2, SECTOR_IS_RAW = 3 };

static const drive_info *info_of(void *userdata)
{
        return &((Recorder *)userdata)->info;
}

/* ---------------------------------------------------------------- derived */

static bool profile_supported(const drive_info *i, uint16_t profile)
{
        for (size_t k = 0; k < i->config.n_profiles; k++)
                if (i->config.profiles[k] == profile)
                        return true;
        return false;
}

/* The drive writes CD-R or CD-RW in one of the RAW modes: claimed by feature 002Eh "CD
 * Mastering" and taken by MODE SELECT at discovery (write-modes.h). */
static bool recorder_supported(const drive_info *i)
{
        return (profile_supported(i, MMC_PROFILE_CD_R) ||
                profile_supported(i, MMC_PROFILE_CD_RW)) &&
               (write_modes_supports_raw(i, MMC_DBT_RAW_PQ, false) ||
                write_modes_supports_raw(i, MMC_DBT_RAW_PW_PACKED, false) ||
                write_modes_supports_raw(i, MMC_DBT_RAW_PW, false));
}

static uint16_t current_profile(const drive_info *i)
{
        return i->media_present ? i->config.current_profile : 0;
}

static bool media_supported(const drive_info *i)
{
        uint16_t p = current_profile(i);

        return recorder_supported(i) && (p == MMC_PROFILE_CD_R || p == MMC_PROFILE_CD_RW);
}

static bool media_blank(const drive_info *i)
{
        return i->media_present && i->have_disc_info && i->disc.status == MMC_DISC_BLANK;
}

/* ------------------------------------------------------------- getters */

static int append_int_array(sd_bus_message *reply, const int32_t *v, size_t n)
{
        int r = sd_bus_message_open_container(reply, 'a', "i");

        for (size_t k = 0; r >= 0 && k < n; k++)
                r = sd_bus_message_append(reply, "i", v[k]);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

#define GETTER(fn)                                                                                 \
        static int fn(sd_bus *bus, const char *path, const char *interface, const char *property,  \
                      sd_bus_message *reply, void *userdata, sd_bus_error *error)

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
        return append_int_array(reply, v, n);
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
        return append_int_array(reply, v, n);
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
        return append_int_array(reply, v, i->n_mode_pages);
}

GETTER(get_excl_owner)
{
        Recorder *rec = userdata;

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

GETTER(get_recorder_supported)
{
        return sd_bus_message_append(reply, "b", recorder_supported(info_of(userdata)));
}

GETTER(get_media_supported)
{
        return sd_bus_message_append(reply, "b", media_supported(info_of(userdata)));
}

GETTER(get_blank)
{
        /* A CD has no file system to look for or zero areas to scan as IMAPI's
         * heuristics do for DVD+RW/DVD-RAM: both answers are the drive's. */
        return sd_bus_message_append(reply, "b", media_blank(info_of(userdata)));
}

GETTER(get_supported_media_types)
{
        const drive_info *i = info_of(userdata);
        int32_t v[2];
        size_t n = 0;

        if (recorder_supported(i)) {
                if (profile_supported(i, MMC_PROFILE_CD_R))
                        v[n++] = mmc_profile_to_imapi_media_type(MMC_PROFILE_CD_R);
                if (profile_supported(i, MMC_PROFILE_CD_RW))
                        v[n++] = mmc_profile_to_imapi_media_type(MMC_PROFILE_CD_RW);
        }
        return append_int_array(reply, v, n);
}

GETTER(get_media_type)
{
        return sd_bus_message_append(
            reply, "i", mmc_profile_to_imapi_media_type(current_profile(info_of(userdata))));
}

GETTER(get_start_of_next_session)
{
        const drive_info *i = info_of(userdata);
        int32_t lba = 0;

        /* READ DISC INFORMATION's last-session lead-in start is where the next
         * session's lead-in goes (negative on blank media); ATIP says the same
         * for a blank disc when the drive leaves the field empty. */
        if (i->media_present && i->have_disc_info && i->disc.has_leadin)
                lba = i->disc.leadin_start_lba;
        else if (i->media_present && i->have_atip && media_blank(i))
                lba = i->atip.leadin_start_lba;
        return sd_bus_message_append(reply, "i", lba);
}

GETTER(get_last_leadout)
{
        const drive_info *i = info_of(userdata);
        int32_t lba = 0;

        if (i->media_present && i->have_disc_info && i->disc.has_last_leadout)
                lba = i->disc.last_leadout_lba;
        else if (i->media_present && i->have_atip)
                lba = i->atip.last_leadout_lba;
        return sd_bus_message_append(reply, "i", lba);
}

GETTER(get_sector_types)
{
        const drive_info *i = info_of(userdata);
        int32_t v[3];
        size_t n = 0;

        /* The IMAPI sector types are page 05h's RAW data block types: the ones the drive
         * takes (RAW/R16, RAW/R96P, RAW/R96R). */
        if (recorder_supported(i))
                for (int32_t t = SECTOR_PQ_ONLY; t <= SECTOR_IS_RAW; t++)
                        if (write_modes_supports_raw(i, t, false))
                                v[n++] = t;
        return append_int_array(reply, v, n);
}

GETTER(get_write_speeds)
{
        const drive_info *i = info_of(userdata);
        int32_t v[MMC_MAX_SPEEDS];
        size_t n = 0;

        if (i->media_present)
                for (size_t k = 0; k < i->n_speeds; k++)
                        v[n++] = (int32_t)mmc_kbps_to_sectors_per_second(i->speeds[k].kbps);
        return append_int_array(reply, v, n);
}

GETTER(get_write_speed_descriptors)
{
        const drive_info *i = info_of(userdata);
        int32_t media = mmc_profile_to_imapi_media_type(current_profile(i));
        int r;

        r = sd_bus_message_open_container(reply, 'a', "(ibi)");
        for (size_t k = 0; r >= 0 && i->media_present && k < i->n_speeds; k++)
                r = sd_bus_message_append(
                    reply, "(ibi)", media, i->speeds[k].pure_cav,
                    (int32_t)mmc_kbps_to_sectors_per_second(i->speeds[k].kbps));
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

GETTER(get_current_write_speed)
{
        const drive_info *i = info_of(userdata);
        int32_t v = 0;

        if (i->have_caps && i->media_present)
                v = (int32_t)mmc_kbps_to_sectors_per_second(i->caps.current_write_kbps);
        return sd_bus_message_append(reply, "i", v);
}

GETTER(get_current_cav)
{
        const drive_info *i = info_of(userdata);

        return sd_bus_message_append(reply, "b", i->have_caps && i->caps.current_pure_cav);
}

/* ------------------------------------------------------------- methods */

/* The call came from a different bus name than the exclusive owner. */
static bool locked_by_other(Recorder *rec, sd_bus_message *m)
{
        const char *sender = sd_bus_message_get_sender(m);

        return rec->excl_bus_name && (!sender || strcmp(sender, rec->excl_bus_name) != 0);
}

static int reply_locked(Recorder *rec, sd_bus_error *error)
{
        char detail[256];

        snprintf(detail, sizeof detail, "held by \"%s\"", rec->excl_client_name);
        return rb_error_set(error, "RecorderLocked", detail);
}

/* The drive may have gone while polkit thought: look it up again by path. */
static Recorder *recorder_of_call(sd_bus_message *m, void *userdata)
{
        Daemon *d = userdata;

        return daemon_find_recorder_by_path(d, sd_bus_message_get_path(m));
}

static void reply_error(sd_bus_message *m, sd_bus_error *e)
{
        int r = sd_bus_reply_method_error(m, e);

        if (r < 0)
                log_debug_errno(r, "Cannot send error reply");
        sd_bus_error_free(e);
}

static void reply_gone(sd_bus_message *m)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;

        rb_error_set(&e, "DeviceNotExist", sd_bus_message_get_path(m));
        reply_error(m, &e);
}

typedef struct tray_job {
        uv_work_t work;
        Recorder *rec;
        sd_bus_message *call;
        char *devnode;
        bool load;
        int result;
        rb_sense sense;
} tray_job;

static void tray_work(uv_work_t *work)
{
        tray_job *job = work->data;

        job->result = drive_load_eject(job->devnode, job->load, &job->sense);
}

static void tray_done(uv_work_t *work, int status)
{
        tray_job *job = work->data;
        sd_bus_error e = SD_BUS_ERROR_NULL;

        if (job->rec->removed) {
                reply_gone(job->call);
        } else if (job->result == -EIO) {
                rb_error_set_sense(&e, MMC_OP_START_STOP_UNIT, &job->sense);
                reply_error(job->call, &e);
        } else if (job->result < 0) {
                rb_error_set(&e, rb_error_from_errno(job->result), strerror(-job->result));
                reply_error(job->call, &e);
        } else {
                (void)sd_bus_reply_method_return(job->call, NULL);
        }
        /* The kernel's media events follow a real eject; read the state
         * anyway, drives differ in what they announce. */
        if (!job->rec->removed)
                recorder_refresh(job->rec);
        sd_bus_message_unref(job->call);
        recorder_unref(job->rec);
        free(job->devnode);
        free(job);
}

/* The checks every polkit callback repeats once polkit has answered: the drive
 * may have gone, the caller may be refused, or someone may have locked the
 * drive while polkit decided. Replies to the call and returns NULL in those
 * cases, else the recorder. */
static Recorder *authorized_recorder(sd_bus_message *m, int result, const char *action,
                                     void *userdata)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        Recorder *rec = recorder_of_call(m, userdata);

        if (!rec) {
                reply_gone(m);
                return NULL;
        }
        if (result <= 0) {
                polkit_error(&e, action, result);
                reply_error(m, &e);
                return NULL;
        }
        if (locked_by_other(rec, m)) {
                reply_locked(rec, &e);
                reply_error(m, &e);
                return NULL;
        }
        return rec;
}

static void tray_authorized(sd_bus_message *m, int result, bool load, void *userdata)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        Recorder *rec = authorized_recorder(m, result, ACTION_EJECT, userdata);
        tray_job *job;

        if (!rec)
                return;
        job = calloc(1, sizeof *job);
        if (!job || !(job->devnode = strdup(rec->devnode))) {
                free(job);
                rb_error_set(&e, "OutOfMemory", NULL);
                reply_error(m, &e);
                return;
        }
        job->work.data = job;
        job->rec = recorder_ref(rec);
        job->call = sd_bus_message_ref(m);
        job->load = load;
        if (uv_queue_work(rec->daemon->loop, &job->work, tray_work, tray_done) < 0) {
                sd_bus_message_unref(job->call);
                recorder_unref(job->rec);
                free(job->devnode);
                free(job);
                rb_error_set(&e, "Fail", "cannot queue the command");
                reply_error(m, &e);
        }
}

static void eject_authorized(sd_bus_message *m, int result, void *userdata)
{
        tray_authorized(m, result, false, userdata);
}

static void close_authorized(sd_bus_message *m, int result, void *userdata)
{
        tray_authorized(m, result, true, userdata);
}

static int method_tray(sd_bus_message *m, Recorder *rec, polkit_done_fn done, sd_bus_error *error)
{
        int r;

        /* Refuse what cannot succeed before bothering the user with polkit. */
        if (locked_by_other(rec, m))
                return reply_locked(rec, error);
        r = polkit_check(m, ACTION_EJECT, rec->daemon->always_check_polkit, done, rec->daemon);
        if (r < 0)
                return r;
        return 1;
}

static int method_eject(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_tray(m, userdata, eject_authorized, error);
}

static int method_close_tray(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;

        if (rec->have_info && rec->info.have_caps && !mmc_caps_can_load(&rec->info.caps))
                return rb_error_set(error, "Fail", "this drive cannot close its tray");
        return method_tray(m, userdata, close_authorized, error);
}

void recorder_release_exclusive(Recorder *rec)
{
        if (!rec->excl_bus_name)
                return;
        log_info("Exclusive access to %s by \"%s\" (%s) released", rec->name, rec->excl_client_name,
                 rec->excl_bus_name);
        if (rec->excl_fd >= 0) {
                close(rec->excl_fd); /* drops the flock too */
                rec->excl_fd = -1;
        }
        rec->excl_track = sd_bus_track_unref(rec->excl_track);
        free(rec->excl_bus_name);
        free(rec->excl_client_name);
        rec->excl_bus_name = rec->excl_client_name = NULL;
        if (rec->exported && !rec->removed)
                (void)sd_bus_emit_properties_changed(rec->daemon->bus, rec->path, RB_RECORDER_IFACE,
                                                     "ExclusiveAccessOwner", NULL);
}

/* The owner left the bus (or released its last count). */
static int excl_track_empty(sd_bus_track *track, void *userdata)
{
        recorder_release_exclusive(userdata);
        return 0;
}

/* IOCTL_CDROM_EXCLUSIVE_ACCESS takes a short printable name; keep to that. */
static bool client_name_valid(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > 64)
                return false;
        for (size_t k = 0; k < n; k++)
                if ((unsigned char)s[k] < 0x20 || (unsigned char)s[k] > 0x7e)
                        return false;
        return true;
}

/* O_EXCL keeps the kernel's mounts away, flock the cooperating tools
 * (systemd's BLOCK_DEVICE_LOCKING, udev's own probing). */
static int open_exclusive(const char *devnode, int *ret_fd)
{
        int fd = open(devnode, O_RDWR | O_NONBLOCK | O_EXCL | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                int r = -errno;

                close(fd);
                return r == -EWOULDBLOCK ? -EBUSY : r;
        }
        *ret_fd = fd;
        return 0;
}

static void acquire_authorized(sd_bus_message *m, int result, void *userdata)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        Recorder *rec = authorized_recorder(m, result, ACTION_EXCLUSIVE, userdata);
        const char *sender = sd_bus_message_get_sender(m);
        const char *client = NULL;
        int force = 0, r, fd = -1;

        if (!rec)
                return;
        r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = sd_bus_message_read(m, "bs", &force, &client);
        if (r < 0) {
                rb_error_set(&e, "InvalidArg", NULL);
                reply_error(m, &e);
                return;
        }

        if (!rec->excl_bus_name) {
                r = open_exclusive(rec->devnode, &fd);
                if (r < 0) {
                        rb_error_set(&e, r == -EBUSY ? "AccessDenied" : rb_error_from_errno(r),
                                     strerror(-r));
                        reply_error(m, &e);
                        return;
                }
                r = sd_bus_track_new(rec->daemon->bus, &rec->excl_track, excl_track_empty, rec);
                if (r >= 0)
                        r = sd_bus_track_set_recursive(rec->excl_track, true);
                if (r < 0 || !(rec->excl_bus_name = strdup(sender)) ||
                    !(rec->excl_client_name = strdup(client))) {
                        close(fd);
                        rec->excl_track = sd_bus_track_unref(rec->excl_track);
                        free(rec->excl_bus_name);
                        rec->excl_bus_name = NULL;
                        rb_error_set(&e, "OutOfMemory", NULL);
                        reply_error(m, &e);
                        return;
                }
                rec->excl_fd = fd;
                log_info("Exclusive access to %s taken by \"%s\" (%s%s)", rec->name, client, sender,
                         force ? ", forced" : "");
                (void)sd_bus_emit_properties_changed(rec->daemon->bus, rec->path, RB_RECORDER_IFACE,
                                                     "ExclusiveAccessOwner", NULL);
        }
        /* One reference per call: the count IMAPI keeps. */
        r = sd_bus_track_add_name(rec->excl_track, sender);
        if (r < 0) {
                rb_error_set(&e, "Fail", strerror(-r));
                reply_error(m, &e);
                return;
        }
        (void)sd_bus_reply_method_return(m, NULL);
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
                return rb_error_set(error, "RecorderClientNameIsNotValid",
                                    "1 to 64 printable ASCII characters");
        if (locked_by_other(rec, m))
                return reply_locked(rec, error);
        r = polkit_check(m, ACTION_EXCLUSIVE, rec->daemon->always_check_polkit, acquire_authorized,
                         rec->daemon);
        return r < 0 ? r : 1;
}

static int method_release(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        const char *sender = sd_bus_message_get_sender(m);

        if (!rec->excl_bus_name)
                return rb_error_set(error, "Fail", "exclusive access is not held");
        if (locked_by_other(rec, m))
                return reply_locked(rec, error);
        /* Dropping the last count empties the track, which releases. */
        (void)sd_bus_track_remove_name(rec->excl_track, sender);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_disable_mcn(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        int r;

        if (locked_by_other(rec, m))
                return reply_locked(rec, error);
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

        if (locked_by_other(rec, m))
                return reply_locked(rec, error);
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
    SD_BUS_VTABLE_END,
};

const sd_bus_vtable rawcd_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("IsRecorderSupported", "b", get_recorder_supported, 0, CHANGES),
    SD_BUS_PROPERTY("IsCurrentMediaSupported", "b", get_media_supported, 0, CHANGES),
    SD_BUS_PROPERTY("MediaPhysicallyBlank", "b", get_blank, 0, CHANGES),
    SD_BUS_PROPERTY("MediaHeuristicallyBlank", "b", get_blank, 0, CHANGES),
    SD_BUS_PROPERTY("SupportedMediaTypes", "ai", get_supported_media_types, 0, CHANGES),
    SD_BUS_PROPERTY("CurrentPhysicalMediaType", "i", get_media_type, 0, CHANGES),
    SD_BUS_PROPERTY("StartOfNextSession", "i", get_start_of_next_session, 0, CHANGES),
    SD_BUS_PROPERTY("LastPossibleStartOfLeadout", "i", get_last_leadout, 0, CHANGES),
    SD_BUS_PROPERTY("SupportedSectorTypes", "ai", get_sector_types, 0, CHANGES),
    SD_BUS_PROPERTY("SupportedWriteSpeeds", "ai", get_write_speeds, 0, CHANGES),
    SD_BUS_PROPERTY("SupportedWriteSpeedDescriptors", "a(ibi)", get_write_speed_descriptors, 0,
                    CHANGES),
    SD_BUS_PROPERTY("CurrentWriteSpeed", "i", get_current_write_speed, 0, CHANGES),
    SD_BUS_PROPERTY("CurrentRotationTypeIsPureCAV", "b", get_current_cav, 0, CHANGES),
    SD_BUS_VTABLE_END,
};

void recorder_emit_changed(Recorder *rec)
{
        sd_bus *bus = rec->daemon->bus;

        int r;

        /* NULL names: every property flagged EMITS_CHANGE, with its value. */
        r = sd_bus_emit_properties_changed_strv(bus, rec->path, RB_RECORDER_IFACE, NULL);
        if (r < 0)
                log_warning_errno(r, "Cannot signal changes of %s", rec->path);
        r = sd_bus_emit_properties_changed_strv(bus, rec->path, RB_RAWCD_IFACE, NULL);
        if (r < 0)
                log_warning_errno(r, "Cannot signal changes of %s", rec->path);
}
