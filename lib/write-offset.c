/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Write-offset correction (write-offset.h): a ring of sectors produced
 * ahead of (positive offset) or kept behind (negative offset) the one
 * being emitted, whose audio is cut from the two source sectors the shifted
 * window spans.
 */
#include "rawburn/write-offset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLES 588 /* per sector */
#define BYTES   4   /* per stereo sample */

typedef struct slot {
        int32_t lba;
        bool audio;
        uint8_t main[RB_SECTOR_SIZE];
        uint8_t rw[RB_OFFSET_RW_BYTES];
} slot_t;

struct rb_offset_shifter {
        int32_t offset, first, end, next;
        int32_t whole; /* floor(offset / 588) */
        int32_t part;  /* offset mod 588, 0..587 */
        int32_t ahead; /* sectors produced ahead of the one emitted */
        size_t size;   /* ring slots */
        slot_t *ring;
        rb_sector_source_fn source;
        rb_sector_audio_fn audio;
        void *ctx;
        uint64_t dropped;
};

static int32_t floor_div(int32_t a, int32_t b)
{
        int32_t q = a / b;
        return a % b && (a < 0) != (b < 0) ? q - 1 : q;
}

int rb_offset_shifter_new(int32_t offset, int32_t first, int32_t end, rb_sector_source_fn source,
                          rb_sector_audio_fn audio, void *ctx, rb_offset_shifter_t **ret)
{
        if (offset < -RB_WRITE_OFFSET_MAX || offset > RB_WRITE_OFFSET_MAX || end <= first)
                return -EINVAL;
        rb_offset_shifter_t *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        s->offset = offset;
        s->first = first;
        s->end = end;
        s->next = first;
        s->whole = floor_div(offset, SAMPLES);
        s->part = offset - s->whole * SAMPLES;
        /* The window of sector L spans L+whole and L+whole+1. */
        s->ahead = s->whole + (s->part ? 1 : 0);
        if (s->ahead < 0)
                s->ahead = 0;
        int32_t behind = s->whole < 0 ? -s->whole : 0;
        s->size = (size_t)(s->ahead + behind + 1);
        s->ring = calloc(s->size, sizeof *s->ring);
        if (!s->ring) {
                free(s);
                return -ENOMEM;
        }
        for (size_t i = 0; i < s->size; i++)
                s->ring[i].lba = INT32_MIN;
        s->source = source;
        s->audio = audio;
        s->ctx = ctx;
        *ret = s;
        return 0;
}

static slot_t *slot_of(rb_offset_shifter_t *s, int32_t lba)
{
        slot_t *x = &s->ring[(size_t)((int64_t)lba - s->first) % s->size];
        return x->lba == lba ? x : NULL;
}

/* Whether a sample position's sector takes audio. */
static bool audio_at(rb_offset_shifter_t *s, int32_t lba)
{
        return lba >= s->first && lba < s->end && s->audio(s->ctx, lba);
}

static void count_dropped(rb_offset_shifter_t *s, const slot_t *x)
{
        /* Sample i of sector S lands in sector S - whole - (i < part ? 1 : 0)… as
         * emission takes sample i + part of L + whole: destination sector
         * D = floor((S*588 + i - offset) / 588). */
        for (int32_t i = 0; i < SAMPLES;) {
                int64_t dest = (int64_t)x->lba * SAMPLES + i - s->offset;
                int32_t d =
                    (int32_t)(dest >= 0 ? dest / SAMPLES : -((-dest + SAMPLES - 1) / SAMPLES));
                int32_t run = (int32_t)(((int64_t)d + 1) * SAMPLES - dest);
                if (run > SAMPLES - i)
                        run = SAMPLES - i;
                if (!audio_at(s, d))
                        for (int32_t k = i; k < i + run; k++) {
                                const uint8_t *p = x->main + k * BYTES;
                                if (p[0] | p[1] | p[2] | p[3])
                                        s->dropped++;
                        }
                i += run;
        }
}

static int produce(rb_offset_shifter_t *s)
{
        slot_t *x = &s->ring[(size_t)((int64_t)s->next - s->first) % s->size];
        int r = s->source(s->ctx, s->next, x->main, x->rw);
        if (r < 0)
                return r;
        x->lba = s->next++;
        x->audio = s->audio(s->ctx, x->lba);
        if (x->audio)
                count_dropped(s, x);
        return 0;
}

/* Samples [from, from + n) of source sector lba into out, silence where there is no audio. */
static void take(rb_offset_shifter_t *s, int32_t lba, int32_t from, int32_t n, uint8_t *out)
{
        slot_t *x = lba >= s->first && lba < s->end ? slot_of(s, lba) : NULL;
        if (x && x->audio)
                memcpy(out, x->main + from * BYTES, (size_t)n * BYTES);
        else
                memset(out, 0, (size_t)n * BYTES);
}

int rb_offset_shifter_get(rb_offset_shifter_t *s, int32_t lba, uint8_t main[RB_SECTOR_SIZE],
                          uint8_t rw[RB_OFFSET_RW_BYTES])
{
        int r;
        int64_t want = (int64_t)lba + s->ahead;
        if (want >= s->end)
                want = s->end - 1;
        while (s->next <= want)
                if ((r = produce(s)) < 0)
                        return r;
        slot_t *x = slot_of(s, lba);
        if (!x)
                return -EINVAL; /* not called in order */
        memcpy(rw, x->rw, sizeof x->rw);
        if (!x->audio) {
                memcpy(main, x->main, RB_SECTOR_SIZE);
                return 0;
        }
        int32_t s0 = lba + s->whole;
        take(s, s0, s->part, SAMPLES - s->part, main);
        if (s->part)
                take(s, s0 + 1, 0, s->part, main + (SAMPLES - s->part) * BYTES);
        return 0;
}

uint64_t rb_offset_shifter_dropped(const rb_offset_shifter_t *s)
{
        return s->dropped;
}

void rb_offset_shifter_free(rb_offset_shifter_t *s)
{
        if (!s)
                return;
        free(s->ring);
        free(s);
}
