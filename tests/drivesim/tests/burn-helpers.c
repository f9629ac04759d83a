/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "burn-helpers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ds-internal.h"
#include "rawburn/edc-ecc.h"
#include "rawburn/msf.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"

bh_disc bh_simple_audio(int32_t leadin_start, unsigned length, unsigned leadout)
{
        bh_disc disc = {.leadin_start = leadin_start, .n_tracks = 1, .leadout = leadout};

        disc.tracks[0] = (bh_track){.pregap = 150, .length = length};
        return disc;
}

int32_t bh_pregap_start(const bh_disc *disc, unsigned i)
{
        int32_t lba = -150;

        for (unsigned k = 0; k < i; k++)
                lba += (int32_t)(disc->tracks[k].pregap + disc->tracks[k].length);
        return lba + 150 - (int32_t)disc->tracks[0].pregap;
}

int32_t bh_track_start(const bh_disc *disc, unsigned i)
{
        return bh_pregap_start(disc, i) + (int32_t)disc->tracks[i].pregap;
}

int32_t bh_leadout_start(const bh_disc *disc)
{
        unsigned last = disc->n_tracks - 1;

        return bh_track_start(disc, last) + (int32_t)disc->tracks[last].length;
}

int32_t bh_end(const bh_disc *disc)
{
        return bh_leadout_start(disc) + (int32_t)disc->leadout;
}

void bh_audio_pattern(int32_t lba, uint8_t main[2352])
{
        for (size_t i = 0; i < 2352; i++)
                main[i] = (uint8_t)(i * 7 + (size_t)lba * 13 + 1);
}

void bh_data_pattern(int32_t lba, uint8_t user[2048])
{
        for (size_t i = 0; i < 2048; i++)
                user[i] = (uint8_t)(i * 3 + (size_t)lba * 5 + 0x40);
}

/* The track holding lba (pregap included), or -1 outside the program area. */
static int track_of(const bh_disc *disc, int32_t lba)
{
        int found = -1;

        if (lba < bh_pregap_start(disc, 0) || lba >= bh_leadout_start(disc))
                return -1;
        for (unsigned i = 0; i < disc->n_tracks; i++)
                if (lba >= bh_pregap_start(disc, i))
                        found = (int)i;
        return found;
}

static uint8_t track_ctl(const bh_track *t)
{
        return t->data ? RB_CTL_DATA : 0;
}

void bh_main(const bh_disc *disc, int32_t lba, uint8_t main[2352])
{
        int t = track_of(disc, lba);

        memset(main, 0, 2352);
        if (t < 0)
                return; /* lead-in and lead-out: digital silence */
        if (!disc->tracks[t].data) {
                if (lba >= bh_track_start(disc, (unsigned)t))
                        bh_audio_pattern(lba, main);
                return;
        }
        {
                uint8_t user[2048] = {0};

                if (lba >= bh_track_start(disc, (unsigned)t))
                        bh_data_pattern(lba, user);
                rb_sector_encode_mode1(main, lba, user);
                rb_scramble_sector(main); /* the host scrambles data in RAW (mmc-raw.md §5.3) */
        }
}

static rb_msf_t msf_of(int32_t lba)
{
        rb_msf_t m = {0, 0, 0};

        rb_lba_to_msf(lba, &m);
        return m;
}

static void leadin_q(const bh_disc *disc, int32_t lba, rb_subq_t *q)
{
        unsigned k = (unsigned)(lba - disc->leadin_start);
        unsigned n_points = 3 + disc->n_tracks, point = (k / 3) % n_points;
        const bh_track *last = &disc->tracks[disc->n_tracks - 1];

        memset(q, 0, sizeof *q);
        q->kind = RB_SUBQ_LEADIN_TOC;
        q->toc.running = rb_frames_to_msf(k);
        if (point == 0) { /* A0: first track, disc type */
                q->control = track_ctl(&disc->tracks[0]);
                q->toc.point = RB_Q_POINT_FIRST_TRACK;
                q->toc.p = (rb_msf_t){1, RB_DISC_TYPE_CDDA_CDROM, 0};
        } else if (point == 1) { /* A1: last track */
                q->control = track_ctl(last);
                q->toc.point = RB_Q_POINT_LAST_TRACK;
                q->toc.p = (rb_msf_t){(uint8_t)disc->n_tracks, 0, 0};
        } else if (point == 2) { /* A2: lead-out start */
                q->control = track_ctl(last);
                q->toc.point = RB_Q_POINT_LEADOUT;
                q->toc.p = msf_of(bh_leadout_start(disc));
        } else {
                unsigned i = point - 3;

                q->control = track_ctl(&disc->tracks[i]);
                q->toc.point = (uint8_t)(i + 1);
                q->toc.p = msf_of(bh_track_start(disc, i));
        }
}

void bh_q(const bh_disc *disc, int32_t lba, uint8_t out[12])
{
        rb_subq_t q = {0};
        int t = track_of(disc, lba);

        if (lba < bh_pregap_start(disc, 0)) {
                leadin_q(disc, lba, &q);
        } else if (t < 0) {
                q.kind = RB_SUBQ_POSITION;
                q.control = track_ctl(&disc->tracks[disc->n_tracks - 1]);
                q.position.tno = RB_Q_TNO_LEADOUT;
                q.position.index = 1;
                q.position.rel = rb_frames_to_msf((uint32_t)(lba - bh_leadout_start(disc)));
                q.position.abs = msf_of(lba);
        } else {
                const bh_track *tr = &disc->tracks[t];
                int32_t start = bh_track_start(disc, (unsigned)t);
                uint32_t offset = (uint32_t)(lba - start);

                q.control = track_ctl(tr);
                /* MCN and ISRC frames replace a position frame now and then, never at the
                 * first sector of an index (mmc-raw.md §4.6). */
                if (lba > start && disc->mcn && offset % 100 == 50) {
                        q.kind = RB_SUBQ_MCN;
                        snprintf(q.mcn.digits, sizeof q.mcn.digits, "%s", disc->mcn);
                        q.mcn.aframe = msf_of(lba).f;
                } else if (lba > start && tr->isrc && offset % 100 == 20) {
                        q.kind = RB_SUBQ_ISRC;
                        snprintf(q.isrc.code, sizeof q.isrc.code, "%s", tr->isrc);
                        q.isrc.aframe = msf_of(lba).f;
                } else {
                        q.kind = RB_SUBQ_POSITION;
                        q.position.tno = (uint8_t)(t + 1);
                        q.position.index = lba < start ? 0 : 1;
                        /* In the pause, relative time counts down to 00:00:00 at its last
                         * sector (Red Book; mmc-raw.md §4.2). */
                        q.position.rel =
                            rb_frames_to_msf(lba < start ? (uint32_t)(start - 1 - lba) : offset);
                        q.position.abs = msf_of(lba);
                }
        }
        rb_subq_encode(&q, out);
}

static bool p_flag(const bh_disc *disc, int32_t lba)
{
        int t = track_of(disc, lba);

        return t >= 0 && lba < bh_track_start(disc, (unsigned)t); /* P = 1 in pauses */
}

static void rw_symbols(const bh_disc *disc, int32_t lba, uint8_t symbols[96])
{
        memset(symbols, 0, 96);
        if (disc->cdtext && disc->cdtext_packs >= 4 && lba < bh_pregap_start(disc, 0)) {
                size_t sectors = disc->cdtext_packs / 4;
                size_t k = (size_t)(lba - disc->leadin_start) % sectors;

                rb_cdtext_packs_to_rw(disc->cdtext + k * 4 * RB_CDTEXT_PACK_SIZE, symbols);
        }
}

void bh_sub(const bh_disc *disc, int32_t lba, uint8_t raw[96])
{
        uint8_t q[12], symbols[96];

        memset(raw, 0, 96);
        bh_q(disc, lba, q);
        rb_subchannel_put(raw, RB_CH_Q, q);
        rb_subchannel_set_p(raw, p_flag(disc, lba));
        rw_symbols(disc, lba, symbols);
        rb_subchannel_put_rw(raw, symbols);
}

size_t bh_block_size(unsigned dbt)
{
        return dbt == 1 ? 2368 : 2448;
}

void bh_block(const bh_disc *disc, int32_t lba, unsigned dbt, uint8_t *out)
{
        bh_main(disc, lba, out);
        if (dbt == 1) {
                uint8_t q[12];

                bh_q(disc, lba, q);
                rb_pq16_build(q, p_flag(disc, lba), out + 2352);
        } else {
                /* DBT 2 as cdrdao/wodim send it has the same per-byte layout; its R-W symbols
                 * are the de-interleaved ones, which in the lead-in is what is recorded. */
                bh_sub(disc, lba, out + 2352);
        }
}

int bh_write_image(const bh_disc *disc, int32_t first_lba, const char *path)
{
        FILE *f = fopen(path, "we");
        int r = 0;

        if (!f)
                return -errno;
        for (int32_t lba = first_lba; lba < bh_end(disc); lba++) {
                uint8_t raw[2448];

                if (lba < disc->leadin_start) {
                        memset(raw, 0, sizeof raw); /* before the ATIP lead-in: nothing */
                } else {
                        bh_main(disc, lba, raw);
                        bh_sub(disc, lba, raw + 2352);
                }
                if (fwrite(raw, sizeof raw, 1, f) != 1)
                        r = -EIO;
        }
        if (fclose(f) != 0)
                r = -EIO;
        return r;
}

void bh_set_raw(sim *s, unsigned dbt, bool test_write, bool bufe)
{
        uint8_t *p = s->drive->write_params.page;

        p[2] = (uint8_t)(0x03 | (test_write ? 0x10 : 0) | (bufe ? 0x40 : 0));
        p[4] = (uint8_t)((p[4] & 0xf0) | dbt);
}

int bh_write(sim *s, const bh_disc *disc, int32_t lba, unsigned n, unsigned dbt)
{
        size_t bs = bh_block_size(dbt);
        uint32_t u = (uint32_t)lba;

        for (unsigned i = 0; i < n; i++)
                bh_block(disc, lba + (int32_t)i, dbt, s->data + i * bs);
        return sim_out(s,
                       CDB(0x2A, 0, (uint8_t)(u >> 24), (uint8_t)(u >> 16), (uint8_t)(u >> 8),
                           (uint8_t)u, 0, (uint8_t)(n >> 8), (uint8_t)n, 0),
                       n * bs);
}

int bh_write_range(sim *s, const bh_disc *disc, int32_t lba, int32_t end, unsigned per_write,
                   unsigned dbt)
{
        while (lba < end) {
                unsigned n = end - lba < (int32_t)per_write ? (unsigned)(end - lba) : per_write;
                int st = bh_write(s, disc, lba, n, dbt);

                if (st != 0)
                        return st;
                s->now_ns += s->cmd.delay_ns;
                lba += (int32_t)n;
        }
        return 0;
}

int bh_burn(sim *s, const bh_disc *disc, unsigned dbt)
{
        int st = bh_write_range(s, disc, disc->leadin_start, bh_end(disc), 26, dbt);

        if (st != 0)
                return st;
        st = sim_none(s, CDB(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        s->now_ns += s->cmd.delay_ns;
        return st;
}
