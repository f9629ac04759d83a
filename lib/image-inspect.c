/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/image-inspect.h"

#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rawburn/cdtext-collect.h"
#include "rawburn/crc.h"
#include "rawburn/edc-ecc.h"
#include "rawburn/rw-subcode.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"

#define NONE INT32_MIN

typedef struct state {
        rb_inspect_t *in;
        int32_t lba;
        rb_inspect_track_t *current;
        rb_cdtext_collector_t *cdtext;
        /* Program-area R-W: the de-interleaver lags two sectors, so the
         * tracks of the last three sectors are kept. */
        rb_rw_decoder_t rw;
        rb_inspect_track_t *rw_track[RB_RW_DECODE_LAG_SECTORS + 1];
} state_t;

static void warn(rb_inspect_t *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(rb_inspect_t *in, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        rb__vwarn(in->warnings, sizeof in->warnings, fmt, ap);
        va_end(ap);
}

static void init(rb_inspect_t *in, rb_sector_type_t type, int32_t first_lba)
{
        memset(in, 0, sizeof *in);
        in->sector_type = type;
        in->sector_size = rb_sector_type_size(type);
        in->first_lba = first_lba;
        in->leadin_first = in->leadin_last = NONE;
        in->leadout_lba = NONE;
        in->first_q_crc_error = NONE;
}

static bool pq16_crc_ok(const uint8_t q[RB_Q_SIZE])
{
        /* cdrdao and libburn store the DBT 1 CRC uninverted, wodim inverted
         * (mmc-raw.md §4.1): both are taken. */
        uint16_t crc = rb_crc16_ccitt(q, 10);
        uint16_t stored = (uint16_t)(q[10] << 8 | q[11]);
        uint16_t inverted = (uint16_t)(0xFFFFu - crc);
        return stored == inverted || stored == crc;
}

static rb_inspect_track_t *track_of(rb_inspect_t *in, uint8_t number)
{
        for (unsigned i = 0; i < in->track_count; i++)
                if (in->tracks[i].number == number)
                        return &in->tracks[i];
        if (in->track_count == 99)
                return NULL;
        rb_inspect_track_t *t = &in->tracks[in->track_count++];
        memset(t, 0, sizeof *t);
        t->number = number;
        t->pause_lba = t->start_lba = NONE;
        for (int i = 0; i <= RB_MAX_INDEX; i++)
                t->index_lba[i] = NONE;
        return t;
}

static void leadin_toc(state_t *s, const rb_subq_t *q)
{
        rb_inspect_t *in = s->in;
        if (in->leadin_first == NONE)
                in->leadin_first = s->lba;
        in->leadin_last = s->lba;
        for (size_t i = 0; i < in->toc_count; i++) {
                rb_toc_entry_t *e = &in->toc[i];
                if (e->point != q->toc.point)
                        continue;
                if (e->control != q->control || memcmp(&e->p, &q->toc.p, sizeof e->p) != 0)
                        in->toc_conflicts++;
                return;
        }
        if (in->toc_count < 102)
                in->toc[in->toc_count++] = (rb_toc_entry_t){q->toc.point, q->control, q->toc.p};
}

static void leadin_cdtext(state_t *s, const uint8_t sub[RB_SUBCHANNEL_SIZE])
{
        rb_cdtext_collector_add_sector(s->cdtext, sub);
}

static void position(state_t *s, const rb_subq_t *q, const uint8_t *main)
{
        rb_inspect_t *in = s->in;
        rb_msf_t expect = {0, 0, 0};

        if (rb_lba_to_msf(s->lba, &expect) == 0 &&
            memcmp(&expect, &q->position.abs, sizeof expect) != 0)
                in->q_address_errors++;
        if (q->position.tno == RB_Q_TNO_LEADOUT) {
                if (in->leadout_lba == NONE)
                        in->leadout_lba = s->lba;
                in->leadout_sectors++;
                s->current = NULL;
                return;
        }
        rb_inspect_track_t *t = track_of(in, q->position.tno);
        if (!t)
                return;
        s->current = t;
        t->control = q->control;
        t->end_lba = s->lba;
        uint8_t ix = q->position.index;
        if (ix == 0 && t->pause_lba == NONE)
                t->pause_lba = s->lba;
        if (ix == 1 && t->start_lba == NONE)
                t->start_lba = s->lba;
        if (ix <= RB_MAX_INDEX && t->index_lba[ix] == NONE)
                t->index_lba[ix] = s->lba;
        if (ix > t->index_count)
                t->index_count = ix;
        if ((q->control & RB_CTL_DATA) && ix >= 1) {
                uint8_t sector[RB_SECTOR_SIZE];
                memcpy(sector, main, sizeof sector);
                if (rb_sector_has_sync(sector)) {
                        rb_scramble_sector(sector);
                        t->data_sectors++;
                        if (!t->data_mode)
                                t->data_mode = sector[15];
                        if (rb_sector_verify(sector) != RB_SECTOR_OK)
                                t->data_errors++;
                }
        }
}

static bool pack_is_zero(const uint8_t *pack)
{
        for (unsigned i = 0; i < RB_RW_PACK_SYMBOLS; i++)
                if (pack[i] & 0x3f)
                        return false;
        return true;
}

static void program_rw(state_t *s, const uint8_t sub[RB_SUBCHANNEL_SIZE])
{
        uint8_t symbols[RB_RW_SECTOR_SYMBOLS], packs[RB_RW_SECTOR_SYMBOLS];
        rb_inspect_track_t *t = s->lba < -150 ? NULL : s->current;

        /* Lead-in R-W is CD-Text, neither interleaved nor with parity; the
         * lead-out may hold the tail of the last track's packs. */
        if (s->lba >= -150)
                rb_subchannel_get_rw(sub, symbols);
        else
                memset(symbols, 0, sizeof symbols);
        for (unsigned j = 0; t && j < RB_RW_PACKS_PER_SECTOR; j++) {
                const uint8_t *pk = symbols + j * RB_RW_PACK_SYMBOLS;
                if (pack_is_zero(pk))
                        continue;
                t->rw_cooked_packs++;
                if (pk[0] == RB_RW_MODE_CDG)
                        t->rw_cooked_cdg++;
        }
        memmove(&s->rw_track[0], &s->rw_track[1], RB_RW_DECODE_LAG_SECTORS * sizeof t);
        s->rw_track[RB_RW_DECODE_LAG_SECTORS] = t;
        if (!rb_rw_decode_sector(&s->rw, symbols, packs) || !s->rw_track[0])
                return;
        for (unsigned j = 0; j < RB_RW_PACKS_PER_SECTOR; j++) {
                const uint8_t *pk = packs + j * RB_RW_PACK_SYMBOLS;
                if (pack_is_zero(pk))
                        continue;
                s->rw_track[0]->rw_raw_packs++;
                if (!rb_rw_pack_p_ok(pk) || !rb_rw_pack_q_ok(pk))
                        s->rw_track[0]->rw_raw_parity_errors++;
                else if (pk[0] == RB_RW_MODE_CDG)
                        s->rw_track[0]->rw_raw_cdg++;
        }
}

rb_rw_form_t rb_inspect_track_rw_form(const rb_inspect_track_t *t)
{
        if (!t->rw_cooked_packs && !t->rw_raw_packs)
                return RB_RW_NONE;
        /* Interleaved packs with parity check in the raw reading; cooked
         * packs almost never do once shuffled by the de-interleaver. */
        return t->rw_raw_packs > 2 * t->rw_raw_parity_errors ? RB_RW_INTERLEAVED
                                                             : RB_RW_DEINTERLEAVED;
}

uint64_t rb_inspect_track_cdg_packs(const rb_inspect_track_t *t)
{
        return rb_inspect_track_rw_form(t) == RB_RW_INTERLEAVED ? t->rw_raw_cdg : t->rw_cooked_cdg;
}

static void sector_q(state_t *s, const uint8_t *data);

static void sector(state_t *s, const uint8_t *data)
{
        sector_q(s, data);
        if (s->in->sector_type != RB_SECTOR_PQ_ONLY)
                program_rw(s, data + RB_SECTOR_SIZE);
}

static void sector_q(state_t *s, const uint8_t *data)
{
        rb_inspect_t *in = s->in;
        uint8_t q[RB_Q_SIZE];
        const uint8_t *sub = data + RB_SECTOR_SIZE;
        bool crc_ok;

        if (in->sector_type == RB_SECTOR_PQ_ONLY) {
                memcpy(q, sub, RB_Q_SIZE);
                crc_ok = pq16_crc_ok(q);
        } else {
                rb_subchannel_get(sub, RB_CH_Q, q);
                crc_ok = rb_subq_crc_ok(q);
        }
        if (!crc_ok) {
                if (in->first_q_crc_error == NONE)
                        in->first_q_crc_error = s->lba;
                in->q_crc_errors++;
                return;
        }
        rb_subq_t d;
        if (rb_subq_decode(q, &d) < 0) {
                in->q_bad_fields++;
                return;
        }
        switch (d.kind) {
        case RB_SUBQ_LEADIN_TOC:
                leadin_toc(s, &d);
                if (in->sector_type != RB_SECTOR_PQ_ONLY)
                        leadin_cdtext(s, sub);
                break;
        case RB_SUBQ_POSITION:
                position(s, &d, data);
                break;
        case RB_SUBQ_MCN:
                if (in->mcn[0] && strcmp(in->mcn, d.mcn.digits) != 0 && in->mcn_count < 2)
                        warn(in, "LBA %d: a second catalog number %s", s->lba, d.mcn.digits);
                memcpy(in->mcn, d.mcn.digits, sizeof in->mcn);
                in->mcn_count++;
                break;
        case RB_SUBQ_ISRC:
                if (s->current) {
                        memcpy(s->current->isrc, d.isrc.code, sizeof s->current->isrc);
                        s->current->isrc_count++;
                }
                break;
        case RB_SUBQ_OTHER:
                break;
        }
}

static int start(state_t *s, rb_inspect_t *in)
{
        s->in = in;
        s->lba = in->first_lba;
        s->current = NULL;
        rb_rw_decoder_init(&s->rw);
        memset(s->rw_track, 0, sizeof s->rw_track);
        s->cdtext = calloc(1, sizeof *s->cdtext);
        return s->cdtext ? 0 : -ENOMEM;
}

static void cross_check(rb_inspect_t *in)
{
        for (size_t i = 0; i < in->toc_count; i++) {
                const rb_toc_entry_t *e = &in->toc[i];
                int32_t lba = rb_msf_to_lba(e->p);
                if (e->point >= 1 && e->point <= 99) {
                        rb_inspect_track_t *t = NULL;
                        for (unsigned k = 0; k < in->track_count; k++)
                                if (in->tracks[k].number == e->point)
                                        t = &in->tracks[k];
                        if (!t)
                                warn(in,
                                     "the TOC lists track %u, the program area has no such track",
                                     e->point);
                        else if (t->start_lba != lba)
                                warn(in,
                                     "track %u: TOC start LBA %d, program area index 1 at LBA %d",
                                     e->point, lba, t->start_lba);
                } else if (e->point == RB_Q_POINT_LEADOUT && in->leadout_lba != NONE &&
                           in->leadout_lba != lba) {
                        warn(in, "TOC lead-out LBA %d, the lead-out Q starts at LBA %d", lba,
                             in->leadout_lba);
                }
        }
        if (in->q_address_errors)
                warn(in,
                     "%llu sectors have a Q absolute time that is not their LBA: is the first "
                     "LBA right?",
                     (unsigned long long)in->q_address_errors);
}

static int finish(state_t *s)
{
        rb_inspect_t *in = s->in;
        int r = 0;

        in->cdtext_packs = s->cdtext->count;
        in->cdtext_crc_errors = s->cdtext->crc_errors;
        if (in->cdtext_packs) {
                size_t n;
                uint8_t *list = rb_cdtext_collector_list(s->cdtext, &n);
                if (!list) {
                        r = -ENOMEM;
                        goto out;
                }
                r = rb_cdtext_parse(list, n, &in->cdtext, NULL);
                char problems[1024] = "";
                if (r == 0 && rb_cdtext_check(list, n, problems, sizeof problems))
                        warn(in, "CD-Text: %s", problems);
                in->cdtext_pack_list = list;
        }
        if (in->leadout_lba != NONE)
                in->leadout_sectors =
                    (uint64_t)((int64_t)in->first_lba + (int64_t)in->sectors - in->leadout_lba);
        cross_check(in);
out:
        free(s->cdtext);
        return r;
}

static rb_sector_type_t guess_type(const uint8_t *first, size_t len, uint64_t size)
{
        bool pw = size % 2448 == 0, pq = size % 2368 == 0;
        if (pw != pq)
                return pw ? RB_SECTOR_RAW : RB_SECTOR_PQ_ONLY;
        /* Both or neither divide the size: the Q CRCs of the first sectors decide. */
        int good_pw = 0, good_pq = 0;
        uint8_t q[RB_Q_SIZE];
        for (size_t i = 0; i < 8; i++) {
                if ((i + 1) * 2448 <= len) {
                        rb_subchannel_get(first + i * 2448 + RB_SECTOR_SIZE, RB_CH_Q, q);
                        good_pw += rb_subq_crc_ok(q);
                }
                if ((i + 1) * 2368 <= len)
                        good_pq += pq16_crc_ok(first + i * 2368 + RB_SECTOR_SIZE);
        }
        return good_pq > good_pw ? RB_SECTOR_PQ_ONLY : RB_SECTOR_RAW;
}

int rb_image_inspect_buffer(const uint8_t *data, size_t len, rb_sector_type_t type,
                            int32_t first_lba, rb_inspect_t *out, char *err, size_t errlen)
{
        state_t s;
        if (!type)
                type = guess_type(data, len, len);
        init(out, type, first_lba);
        if (start(&s, out) < 0) {
                finish(&s);
                return -ENOMEM;
        }
        size_t ss = out->sector_size;
        for (size_t off = 0; off + ss <= len; off += ss, s.lba++) {
                sector(&s, data + off);
                out->sectors++;
        }
        out->trailing_bytes = len % ss;
        (void)err;
        (void)errlen;
        return finish(&s);
}

int rb_image_inspect_fd(int fd, rb_sector_type_t type, int32_t first_lba, rb_inspect_t *out,
                        char *err, size_t errlen)
{
        const size_t batch = 256;
        struct stat st;
        uint8_t *buf = malloc(batch * 2448);
        size_t fill = 0;
        state_t s;
        int r = 0;
        bool eof = false;

        if (!buf)
                return -ENOMEM;
        uint64_t size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
        /* Read a first chunk to guess the sector type from. */
        while (fill < batch * 2448 && !eof) {
                ssize_t n = read(fd, buf + fill, batch * 2448 - fill);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        snprintf(err, errlen, "read: %s", strerror(errno));
                        free(buf);
                        return r;
                }
                if (n == 0)
                        eof = true;
                fill += (size_t)n;
        }
        if (!type)
                type = guess_type(buf, fill, size ? size : fill);
        init(out, type, first_lba);
        if ((r = start(&s, out)) < 0) {
                finish(&s);
                free(buf);
                return r;
        }
        size_t ss = out->sector_size;
        for (;;) {
                size_t off = 0;
                for (; off + ss <= fill; off += ss, s.lba++) {
                        sector(&s, buf + off);
                        out->sectors++;
                }
                memmove(buf, buf + off, fill - off);
                fill -= off;
                if (eof)
                        break;
                while (fill < batch * ss && !eof) {
                        ssize_t n = read(fd, buf + fill, batch * ss - fill);
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n < 0) {
                                r = -errno;
                                snprintf(err, errlen, "read: %s", strerror(errno));
                                eof = true;
                                break;
                        }
                        if (n == 0)
                                eof = true;
                        fill += (size_t)n;
                }
        }
        out->trailing_bytes = fill;
        if (fill)
                warn(out,
                     "the image ends with %zu bytes, less than one %zu-byte sector "
                     "(truncated?)",
                     fill, ss);
        free(buf);
        int f = finish(&s);
        return r < 0 ? r : f;
}

void rb_inspect_free(rb_inspect_t *in)
{
        rb_cdtext_clear(&in->cdtext);
        free(in->cdtext_pack_list);
        in->cdtext_pack_list = NULL;
}
