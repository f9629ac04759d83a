/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawcd-bus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>
#include <rawburn/msf.h>
#include <sys/stat.h>

#include "bus-errors.h"
#include "bus-util.h"
#include "log.h"
#include "rawcd-flow.h"
#include "rawcd-options.h"
#include "rawcd-staged.h"
#include "recorder-access.h"
#include "recorder-bus.h"
#include "stream-check.h"

/*
 * org.rawburn1.DiscFormat2RawCD (IMAPI2 IDiscFormat2RawCD) on a recorder
 * object: what the drive and media can do (read from the last probe), the
 * owner's settings, and the methods that take the drive, write and let go
 * (rawcd-flow.c does the work).
 */

#define ACTION_BURN         "org.rawburn1.burn"
#define ACTION_CANCEL_OTHER "org.rawburn1.cancel-other"

/* WriteMedia2's stream lead-in: the stream cannot start before 90:00:00. */
#define STREAM_LEADIN_MAX 45150

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
        return bus_append_int_array(reply, v, n);
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

/* The IMAPI sector types are page 05h's RAW data block types: the ones the drive takes
 * (RAW/R16, RAW/R96P, RAW/R96R in SupportedWriteModes). */
static size_t supported_sector_types(const drive_info *i, int32_t v[3])
{
        size_t n = 0;

        if (recorder_supported(i))
                for (int32_t t = RAWBURN_SECTOR_PQ_ONLY; t <= RAWBURN_SECTOR_IS_RAW; t++)
                        if (write_modes_supports_raw(i, t, false))
                                v[n++] = t;
        return n;
}

static bool sector_type_supported(const drive_info *i, int32_t type)
{
        int32_t v[3];
        size_t n = supported_sector_types(i, v);

        for (size_t k = 0; k < n; k++)
                if (v[k] == type)
                        return true;
        return false;
}

GETTER(get_sector_types)
{
        int32_t v[3];
        size_t n = supported_sector_types(info_of(userdata), v);

        return bus_append_int_array(reply, v, n);
}

GETTER(get_write_speeds)
{
        const drive_info *i = info_of(userdata);
        int32_t v[MMC_MAX_SPEEDS];
        size_t n = 0;

        if (i->media_present)
                for (size_t k = 0; k < i->n_speeds; k++)
                        v[n++] = (int32_t)mmc_kbps_to_sectors_per_second(i->speeds[k].kbps);
        return bus_append_int_array(reply, v, n);
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

/* ------------------------------------------------------------- the owner's settings */

static RawCD *rawcd_of(void *userdata)
{
        return &((Recorder *)userdata)->rawcd;
}

static bool is_owner(Recorder *rec, sd_bus_message *m)
{
        const char *sender = m ? sd_bus_message_get_sender(m) : NULL;

        return rec->rawcd.owner && sender && strcmp(sender, rec->rawcd.owner) == 0;
}

/* The settable properties as the reader sees them: the owner's settings (the
 * defaults when idle), or the reader's own staged ones before its
 * PrepareMedia (rawcd-staged.h). */
static const rawcd_settings *settings_shown(void *userdata, sd_bus *bus)
{
        Recorder *rec = userdata;
        sd_bus_message *m = sd_bus_get_current_message(bus);
        const rawcd_settings *staged = NULL;

        if (!is_owner(rec, m))
                staged = rawcd_staged_for_reader(&rec->rawcd, m);
        return staged ? staged : &rec->rawcd.settings;
}

GETTER(get_requested_sector_type)
{
        return sd_bus_message_append(reply, "i", settings_shown(userdata, bus)->sector_type);
}

GETTER(get_bufe_disabled)
{
        return sd_bus_message_append(reply, "b", settings_shown(userdata, bus)->bufe_disabled);
}

GETTER(get_client_name)
{
        /* The owner's name; empty when idle (rawcd_init, clear_owner) and in
         * a staged entry that was given none. */
        return sd_bus_message_append(reply, "s", settings_shown(userdata, bus)->client_name);
}

GETTER(get_requested_write_speed)
{
        return sd_bus_message_append(reply, "i", settings_shown(userdata, bus)->speed);
}

GETTER(get_requested_cav)
{
        return sd_bus_message_append(reply, "b", settings_shown(userdata, bus)->pure_cav);
}

GETTER(get_simulate)
{
        return sd_bus_message_append(reply, "b", rawcd_of(userdata)->settings.simulate);
}

static const char *state_name(rawcd_state s)
{
        static const char *const names[] = {
            [RAWCD_IDLE] = "idle",           [RAWCD_PREPARING] = "preparing",
            [RAWCD_PREPARED] = "prepared",   [RAWCD_WRITING] = "writing",
            [RAWCD_RELEASING] = "releasing",
        };

        return names[s];
}

GETTER(get_state)
{
        return sd_bus_message_append(reply, "s", state_name(rawcd_of(userdata)->state));
}

GETTER(get_owner)
{
        RawCD *c = rawcd_of(userdata);

        return sd_bus_message_append(reply, "s", c->owner ? c->owner : "");
}

GETTER(get_writer_scheduling)
{
        return sd_bus_message_append(reply, "s", rawcd_of(userdata)->writer_scheduling);
}

GETTER(get_last_write_result)
{
        return rawcd_append_last_result(reply, rawcd_of(userdata));
}

/* The progress values: one getter, the property name says which. */
GETTER(get_progress)
{
        const burn_progress *p = &rawcd_of(userdata)->progress;
        static const struct {
                const char *name;
                size_t offset;
        } fields[] = {
            {"CurrentAction", offsetof(burn_progress, action)},
            {"ElapsedTime", offsetof(burn_progress, elapsed_time)},
            {"RemainingTime", offsetof(burn_progress, remaining_time)},
            {"StartLba", offsetof(burn_progress, start_lba)},
            {"SectorCount", offsetof(burn_progress, sector_count)},
            {"LastReadLba", offsetof(burn_progress, last_read_lba)},
            {"LastWrittenLba", offsetof(burn_progress, last_written_lba)},
            {"TotalSystemBuffer", offsetof(burn_progress, total_system_buffer)},
            {"UsedSystemBuffer", offsetof(burn_progress, used_system_buffer)},
            {"FreeSystemBuffer", offsetof(burn_progress, free_system_buffer)},
            {"TotalDeviceBuffer", offsetof(burn_progress, total_device_buffer)},
            {"UsedDeviceBuffer", offsetof(burn_progress, used_device_buffer)},
        };

        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
                if (strcmp(fields[k].name, property) == 0)
                        return sd_bus_message_append(
                            reply, "i", *(const int32_t *)((const char *)p + fields[k].offset));
        return -ENOENT;
}

#define SETTER(fn)                                                                                 \
        static int fn(sd_bus *bus, const char *path, const char *interface, const char *property,  \
                      sd_bus_message *value, void *userdata, sd_bus_error *error)

/*
 * Where a caller's setting goes, its value already checked: the owner's
 * settings while its drive is prepared (IMAPI2's rules; *staged false), else
 * the caller's staged settings for its PrepareMedia to come (IMAPI2's order:
 * properties first, then PrepareMedia; *staged true). Someone else holding
 * the drive is RecorderLocked, as for every method.
 */
static int settings_to_set(Recorder *rec, sd_bus_message *m, rawcd_settings **ret, bool *staged,
                           sd_bus_error *error)
{
        RawCD *c = &rec->rawcd;
        rawcd_staged *st;
        int r;

        if (is_owner(rec, m)) {
                if (c->state == RAWCD_WRITING)
                        return bus_error_set(error, "WriteInProgress", NULL);
                if (c->state != RAWCD_PREPARED)
                        return bus_error_set(error, "MediaIsNotPrepared",
                                             c->state == RAWCD_PREPARING
                                                 ? "the preparation has not finished"
                                                 : "the media is being released");
                *ret = &c->settings;
                *staged = false;
                return 0;
        }
        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        r = rawcd_staged_get(rec, sd_bus_message_get_sender(m), &st, error);
        if (r < 0)
                return r;
        *ret = &st->settings;
        *staged = true;
        return 0;
}

SETTER(set_requested_sector_type)
{
        Recorder *rec = userdata;
        rawcd_settings *s;
        bool staged;
        int32_t v;
        int r;

        r = sd_bus_message_read(value, "i", &v);
        if (r < 0)
                return r;
        if (!rawcd_sector_type_valid(v))
                return bus_error_set(
                    error, "InvalidArg",
                    "RequestedSectorType: 1 (PQ only), 2 (cooked P-W) or 3 (raw P-W)");
        if (!sector_type_supported(&rec->info, v))
                return bus_error_set(error, "DataBlockTypeNotSupported",
                                     "see SupportedSectorTypes for what this drive writes");
        r = settings_to_set(rec, sd_bus_get_current_message(bus), &s, &staged, error);
        if (r < 0)
                return r;
        s->sector_type = v;
        return 0;
}

SETTER(set_bufe_disabled)
{
        Recorder *rec = userdata;
        rawcd_settings *s;
        bool staged;
        int v, r;

        r = sd_bus_message_read(value, "b", &v);
        if (r < 0)
                return r;
        r = settings_to_set(rec, sd_bus_get_current_message(bus), &s, &staged, error);
        if (r < 0)
                return r;
        s->bufe_disabled = v;
        return 0;
}

SETTER(set_client_name)
{
        Recorder *rec = userdata;
        rawcd_settings *s;
        bool staged;
        const char *v;
        int r;

        r = sd_bus_message_read(value, "s", &v);
        if (r < 0)
                return r;
        if (!client_name_valid(v))
                return bus_error_set(error, "ClientNameIsNotValid",
                                     "1 to 64 printable ASCII characters");
        r = settings_to_set(rec, sd_bus_get_current_message(bus), &s, &staged, error);
        if (r < 0)
                return r;
        /* IMAPI2: the name is the one the lock was taken under. */
        if (!staged)
                return bus_error_set(error, "MediaIsPrepared",
                                     "the client name is fixed once the media is prepared");
        snprintf(s->client_name, sizeof s->client_name, "%s", v);
        return 0;
}

SETTER(set_requested_write_speed)
{
        Recorder *rec = userdata;
        rawcd_settings *s;
        bool staged;
        int32_t v;
        int r;

        r = sd_bus_message_read(value, "i", &v);
        if (r < 0)
                return r;
        if (!rawcd_speed_valid(v))
                return bus_error_set(error, "InvalidArg",
                                     "RequestedWriteSpeed: -1 (the fastest) or sectors per second");
        r = settings_to_set(rec, sd_bus_get_current_message(bus), &s, &staged, error);
        if (r < 0)
                return r;
        s->speed = v;
        return 0;
}

SETTER(set_requested_cav)
{
        Recorder *rec = userdata;
        rawcd_settings *s;
        bool staged;
        int v, r;

        r = sd_bus_message_read(value, "b", &v);
        if (r < 0)
                return r;
        r = settings_to_set(rec, sd_bus_get_current_message(bus), &s, &staged, error);
        if (r < 0)
                return r;
        s->pure_cav = v;
        return 0;
}

/* ------------------------------------------------------------- methods */

/* What a caller may not do in the state the drive is in: checked before
 * polkit is asked, and again once it has answered. */
static int check_can_prepare(Recorder *rec, sd_bus_message *m, const rawcd_settings *s,
                             sd_bus_error *error)
{
        if (recorder_busy(rec, error))
                return -EBUSY;
        if (is_owner(rec, m))
                return bus_error_set(error,
                                     rec->rawcd.state == RAWCD_WRITING ? "WriteInProgress"
                                                                       : "MediaIsPrepared",
                                     "ReleaseMedia first");
        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        if (rec->rawcd.state != RAWCD_IDLE)
                return bus_error_set(error, "RecorderLocked", "the drive is being released");
        if (!recorder_supported(&rec->info))
                return bus_error_set(error, "RecorderNotSupported",
                                     "the drive writes no raw CD mode (see SupportedWriteModes)");
        if (!sector_type_supported(&rec->info, s->sector_type))
                return bus_error_set(error, "DataBlockTypeNotSupported",
                                     "see SupportedSectorTypes for what this drive writes");
        /* A rehearsal the drive cannot do would be a real burn: refuse it
         * before anything happens. */
        if (s->simulate && !write_modes_supports_raw(&rec->info, s->sector_type, true))
                return bus_error_set(error, "TestWriteNotSupported",
                                     "SupportedWriteModes has no TEST/RAW mode for this sector "
                                     "type: burn for real, or use a drive that can rehearse");
        return 0;
}

/* The settings a preparation for the caller starts from: IMAPI2's defaults
 * with what it staged before (rawcd-staged.h) put over them. */
static void caller_settings(Recorder *rec, sd_bus_message *m, rawcd_settings *s)
{
        const rawcd_staged *st = rawcd_staged_find(&rec->rawcd, sd_bus_message_get_sender(m));

        rawcd_settings_default(s, m);
        if (st)
                rawcd_staged_apply(st, s);
}

static int method_prepare(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        rawcd_settings s;
        int r;

        /* IMAPI2's defaults, then what the caller set before (properties,
         * SetWriteSpeed), then its options: each later one wins. */
        caller_settings(rec, m, &s);
        r = rawcd_parse_options(m, &s, error);
        if (r < 0)
                return sd_bus_error_is_set(error) ? r : bus_error_set(error, "InvalidArg", NULL);
        r = check_can_prepare(rec, m, &s, error);
        if (r < 0)
                return r;
        r = recorder_authorize(rec, m, ACTION_BURN, error);
        if (r <= 0)
                return r < 0 ? r : 1; /* 0: runs again with polkit's answer */
        r = rawcd_begin_prepare(rec, m, sd_bus_message_get_sender(m), &s, false);
        if (r < 0)
                return recorder_hold_error(rec, m, r, error);
        return 1;
}

static int read_write_args(sd_bus_message *m, int *fd, int32_t *leadin, sd_bus_error *error)
{
        int r;

        *leadin = -RB_IMAGE_START_LBA; /* WriteMedia: 95:00:00, 22650 sectors */
        if (strcmp(sd_bus_message_get_member(m), "WriteMedia2") == 0)
                r = sd_bus_message_read(m, "hi", fd, leadin);
        else
                r = sd_bus_message_read(m, "h", fd);
        if (r < 0)
                return r;
        if (*leadin < 0 || *leadin > STREAM_LEADIN_MAX)
                return bus_error_set(error, "InvalidArg",
                                     "stream_leadin_sectors: 0 to 45150 (a stream starting between "
                                     "90:00:00 and 00:02:00)");
        return 0;
}

/* Keeps the caller's stream and call for the write to come. */
static int hold_write(Recorder *rec, sd_bus_message *m, int fd, int32_t leadin)
{
        RawCD *c = &rec->rawcd;
        int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);

        if (own < 0)
                return -errno;
        c->image_fd = own;
        c->stream_leadin = leadin;
        c->write_call = sd_bus_message_ref(m);
        return 0;
}

static int check_can_write(Recorder *rec, sd_bus_message *m, sd_bus_error *error)
{
        RawCD *c = &rec->rawcd;

        if (recorder_busy(rec, error))
                return -EBUSY;
        if (is_owner(rec, m)) {
                switch (c->state) {
                case RAWCD_PREPARED:
                        return 0;
                case RAWCD_WRITING:
                        return bus_error_set(error, "WriteInProgress", NULL);
                case RAWCD_PREPARING:
                        return bus_error_set(error, "MediaIsNotPrepared",
                                             "your PrepareMedia has not finished yet");
                default:
                        return bus_error_set(error, "MediaIsNotPrepared",
                                             "the media is being released");
                }
        }
        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        if (c->state != RAWCD_IDLE)
                return bus_error_set(error, "RecorderLocked", "the drive is being released");
        if (!recorder_supported(&rec->info))
                return bus_error_set(error, "RecorderNotSupported",
                                     "the drive writes no raw CD mode (see SupportedWriteModes)");
        return 0;
}

/* One WriteMedia on a free drive: prepare with the defaults (and what the
 * caller set before), write, release (one gdbus or busctl call is one bus connection:
 * it cannot PrepareMedia first). */
static int begin_one_shot(Recorder *rec, sd_bus_message *m, int fd, int32_t leadin)
{
        rawcd_settings s;
        int r;

        caller_settings(rec, m, &s);
        r = hold_write(rec, m, fd, leadin);
        if (r < 0)
                return r;
        r = rawcd_begin_prepare(rec, NULL, sd_bus_message_get_sender(m), &s, true);
        if (r < 0) {
                close(rec->rawcd.image_fd);
                rec->rawcd.image_fd = -1;
                rec->rawcd.write_call = sd_bus_message_unref(rec->rawcd.write_call);
        }
        return r;
}

static int method_write(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        int32_t leadin;
        int fd, r;

        r = read_write_args(m, &fd, &leadin, error);
        if (r < 0)
                return r;
        r = check_can_write(rec, m, error);
        if (r < 0)
                return r;
        r = rawcd_check_image_fd(fd, error);
        if (r < 0)
                return r;
        if (is_owner(rec, m)) {
                r = hold_write(rec, m, fd, leadin);
                if (r < 0)
                        return bus_error_set(error, "Fail", strerror(-r));
                rawcd_begin_write(rec);
                return 1;
        }
        r = recorder_authorize(rec, m, ACTION_BURN, error);
        if (r <= 0)
                return r < 0 ? r : 1; /* 0: runs again with polkit's answer */
        r = begin_one_shot(rec, m, fd, leadin);
        if (r < 0)
                return recorder_hold_error(rec, m, r, error);
        return 1;
}

static void cancel_now(Recorder *rec, sd_bus_message *m)
{
        RawCD *c = &rec->rawcd;

        log_info("%s: write for \"%s\" cancelled by %s", rec->name, c->settings.client_name,
                 sd_bus_message_get_sender(m));
        if (c->job)
                burn_job_cancel(c->job);
        else
                c->cancel_pending = true; /* the burn thread is not running yet */
        (void)sd_bus_reply_method_return(m, NULL);
}

static int method_cancel(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        int r;

        if (rec->rawcd.state != RAWCD_WRITING)
                return bus_error_set(error, "WriteNotInProgress", NULL);
        if (!is_owner(rec, m)) {
                r = recorder_authorize(rec, m, ACTION_CANCEL_OTHER, error);
                if (r <= 0)
                        return r < 0 ? r : 1; /* 0: runs again with polkit's answer */
        }
        cancel_now(rec, m);
        return 1;
}

/* ReleaseMedia answers once the drive is let go. */
static void begin_release_for(Recorder *rec, sd_bus_message *m)
{
        sd_bus_message *reply = NULL;

        if (sd_bus_message_new_method_return(m, &reply) < 0)
                reply = NULL;
        rawcd_begin_release(rec, reply);
}

static int check_can_release(Recorder *rec, sd_bus_error *error)
{
        switch (rec->rawcd.state) {
        case RAWCD_PREPARED:
                return 0;
        case RAWCD_WRITING:
                return bus_error_set(error, "WriteInProgress", "CancelWrite first");
        case RAWCD_PREPARING:
                return bus_error_set(error, "MediaIsNotPrepared",
                                     "the preparation has not finished");
        default:
                return bus_error_set(error, "MediaIsNotPrepared", NULL);
        }
}

static int method_release(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        int r;

        r = check_can_release(rec, error);
        if (r < 0)
                return r;
        if (!is_owner(rec, m)) {
                r = recorder_authorize(rec, m, ACTION_CANCEL_OTHER, error);
                if (r <= 0)
                        return r < 0 ? r : 1; /* 0: runs again with polkit's answer */
                log_info("%s: released for \"%s\" by %s", rec->name,
                         rec->rawcd.settings.client_name, sd_bus_message_get_sender(m));
        }
        begin_release_for(rec, m);
        return 1;
}

/* ---- ReadMedia: the disc read back for a client to compare with its image */

#define ACTION_READ      "org.rawburn1.read"
#define READ_SECTORS_MAX 450000

/* The output descriptor: open for writing, a file, pipe or socket. */
static int check_output_fd(int fd, sd_bus_error *error)
{
        struct stat st;
        int flags = fcntl(fd, F_GETFL);

        if (flags < 0 || fstat(fd, &st) < 0)
                return bus_error_set(error, "InvalidHandle", "the output descriptor is not open");
        if ((flags & O_PATH) || (flags & O_ACCMODE) == O_RDONLY)
                return bus_error_set(error, "InvalidArg",
                                     "the output descriptor is not open for writing");
        if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode))
                return bus_error_set(error, "InvalidArg",
                                     "the output descriptor is not a file, pipe or socket");
        return 0;
}

static int read_args(sd_bus_message *m, int *fd, int32_t *first, int32_t *count,
                     sd_bus_error *error)
{
        int r = sd_bus_message_read(m, "hii", fd, first, count);

        if (r < 0)
                return r;
        if (*first < 0 || *first > RB_LBA_MAX)
                return bus_error_set(error, "InvalidArg",
                                     "first_lba: 0 or more (drives do not read the lead-in)");
        if (*count < 1 || *count > READ_SECTORS_MAX)
                return bus_error_set(error, "InvalidArg", "sector_count: 1 to 450000");
        return check_output_fd(*fd, error);
}

/* Who may read, for ReadMedia and ReadToc alike: the owner of the prepared
 * drive (not while writing), or anyone polkit allows on a free drive.
 * Returns 1 with owned set to go on, 0 when polkit's answer will call the
 * method again, or a negative errno with error set. */
static int read_access(Recorder *rec, sd_bus_message *m, bool *owned, sd_bus_error *error)
{
        int r;

        if (recorder_busy(rec, error))
                return -EBUSY;
        *owned = is_owner(rec, m);
        if (*owned) {
                if (rec->rawcd.state == RAWCD_WRITING)
                        return bus_error_set(error, "WriteInProgress", NULL);
                if (rec->rawcd.state != RAWCD_PREPARED)
                        return bus_error_set(error, "MediaIsNotPrepared",
                                             "the preparation has not finished");
                return 1;
        }
        if (recorder_locked_by_other(rec, m))
                return recorder_reply_locked(rec, error);
        if (rec->rawcd.state != RAWCD_IDLE)
                return bus_error_set(error, "RecorderLocked", "the drive is being released");
        r = recorder_authorize(rec, m, ACTION_READ, error);
        return r < 0 ? r : r > 0;
}

static int method_read(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        int32_t first, count;
        bool owned;
        int fd, r;

        r = read_args(m, &fd, &first, &count, error);
        if (r < 0)
                return r;
        r = read_access(rec, m, &owned, error);
        if (r <= 0)
                return r < 0 ? r : 1; /* 0: runs again with polkit's answer */
        r = rawcd_begin_read(rec, m, fd, first, count, owned);
        return r < 0 ? recorder_hold_error(rec, m, r, error) : 1;
}

/* ---- ReadToc: what a copy of the disc needs to rebuild its lead-in */

static int method_read_toc(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        uint8_t format;
        bool owned;
        int r;

        r = sd_bus_message_read(m, "y", &format);
        if (r < 0)
                return r;
        if (format != 0 && format != 1 && format != 2 && format != 5)
                return bus_error_set(error, "InvalidArg",
                                     "format: 0 (TOC), 1 (session info), 2 (full TOC) or 5 "
                                     "(CD-Text)");
        r = read_access(rec, m, &owned, error);
        if (r <= 0)
                return r < 0 ? r : 1; /* 0: runs again with polkit's answer */
        r = rawcd_begin_read_toc(rec, m, format, owned);
        return r < 0 ? recorder_hold_error(rec, m, r, error) : 1;
}

static int method_set_write_speed(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Recorder *rec = userdata;
        rawcd_settings *s;
        bool staged;
        int32_t speed;
        int cav, r;

        r = sd_bus_message_read(m, "ib", &speed, &cav);
        if (r < 0)
                return r;
        if (!rawcd_speed_valid(speed))
                return bus_error_set(error, "InvalidArg",
                                     "sectors_per_second: -1 (the fastest) or 1 to 27858");
        r = settings_to_set(rec, m, &s, &staged, error);
        if (r < 0)
                return r;
        if (staged) {
                /* Before PrepareMedia, as IMAPI2 allows: kept for it, which
                 * sends it to the drive and says what the drive chose. */
                s->speed = speed;
                s->pure_cav = cav;
                return sd_bus_reply_method_return(m, "u", (uint32_t)0);
        }
        r = rawcd_begin_set_speed(rec, m, speed, cav);
        if (r < 0)
                return bus_error_set(error, "Fail", strerror(-r));
        return 1;
}

/* ------------------------------------------------------------- vtable */

#define CHANGES        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE
#define PROGRESS(name) SD_BUS_PROPERTY(name, "i", get_progress, 0, CHANGES)
/* Any caller may write the settable properties, as it may call the methods:
 * the setters decide (the owner's settings, or the caller's own staged
 * ones); sd-bus would otherwise take writes only from root and the daemon's
 * own user. */
#define SETTABLE (CHANGES | SD_BUS_VTABLE_UNPRIVILEGED)

const sd_bus_vtable rawcd_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD_WITH_ARGS("PrepareMedia", SD_BUS_ARGS("a{sv}", options),
                            SD_BUS_RESULT("u", result), method_prepare, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("WriteMedia", SD_BUS_ARGS("h", image), SD_BUS_NO_RESULT, method_write,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("WriteMedia2", SD_BUS_ARGS("h", image, "i", stream_leadin_sectors),
                            SD_BUS_NO_RESULT, method_write, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("CancelWrite", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_cancel,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("ReleaseMedia", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_release,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("ReadMedia",
                            SD_BUS_ARGS("h", output, "i", first_lba, "i", sector_count),
                            SD_BUS_NO_RESULT, method_read, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("ReadToc", SD_BUS_ARGS("y", format), SD_BUS_RESULT("ay", response),
                            method_read_toc, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("SetWriteSpeed", SD_BUS_ARGS("i", sectors_per_second, "b", pure_cav),
                            SD_BUS_RESULT("u", result), method_set_write_speed,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_SIGNAL_WITH_ARGS("Update",
                            SD_BUS_ARGS("i", current_action, "i", elapsed_time, "i", remaining_time,
                                        "i", start_lba, "i", sector_count, "i", last_read_lba, "i",
                                        last_written_lba, "i", total_system_buffer, "i",
                                        used_system_buffer, "i", free_system_buffer, "i",
                                        total_device_buffer, "i", used_device_buffer),
                            0),
    SD_BUS_SIGNAL_WITH_ARGS("WriteFinished",
                            SD_BUS_ARGS("s", error_name, "s", message, "a{sv}", details), 0),
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
    SD_BUS_WRITABLE_PROPERTY("RequestedSectorType", "i", get_requested_sector_type,
                             set_requested_sector_type, 0, SETTABLE),
    SD_BUS_WRITABLE_PROPERTY("BufferUnderrunFreeDisabled", "b", get_bufe_disabled,
                             set_bufe_disabled, 0, SETTABLE),
    SD_BUS_WRITABLE_PROPERTY("ClientName", "s", get_client_name, set_client_name, 0, SETTABLE),
    SD_BUS_WRITABLE_PROPERTY("RequestedWriteSpeed", "i", get_requested_write_speed,
                             set_requested_write_speed, 0, SETTABLE),
    SD_BUS_WRITABLE_PROPERTY("RequestedRotationTypeIsPureCAV", "b", get_requested_cav,
                             set_requested_cav, 0, SETTABLE),
    SD_BUS_PROPERTY("State", "s", get_state, 0, CHANGES),
    SD_BUS_PROPERTY("Owner", "s", get_owner, 0, CHANGES),
    SD_BUS_PROPERTY("Simulate", "b", get_simulate, 0, CHANGES),
    SD_BUS_PROPERTY("WriterScheduling", "s", get_writer_scheduling, 0, CHANGES),
    PROGRESS("CurrentAction"),
    PROGRESS("ElapsedTime"),
    PROGRESS("RemainingTime"),
    PROGRESS("StartLba"),
    PROGRESS("SectorCount"),
    PROGRESS("LastReadLba"),
    PROGRESS("LastWrittenLba"),
    PROGRESS("TotalSystemBuffer"),
    PROGRESS("UsedSystemBuffer"),
    PROGRESS("FreeSystemBuffer"),
    PROGRESS("TotalDeviceBuffer"),
    PROGRESS("UsedDeviceBuffer"),
    SD_BUS_PROPERTY("LastWriteResult", "(ssa{sv})", get_last_write_result, 0, CHANGES),
    SD_BUS_VTABLE_END,
};
