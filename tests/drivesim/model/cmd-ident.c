/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Who the drive is and what it can do: TEST UNIT READY, REQUEST SENSE,
 * INQUIRY, GET CONFIGURATION, GET EVENT STATUS NOTIFICATION, MECHANISM STATUS
 * (mode pages are in cmd-mode.c). Byte layouts are MMC-5's (mmc-raw.md §2, §6.1, §6.2). */
#include <string.h>

#include "ds-internal.h"

void ds_cmd_test_unit_ready(ds_drive *d, ds_cmd *cmd)
{
        /* Readiness, a BLANK with IMMED included, was checked by the dispatcher
         * (NEEDS_MEDIUM); a ready drive has nothing more to say. */
        (void)d;
        (void)cmd;
}

void ds_cmd_request_sense(ds_drive *d, ds_cmd *cmd)
{
        uint8_t s[DS_SENSE_MAX] = {0x70, 0, DS_SK_NO_SENSE, 0, 0, 0, 0, DS_SENSE_MAX - 8};
        uint16_t progress;

        if (ds_blank_progress(d, &progress)) {
                /* libburn polls the blanking progress this way (bytes 16-17). */
                ds_sense_in_progress(s, 0x07, progress);
                d->last_sense_valid = false;
        } else if (ds_writer_draining(d)) {
                /* SYNCHRONIZE CACHE with IMMED: LONG WRITE IN PROGRESS until the buffer
                 * has reached the disc, with how much of the write has been burned. */
                ds_sense_in_progress(s, 0x08, ds_writer_drain_progress(d));
                d->last_sense_valid = false;
        } else if (d->last_sense_valid) {
                memcpy(s, d->last_sense, sizeof s);
                d->last_sense_valid = false;
        }
        ds_reply_alloc(cmd, s, sizeof s, cmd->cdb[4]);
}

void ds_cmd_inquiry(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[96] = {0};

        if (cmd->cdb[1] & 0x01) { /* EVPD pages are not offered */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        r[0] = 0x05; /* peripheral device type: CD/DVD */
        r[1] = 0x80; /* removable medium */
        r[2] = 0x05; /* SPC-3 */
        r[3] = 0x32; /* HiSup, response data format 2 */
        r[4] = sizeof r - 5;
        memset(r + 8, ' ', 28);
        memcpy(r + 8, d->config.vendor, strlen(d->config.vendor));
        memcpy(r + 16, d->config.product, strlen(d->config.product));
        memcpy(r + 32, d->config.revision, strlen(d->config.revision));
        ds_reply(cmd, r,
                 sizeof r < ds_get_be16(cmd->cdb + 3) ? sizeof r : ds_get_be16(cmd->cdb + 3));
}

/* ---- GET CONFIGURATION ---- */

#define FEATURE_MAX 16
typedef struct feature_list {
        uint8_t data[512];
        size_t len;
        struct {
                uint16_t code;
                bool current;
                size_t off, len;
        } f[FEATURE_MAX];
        size_t n;
} feature_list;

static void add_feature(feature_list *l, uint16_t code, uint8_t version, bool persistent,
                        bool current, const uint8_t *add, uint8_t add_len)
{
        uint8_t *p = l->data + l->len;

        ds_put_be16(p, code);
        p[2] = (uint8_t)(version << 2 | persistent << 1 | current);
        p[3] = add_len;
        if (add_len)
                memcpy(p + 4, add, add_len);
        l->f[l->n].code = code;
        l->f[l->n].current = current;
        l->f[l->n].off = l->len;
        l->f[l->n].len = 4u + add_len;
        l->n++;
        l->len += 4u + add_len;
}

static bool media_present(const ds_drive *d)
{
        return !d->tray_open && d->media.kind != DS_MEDIA_NONE;
}

static bool cd_media(const ds_drive *d)
{
        return media_present(d) &&
               (d->media.kind == DS_MEDIA_CDR || d->media.kind == DS_MEDIA_CDRW ||
                d->media.kind == DS_MEDIA_CDROM);
}

static bool writable_cd_media(const ds_drive *d)
{
        return media_present(d) && ds_writable_cd(d);
}

/* 0000h Profile List: every profile the drive has, the current one flagged (CurrentP); a
 * drive without CD-RW writing lacks 000Ah, as CD-R-only writers do. */
static void add_profile_list(const ds_drive *d, feature_list *l)
{
        static const uint16_t profiles[] = {DS_PROFILE_DVDR, DS_PROFILE_DVDROM, DS_PROFILE_CDRW,
                                            DS_PROFILE_CDR, DS_PROFILE_CDROM};
        enum ds_profile current = ds_current_profile(d);
        uint8_t b[4 * sizeof profiles / sizeof profiles[0]];
        uint8_t len = 0;

        for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
                if (profiles[i] == DS_PROFILE_CDRW && !d->config.cdrw_write)
                        continue;
                ds_put_be16(b + len, profiles[i]);
                b[len + 2] = profiles[i] == current;
                b[len + 3] = 0;
                len += 4;
        }
        add_feature(l, 0x0000, 0, true, true, b, len);
}

/* Every feature the drive has, in ascending order, with its Current bit for the media. */
static void list_features(const ds_drive *d, feature_list *l)
{
        unsigned modes = d->config.modes;
        /* The CD-RW bit of 002Dh and 002Eh (byte 4 bit 1): the write modes work on CD-RW. */
        uint8_t cdrw = d->config.cdrw_write ? 0x02 : 0x00;
        uint8_t b[32];

        memset(l, 0, sizeof *l);
        add_profile_list(d, l);

        /* 0001h Core: ATAPI (physical interface 2), DBE (byte 8 bit 0). */
        memset(b, 0, 8);
        ds_put_be32(b, 2);
        b[4] = 0x01;
        add_feature(l, 0x0001, 2, true, true, b, 8);

        /* 0002h Morphing: OCEvent (polled GET EVENT STATUS works). */
        memset(b, 0, 4);
        b[0] = 0x02;
        add_feature(l, 0x0002, 1, true, true, b, 4);

        /* 0003h Removable Medium: tray loader (001b), Eject, Lock. */
        memset(b, 0, 4);
        b[0] = 0x20 | 0x08 | 0x01;
        add_feature(l, 0x0003, 0, true, true, b, 4);

        /* 001Dh Multi-Read, 001Eh CD Read (C2 flags, CD-Text), 001Fh DVD Read. */
        add_feature(l, 0x001D, 0, false, cd_media(d), NULL, 0);
        memset(b, 0, 4);
        b[0] = 0x02 | 0x01;
        add_feature(l, 0x001E, 2, false, cd_media(d), b, 4);
        add_feature(l, 0x001F, 0, false, media_present(d) && d->media.kind == DS_MEDIA_DVDR, NULL,
                    0);

        /* 002Dh CD Track at Once, only on a drive with TAO: BUF, R-W Raw (with R96R),
         * R-W Pack (with R96P), Test Write (in TAO), CD-RW, R-W Sub-code (either); data
         * types 0 and 8..13 (what MODE SELECT accepts for TAO). */
        if (modes & DS_MODE_TAO) {
                memset(b, 0, 4);
                b[0] = 0x40 | cdrw;
                if (modes & DS_MODE_RAW96R)
                        b[0] |= 0x10 | 0x01;
                if (modes & DS_MODE_RAW96P)
                        b[0] |= 0x08 | 0x01;
                if (modes & DS_MODE_TEST_TAO)
                        b[0] |= 0x04;
                ds_put_be16(b + 2, 0x3f01);
                add_feature(l, 0x002D, 2, false, writable_cd_media(d), b, 4);
        }

        /* 002Eh CD Mastering, on a drive with SAO or RAW: BUF, SAO, Raw MS and Raw (any RAW
         * block type), Test Write, CD-RW, R-W (R96R or R96P); cue sheets up to 4 KiB. The
         * feature has one Test Write bit for SAO and RAW together, so a drive that
         * simulates in one of them only sets it too: hosts learn the rest by MODE SELECT. */
        if (modes & (DS_MODE_SAO | DS_MODES_RAW)) {
                memset(b, 0, 4);
                b[0] = 0x40 | cdrw;
                if (modes & DS_MODE_SAO)
                        b[0] |= 0x20;
                if (modes & DS_MODES_RAW)
                        b[0] |= 0x10 | 0x08;
                if (ds_modes_can_test(modes & ~(unsigned)DS_MODE_TAO))
                        b[0] |= 0x04;
                if (modes & (DS_MODE_RAW96R | DS_MODE_RAW96P))
                        b[0] |= 0x01;
                b[1] = 0x00;
                b[2] = 0x10;
                b[3] = 0x00;
                add_feature(l, 0x002E, 0, false, writable_cd_media(d), b, 4);
        }

        /* 0037h CD-RW Media Write Support: sub-types 0 (normal), 1 (High Speed) and
         * 2 (Ultra Speed), as byte 5 bits 0-2; wodim reads byte 5 to know which CD-RW
         * kinds the drive writes (the cdrw74 and cdrw80 media are sub-types 1 and 2).
         * A CD-R-only writer lacks it. */
        if (d->config.cdrw_write) {
                memset(b, 0, 4);
                b[1] = 0x07;
                add_feature(l, 0x0037, 0, false, media_present(d) && d->media.kind == DS_MEDIA_CDRW,
                            b, 4);
        }

        /* 0107h Real Time Streaming: SCS (SET CD SPEED), WSPD (GET PERFORMANCE type 03h). */
        memset(b, 0, 4);
        b[0] = 0x08 | 0x02;
        add_feature(l, 0x0107, 3, false, media_present(d), b, 4);
}

void ds_cmd_get_configuration(ds_drive *d, ds_cmd *cmd)
{
        unsigned rt = cmd->cdb[1] & 0x03;
        uint16_t start = ds_get_be16(cmd->cdb + 2);
        uint16_t alloc = ds_get_be16(cmd->cdb + 7);
        feature_list l;
        uint8_t r[8 + sizeof l.data];
        size_t len = 8;

        if (rt == 3) {
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        list_features(d, &l);
        memset(r, 0, 8);
        for (size_t i = 0; i < l.n; i++) {
                bool take = rt == 2 ? l.f[i].code == start
                                    : l.f[i].code >= start && (rt == 0 || l.f[i].current);
                if (!take)
                        continue;
                memcpy(r + len, l.data + l.f[i].off, l.f[i].len);
                len += l.f[i].len;
        }
        ds_put_be32(r, (uint32_t)(len - 4));
        ds_put_be16(r + 6, (uint16_t)ds_current_profile(d));
        ds_reply_alloc(cmd, r, len, alloc);
}

/* ---- GET EVENT STATUS NOTIFICATION ---- */

#define GESN_CLASS_MEDIA 4
enum {
        MEDIA_EVENT_NONE = 0,
        MEDIA_EVENT_EJECT_REQUEST = 1,
        MEDIA_EVENT_NEW_MEDIA = 2,
        MEDIA_EVENT_MEDIA_REMOVAL = 3,
};

void ds_cmd_get_event_status(ds_drive *d, ds_cmd *cmd)
{
        uint16_t alloc = ds_get_be16(cmd->cdb + 7);
        uint8_t r[8] = {0};
        bool present = media_present(d);

        if (!(cmd->cdb[1] & 0x01)) { /* asynchronous notification is not offered */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        r[3] = 1 << GESN_CLASS_MEDIA; /* supported event classes */
        if (!(cmd->cdb[4] & (1 << GESN_CLASS_MEDIA))) {
                /* None of the requested classes: No Event Available, header only. */
                ds_put_be16(r, 2);
                r[2] = 0x80;
                ds_reply_alloc(cmd, r, 4, alloc);
                return;
        }
        ds_put_be16(r, 6);
        r[2] = GESN_CLASS_MEDIA;
        r[4] = MEDIA_EVENT_NONE;
        if (present && (!d->gesn_media_present || d->gesn_generation != d->media_generation))
                r[4] = MEDIA_EVENT_NEW_MEDIA;
        else if (!present && d->gesn_media_present)
                r[4] = MEDIA_EVENT_MEDIA_REMOVAL;
        else if (d->gesn_eject_request)
                r[4] = MEDIA_EVENT_EJECT_REQUEST;
        r[5] = (uint8_t)((d->tray_open ? 0x01 : 0) | (present ? 0x02 : 0));
        /* An event counts as reported only when the host really got its descriptor. */
        if (alloc >= sizeof r && cmd->data_len >= sizeof r) {
                d->gesn_media_present = present;
                d->gesn_generation = d->media_generation;
                if (r[4] == MEDIA_EVENT_EJECT_REQUEST)
                        d->gesn_eject_request = false;
        }
        ds_reply_alloc(cmd, r, sizeof r, alloc);
}

void ds_cmd_mechanism_status(ds_drive *d, ds_cmd *cmd)
{
        uint8_t r[8] = {0};

        /* No changer: slot 0, no slot tables; the mechanism is idle. */
        r[1] = d->tray_open ? 0x10 : 0x00; /* Door Open */
        ds_reply_alloc(cmd, r, sizeof r, ds_get_be16(cmd->cdb + 8));
}
