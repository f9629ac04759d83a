/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The image writer: one pass from layout.first_lba to the end of the
 * lead-out. Where each sector belongs (lead-in, pause, index, lead-out) is
 * computed from the layout alone (locate()), so that the Q/P of any sector
 * can also be had without streaming (rb_image_sector_subchannel()).
 */
#include "rawburn/image-writer.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawburn/audio-source.h"
#include "rawburn/edc-ecc.h"
#include "rawburn/rw-subcode.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"
#include "rawburn/write-offset.h"

#define PREGAP_START (-150)
/* MCN and ISRC slots: every 90 frames (cdrdao's period), 45 frames apart,
 * so that moving one past a transition still keeps it within 100 frames. */
#define INSERT_PERIOD   90
#define MCN_SLOT        0
#define ISRC_SLOT       45
#define LEADOUT_P_QUIET 150 /* Red Book: P = 0 for the first 2 s of the lead-out */
#define LEADOUT_P_HALF  19  /* then 19 frames on, 19 off: about 2 Hz */
#define WRITE_BATCH     128 /* sectors per write() */

typedef enum region { REGION_LEADIN, REGION_TRACK, REGION_LEADOUT } region_t;

typedef struct position {
        region_t region;
        const rb_track_t *track; /* REGION_TRACK; the last track in REGION_LEADOUT */
        uint8_t index;
        uint32_t rel; /* frames: count-down in a pause, count-up otherwise */
} position_t;

static void locate(const rb_layout_t *l, int32_t lba, position_t *pos)
{
        memset(pos, 0, sizeof *pos);
        if (lba < PREGAP_START) {
                pos->region = REGION_LEADIN;
                pos->track = &l->tracks[0];
                return;
        }
        if (lba >= l->leadout_lba) {
                pos->region = REGION_LEADOUT;
                pos->track = &l->tracks[l->track_count - 1];
                pos->index = 1;
                pos->rel = (uint32_t)(lba - l->leadout_lba);
                return;
        }
        pos->region = REGION_TRACK;
        for (unsigned i = l->track_count; i-- > 0;) {
                const rb_track_t *t = &l->tracks[i];
                if (lba < t->pause_lba)
                        continue;
                pos->track = t;
                if (lba < t->start_lba) {
                        pos->index = 0;
                        /* Pressed-disc convention: 00:00:00 on the last pause sector. */
                        pos->rel = (uint32_t)(t->start_lba - 1 - lba);
                        return;
                }
                pos->rel = (uint32_t)(lba - t->start_lba);
                pos->index = 1;
                for (unsigned n = 2; n <= t->index_count; n++)
                        if (pos->rel >= t->index_start[n])
                                pos->index = (uint8_t)n;
                return;
        }
}

static bool same_place(const position_t *a, const position_t *b)
{
        return a->region == b->region && a->track == b->track && a->index == b->index;
}

/* A sector where the track or index changes, on either side. */
static bool is_transition(const rb_layout_t *l, int32_t lba)
{
        position_t prev, cur, next;
        locate(l, lba - 1, &prev);
        locate(l, lba, &cur);
        locate(l, lba + 1, &next);
        return !same_place(&prev, &cur) || !same_place(&cur, &next);
}

/* True when lba carries the Q of a slot: the slot itself, or the first
 * non-transition sector after a slot that fell on a transition. */
static bool is_slot(const rb_layout_t *l, int32_t lba, int slot)
{
        for (int d = 0; d < INSERT_PERIOD; d++) {
                int32_t x = lba - d;
                bool transition = is_transition(l, x);
                if (d == 0 && transition)
                        return false;
                if (d > 0 && !transition)
                        return false;
                if ((((x + 150) % INSERT_PERIOD) + INSERT_PERIOD) % INSERT_PERIOD == slot)
                        return true;
        }
        return false;
}

static bool leadout_p(uint32_t rel)
{
        if (rel < LEADOUT_P_QUIET)
                return false;
        return ((rel - LEADOUT_P_QUIET) / LEADOUT_P_HALF) % 2 == 0;
}

/* Q and P of one sector. */
static int build_q(const rb_layout_t *l, const rb_toc_entry_t *toc, size_t toc_count, int32_t lba,
                   uint8_t q[RB_Q_SIZE], bool *p)
{
        position_t pos;
        rb_subq_t s = {0};
        rb_msf_t abs = {0, 0, 0};

        locate(l, lba, &pos);
        (void)rb_lba_to_msf(lba, &abs);
        *p = false;
        if (pos.region == REGION_LEADIN) {
                /* Each TOC entry three times in a row, the list cycled. The
                 * running time is the sector's own address (wodim's choice,
                 * and what the real-disc vectors in wodim's subchan.c show). */
                size_t k = (size_t)((lba - l->first_lba) / 3) % toc_count;
                s.kind = RB_SUBQ_LEADIN_TOC;
                s.control = toc[k].control;
                s.toc.point = toc[k].point;
                s.toc.running = abs;
                s.toc.p = toc[k].p;
                return rb_subq_encode(&s, q);
        }
        s.control = rb_track_control(pos.track);
        if (pos.region == REGION_TRACK && pos.track->scms) {
                /* SCMS: the copy bit alternates, 4 frames each way (9.375 Hz). */
                s.control &= (uint8_t)~RB_CTL_COPY_PERMITTED;
                if (((uint32_t)(lba - PREGAP_START) / 4) & 1)
                        s.control |= RB_CTL_COPY_PERMITTED;
        }
        if (pos.region == REGION_TRACK && pos.index == 0)
                *p = true;
        if (pos.region == REGION_LEADOUT)
                *p = leadout_p(pos.rel);

        if (l->mcn[0] && pos.region != REGION_LEADIN && is_slot(l, lba, MCN_SLOT)) {
                s.kind = RB_SUBQ_MCN;
                memcpy(s.mcn.digits, l->mcn, sizeof s.mcn.digits);
                s.mcn.aframe = abs.f;
                return rb_subq_encode(&s, q);
        }
        if (pos.region == REGION_TRACK && pos.index > 0 && pos.track->isrc[0] &&
            is_slot(l, lba, ISRC_SLOT)) {
                s.kind = RB_SUBQ_ISRC;
                memcpy(s.isrc.code, pos.track->isrc, sizeof s.isrc.code);
                s.isrc.aframe = abs.f;
                return rb_subq_encode(&s, q);
        }
        s.kind = RB_SUBQ_POSITION;
        s.position.tno = pos.region == REGION_LEADOUT ? RB_Q_TNO_LEADOUT : pos.track->number;
        s.position.index = pos.index;
        s.position.rel = rb_frames_to_msf(pos.rel);
        s.position.abs = abs;
        return rb_subq_encode(&s, q);
}

static void leadin_rw(const rb_layout_t *l, int32_t lba, uint8_t raw[RB_SUBCHANNEL_SIZE])
{
        uint8_t packs[RB_CDTEXT_PACKS_PER_SECTOR * RB_CDTEXT_PACK_SIZE];
        uint8_t symbols[96];
        size_t j = (size_t)(lba - l->first_lba);

        /* Packs cycle through the lead-in four to a sector; wrapping mid-sector
         * is the same as repeating the list 2 or 4 times (mmc-raw.md §4.5). */
        for (size_t k = 0; k < RB_CDTEXT_PACKS_PER_SECTOR; k++) {
                size_t n = (j * RB_CDTEXT_PACKS_PER_SECTOR + k) % l->cdtext_pack_count;
                memcpy(packs + k * RB_CDTEXT_PACK_SIZE, l->cdtext_packs + n * RB_CDTEXT_PACK_SIZE,
                       RB_CDTEXT_PACK_SIZE);
        }
        rb_cdtext_packs_to_rw(packs, symbols);
        rb_subchannel_put_rw(raw, symbols);
}

/* Q byte -> its 8 raw P-W bytes with the bits in bit 6 (Q), MSB first:
 * the same layout rb_subchannel_put() writes, one table lookup per byte. */
static uint8_t q_spread[256][8];
static pthread_once_t q_spread_once = PTHREAD_ONCE_INIT;

static void q_spread_init(void)
{
        for (int v = 0; v < 256; v++)
                for (int i = 0; i < 8; i++)
                        q_spread[v][i] = (uint8_t)(((v >> (7 - i)) & 1) << 6);
}

static int subchannel(const rb_layout_t *l, const rb_toc_entry_t *toc, size_t toc_count,
                      int32_t lba, uint8_t raw[RB_SUBCHANNEL_SIZE], uint8_t q[RB_Q_SIZE], bool *p)
{
        int r = build_q(l, toc, toc_count, lba, q, p);
        if (r < 0)
                return r;
        pthread_once(&q_spread_once, q_spread_init);
        uint8_t p_bits = *p ? 0x80 : 0;
        for (int k = 0; k < RB_Q_SIZE; k++)
                for (int i = 0; i < 8; i++)
                        raw[8 * k + i] = q_spread[q[k]][i] | p_bits;
        if (lba < PREGAP_START && l->cdtext_pack_count)
                leadin_rw(l, lba, raw);
        return 0;
}

int rb_image_sector_subchannel(const rb_layout_t *l, int32_t lba, uint8_t raw[96])
{
        rb_toc_entry_t toc[102];
        uint8_t q[RB_Q_SIZE];
        bool p;
        size_t n = rb_layout_toc(l, toc);
        return subchannel(l, toc, n, lba, raw, q, &p);
}

/* ---- main channel ---- */

#define READ_CHUNK (1u << 20)

typedef struct writer {
        const rb_layout_t *l;
        int *fds;
        /* Read-ahead chunks of raw files, which are read in order: one for
         * the main channel, one for a subchannel file read alongside. */
        struct read_cache {
                int file;
                uint64_t offset;
                size_t len;
                uint8_t *buf;
        } cache[2];
        rb_audio_reader_t **audio;
        char *err;
        size_t errlen;
        /* segment cursor, sequential over the program area */
        unsigned track;
        size_t segment;
        uint32_t in_segment;
        /* Program-area R-W (CD+G): the logical packs of the current sector,
         * and the interleaver that runs from LBA -150 to the end. */
        uint8_t rw_packs[RB_RW_SECTOR_SYMBOLS];
        bool rw_recorded; /* rw_packs are symbols as recorded (RW_RAW): not encoded */
        rb_rw_encoder_t rw;
        bool rw_reading;
} writer_t;

/* A sector of the track's mode with no data: silence, or zero user data. */
static void empty_sector(rb_track_mode_t mode, int32_t lba, uint8_t out[RB_SECTOR_SIZE])
{
        static const uint8_t zero[RB_MODE2_DATA_SIZE];

        switch (mode) {
        case RB_TRACK_AUDIO:
                memset(out, 0, RB_SECTOR_SIZE);
                return;
        case RB_TRACK_MODE1:
                rb_sector_encode_mode1(out, lba, zero);
                break;
        case RB_TRACK_MODE2:
                rb_sector_encode_mode2_xa(out, lba, zero);
                break;
        }
        rb_scramble_sector(out);
}

/* Form 1 (2048) or Form 2 (2324) user data behind the plain data subheader. */
static void encode_mode2_form(uint8_t out[RB_SECTOR_SIZE], int32_t lba, const uint8_t *data,
                              bool form2)
{
        uint8_t xa[RB_MODE2_DATA_SIZE] = {0};
        uint8_t submode = form2 ? RB_XA_SUBMODE_FORM2 : RB_XA_SUBMODE_DATA;
        xa[2] = xa[6] = submode;
        memcpy(xa + 8, data, form2 ? RB_MODE2_FORM2_DATA_SIZE : RB_MODE2_FORM1_DATA_SIZE);
        rb_sector_encode_mode2_xa(out, lba, xa);
}

static int read_source(writer_t *w, int file, uint64_t offset, uint8_t *buf, size_t len)
{
        const rb_source_file_t *f = &w->l->files[file];
        long got;

        if (f->kind == RB_FILE_SNDFILE) {
                if (!w->audio[file]) {
                        int r = rb_audio_open(f->path, &w->audio[file], NULL, NULL, 0, w->err,
                                              w->errlen);
                        if (r < 0)
                                return r;
                }
                got = rb_audio_read(w->audio[file], offset, buf, len);
        } else {
                if (f->kind == RB_FILE_FD)
                        w->fds[file] = f->fd;
                if (w->fds[file] < 0) {
                        w->fds[file] = open(f->path, O_RDONLY | O_CLOEXEC);
                        if (w->fds[file] < 0)
                                return rb__fail(w->err, w->errlen, -errno, "%s: %s", f->path,
                                                strerror(errno));
                }
                /* Slot 1 for a file read alongside the main channel (.sub, .cdg). */
                struct read_cache *c = &w->cache[file == w->l->sub_file ||
                                                 file == w->l->image_rw_file || w->rw_reading];
                if (c->file != file || offset < c->offset || offset + len > c->offset + c->len) {
                        size_t done = 0;
                        c->file = file;
                        c->offset = offset;
                        while (done < READ_CHUNK) {
                                ssize_t n = pread(w->fds[file], c->buf + done, READ_CHUNK - done,
                                                  (off_t)(offset + done));
                                if (n < 0 && errno == EINTR)
                                        continue;
                                if (n < 0) {
                                        c->file = -1;
                                        return rb__fail(w->err, w->errlen, -errno, "%s: %s",
                                                        f->path, strerror(errno));
                                }
                                if (n == 0)
                                        break;
                                done += (size_t)n;
                        }
                        c->len = done;
                }
                uint64_t cache_end = c->offset + c->len;
                size_t avail = cache_end > offset ? (size_t)(cache_end - offset) : 0;
                got = (long)(avail < len ? avail : len);
                memcpy(buf, c->buf + (offset - c->offset), (size_t)got);
        }
        if (got < 0)
                return rb__fail(w->err, w->errlen, (int)got, "%s: read error", f->path);
        if ((size_t)got != len)
                return rb__fail(w->err, w->errlen, -EIO, "%s: ends early (truncated file?)",
                                f->path);
        return 0;
}

/* 96 bytes of R-W packs from a .cdg-like file; zeros past its end (a .cdg
 * is often a few sectors shorter than its audio). */
static int read_rw(writer_t *w, int file, uint64_t offset, uint8_t packs[RB_RW_SECTOR_SYMBOLS])
{
        uint64_t size = w->l->files[file].size;
        size_t len = offset >= size                         ? 0
                     : size - offset < RB_RW_SECTOR_SYMBOLS ? (size_t)(size - offset)
                                                            : RB_RW_SECTOR_SYMBOLS;
        memset(packs, 0, RB_RW_SECTOR_SYMBOLS);
        if (!len)
                return 0;
        w->rw_reading = true;
        int r = read_source(w, file, offset, packs, len);
        w->rw_reading = false;
        return r;
}

static void swap16(uint8_t *buf, size_t len)
{
        for (size_t i = 0; i + 1 < len; i += 2) {
                uint8_t t = buf[i];
                buf[i] = buf[i + 1];
                buf[i + 1] = t;
        }
}

/* The next program-area sector (pause or track) from its segment. */
static int program_sector(writer_t *w, int32_t lba, uint8_t out[RB_SECTOR_SIZE])
{
        const rb_track_t *t = &w->l->tracks[w->track];
        const rb_segment_t *s = &t->segments[w->segment];
        uint8_t data[RB_SECTOR_SIZE + RB_RW_SECTOR_SYMBOLS];
        int r;

        memset(w->rw_packs, 0, sizeof w->rw_packs);
        w->rw_recorded = false;
        if (s->has_rw && (r = read_rw(w, s->rw_file,
                                      s->rw_offset + (uint64_t)w->in_segment * RB_RW_SECTOR_SYMBOLS,
                                      w->rw_packs)) < 0)
                return r;
        if (s->file < 0) {
                empty_sector(t->mode, lba, out);
        } else {
                size_t size = rb_data_format_size(s->format);
                bool last = w->in_segment + 1 == s->sectors;
                size_t len = last && s->short_last ? s->short_last : size;
                uint8_t *dst = s->format == RB_FMT_AUDIO || s->format == RB_FMT_RAW_SECTOR ||
                                       s->format == RB_FMT_RAW_SCRAMBLED
                                   ? out
                                   : data;
                if (s->format == RB_FMT_AUDIO_RW_RAW)
                        w->rw_recorded = true;
                r = read_source(w, s->file, s->offset + (uint64_t)w->in_segment * size, dst, len);
                if (r < 0)
                        return r;
                memset(dst + len, 0, size - len);
                switch (s->format) {
                case RB_FMT_AUDIO:
                        if ((w->l->files[s->file].order == RB_BIG_ENDIAN) != t->swap_audio)
                                swap16(out, RB_SECTOR_SIZE);
                        break;
                case RB_FMT_AUDIO_RW:
                case RB_FMT_AUDIO_RW_RAW:
                        memcpy(out, data, RB_SECTOR_SIZE);
                        memcpy(w->rw_packs, data + RB_SECTOR_SIZE, RB_RW_SECTOR_SYMBOLS);
                        if ((w->l->files[s->file].order == RB_BIG_ENDIAN) != t->swap_audio)
                                swap16(out, RB_SECTOR_SIZE);
                        break;
                case RB_FMT_MODE1:
                        rb_sector_encode_mode1(out, lba, data);
                        rb_scramble_sector(out);
                        break;
                case RB_FMT_MODE2:
                        rb_sector_encode_mode2_xa(out, lba, data);
                        rb_scramble_sector(out);
                        break;
                case RB_FMT_MODE2_FORMLESS:
                        rb_sector_header(out, lba, 2);
                        memcpy(out + 16, data, RB_MODE2_DATA_SIZE);
                        rb_scramble_sector(out);
                        break;
                case RB_FMT_MODE2_FORM1:
                case RB_FMT_MODE2_FORM2:
                        encode_mode2_form(out, lba, data, s->format == RB_FMT_MODE2_FORM2);
                        rb_scramble_sector(out);
                        break;
                case RB_FMT_RAW_SECTOR:
                        /* Given whole (never recomputed); only data sectors,
                         * those that start with the sync, are scrambled. */
                        if (t->mode != RB_TRACK_AUDIO && rb_sector_has_sync(out))
                                rb_scramble_sector(out);
                        break;
                case RB_FMT_RAW_SCRAMBLED:
                        break;
                }
        }
        if (++w->in_segment == s->sectors) {
                w->in_segment = 0;
                if (++w->segment == t->segment_count) {
                        w->segment = 0;
                        w->track++;
                }
        }
        return 0;
}

/* The shifter's view of the program area (write-offset.h). */
static int shifter_source(void *ctx, int32_t lba, uint8_t main[RB_SECTOR_SIZE],
                          uint8_t rw[RB_OFFSET_RW_BYTES])
{
        writer_t *w = ctx;
        int r = program_sector(w, lba, main);
        memcpy(rw, w->rw_packs, sizeof w->rw_packs);
        rw[96] = w->rw_recorded;
        return r;
}

static bool shifter_audio(void *ctx, int32_t lba)
{
        writer_t *w = ctx;
        position_t pos;
        locate(w->l, lba, &pos);
        return pos.region == REGION_TRACK && pos.track->mode == RB_TRACK_AUDIO;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
        while (len) {
                ssize_t n = write(fd, buf, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                buf += n;
                len -= (size_t)n;
        }
        return 0;
}

int rb_image_write(const rb_layout_t *l, int fd, rb_progress_fn progress, void *userdata, char *err,
                   size_t errlen)
{
        return rb_image_write_report(l, fd, progress, userdata, NULL, err, errlen);
}

/* The sectors from..to-1; the program area's sources are read in order, so a
 * span that holds program-area sectors starts at the image's start. */
static int write_span(const rb_layout_t *l, int fd, int32_t from, int32_t to,
                      rb_progress_fn progress, void *userdata, rb_write_report_t *report, char *err,
                      size_t errlen)
{
        writer_t w = {.l = l, .err = err, .errlen = errlen};
        rb_offset_shifter_t *shifter = NULL;
        rb_toc_entry_t toc[102];
        size_t toc_count = rb_layout_toc(l, toc);
        size_t ssize = rb_sector_type_size(l->sector_type);
        uint64_t total = to > from ? (uint64_t)(to - from) : 0, done = 0;
        uint8_t *buf = NULL;
        size_t fill = 0;
        int r = 0;

        if (l->track_count == 0 || l->tracks[0].pause_lba != PREGAP_START)
                return rb__fail(w.err, w.errlen, -EINVAL, "layout not finalized");
        if (report)
                report->offset_dropped_samples = 0;
        if (total == 0)
                return 0;
        w.fds = malloc((l->file_count + 1) * sizeof *w.fds);
        w.audio = calloc(l->file_count + 1, sizeof *w.audio);
        buf = malloc(WRITE_BATCH * ssize);
        for (int i = 0; i < 2; i++) {
                w.cache[i].file = -1;
                w.cache[i].buf = malloc(READ_CHUNK);
        }
        if (!w.fds || !w.audio || !buf || !w.cache[0].buf || !w.cache[1].buf) {
                r = -ENOMEM;
                goto out;
        }
        for (size_t i = 0; i < l->file_count; i++)
                w.fds[i] = -1;
        rb_rw_encoder_init(&w.rw);
        if (l->write_offset &&
            (r = rb_offset_shifter_new(l->write_offset, PREGAP_START, l->leadout_lba,
                                       shifter_source, shifter_audio, &w, &shifter)) < 0) {
                rb__fail(w.err, w.errlen, r, "write offset %d samples: %s", l->write_offset,
                         strerror(-r));
                goto out;
        }

        for (int32_t lba = from; done < total; lba++, done++) {
                uint8_t *sector = buf + fill * ssize;
                uint8_t raw[RB_SUBCHANNEL_SIZE], q[RB_Q_SIZE];
                bool p;

                if (lba < PREGAP_START)
                        empty_sector(l->tracks[0].mode, lba, sector);
                else if (lba >= l->leadout_lba)
                        empty_sector(l->tracks[l->track_count - 1].mode, lba, sector);
                else if (shifter) {
                        uint8_t rw[RB_OFFSET_RW_BYTES];
                        if ((r = rb_offset_shifter_get(shifter, lba, sector, rw)) < 0)
                                goto out;
                        memcpy(w.rw_packs, rw, sizeof w.rw_packs);
                        w.rw_recorded = rw[96];
                } else if ((r = program_sector(&w, lba, sector)) < 0)
                        goto out;

                if (l->sub_file >= 0 && lba >= 0 && lba < l->leadout_lba) {
                        /* The program area's subchannel as the file gives it
                         * (CloneCD .sub: channel-sequential P, Q, R…W). */
                        uint8_t packed[RB_SUBCHANNEL_SIZE];
                        if ((r = read_source(&w, l->sub_file, (uint64_t)lba * RB_SUBCHANNEL_SIZE,
                                             packed, sizeof packed)) < 0)
                                goto out;
                        rb_subchannel_unpack(packed, raw);
                        rb_subchannel_get(raw, RB_CH_Q, q);
                        p = rb_subchannel_get_p(raw);
                } else if ((r = subchannel(l, toc, toc_count, lba, raw, q, &p)) < 0) {
                        rb__fail(w.err, w.errlen, r, "LBA %d: Q subchannel out of range", lba);
                        goto out;
                }
                if (l->has_rw && lba >= PREGAP_START) {
                        /* Cooked: the packs as given, the drive adds parity
                         * and interleave. Raw: both done here. Sectors
                         * without packs feed zeros, which stay zero apart
                         * from the tail of a CD+G track spilling over. */
                        uint8_t symbols[RB_RW_SECTOR_SYMBOLS];
                        if (lba >= l->leadout_lba) {
                                memset(w.rw_packs, 0, sizeof w.rw_packs);
                                w.rw_recorded = false;
                        }
                        if (w.rw_recorded) {
                                /* As recorded (RW_RAW): written as given; the encoder
                                 * runs on with zeros so that packs before spill on. */
                                static const uint8_t zero[RB_RW_SECTOR_SYMBOLS];
                                uint8_t spill[RB_RW_SECTOR_SYMBOLS];
                                rb_rw_encode_sector(&w.rw, zero, true, spill);
                                for (int i = 0; i < RB_RW_SECTOR_SYMBOLS; i++)
                                        symbols[i] = w.rw_packs[i] & 0x3F;
                        } else if (l->sector_type == RB_SECTOR_RAW) {
                                rb_rw_encode_sector(&w.rw, w.rw_packs, true, symbols);
                        } else {
                                memcpy(symbols, w.rw_packs, sizeof symbols);
                        }
                        rb_subchannel_put_rw(raw, symbols);
                }
                if (l->image_rw_file >= 0) {
                        /* R-W of the whole image as given (AddSubcodeRWGenerator). */
                        uint8_t rw[RB_SUBCHANNEL_SIZE];
                        if ((r = read_source(&w, l->image_rw_file,
                                             (uint64_t)(lba - l->first_lba) * RB_SUBCHANNEL_SIZE,
                                             rw, sizeof rw)) < 0)
                                goto out;
                        for (int i = 0; i < RB_SUBCHANNEL_SIZE; i++)
                                raw[i] = (uint8_t)((raw[i] & 0xC0) | (rw[i] & 0x3F));
                }
                if (l->sector_type == RB_SECTOR_PQ_ONLY)
                        rb_pq16_build(q, p, sector + RB_SECTOR_SIZE);
                else
                        memcpy(sector + RB_SECTOR_SIZE, raw, RB_SUBCHANNEL_SIZE);

                if (++fill == WRITE_BATCH || done + 1 == total) {
                        if ((r = write_all(fd, buf, fill * ssize)) < 0) {
                                rb__fail(w.err, w.errlen, r, "writing the image: %s", strerror(-r));
                                goto out;
                        }
                        fill = 0;
                        if (progress && (r = progress(done + 1, total, userdata)) != 0)
                                goto out;
                }
        }
out:
        if (report)
                report->offset_dropped_samples = shifter ? rb_offset_shifter_dropped(shifter) : 0;
        rb_offset_shifter_free(shifter);
        for (size_t i = 0; w.fds && i < l->file_count; i++)
                if (w.fds[i] >= 0 && l->files[i].kind != RB_FILE_FD)
                        close(w.fds[i]);
        for (size_t i = 0; w.audio && i < l->file_count; i++)
                rb_audio_close(w.audio[i]);
        free(w.fds);
        free(w.audio);
        free(w.cache[0].buf);
        free(w.cache[1].buf);
        free(buf);
        return r;
}

int rb_image_write_report(const rb_layout_t *l, int fd, rb_progress_fn progress, void *userdata,
                          rb_write_report_t *report, char *err, size_t errlen)
{
        int32_t end = l->first_lba + (int32_t)rb_layout_image_sectors(l);

        return write_span(l, fd, l->first_lba, end, progress, userdata, report, err, errlen);
}

int rb_image_write_span(const rb_layout_t *l, int fd, int32_t from, int32_t to, char *err,
                        size_t errlen)
{
        int32_t end = l->first_lba + (int32_t)rb_layout_image_sectors(l);

        if (from < l->first_lba || to > end || from > to ||
            (from != l->first_lba && from < l->leadout_lba))
                return rb__fail(err, errlen, -EINVAL,
                                "sectors %d to %d: a span starts at the image's start or in the "
                                "lead-out, and ends by the image's end",
                                from, to - 1);
        return write_span(l, fd, from, to, NULL, NULL, NULL, err, errlen);
}
