/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The write engine's buffer model: how far the drive has burned by now.
 *
 * Without "realtime" the drive takes data as fast as it comes: the buffer is always empty,
 * no WRITE is delayed and SYNCHRONIZE CACHE finishes at once. With "realtime" it burns at the
 * current write speed (× 75 sectors/s, constant: CLV) from a buffer of config.buffer_bytes,
 * counted in blocks of the write's block size:
 *
 * - the laser starts when the buffer first fills, or at SYNCHRONIZE CACHE;
 * - a WRITE that does not fit is accepted and its completion delayed until it would have fit
 *   (the front end delays the ioctl): flow control as drives do it, never 02/04/08, which
 *   cdrdao's raw driver does not retry (mmc-raw.md §6.3);
 * - when the buffer runs dry mid-burn: with BUFE (BURN-Proof) the burn pauses until the buffer
 *   is full again and burnfree_events counts it; without, the disc is spoilt (underrun) and
 *   the next WRITE fails with 03/0C/09 LOSS OF STREAMING;
 * - the drain after SYNCHRONIZE CACHE lasts fill / rate. With the default 2 MiB buffer that is
 *   at most 856 blocks of 2448 bytes: 11.4 s at 1×, 2.9 s at 4×, well inside cdrdao's 30 s
 *   SG_IO timeout for SYNCHRONIZE CACHE without IMMED. Real drives carry 2-8 MiB; a buffer=
 *   far beyond that at 1× would exceed the timeout, as such a drive would.
 *
 * All times come from ds_now(), the injected clock, so tests run on a fake one.
 */
#include <string.h>

#include "ds-internal.h"

#define NS_PER_S 1000000000ull

static uint64_t rate(const ds_drive *d)
{
        unsigned x = d->current_write_speed ? d->current_write_speed : 1;

        return (uint64_t)x * 75u; /* sectors per second */
}

uint64_t ds_writer_capacity(const ds_drive *d)
{
        unsigned bs = d->writer.block_size ? d->writer.block_size : DS_RAW_SECTOR_SIZE;
        uint64_t cap = d->config.buffer_bytes / bs;

        return cap ? cap : 1;
}

/* Sectors burned by time t when the laser runs continuously from the origin. */
static uint64_t burned_by(const ds_drive *d, uint64_t t)
{
        const ds_writer *w = &d->writer;

        if (!w->burning || t <= w->burn_origin_ns)
                return w->burned_at_origin;
        return w->burned_at_origin + (t - w->burn_origin_ns) * rate(d) / NS_PER_S;
}

/* When sector count k (k > burned_at_origin) has been burned, the laser running. */
static uint64_t time_burned(const ds_drive *d, uint64_t k)
{
        const ds_writer *w = &d->writer;
        uint64_t r = rate(d);

        if (k <= w->burned_at_origin)
                return w->burn_origin_ns;
        /* Round up: the k-th sector is done at the first whole tick that covers it. */
        return w->burn_origin_ns + ((k - w->burned_at_origin) * NS_PER_S + r - 1) / r;
}

static void start_burn(ds_drive *d, uint64_t now)
{
        ds_writer *w = &d->writer;

        if (w->burning)
                return;
        w->burning = true;
        w->burn_origin_ns = now;
        w->burned_at_origin = w->sectors_burned;
}

/* The session ends: a recorded lead-out closes it, anything less leaves a coaster. */
static void finish(ds_drive *d)
{
        ds_writer *w = &d->writer;
        ds_disc *disc = d->media.disc;

        d->stats.finished_ns = w->draining ? w->drain_done_ns : ds_now(d);
        if (w->test_write) {
                /* Nothing was recorded; the drive forgets the simulated write. */
        } else if (!w->underrun && (w->sao ? ds_sao_close(d) : w->leadout_seen)) {
                ds_disc_complete(disc);
        } else if (ds_disc_get_state(disc) == DS_DISC_BLANK) {
                ds_disc_set_incomplete(disc);
        }
        w->active = false;
        w->draining = false;
        w->burning = false;
        d->cue.n = 0; /* a cue sheet serves one session */
}

void ds_writer_stats_begin(ds_drive *d)
{
        memset(&d->stats, 0, sizeof d->stats);
        d->stats.first_write_ns = ds_now(d);
}

void ds_writer_advance(ds_drive *d)
{
        ds_writer *w = &d->writer;
        uint64_t now, burned, dry_at;

        if (!w->active || !d->config.realtime || !w->burning)
                return;
        now = ds_now(d);
        burned = burned_by(d, now);
        if (burned < w->sectors_in) {
                w->sectors_burned = burned;
                w->last_update_ns = now;
                return;
        }
        /* The buffer ran dry at some point up to now: when its last sector was burned. */
        dry_at = time_burned(d, w->sectors_in);
        w->sectors_burned = w->sectors_in;
        w->last_update_ns = now;
        if (w->draining) {
                finish(d);
                return;
        }
        d->stats.underruns++;
        d->stats.min_fill_bytes = 0;
        if (ds_write_bufe(&d->write_params)) {
                w->burnfree_events++;
                w->burning = false; /* resumes when the buffer is full again */
        } else {
                w->underrun = true;
                w->burning = false;
                w->active = false; /* the burn is over; the next WRITE learns it (cmd-write.c) */
                if (!w->test_write)
                        ds_disc_set_incomplete(d->media.disc);
                d->stats.finished_ns = dry_at;
        }
}

void ds_writer_reset(ds_drive *d)
{
        memset(&d->writer, 0, sizeof d->writer);
        d->cue.n = 0;
}

bool ds_writer_draining(ds_drive *d)
{
        return d->writer.draining;
}

uint16_t ds_writer_drain_progress(const ds_drive *d)
{
        const ds_writer *w = &d->writer;

        if (w->sectors_in == 0 || w->sectors_burned >= w->sectors_in)
                return 0xffff;
        return (uint16_t)(w->sectors_burned * 65536u / w->sectors_in);
}

uint64_t ds_writer_fill(const ds_drive *d)
{
        if (!d->config.realtime || !d->writer.active)
                return 0;
        return d->writer.sectors_in - d->writer.sectors_burned;
}

uint64_t ds_drive_last_write_fill(const ds_drive *d)
{
        return d->stats.last_fill_bytes;
}

uint64_t ds_writer_accept(ds_drive *d, uint64_t n)
{
        ds_writer *w = &d->writer;
        ds_burn_stats *st = &d->stats;
        uint64_t now, cap, need, fill, delay;

        st->writes++;
        if (!d->config.realtime) {
                w->sectors_in += n;
                w->sectors_burned = w->sectors_in;
                return 0;
        }
        now = ds_now(d);
        cap = ds_writer_capacity(d);
        /* The fill falls between WRITEs and rises with each: its lowest points are just
         * before a WRITE arrives (ds_writer_advance brought it up to now). */
        fill = (w->sectors_in - w->sectors_burned) * w->block_size;
        st->last_fill_bytes = fill;
        if (st->filled) {
                if (fill < st->min_fill_bytes)
                        st->min_fill_bytes = fill;
                uint64_t step = fill * DS_FILL_STEPS / (cap * w->block_size);

                st->fill_hist[step > DS_FILL_STEPS ? DS_FILL_STEPS : step]++;
                if (now > st->done_ns && now - st->done_ns > st->max_gap_ns)
                        st->max_gap_ns = now - st->done_ns;
        }
        st->done_ns = now;
        w->sectors_in += n;
        if (w->sectors_in - w->sectors_burned < cap)
                return 0;
        /* The buffer is full: the laser starts (or resumes after a BURN-Proof pause). */
        if (!st->filled) {
                st->filled = true;
                st->min_fill_bytes = cap * w->block_size;
        }
        start_burn(d, now);
        need = w->sectors_in - cap; /* sectors that must be burned before the data fit */
        if (burned_by(d, now) >= need)
                return 0;
        delay = time_burned(d, need) - now;
        st->wait_ns += delay;
        st->done_ns = now + delay;
        return delay;
}

uint64_t ds_writer_sync(ds_drive *d)
{
        ds_writer *w = &d->writer;
        uint64_t now = ds_now(d);

        if (!w->active)
                return now;
        if (!d->config.realtime || w->sectors_in == w->sectors_burned) {
                finish(d);
                return now;
        }
        start_burn(d, now);
        w->draining = true;
        w->drain_done_ns = time_burned(d, w->sectors_in);
        return w->drain_done_ns;
}
