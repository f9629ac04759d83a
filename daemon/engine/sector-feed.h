/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Where the burn thread takes its sectors from: the caller's image, from the
 * first sector that goes to the disc (the media's lead-in start) to the end.
 *
 *  - A regular file is mapped, and a normal-priority prefetcher copies it
 *    into a locked ring of whole sectors ahead of the writer: the page
 *    faults, the disk reads and the copy happen there, never in the writer.
 *  - A pipe or socket is read by a normal-priority reader into the same
 *    kind of ring, after reading past the sectors before the media's
 *    lead-in start.
 *
 * Either way the writer hands the drive resident sectors straight from the
 * ring, with nothing to do between one WRITE's completion and the next.
 *
 * The feeder publishes how many sectors are ready (available), the writer
 * how many it is done with (consumed); each side sleeps on the other's
 * counter only when it has nothing to do.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image-guard.h"
#include "waitword.h"

typedef struct sector_feed {
        /* Fixed once opened. */
        int fd;
        int stop_fd; /* stream: an eventfd that wakes the reader to stop */
        bool mapped;
        size_t sector_size;
        uint64_t skip_sectors; /* stream sectors before the first one written */
        size_t buffer_bytes;   /* prefetch window, or ring size */
        uint64_t file_size;    /* mapped: bytes of the file when opened */

        const uint8_t *map; /* mapped: the whole file, read by the prefetcher only */
        size_t map_len;
        image_guard guard;

        uint8_t *ring; /* ring_sectors whole sectors, what the writer sends from */
        size_t ring_sectors;
        bool memory_locked;        /* the ring is locked into memory */
        bool populate_unsupported; /* mapped: the kernel lacks MADV_POPULATE_READ */

        /* Shared between feeder and writer. */
        atomic_int_least64_t available; /* sectors [0, available) are ready */
        atomic_int_least64_t consumed;  /* sectors the writer is done with */
        atomic_int_least64_t total;     /* sectors to write; -1 until a stream ends */
        atomic_int error;               /* the feeder's failure, see sector_feed_error_text */
        atomic_bool ended;              /* the feeder has nothing more to give */
        atomic_bool stop;
        waitword data_ready; /* bumped when available, total, ended or error change */
        waitword room;       /* bumped when stop is set (the feeder polls consumed) */

        pthread_t feeder;
        bool feeder_running;
        char lock_note[96]; /* how the buffer is held, for the job's log line */
} sector_feed;

/* Feeder failures beyond a plain -errno from read(). */
#define SECTOR_FEED_TRUNCATED      (-1001) /* the mapped file shrank */
#define SECTOR_FEED_PARTIAL_SECTOR (-1002) /* the stream ended inside a sector */
#define SECTOR_FEED_ENDED_EARLY    (-1003) /* the stream ended before the first sector written */

/*
 * fd: the caller's descriptor (not taken over: duplicated). A regular file
 * is mapped, anything else read. The ring holds about buffer_bytes, a whole
 * number of write_sectors (the writer's largest WRITE) and at least two.
 * Returns 0 or -errno (-ENOMEM when the ring cannot be had).
 */
int sector_feed_open(sector_feed *s, int fd, size_t sector_size, uint64_t skip_sectors,
                     size_t buffer_bytes, size_t write_sectors);
int sector_feed_start(sector_feed *s);
/* Stops and joins the feeder; the data stays readable until close. */
void sector_feed_stop(sector_feed *s);
void sector_feed_close(sector_feed *s);

/* The writer's side. */
static inline const uint8_t *sector_feed_sector(const sector_feed *s, int64_t i)
{
        return s->ring + (size_t)((uint64_t)i % s->ring_sectors) * s->sector_size;
}

/* Sectors from i on that lie one after the other in memory. */
static inline int64_t sector_feed_contiguous(const sector_feed *s, int64_t i)
{
        return (int64_t)(s->ring_sectors - (size_t)((uint64_t)i % s->ring_sectors));
}

/* Waits until sectors [0, upto) are ready, the source ended, or *cancel
 * is set. Returns the sectors available. */
int64_t sector_feed_wait(sector_feed *s, int64_t upto, const atomic_bool *cancel);

/* The writer has sent everything before upto. */
void sector_feed_release(sector_feed *s, int64_t upto);

/* Bytes held between stream and drive. */
uint64_t sector_feed_used_bytes(sector_feed *s);

/* Words for a feeder failure. */
const char *sector_feed_error_text(int error, char *buf, size_t size);
