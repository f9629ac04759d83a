/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tray, lock and blanking: PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT, REZERO UNIT,
 * BLANK (mmc-raw.md §6.6). */
#include <string.h>

#include "ds-internal.h"

#define NS_PER_SECOND 1000000000ull

void ds_cmd_prevent_allow(ds_drive *d, ds_cmd *cmd)
{
        /* Byte 4 bit 0 Prevent; bit 1 (persistent prevention) is treated alike. */
        d->tray_locked = cmd->cdb[4] & 0x01;
}

void ds_cmd_start_stop_unit(ds_drive *d, ds_cmd *cmd)
{
        bool load_eject = cmd->cdb[4] & 0x02, start = cmd->cdb[4] & 0x01;

        /* A power condition (byte 4 bits 7-4) ignores LoEj and Start; spinning up or down
         * (LoEj 0) changes nothing the host can see. IMMED changes nothing either: the tray
         * moves at once. */
        if ((cmd->cdb[4] & 0xf0) || !load_eject)
                return;
        if (start) {
                /* Load: close the tray; a disc lying in it becomes ready, with the unit
                 * attention every NOT READY to READY change brings. */
                if (d->tray_open) {
                        d->tray_open = false;
                        if (d->media.kind != DS_MEDIA_NONE)
                                d->media_changed_pending = true;
                        d->events |= DS_EVENT_MEDIA_CHANGED;
                }
                return;
        }
        if (d->tray_locked) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x53, 0x02); /* MEDIUM REMOVAL PREVENTED */
                return;
        }
        /* Eject: the tray opens with the disc lying in it, as on a real drive; wodim and
         * cdrdao eject a just-written disc and load it again to reread it. Only a person
         * takes it out (the control command "take"). */
        ds_tray_open(d);
}

void ds_tray_open(ds_drive *d)
{
        if (d->tray_open)
                return;
        d->tray_open = true;
        /* A write or blank in progress ends with the disc leaving the laser. */
        d->blanking = false;
        ds_writer_reset(d);
        d->events |= DS_EVENT_MEDIA_CHANGED;
}

void ds_cmd_rezero_unit(ds_drive *d, ds_cmd *cmd)
{
        /* Nothing to seek back to; cdrdao sends it only to clear a unit attention. */
}

/* ---- BLANK ---- */

void ds_sense_in_progress(uint8_t sense[DS_SENSE_MAX], uint8_t ascq, uint16_t progress)
{
        memset(sense, 0, DS_SENSE_MAX);
        sense[0] = 0x70;
        sense[2] = DS_SK_NOT_READY;
        sense[7] = DS_SENSE_MAX - 8;
        sense[12] = 0x04; /* LOGICAL UNIT NOT READY, */
        sense[13] = ascq; /* 07h OPERATION IN PROGRESS, 08h LONG WRITE IN PROGRESS */
        sense[15] = 0x80; /* SKSV: bytes 16-17 are the progress indication */
        ds_put_be16(sense + 16, progress);
}

bool ds_blank_progress(ds_drive *d, uint16_t *progress)
{
        uint64_t now, span;

        if (!d->blanking)
                return false;
        now = ds_now(d);
        if (now >= d->blank_end_ns) {
                d->blanking = false;
                return false;
        }
        span = d->blank_end_ns - d->blank_start_ns;
        *progress = (uint16_t)((now - d->blank_start_ns) * 65536u / span);
        return true;
}

bool ds_blank_busy(ds_drive *d, ds_cmd *cmd)
{
        uint16_t progress;

        if (!ds_blank_progress(d, &progress))
                return false;
        ds_fail(d, cmd, DS_SK_NOT_READY, 0x04, 0x07);
        ds_sense_in_progress(cmd->sense, 0x07, progress);
        memcpy(d->last_sense, cmd->sense, DS_SENSE_MAX);
        return true;
}

/*
 * How long blanking takes at the current write speed: a minimal blank rewrites the PMA,
 * the lead-in and the first pre-gap (so lead-in length + 150 sectors), a full blank the
 * whole disc up to the last lead-out plus the lead-out. At 4x a minimal blank of a 97:26:66
 * disc takes about 39 s, a full blank of an 80-minute disc at 24x about 5.6 minutes'
 * worth of sectors / 24 — close to what drives take.
 */
static uint64_t blank_duration_ns(const ds_drive *d, bool full)
{
        uint64_t sectors = (uint64_t)(-d->media.atip_leadin_start) + 150u;
        unsigned speed = d->current_write_speed ? d->current_write_speed : 1;

        if (full)
                sectors =
                    (uint64_t)(d->media.atip_last_leadout - d->media.atip_leadin_start) + 6750u;
        return sectors * NS_PER_SECOND / (75u * speed);
}

void ds_cmd_blank(ds_drive *d, ds_cmd *cmd)
{
        bool immed = cmd->cdb[1] & 0x10;
        unsigned type = cmd->cdb[1] & 0x07;
        uint64_t duration;

        if (ds_blank_busy(d, cmd))
                return;
        if (ds_fault_fire(&d->faults, DS_FAULT_WRITE_PROTECTED, cmd)) {
                ds_fail(d, cmd, DS_SK_DATA_PROTECT, 0x27, 0x00);
                return;
        }
        if (d->media.kind == DS_MEDIA_CDR) {
                /* A CD-R cannot be erased: drives refuse with ILLEGAL MODE FOR THIS TRACK. */
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x64, 0x00);
                return;
        }
        if (d->media.kind != DS_MEDIA_CDRW) {
                /* Pressed CDs and DVD-R: CANNOT WRITE MEDIUM – INCOMPATIBLE FORMAT. */
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x30, 0x05);
                return;
        }
        if (type > 1) { /* only full (0) and minimal (1) blanking */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }

        /* The disc is blank from now on; only the time it takes is modelled. */
        ds_writer_reset(d);
        ds_disc_erase(d->media.disc);
        duration = d->config.realtime ? blank_duration_ns(d, type == 0) : 0;
        if (duration == 0)
                return;
        /* Without IMMED the command itself completes when blanking ends; other commands
         * that arrive meanwhile find the drive busy either way. */
        if (!immed)
                cmd->delay_ns = duration;
        d->blanking = true;
        d->blank_start_ns = ds_now(d);
        d->blank_end_ns = d->blank_start_ns + duration;
}
