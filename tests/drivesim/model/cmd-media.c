/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What is in the tray: disc and track information, ATIP, capacity, speeds.
 * Byte layouts are MMC-5's as cdrkit's scsimmc.h and mmc-raw.md §3.1 give them. */
#include <string.h>

#include "ds-internal.h"
#include "rawburn/msf.h"

static bool recordable(const ds_drive *d)
{
        return d->media.kind == DS_MEDIA_CDR || d->media.kind == DS_MEDIA_CDRW;
}

/* ---- speeds ---- */

/* The CLV speeds a recorder of this kind offers; the media and the SPEC cap them. */
static const unsigned speed_steps[] = {52, 48, 40, 32, 24, 20, 16, 12, 10, 8, 4};

unsigned ds_max_write_speed(const ds_drive *d)
{
        unsigned max = d->config.max_write_speed;

        if (recordable(d) && d->media.max_speed && d->media.max_speed < max)
                max = d->media.max_speed;
        return max;
}

size_t ds_write_speeds(const ds_drive *d, unsigned *speeds, size_t max)
{
        unsigned top = ds_max_write_speed(d);
        unsigned bottom = recordable(d) && d->media.min_speed ? d->media.min_speed : 1;
        size_t n = 0;

        if (max == 0)
                return 0;
        /* The top speed always counts, even when it is not one of the usual steps. */
        speeds[n++] = top;
        for (size_t i = 0; i < sizeof speed_steps / sizeof speed_steps[0] && n < max; i++)
                if (speed_steps[i] < top && speed_steps[i] >= bottom)
                        speeds[n++] = speed_steps[i];
        return n;
}

/* ---- READ DISC INFORMATION ---- */

static void put_msf(uint8_t *p, int32_t lba)
{
        rb_msf_t msf = {0, 0, 0};

        rb_lba_to_msf(lba, &msf);
        p[0] = 0;
        p[1] = msf.m;
        p[2] = msf.s;
        p[3] = msf.f;
}

void ds_cmd_read_disc_information(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[34] = {0};
        enum ds_disc_state state = ds_disc_get_state(d->media.disc);
        const ds_toc *toc = ds_disc_get_toc(d->media.disc);
        bool erasable = d->media.kind == DS_MEDIA_CDRW;
        uint8_t first = 1, last = 1;

        if ((cmd->cdb[1] & 0x07) != 0) { /* only data type 000b, standard disc information */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        if (ds_blank_busy(d, cmd))
                return;
        if (d->media.kind == DS_MEDIA_CDROM)
                state = DS_DISC_COMPLETE; /* a pressed disc is finished whatever the store says */
        if (toc->valid) {
                first = toc->first_track;
                last = toc->last_track;
        }

        ds_put_be16(r, sizeof r - 2);
        r[3] = 1; /* first track on the disc */
        r[4] = 1; /* sessions: the empty or incomplete one counts */
        r[7] = 0; /* no disc ID, bar code or application code */
        switch (state) {
        case DS_DISC_BLANK:
                /* Empty disc, empty last session; the next track is track 1. */
                r[2] = 0x00;
                r[5] = 1;
                r[6] = 1;
                r[8] = 0xff; /* disc type unknown until the TOC's A0 says */
                break;
        case DS_DISC_INCOMPLETE:
                /* A burn that stopped half-way: an incomplete session on an appendable
                 * disc, as drives report a disc with data but no TOC. Its only fix is BLANK. */
                r[2] = 0x01 | 0x01 << 2;
                r[5] = 1;
                r[6] = 1;
                r[8] = 0xff;
                break;
        case DS_DISC_COMPLETE:
                r[2] = 0x02 | 0x03 << 2; /* complete disc, complete last session */
                r[5] = first;
                r[6] = last;
                r[8] = toc->valid ? toc->disc_type : 0x00;
                break;
        }
        if (erasable)
                r[2] |= 0x10;
        if (state != DS_DISC_COMPLETE && d->media.has_atip) {
                /* Where the next session's lead-in starts and where its lead-out must. */
                put_msf(r + 16, d->media.atip_leadin_start);
                put_msf(r + 20, d->media.atip_last_leadout);
        } else if (state == DS_DISC_COMPLETE) {
                memset(r + 16, 0xff, 8);
        }
        ds_reply_alloc(cmd, r, sizeof r, ds_get_be16(cmd->cdb + 7));
}

/* ---- READ TRACK INFORMATION ---- */

/* Where the next write goes on a blank disc, per the write type in page 05h (mmc-raw.md
 * §3.1): RAW writes the lead-in too, so it starts at the ATIP lead-in start; SAO starts with
 * the 150-sector pre-gap; TAO at the first user sector. */
static int32_t blank_nwa(const ds_drive *d)
{
        switch (ds_write_type(&d->write_params)) {
        case 3:
                return d->media.atip_leadin_start;
        case 2:
                return -150;
        default:
                return 0;
        }
}

static void invisible_track(const ds_drive *d, uint8_t r[36])
{
        enum ds_disc_state state = ds_disc_get_state(d->media.disc);
        int32_t nwa = blank_nwa(d);
        /* Sectors the host may still send before the lead-out must start. */
        int32_t free_blocks = d->media.atip_last_leadout - nwa;

        r[2] = 1;                              /* track 1 */
        r[3] = 1;                              /* session 1 */
        r[5] = d->write_params.page[3] & 0x0f; /* track mode as page 05h sets it */
        r[6] = 0x40 | 0x0f;                    /* Blank, data mode unknown */
        ds_put_be32(r + 8, (uint32_t)nwa);
        if (state == DS_DISC_BLANK && d->media.has_atip) {
                r[7] = 0x01; /* NWA_V */
                ds_put_be32(r + 12, (uint32_t)nwa);
                ds_put_be32(r + 16, (uint32_t)(free_blocks > 0 ? free_blocks : 0));
                ds_put_be32(r + 24, (uint32_t)(free_blocks > 0 ? free_blocks : 0));
        }
        /* An incomplete (spoilt) disc has no next writable address: NWA_V stays 0. */
}

static bool recorded_track(const ds_toc *toc, unsigned i, uint8_t r[36])
{
        const ds_toc_track *t = &toc->tracks[i];
        int32_t end = i + 1 < toc->n_tracks ? toc->tracks[i + 1].start : toc->leadout_start;
        uint8_t data_mode = t->mode == 1 ? 1 : t->mode == 2 ? 2 : 0x0f;

        r[2] = t->number;
        r[3] = 1;
        r[5] = t->control & 0x0f;
        r[6] = data_mode;
        r[7] = 0x02; /* LRA_V */
        ds_put_be32(r + 8, (uint32_t)t->start);
        ds_put_be32(r + 24, (uint32_t)(end - t->start)); /* track size: to the next start */
        ds_put_be32(r + 28, (uint32_t)(end - 1));
        return true;
}

/* Index of the track holding lba, or -1. */
static int track_at_lba(const ds_toc *toc, int32_t lba)
{
        if (lba < 0 || lba >= toc->leadout_start)
                return -1;
        for (unsigned i = toc->n_tracks; i-- > 0;)
                if (lba >= toc->tracks[i].pregap_start || i == 0)
                        return (int)i;
        return -1;
}

static int track_by_number(const ds_toc *toc, uint32_t number)
{
        for (unsigned i = 0; i < toc->n_tracks; i++)
                if (toc->tracks[i].number == number)
                        return (int)i;
        return -1;
}

void ds_cmd_read_track_information(ds_drive *d, ds_cmd *cmd)
{
        unsigned type = cmd->cdb[1] & 0x03;
        uint32_t address = ds_get_be32(cmd->cdb + 2);
        enum ds_disc_state state = ds_disc_get_state(d->media.disc);
        const ds_toc *toc = ds_disc_get_toc(d->media.disc);
        bool finished = state == DS_DISC_COMPLETE || d->media.kind == DS_MEDIA_CDROM;
        uint8_t r[36] = {0};
        int i = -1;

        if (ds_blank_busy(d, cmd))
                return;
        ds_put_be16(r, sizeof r - 2);
        if (!finished) {
                /* Nothing recorded in the TOC: only the invisible track exists. */
                bool invisible;
                switch (type) {
                case 0: /* LBA in the recordable area */
                        invisible = (int32_t)address >= d->media.atip_leadin_start &&
                                    (int32_t)address < d->media.atip_last_leadout;
                        break;
                case 1: /* track number: 1 is the next track, FFh the invisible one */
                case 2: /* session number: 1, or FFh */
                        invisible = address == 1 || address == 0xff;
                        break;
                default:
                        invisible = false;
                }
                if (!invisible || !d->media.has_atip) {
                        ds_fail_invalid_cdb(d, cmd);
                        return;
                }
                invisible_track(d, r);
                ds_reply_alloc(cmd, r, sizeof r, ds_get_be16(cmd->cdb + 7));
                return;
        }
        if (toc->valid) {
                if (type == 0)
                        i = track_at_lba(toc, (int32_t)address);
                else if (type == 1)
                        i = track_by_number(toc, address);
                else if (type == 2 && address == 1)
                        i = 0; /* the one session's first track */
        }
        if (i < 0) { /* a finished disc has no invisible track and no other tracks */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        recorded_track(toc, (unsigned)i, r);
        ds_reply_alloc(cmd, r, sizeof r, ds_get_be16(cmd->cdb + 7));
}

/* ---- READ TOC format 4: ATIP ---- */

void ds_reply_atip(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[28] = {0};

        /* The MSF bit changes nothing: ATIP times are always MSF, in binary. */
        if (!d->media.has_atip) { /* pressed CDs and DVDs have none */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        if (ds_blank_busy(d, cmd))
                return;
        ds_put_be16(r, sizeof r - 2);
        memcpy(r + 4, d->media.atip, sizeof d->media.atip);
        ds_reply_alloc(cmd, r, sizeof r, ds_get_be16(cmd->cdb + 7));
}

/* ---- READ CAPACITY ---- */

void ds_cmd_read_capacity(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[8] = {0};
        const ds_toc *toc = ds_disc_get_toc(d->media.disc);
        uint32_t last = 0;

        /* A finished disc: the last sector before the lead-out. Blank or unfinished discs
         * have no readable user data; drives answer 0 then (Linux sr reads it at every
         * media change and copes). */
        if (toc->valid && toc->leadout_start > 0)
                last = (uint32_t)(toc->leadout_start - 1);
        ds_put_be32(r, last);
        ds_put_be32(r + 4, 2048);
        ds_reply(cmd, r, sizeof r);
}

/* ---- GET PERFORMANCE ---- */

static void fail_no_media(ds_drive *d, ds_cmd *cmd)
{
        ds_fail(d, cmd, DS_SK_NOT_READY, 0x3A, d->tray_open ? 0x02 : 0x01);
}

static int32_t capacity_end(const ds_drive *d)
{
        if (d->media.has_atip)
                return d->media.atip_last_leadout;
        {
                const ds_toc *toc = ds_disc_get_toc(d->media.disc);
                return toc->valid ? toc->leadout_start : 0;
        }
}

void ds_cmd_get_performance(ds_drive *d, ds_cmd *cmd)
{
        uint8_t type = cmd->cdb[10];
        uint16_t max_desc = ds_get_be16(cmd->cdb + 8);
        bool present = !d->tray_open && d->media.kind != DS_MEDIA_NONE;
        uint8_t r[8 + 16 * 16];
        size_t n = 0;

        memset(r, 0, sizeof r);
        if (type == 0x00) {
                /* Performance: one extent over the whole disc at the current speed. */
                bool write = cmd->cdb[1] & 0x04;
                unsigned x = write ? d->current_write_speed : d->current_read_speed;
                if (!present) {
                        fail_no_media(d, cmd);
                        return;
                }
                r[4] = write ? 0x02 : 0x00;
                ds_put_be32(r + 8, 0);
                ds_put_be32(r + 12, ds_speed_kbps(x));
                ds_put_be32(r + 16, (uint32_t)capacity_end(d));
                ds_put_be32(r + 20, ds_speed_kbps(x));
                n = 1;
        } else if (type == 0x03) {
                /* Write speed descriptors, fastest first (what libburn asks when WSPD is set). */
                unsigned speeds[16];
                n = ds_write_speeds(d, speeds, sizeof speeds / sizeof speeds[0]);
                for (size_t i = 0; i < n; i++) {
                        uint8_t *p = r + 8 + 16 * i;
                        p[0] = 0; /* CLV, not exact */
                        ds_put_be32(p + 4, present ? (uint32_t)capacity_end(d) : 0);
                        ds_put_be32(p + 8, ds_speed_kbps(d->config.max_read_speed));
                        ds_put_be32(p + 12, ds_speed_kbps(speeds[i]));
                }
        } else {
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        /* The length tells what is available; the host's maximum number of descriptors
         * limits what moves (libburn asks for none first to learn the count). */
        ds_put_be32(r, (uint32_t)(4 + 16 * n));
        ds_reply(cmd, r, 8 + 16 * (n < max_desc ? n : max_desc));
}

/* ---- SET CD SPEED, SET STREAMING ---- */

/* kB/s to ×: cdrdao and wodim send × times 177, drives report × times 176.4, IMAPI × 176;
 * dividing by 176 gives the intended × for all three. */
static unsigned kbps_to_x(uint16_t kbps)
{
        return kbps / 176u;
}

void ds_cmd_set_cd_speed(ds_drive *d, ds_cmd *cmd)
{
        uint16_t read_kbps = ds_get_be16(cmd->cdb + 2);
        uint16_t write_kbps = ds_get_be16(cmd->cdb + 4);
        unsigned speeds[16];
        size_t n = ds_write_speeds(d, speeds, sizeof speeds / sizeof speeds[0]);

        if (ds_fault_fire(&d->faults, DS_FAULT_SPEED_MISMATCH, cmd)) {
                ds_fail(d, cmd, DS_SK_NOT_READY, 0x30, 0x11);
                return;
        }
        if (read_kbps == 0xffff || kbps_to_x(read_kbps) >= d->config.max_read_speed)
                d->current_read_speed = d->config.max_read_speed;
        else
                d->current_read_speed = kbps_to_x(read_kbps) ? kbps_to_x(read_kbps) : 1;

        /* Round down to a speed the drive offers; below the slowest, the slowest. */
        d->current_write_speed = speeds[n - 1];
        if (write_kbps == 0xffff) {
                d->current_write_speed = speeds[0];
        } else {
                for (size_t i = 0; i < n; i++)
                        if (speeds[i] <= kbps_to_x(write_kbps)) {
                                d->current_write_speed = speeds[i];
                                break;
                        }
        }
}

void ds_cmd_set_streaming(ds_drive *d, ds_cmd *cmd)
{
        /* Accepted and ignored: CD speeds are set with SET CD SPEED (libburn sends this for
         * DVD/BD only). The 28-byte performance descriptor is taken all the same. */
        size_t n = ds_get_be16(cmd->cdb + 9);

        if (cmd->direction == DS_DIR_TO_DEVICE)
                cmd->resid = cmd->data_len - (n < cmd->data_len ? n : cmd->data_len);
}

/* ---- READ DISC STRUCTURE, SEND OPC INFORMATION ---- */

void ds_cmd_read_disc_structure(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[4 + 2048];
        uint8_t format = cmd->cdb[7];

        if (d->media.kind != DS_MEDIA_DVDR) {
                /* CANNOT READ MEDIUM – INCOMPATIBLE FORMAT: DVD structures on a CD. */
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x30, 0x02);
                return;
        }
        if (format != 0x00) { /* only the physical format information */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        memset(r, 0, sizeof r);
        ds_put_be16(r, sizeof r - 2);
        r[4] = 0x25;                   /* book type DVD-R, part version 5 */
        r[5] = 0x0f;                   /* 120 mm, maximum rate not specified */
        r[6] = 0x02;                   /* one layer, recordable */
        r[7] = 0x10;                   /* 0.267 µm/bit, 0.74 µm/track */
        ds_put_be32(r + 8, 0x030000);  /* first physical sector of the data area */
        ds_put_be32(r + 12, 0x26053f); /* last: a 4.7 GB disc */
        ds_reply_alloc(cmd, r, sizeof r, ds_get_be16(cmd->cdb + 8));
}

void ds_cmd_send_opc_information(ds_drive *d, ds_cmd *cmd)
{
        /* Power calibration always succeeds (cdrdao and wodim send it before writing). */
}
