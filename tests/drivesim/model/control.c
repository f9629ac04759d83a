/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Control commands aimed at one drive: what a person does with the tray and
 * the disc, fault injection, and the state dump tests assert on. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds-internal.h"
#include "ds-util.h"

static void media_changed(ds_drive *d)
{
        d->media_changed_pending = true;
        d->events |= DS_EVENT_MEDIA_CHANGED;
}

/* "insert MEDIA": a person puts a disc in the tray and closes it. A disc lying in the open
 * tray is swapped for the new one; a closed tray with a disc in it must be ejected first. */
static int control_insert(ds_drive *d, const char *media, char **reply)
{
        char *error = NULL;
        int r;

        if (!media || !*media)
                return ds_message(reply, -EINVAL, "insert needs a media name, e.g. insert cdr80");
        if (!d->tray_open && d->media.kind != DS_MEDIA_NONE)
                return ds_message(reply, -EBUSY, "%s already holds %s: eject it first", d->name,
                                  d->media.name);
        r = ds_media_load(d, media, &error);
        if (r < 0) {
                *reply = error;
                return r;
        }
        d->tray_open = false;
        media_changed(d);
        return ds_message(reply, 0, "inserted %s", d->media.name);
}

/* "eject": the button. The tray opens and the disc stays in it, back when the tray closes. */
static int control_eject(ds_drive *d, char **reply)
{
        if (d->tray_locked) {
                /* A locked drive ignores the button; the kernel still tells udev. */
                d->events |= DS_EVENT_EJECT_REQUEST;
                d->gesn_eject_request = true;
                return ds_message(reply, 0, "tray locked: eject request reported");
        }
        if (!d->tray_open) {
                ds_tray_open(d);
                media_changed(d);
        }
        return ds_message(reply, 0,
                          d->media.kind == DS_MEDIA_NONE
                              ? "ejected: the tray is open and empty"
                              : "ejected: the tray is open, the disc still in it");
}

/* "take": a person takes the disc out of the tray, opening it first if need be. */
static int control_take(ds_drive *d, char **reply)
{
        if (!d->tray_open && d->tray_locked)
                return ds_message(reply, -EBUSY, "tray locked by PREVENT ALLOW MEDIUM REMOVAL");
        if (d->media.kind == DS_MEDIA_NONE)
                return ds_message(reply, -ENOMEDIUM, "%s holds no disc to take", d->name);
        if (!d->tray_open)
                ds_tray_open(d);
        ds_media_unload(d);
        media_changed(d);
        return ds_message(reply, 0, "took the disc: the tray is open and empty");
}

static int control_tray(ds_drive *d, bool open, char **reply)
{
        if (open && d->tray_locked)
                return ds_message(reply, -EBUSY, "tray locked by PREVENT ALLOW MEDIUM REMOVAL");
        if (d->tray_open != open) {
                if (open)
                        ds_tray_open(d);
                else
                        d->tray_open = false;
                media_changed(d);
        }
        return ds_message(reply, 0, open ? "tray open" : "tray closed");
}

static const char *disc_state_name(const ds_drive *d)
{
        if (d->media.kind == DS_MEDIA_NONE)
                return "none";
        switch (ds_disc_get_state(d->media.disc)) {
        case DS_DISC_BLANK:
                return "blank";
        case DS_DISC_INCOMPLETE:
                return "incomplete";
        case DS_DISC_COMPLETE:
                return "complete";
        }
        return "unknown";
}

static int control_state(ds_drive *d, char **reply)
{
        const ds_burn_stats *st = &d->stats;
        unsigned bs = d->writer.block_size ? d->writer.block_size : DS_RAW_SECTOR_SIZE;
        char *faults, modes[128], min_fill[32] = "none", hist[DS_FILL_STEPS * 21 + 24];
        size_t at = 0;
        int r;

        ds_writer_advance(d); /* the buffer as it is now, an underrun included */
        faults = ds_faults_describe(&d->faults);
        ds_modes_describe(d->config.modes, modes, sizeof modes);
        if (st->filled)
                snprintf(min_fill, sizeof min_fill, "%llu", (unsigned long long)st->min_fill_bytes);
        hist[0] = 0;
        for (unsigned i = 0; i <= DS_FILL_STEPS; i++)
                at += (size_t)snprintf(hist + at, sizeof hist - at, "%s%llu", i ? "," : "",
                                       (unsigned long long)st->fill_hist[i]);
        r = ds_message(
            reply, 0,
            "drive=%s\nmedia=%s\ndisc=%s\ntray=%s\nlocked=%s\nwrite_speed=%u\n"
            "write_type=%u\nblock_type=%u\ntest_write=%s\nbufe=%s\nwriting=%s\n"
            "next_lba=%d\nsectors_written=%llu\nburnfree_events=%u\nunderrun=%s\n"
            "recorded_end=%d\nbuffer_size=%llu\nbuffer_fill=%llu\nbuffer_min_fill=%s\n"
            "underruns=%u\nwrites=%llu\nwrite_wait_ms=%llu\nfirst_write_ns=%llu\n"
            "finished_ns=%llu\nfill_hist=%s\nmax_write_gap_us=%llu\nmodes=%s\nfaults=%s",
            d->name, d->media.kind == DS_MEDIA_NONE ? "none" : d->media.name, disc_state_name(d),
            d->tray_open ? "open" : "closed", d->tray_locked ? "yes" : "no", d->current_write_speed,
            ds_write_type(&d->write_params), ds_write_block_type(&d->write_params),
            ds_write_test(&d->write_params) ? "yes" : "no",
            ds_write_bufe(&d->write_params) ? "yes" : "no", d->writer.active ? "yes" : "no",
            d->writer.next_lba, (unsigned long long)d->writer.sectors_in, d->writer.burnfree_events,
            d->writer.underrun ? "yes" : "no",
            d->media.disc ? ds_disc_recorded_end(d->media.disc) : 0,
            (unsigned long long)d->config.buffer_bytes,
            (unsigned long long)(ds_writer_fill(d) * bs), min_fill, st->underruns,
            (unsigned long long)st->writes, (unsigned long long)(st->wait_ns / 1000000u),
            (unsigned long long)st->first_write_ns, (unsigned long long)st->finished_ns, hist,
            (unsigned long long)(st->max_gap_ns / 1000u), modes, faults ? faults : "");
        free(faults);
        return r;
}

/* "export FILE": the recorded disc as a DAO-96 image, lead-in start to the end of the lead-out. */
static int control_export(ds_drive *d, const char *file, char **reply)
{
        int r;

        if (!file || !*file)
                return ds_message(reply, -EINVAL,
                                  "export needs a file name, e.g. export disc.dao96");
        if (d->media.kind == DS_MEDIA_NONE)
                return ds_message(reply, -ENOMEDIUM, "%s holds no disc to export", d->name);
        if (ds_disc_get_state(d->media.disc) == DS_DISC_BLANK)
                return ds_message(reply, -ENODATA, "the disc in %s is blank: nothing to export",
                                  d->name);
        r = ds_disc_export(d->media.disc, file);
        if (r < 0)
                return ds_message(reply, r, "cannot export to %s: %s", file, strerror(-r));
        return ds_message(reply, 0, "exported %d sectors from LBA %d to %s",
                          ds_disc_recorded_end(d->media.disc) - ds_disc_first_lba(d->media.disc),
                          ds_disc_first_lba(d->media.disc), file);
}

/* "corrupt LBA [COUNT]": recorded sectors that will read back different (ds_disc_corrupt). */
static int control_corrupt(ds_drive *d, const char *arg, char **reply)
{
        long lba, count = 1;
        char *end;
        int r;

        errno = 0;
        lba = strtol(arg, &end, 10);
        if (end != arg && *end == ' ')
                count = strtol(end, &end, 10);
        while (*end == ' ')
                end++;
        if (errno || end == arg || *end || count < 1 || lba < INT32_MIN || lba > INT32_MAX ||
            count > INT32_MAX)
                return ds_message(reply, -EINVAL, "corrupt needs LBA [COUNT], e.g. corrupt 1000 4");
        if (d->media.kind == DS_MEDIA_NONE)
                return ds_message(reply, -ENOMEDIUM, "%s holds no disc to corrupt", d->name);
        r = ds_disc_corrupt(d->media.disc, (int32_t)lba, (int32_t)count);
        if (r == -ERANGE)
                return ds_message(reply, r, "LBA %ld..%ld is not all recorded (%d..%d is)", lba,
                                  lba + count - 1, ds_disc_first_lba(d->media.disc),
                                  ds_disc_recorded_end(d->media.disc) - 1);
        if (r == -EROFS)
                return ds_message(reply, r, "the disc in %s is served from an image file", d->name);
        if (r < 0)
                return ds_message(reply, r, "cannot corrupt: %s", strerror(-r));
        return ds_message(reply, 0, "corrupted %ld sectors from LBA %ld", count, lba);
}

int ds_drive_control(ds_drive *d, const char *line, char **reply)
{
        char verb[32] = "";
        const char *arg;
        int n = 0;

        *reply = NULL;
        if (sscanf(line, " %31s %n", verb, &n) < 1)
                return ds_message(reply, -EINVAL, "empty command");
        arg = line + n;

        if (strcmp(verb, "insert") == 0)
                return control_insert(d, arg, reply);
        if (strcmp(verb, "eject") == 0)
                return control_eject(d, reply);
        if (strcmp(verb, "take") == 0)
                return control_take(d, reply);
        if (strcmp(verb, "open-tray") == 0)
                return control_tray(d, true, reply);
        if (strcmp(verb, "close-tray") == 0)
                return control_tray(d, false, reply);
        if (strcmp(verb, "fault") == 0) {
                char *error = NULL;
                int r = ds_fault_arm_parse(&d->faults, arg, &error);
                if (r < 0) {
                        *reply = error;
                        return r;
                }
                return ds_message(reply, 0, "armed %s", arg);
        }
        if (strcmp(verb, "clear-faults") == 0) {
                ds_faults_clear(&d->faults);
                return ds_message(reply, 0, "faults cleared");
        }
        if (strcmp(verb, "state") == 0)
                return control_state(d, reply);
        if (strcmp(verb, "export") == 0)
                return control_export(d, arg, reply);
        if (strcmp(verb, "corrupt") == 0)
                return control_corrupt(d, arg, reply);
        return ds_message(reply, -EINVAL, "unknown command '%s' (see drivesim --help)", verb);
}

char *ds_drive_udev_properties(const ds_drive *d)
{
        char *s = NULL;
        bool media = !d->tray_open && d->media.kind != DS_MEDIA_NONE;
        bool blank = media && ds_disc_get_state(d->media.disc) == DS_DISC_BLANK;
        const char *media_type = "";

        /* cdrom_id names the disc by the current profile, the drive by its profile list. */
        switch (media ? ds_current_profile(d) : DS_PROFILE_NONE) {
        case DS_PROFILE_CDR:
                media_type = "ID_CDROM_MEDIA_CD_R=1\n";
                break;
        case DS_PROFILE_CDRW:
                media_type = "ID_CDROM_MEDIA_CD_RW=1\n";
                break;
        case DS_PROFILE_CDROM:
                media_type = "ID_CDROM_MEDIA_CD=1\n";
                break;
        case DS_PROFILE_DVDR:
                media_type = "ID_CDROM_MEDIA_DVD_R=1\n";
                break;
        default:
                break;
        }
        /* What udev's cdrom_id reports for a CD/DVD writer and its disc. */
        if (asprintf(
                &s,
                "ID_CDROM=1\nID_CDROM_CD=1\nID_CDROM_CD_R=1\n%s"
                "ID_CDROM_DVD=1\nID_CDROM_MRW=1\nID_CDROM_MRW_W=1\n"
                "%s%s%s",
                d->config.cdrw_write ? "ID_CDROM_CD_RW=1\n" : "", media ? "ID_CDROM_MEDIA=1\n" : "",
                media_type,
                media ? (blank ? "ID_CDROM_MEDIA_STATE=blank\n" : "ID_CDROM_MEDIA_STATE=complete\n")
                      : "") < 0)
                return NULL;
        return s;
}
