/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading back what was recorded: READ TOC/PMA/ATIP, READ CD (MSF), READ(10)/(12),
 * READ SUB-CHANNEL, SEEK. Data sectors are stored as the host sent them, scrambled
 * (mmc-raw.md §5.3); every sync-led sector is descrambled on the way out. The lead-in and
 * lead-out are kept and READ CD serves them too (mmc-raw.md §8, lessons), which real
 * drives do not; it lets tests look at what was burnt there.
 */
#include <string.h>

#include "ds-internal.h"
#include "rawburn/msf.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"

/* Replies are built here before ds_reply() trims them to the allocation length. */
#define REPLY_MAX (4 + 8 * 101)

/* An address field: LBA, or 0 M S F of LBA + 150 when msf is set. */
static void put_address(uint8_t *p, int32_t lba, bool msf)
{
        rb_msf_t m;

        if (!msf) {
                ds_put_be32(p, (uint32_t)lba);
                return;
        }
        if (rb_lba_to_msf(lba, &m) < 0)
                memset(&m, 0, sizeof m);
        p[0] = 0;
        p[1] = m.m;
        p[2] = m.s;
        p[3] = m.f;
}

/* The TOC of a finished disc, or CHECK CONDITION 05/24/00 as drives answer on blank media. */
static const ds_toc *toc_or_fail(ds_drive *d, ds_cmd *cmd)
{
        const ds_toc *toc = ds_disc_get_toc(d->media.disc);

        if (ds_disc_get_state(d->media.disc) != DS_DISC_COMPLETE || !toc->valid) {
                ds_fail_invalid_cdb(d, cmd);
                return NULL;
        }
        return toc;
}

static void reply_toc_format0(ds_drive *d, ds_cmd *cmd, const ds_toc *toc)
{
        uint8_t r[REPLY_MAX] = {0};
        bool msf = cmd->cdb[1] & 0x02;
        unsigned start = cmd->cdb[6], n = 0;

        if (start > toc->last_track && start != 0xAA) {
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        for (unsigned i = 0; i < toc->n_tracks; i++) {
                const ds_toc_track *t = &toc->tracks[i];
                uint8_t *p = r + 4 + 8 * n;

                if (t->number < start)
                        continue;
                p[1] = (uint8_t)(RB_Q_ADR_POSITION << 4 | (t->control & 0x0f));
                p[2] = t->number;
                put_address(p + 4, t->start, msf);
                n++;
        }
        {
                uint8_t *p = r + 4 + 8 * n;
                uint8_t ctl = toc->n_tracks ? toc->tracks[toc->n_tracks - 1].control : 0;

                p[1] = (uint8_t)(RB_Q_ADR_POSITION << 4 | (ctl & 0x0f));
                p[2] = 0xAA;
                put_address(p + 4, toc->leadout_start, msf);
                n++;
        }
        ds_put_be16(r, (uint16_t)(2 + 8 * n));
        r[2] = toc->first_track;
        r[3] = toc->last_track;
        ds_reply(cmd, r, 4 + 8 * n);
}

static void reply_toc_format1(ds_drive *d, ds_cmd *cmd, const ds_toc *toc)
{
        uint8_t r[12] = {0};
        const ds_toc_track *t = &toc->tracks[0];

        (void)d;
        ds_put_be16(r, 10);
        r[2] = 1; /* first complete session */
        r[3] = 1; /* last complete session: drivesim burns one */
        r[5] = (uint8_t)(RB_Q_ADR_POSITION << 4 | (t->control & 0x0f));
        r[6] = t->number;
        put_address(r + 8, t->start, cmd->cdb[1] & 0x02);
        ds_reply(cmd, r, sizeof r);
}

/* One 11-byte descriptor of the full TOC, as the lead-in Q carried it (binary, not BCD). */
static void put_full_toc_entry(uint8_t *p, uint8_t ctl, uint8_t point, uint8_t pmin, uint8_t psec,
                               uint8_t pframe)
{
        memset(p, 0, 11);
        p[0] = 1; /* session */
        p[1] = (uint8_t)(RB_Q_ADR_POSITION << 4 | (ctl & 0x0f));
        p[3] = point;
        p[8] = pmin;
        p[9] = psec;
        p[10] = pframe;
}

static void reply_toc_format2(ds_drive *d, ds_cmd *cmd, const ds_toc *toc)
{
        uint8_t r[4 + 11 * 102];
        unsigned n = 0;
        uint8_t first_ctl = toc->tracks[0].control;
        uint8_t last_ctl = toc->tracks[toc->n_tracks - 1].control;
        rb_msf_t m;

        (void)d;
        memset(r, 0, sizeof r);
        put_full_toc_entry(r + 4 + 11 * n++, first_ctl, 0xA0, toc->first_track, toc->disc_type, 0);
        put_full_toc_entry(r + 4 + 11 * n++, last_ctl, 0xA1, toc->last_track, 0, 0);
        if (rb_lba_to_msf(toc->leadout_start, &m) < 0)
                memset(&m, 0, sizeof m);
        put_full_toc_entry(r + 4 + 11 * n++, last_ctl, 0xA2, m.m, m.s, m.f);
        for (unsigned i = 0; i < toc->n_tracks; i++) {
                const ds_toc_track *t = &toc->tracks[i];

                if (rb_lba_to_msf(t->start, &m) < 0)
                        memset(&m, 0, sizeof m);
                put_full_toc_entry(r + 4 + 11 * n++, t->control, t->number, m.m, m.s, m.f);
        }
        ds_put_be16(r, (uint16_t)(2 + 11 * n));
        r[2] = 1;
        r[3] = 1;
        ds_reply(cmd, r, 4 + 11 * n);
}

static void reply_cdtext(ds_drive *d, ds_cmd *cmd)
{
        const ds_toc *toc = ds_disc_get_toc(d->media.disc);
        size_t len = toc->cdtext ? toc->cdtext_len : 0;
        uint8_t header[4] = {0};

        if (len > 0xfffd - 2)
                len = 0xfffd - 2;
        ds_put_be16(header, (uint16_t)(2 + len));
        /* Header then packs, straight into the caller's buffer, trimmed to its allocation. */
        ds_reply(cmd, header, sizeof header);
        if (cmd->data_len > sizeof header && len) {
                size_t room = cmd->data_len - sizeof header;
                size_t n = len < room ? len : room;

                memcpy(cmd->data + sizeof header, toc->cdtext, n);
                cmd->resid -= n;
        }
}

void ds_cmd_read_toc(ds_drive *d, ds_cmd *cmd)
{
        unsigned format = cmd->cdb[2] & 0x0f;
        const ds_toc *toc;
        ds_toc moved;

        /* Older hosts put the format in byte 9 bits 7-6 (SFF-8020). */
        if (format == 0 && (cmd->cdb[9] >> 6))
                format = cmd->cdb[9] >> 6;
        switch (format) {
        case 0:
        case 1:
        case 2:
                toc = toc_or_fail(d, cmd);
                if (!toc)
                        return;
                if (format != 1 && ds_fault_fire(&d->faults, DS_FAULT_TOC_MISMATCH, cmd)) {
                        /* A TOC that differs from the written lead-in, as a drive that
                         * misread it (or a burn that went wrong) would report: the lead-out
                         * one frame later, in the TOC (AAh) and the full TOC (A2h) alike. */
                        moved = *toc;
                        moved.leadout_start++;
                        toc = &moved;
                }
                if (format == 0)
                        reply_toc_format0(d, cmd, toc);
                else if (format == 1)
                        reply_toc_format1(d, cmd, toc);
                else
                        reply_toc_format2(d, cmd, toc);
                return;
        case 4:
                ds_reply_atip(d, cmd);
                return;
        case 5:
                reply_cdtext(d, cmd);
                return;
        default:
                ds_fail_invalid_cdb(d, cmd);
        }
}

/* ---- READ CD ---- */

/* What a stored sector is, after descrambling: 0 audio, 1 Mode 1, 2 Mode 2 (formless),
 * 4 Mode 2 Form 1, 5 Mode 2 Form 2 — the numbering of READ CD's expected sector type. */
enum sector_type {
        ST_ANY = 0,
        ST_CDDA = 1,
        ST_MODE1 = 2,
        ST_MODE2 = 3,
        ST_M2F1 = 4,
        ST_M2F2 = 5,
};

static enum sector_type classify(uint8_t main[DS_MAIN_SIZE])
{
        if (!rb_sector_has_sync(main))
                return ST_CDDA;
        rb_scramble_sector(main); /* stored as the host sent it: scrambled */
        switch (main[15]) {
        case 1:
                return ST_MODE1;
        case 2:
                /* XA subheader submode bit 5 = Form 2; both copies agree on real discs. */
                if (main[18] & 0x20)
                        return ST_M2F2;
                return (main[18] & 0x08) ? ST_M2F1 : ST_MODE2; /* data bit: Form 1 */
        default:
                return ST_MODE2;
        }
}

/* User data of a sector: where it starts and how long it is. */
static void user_data(enum sector_type t, size_t *off, size_t *len)
{
        switch (t) {
        case ST_MODE1:
                *off = 16, *len = 2048;
                break;
        case ST_M2F1:
                *off = 24, *len = 2048;
                break;
        case ST_M2F2:
                *off = 24, *len = 2324;
                break;
        case ST_MODE2:
                *off = 16, *len = 2336;
                break;
        case ST_CDDA:
        case ST_ANY:
        default:
                *off = 0, *len = DS_MAIN_SIZE;
        }
}

static bool type_matches(enum sector_type expected, enum sector_type t)
{
        if (expected == ST_ANY)
                return true;
        if (expected == ST_MODE2)
                return t == ST_MODE2 || t == ST_M2F1 || t == ST_M2F2;
        return expected == t;
}

/*
 * realtime: the head reads at the current read speed, so a read completes when its last
 * sector has passed under it. Reads asked for back to back follow on from where the last
 * one ended; after a pause the head starts again from the command's arrival. No seek or
 * spin-up time: a benchmark sees the reader's pace against the drive's, as a CLV drive
 * reading on from track to track gives it.
 */
static void pace_read(ds_drive *d, ds_cmd *cmd, uint32_t count)
{
        uint64_t now, start;
        unsigned x = d->current_read_speed ? d->current_read_speed : 1;

        if (!d->config.realtime || count == 0 || cmd->status != DS_STATUS_GOOD)
                return;
        now = ds_now(d);
        start = d->read_done_ns > now ? d->read_done_ns : now;
        /* Rounded up to the nanosecond that completes the last sector. */
        d->read_done_ns = start + ((uint64_t)count * 1000000000ull + 75ull * x - 1) / (75ull * x);
        cmd->delay_ns = d->read_done_ns - now;
}

/* Serves count sectors from lba: main-channel selection byte9, sub-channel selection sub. */
static void read_cd(ds_drive *d, ds_cmd *cmd, int32_t lba, uint32_t count, unsigned expected,
                    uint8_t byte9, unsigned sub_sel)
{
        size_t out = 0;
        bool full = (byte9 & 0xF8) == 0xF8, user_only = (byte9 & 0xF8) == 0x10;
        bool none = (byte9 & 0xF8) == 0x00;

        if (expected > ST_M2F2 || !(full || user_only || none) || (byte9 & 0x06) ||
            (sub_sel != 0 && sub_sel != 1 && sub_sel != 2 && sub_sel != 4)) {
                /* Only the selections hosts use: F8h (all 2352), 10h (user data), none;
                 * no C2 pointers. */
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        if (none && sub_sel == 0) {
                cmd->resid = cmd->data_len; /* nothing selected: nothing to transfer (MMC) */
                return;
        }
        for (uint32_t i = 0; i < count; i++) {
                uint8_t main[DS_MAIN_SIZE], sub[DS_SUB_SIZE];
                enum sector_type t;
                size_t off = 0, len = 0, sublen = 0;

                if (ds_disc_read(d->media.disc, lba + (int32_t)i, main, sub) < 0) {
                        /* Nothing recorded there: LOGICAL BLOCK ADDRESS OUT OF RANGE. */
                        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x21, 0x00);
                        cmd->resid = cmd->data_len - out;
                        return;
                }
                t = classify(main);
                if (!type_matches(expected, t)) {
                        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x64, 0x00);
                        cmd->resid = cmd->data_len - out;
                        return;
                }
                if (full)
                        len = DS_MAIN_SIZE;
                else if (user_only)
                        user_data(t, &off, &len);
                if (sub_sel == 1) {
                        sublen = DS_SUB_SIZE;
                } else if (sub_sel == 2) {
                        uint8_t pq[RB_PQ16_SIZE];

                        rb_pq16_from_raw(sub, pq);
                        memcpy(sub, pq, sizeof pq);
                        sublen = RB_PQ16_SIZE;
                } else if (sub_sel == 4) {
                        uint8_t symbols[96];

                        rb_subchannel_get_rw(sub, symbols);
                        memcpy(sub, symbols, sizeof symbols);
                        sublen = DS_SUB_SIZE;
                }
                if (out + len + sublen > cmd->data_len) {
                        ds_fail_invalid_cdb(d, cmd); /* the buffer cannot hold what was asked */
                        cmd->resid = cmd->data_len - out;
                        return;
                }
                memcpy(cmd->data + out, main + off, len);
                memcpy(cmd->data + out + len, sub, sublen);
                out += len + sublen;
                d->read_lba = lba + (int32_t)i;
        }
        cmd->resid = cmd->data_len - out;
        pace_read(d, cmd, count);
}

void ds_cmd_read_cd(ds_drive *d, ds_cmd *cmd)
{
        const uint8_t *c = cmd->cdb;
        uint32_t count = (uint32_t)c[6] << 16 | (uint32_t)c[7] << 8 | c[8];

        read_cd(d, cmd, (int32_t)ds_get_be32(c + 2), count, (c[1] >> 2) & 7, c[9], c[10] & 7);
}

void ds_cmd_read_cd_msf(ds_drive *d, ds_cmd *cmd)
{
        const uint8_t *c = cmd->cdb;
        rb_msf_t start = {c[3], c[4], c[5]}, end = {c[6], c[7], c[8]};
        int32_t a, b;

        if (!rb_msf_valid(start) || !rb_msf_valid(end)) {
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        a = rb_msf_to_lba(start);
        b = rb_msf_to_lba(end);
        if (b < a) {
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        read_cd(d, cmd, a, (uint32_t)(b - a), (c[1] >> 2) & 7, c[9], c[10] & 7);
}

void ds_cmd_read(ds_drive *d, ds_cmd *cmd)
{
        const uint8_t *c = cmd->cdb;
        int32_t lba = (int32_t)ds_get_be32(c + 2);
        uint32_t count = c[0] == DS_OP_READ_12 ? ds_get_be32(c + 6) : ds_get_be16(c + 7);
        size_t out = 0;

        for (uint32_t i = 0; i < count; i++) {
                uint8_t main[DS_MAIN_SIZE];
                enum sector_type t;

                if (lba < 0 || ds_disc_read(d->media.disc, lba + (int32_t)i, main, NULL) < 0) {
                        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x21, 0x00);
                        break;
                }
                t = classify(main);
                if (t != ST_MODE1 && t != ST_M2F1) {
                        /* Audio (and Form 2) has no 2048-byte blocks: ILLEGAL MODE FOR THIS TRACK
                         */
                        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x64, 0x00);
                        break;
                }
                if (out + 2048 > cmd->data_len) {
                        ds_fail_invalid_cdb(d, cmd);
                        break;
                }
                memcpy(cmd->data + out, main + (t == ST_MODE1 ? 16 : 24), 2048);
                out += 2048;
                d->read_lba = lba + (int32_t)i;
        }
        cmd->resid = cmd->data_len - out;
}

/* ---- READ SUB-CHANNEL ---- */

static void sub_channel_position(ds_drive *d, bool msf, uint8_t *p)
{
        uint8_t sub[DS_SUB_SIZE], raw_q[RB_Q_SIZE];
        rb_subq_t q;

        p[0] = 0x01;
        if (ds_disc_read(d->media.disc, d->read_lba, NULL, sub) < 0 || !ds_sub_q(sub, raw_q) ||
            rb_subq_decode(raw_q, &q) < 0 || q.kind != RB_SUBQ_POSITION) {
                /* No position Q there (lead-in, MCN/ISRC frame): report the LBA alone. */
                put_address(p + 4, d->read_lba, msf);
                return;
        }
        p[1] = (uint8_t)(q.adr << 4 | (q.control & 0x0f));
        p[2] = q.position.tno;
        p[3] = q.position.index;
        put_address(p + 4, d->read_lba, msf);
        if (msf) {
                p[8] = 0;
                p[9] = q.position.rel.m;
                p[10] = q.position.rel.s;
                p[11] = q.position.rel.f;
        } else {
                ds_put_be32(p + 8, (uint32_t)rb_msf_to_frames(q.position.rel));
        }
}

void ds_cmd_read_sub_channel(ds_drive *d, ds_cmd *cmd)
{
        const uint8_t *c = cmd->cdb;
        bool subq = c[2] & 0x40, msf = c[1] & 0x02;
        unsigned format = c[3];
        uint8_t r[24] = {0};
        const ds_toc *toc = ds_disc_get_toc(d->media.disc);
        size_t len = 4;

        r[1] = 0x15; /* audio status: no current audio status to return */
        if (subq) {
                switch (format) {
                case 1:
                        sub_channel_position(d, msf, r + 4);
                        len += 12;
                        break;
                case 2:
                        r[4] = 0x02;
                        if (toc->valid && toc->mcn[0]) {
                                r[8] = 0x80; /* MCVal */
                                memcpy(r + 9, toc->mcn, 13);
                        }
                        len += 20;
                        break;
                case 3: {
                        unsigned n = c[6];

                        r[4] = 0x03;
                        r[6] = (uint8_t)n;
                        for (unsigned i = 0; toc->valid && i < toc->n_tracks; i++)
                                if (toc->tracks[i].number == n && toc->tracks[i].isrc[0]) {
                                        r[5] = (uint8_t)(RB_Q_ADR_ISRC << 4 |
                                                         (toc->tracks[i].control & 0x0f));
                                        r[8] = 0x80; /* TCVal */
                                        memcpy(r + 9, toc->tracks[i].isrc, 12);
                                }
                        len += 20;
                        break;
                }
                default:
                        ds_fail_invalid_cdb(d, cmd);
                        return;
                }
        }
        ds_put_be16(r + 2, (uint16_t)(len - 4));
        ds_reply(cmd, r, len);
}

void ds_cmd_seek(ds_drive *d, ds_cmd *cmd)
{
        /* The head goes there; the position is what READ SUB-CHANNEL reports next. */
        d->read_lba = (int32_t)ds_get_be32(cmd->cdb + 2);
}
