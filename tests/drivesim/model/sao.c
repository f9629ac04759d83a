/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Session At Once (page 05h write type 2) from a cue sheet, the only way cdrskin/libburn can
 * burn a CD (its raw modes are disabled, mmc-raw.md §6.4). Unlike RAW, the drive makes the
 * sub-channel itself from the cue sheet, and records the lead-in (TOC in Q) and the lead-out
 * when the session closes.
 *
 * Cue sheet entries (8 bytes, as libburn 1.5.4 sends them, seen through drivesim's trace):
 *   CTL/ADR, TNO (BCD; 00 lead-in, AA lead-out), INDEX (BCD), data form, SCMS, M, S, F
 * e.g. 01 00 00 01 00 00 00 00 / 01 01 00 00 00 00 00 00 / 01 01 01 00 00 00 02 00 /
 * 01 AA 01 01 00 00 07 00 for one 5-second audio track; the host then writes from LBA -150
 * (index 00) with 2352-byte blocks.
 *
 * A data track: 41 00 00 14 … / 41 01 00 10 … / 41 01 01 10 … 00 02 00 / 41 AA 01 14 ….
 *
 * Supported data forms: 00h (CD-DA, 2352 bytes from the host), 01h (audio) and 14h (Mode 1)
 * for lead-in and lead-out, which the drive generates, 10h (Mode 1, 2048 bytes of user data: the
 * drive builds sync, header, EDC/ECC and scrambles, so the stored sector is what a RAW host would
 * have sent). No sub-channel data forms (bits 7-6), so no CD-Text in SAO.
 *
 * Simplification: in "realtime", the lead-in and lead-out the drive writes at the close take
 * no time (a drive spends about 2.5 + 1.5 minutes' worth of 1× on them).
 */
#include <string.h>

#include "ds-internal.h"
#include "rawburn/edc-ecc.h"
#include "rawburn/msf.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"

#define LEADOUT_SECTORS 6750

static bool form_supported(uint8_t form, uint8_t tno)
{
        if (tno == 0 || tno == 0xAA) /* 14h: Mode 1 zero sectors the drive makes (libburn) */
                return form == 0x00 || form == 0x01 || form == 0x14;
        return form == 0x00 || form == 0x10;
}

/* Parses and checks the cue sheet; 05/26/00 INVALID FIELD IN PARAMETER LIST when it is not
 * one lead-in, tracks in order with rising addresses, and one lead-out. */
static bool parse_cue(ds_drive *d, const uint8_t *p, size_t len)
{
        ds_cue_sheet cue = {0};
        int last_tno = 0;

        if (len % 8 != 0 || len / 8 < 3 || len / 8 > sizeof cue.e / sizeof cue.e[0])
                return false;
        for (size_t i = 0; i < len / 8; i++, p += 8) {
                ds_cue_entry *e = &cue.e[cue.n++];
                rb_msf_t msf = {p[5], p[6], p[7]};
                int tno = p[1] == 0xAA ? 0xAA : rb_bcd_decode(p[1]);
                int index = rb_bcd_decode(p[2]);

                if (tno < 0 || index < 0 || (p[0] & 0x0f) != 1 || !rb_msf_valid(msf) ||
                    !form_supported(p[3], (uint8_t)tno))
                        return false;
                e->control = p[0] >> 4;
                e->tno = (uint8_t)tno;
                e->index = (uint8_t)index;
                e->form = p[3];
                e->lba = rb_msf_to_lba(msf);
                if (i == 0 ? tno != 0 : (tno == 0 || tno < last_tno))
                        return false;
                if (i > 1 && e->lba < cue.e[i - 1].lba)
                        return false;
                if (tno == 0xAA && i != len / 8 - 1)
                        return false;
                last_tno = tno;
        }
        if (last_tno != 0xAA || cue.e[1].tno != 1)
                return false;
        d->cue = cue;
        return true;
}

static int32_t leadout_start(const ds_cue_sheet *cue)
{
        return cue->e[cue->n - 1].lba;
}

void ds_cmd_send_cue_sheet(ds_drive *d, ds_cmd *cmd)
{
        uint32_t len = (uint32_t)cmd->cdb[6] << 16 | (uint32_t)cmd->cdb[7] << 8 | cmd->cdb[8];

        if (ds_write_type(&d->write_params) != 2 || d->writer.active) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x2C, 0x00); /* not in SAO, or mid-burn */
                return;
        }
        if (cmd->direction != DS_DIR_TO_DEVICE || cmd->data_len != len) {
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        if (!parse_cue(d, cmd->data, len) || leadout_start(&d->cue) > d->media.atip_last_leadout) {
                /* Malformed, or a lead-out later than the disc allows. */
                d->cue.n = 0;
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x26, 0x00);
                return;
        }
        cmd->resid = 0;
}

/* The cue entry in force at lba (the last one starting at or before it), lead-in excluded. */
static const ds_cue_entry *entry_at(const ds_cue_sheet *cue, int32_t lba)
{
        const ds_cue_entry *e = NULL;

        for (unsigned i = 1; i < cue->n; i++)
                if (cue->e[i].lba <= lba)
                        e = &cue->e[i];
        return e;
}

/* Where INDEX 01 of track tno starts. */
static int32_t track_start(const ds_cue_sheet *cue, uint8_t tno)
{
        for (unsigned i = 1; i < cue->n; i++)
                if (cue->e[i].tno == tno && cue->e[i].index == 1)
                        return cue->e[i].lba;
        return 0;
}

static size_t host_block_size(const ds_cue_entry *e)
{
        return e->form == 0x10 ? 2048 : DS_MAIN_SIZE;
}

static void put_q(uint8_t sub[DS_SUB_SIZE], const rb_subq_t *q, bool p)
{
        uint8_t raw_q[RB_Q_SIZE];

        memset(sub, 0, DS_SUB_SIZE);
        rb_subq_encode(q, raw_q);
        rb_subchannel_put(sub, RB_CH_Q, raw_q);
        rb_subchannel_set_p(sub, p);
}

static rb_msf_t msf_of(int32_t lba)
{
        rb_msf_t m = {0, 0, 0};

        rb_lba_to_msf(lba, &m);
        return m;
}

/* The sub-channel of a program-area or lead-out sector: Q position, P in pauses. */
static void position_sub(const ds_cue_sheet *cue, const ds_cue_entry *e, int32_t lba,
                         uint8_t sub[DS_SUB_SIZE])
{
        rb_subq_t q = {.kind = RB_SUBQ_POSITION, .control = e->control};
        int32_t start = e->tno == 0xAA ? e->lba : track_start(cue, e->tno);

        q.position.tno = e->tno;
        q.position.index = e->tno == 0xAA ? 1 : e->index;
        /* In a pause the relative time counts down to 00:00:00 at its last sector. */
        q.position.rel = rb_frames_to_msf((uint32_t)(lba < start ? start - 1 - lba : lba - start));
        q.position.abs = msf_of(lba);
        put_q(sub, &q, e->tno != 0xAA && e->index == 0);
}

void ds_sao_write(ds_drive *d, ds_cmd *cmd, int32_t lba, uint32_t n)
{
        ds_writer *w = &d->writer;
        const ds_cue_sheet *cue = &d->cue;
        size_t expected = 0, off = 0;

        if (cue->n == 0) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x2C, 0x00); /* no cue sheet sent */
                return;
        }
        if (!w->active) {
                if (ds_disc_get_state(d->media.disc) != DS_DISC_BLANK || lba != cue->e[1].lba) {
                        ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x21, 0x02);
                        return;
                }
        } else if (lba != w->next_lba) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x21, 0x02);
                return;
        }
        if ((int64_t)lba + n > leadout_start(cue)) {
                ds_fail(d, cmd, DS_SK_ILLEGAL_REQUEST, 0x21, 0x02); /* beyond the cue's lead-out */
                return;
        }
        for (uint32_t i = 0; i < n; i++)
                expected += host_block_size(entry_at(cue, lba + (int32_t)i));
        if (cmd->direction != DS_DIR_TO_DEVICE || cmd->data_len != expected) {
                ds_fail_invalid_cdb(d, cmd);
                return;
        }
        if (!w->active) {
                ds_cue_sheet keep = d->cue;

                ds_writer_reset(d);
                ds_writer_stats_begin(d);
                d->cue = keep;
                w->active = true;
                w->sao = true;
                w->next_lba = lba;
                w->block_size = DS_MAIN_SIZE;
                w->test_write = ds_write_test(&d->write_params);
                if (!w->test_write)
                        ds_disc_set_incomplete(d->media.disc);
        }
        for (uint32_t i = 0; i < n; i++) {
                int32_t at = lba + (int32_t)i;
                const ds_cue_entry *e = entry_at(cue, at);
                uint8_t main[DS_MAIN_SIZE], sub[DS_SUB_SIZE];

                if (e->form == 0x10) {
                        rb_sector_encode_mode1(main, at, cmd->data + off);
                        rb_scramble_sector(main); /* stored as a RAW host sends data */
                } else {
                        memcpy(main, cmd->data + off, DS_MAIN_SIZE);
                }
                off += host_block_size(e);
                position_sub(cue, e, at, sub);
                if (!w->test_write && ds_disc_write(d->media.disc, at, main, sub) < 0) {
                        ds_fail(d, cmd, DS_SK_MEDIUM_ERROR, 0x0C, 0x00);
                        return;
                }
        }
        w->next_lba = lba + (int32_t)n;
        cmd->resid = 0;
        cmd->delay_ns = ds_writer_accept(d, n);
}

/* One lead-in sector: the TOC point (k / 3) % points, each repeated three times. */
static void leadin_sub(const ds_cue_sheet *cue, unsigned k, uint8_t sub[DS_SUB_SIZE])
{
        const ds_cue_entry *first = &cue->e[1], *last = &cue->e[cue->n - 2];
        unsigned n_tracks = last->tno - first->tno + 1u, point = (k / 3) % (3 + n_tracks);
        rb_subq_t q = {.kind = RB_SUBQ_LEADIN_TOC};

        q.toc.running = rb_frames_to_msf(k);
        if (point == 0) {
                q.control = first->control;
                q.toc.point = RB_Q_POINT_FIRST_TRACK;
                q.toc.p = (rb_msf_t){first->tno, RB_DISC_TYPE_CDDA_CDROM, 0};
        } else if (point == 1) {
                q.control = last->control;
                q.toc.point = RB_Q_POINT_LAST_TRACK;
                q.toc.p = (rb_msf_t){last->tno, 0, 0};
        } else if (point == 2) {
                q.control = last->control;
                q.toc.point = RB_Q_POINT_LEADOUT;
                q.toc.p = msf_of(leadout_start(cue));
        } else {
                uint8_t tno = (uint8_t)(first->tno + point - 3);
                const ds_cue_entry *e = entry_at(cue, track_start(cue, tno));

                q.control = e ? e->control : 0;
                q.toc.point = tno;
                q.toc.p = msf_of(track_start(cue, tno));
        }
        put_q(sub, &q, false);
}

/* Main channel the drive makes itself: silence, or a Mode 1 sector of zeros (data form 14h),
 * scrambled like every stored data sector. */
static void generated_main(uint8_t form, int32_t lba, uint8_t main[DS_MAIN_SIZE])
{
        static const uint8_t zeros[2048];

        memset(main, 0, DS_MAIN_SIZE);
        if (form == 0x14) {
                rb_sector_encode_mode1(main, lba, zeros);
                rb_scramble_sector(main);
        }
}

bool ds_sao_close(ds_drive *d)
{
        const ds_cue_sheet *cue = &d->cue;
        ds_disc *disc = d->media.disc;
        int32_t leadin = d->media.atip_leadin_start, leadout = leadout_start(cue);
        uint8_t main[DS_MAIN_SIZE], sub[DS_SUB_SIZE];

        if (d->writer.next_lba != leadout)
                return false; /* the host stopped short: a coaster */
        if (d->writer.test_write)
                return true;
        for (int32_t lba = leadin; lba < cue->e[1].lba; lba++) {
                leadin_sub(cue, (unsigned)(lba - leadin), sub);
                generated_main(cue->e[0].form, lba, main);
                if (ds_disc_write(disc, lba, main, sub) < 0)
                        return false;
        }
        for (int32_t lba = leadout; lba < leadout + LEADOUT_SECTORS; lba++) {
                position_sub(cue, &cue->e[cue->n - 1], lba, sub);
                generated_main(cue->e[cue->n - 1].form, lba, main);
                if (ds_disc_write(disc, lba, main, sub) < 0)
                        return false;
        }
        return true;
}
