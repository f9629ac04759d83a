/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sector-feed.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* How much the prefetcher copies in one step, and how long a feeder sleeps at
 * most before looking again (the stop flag always wakes it sooner). */
#define PREFETCH_STEP_BYTES (256u * 1024u)
#define READAHEAD_STEPS     4 /* how far ahead of its copy the prefetcher asks for pages */
#define FEEDER_NAP_MS       100

static size_t page_size(void)
{
        return (size_t)sysconf(_SC_PAGESIZE);
}

static void publish(sector_feed *s, int64_t available)
{
        atomic_store_explicit(&s->available, available, memory_order_release);
        waitword_bump(&s->data_ready);
}

static void finish(sector_feed *s, int error)
{
        if (error)
                atomic_store(&s->error, error);
        atomic_store_explicit(&s->ended, true, memory_order_release);
        waitword_bump(&s->data_ready);
}

/* The feeder is started by the burn thread, whose SCHED_FIFO it would
 * inherit: at the writer's own priority, its page-cache reads and mlock
 * walks (milliseconds of kernel work a step under load) would sit on a CPU
 * the writer cannot take back from an equal FIFO thread, and delay the
 * WRITE after a completion. It keeps the window seconds ahead, so normal
 * scheduling is all it needs. */
static void leave_realtime(void)
{
        struct sched_param sp = {.sched_priority = 0};

        (void)pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp);
}

static bool stopping(sector_feed *s)
{
        return atomic_load_explicit(&s->stop, memory_order_acquire);
}

/* ------------------------------------------------------------ ring */

/*
 * Both sources hand the writer a locked ring of whole sectors, so that what
 * the writer sends is ready and resident before it asks: between a WRITE's
 * completion and the next WRITE the drive's buffer drains, and the writer
 * does nothing there but call SG_IO again (docs/benchmarks.md measured a
 * 1.25 MiB copy in that gap taking up to 22 ms under load). The ring holds a
 * whole number of the writer's WRITEs, so none is split at its end.
 */
static int make_ring(sector_feed *s, size_t write_sectors)
{
        size_t ss = s->sector_size, bytes;

        if (write_sectors == 0)
                write_sectors = 1;
        s->ring_sectors = s->buffer_bytes / ss / write_sectors * write_sectors;
        while (s->ring_sectors < 64 || s->ring_sectors < 2 * write_sectors)
                s->ring_sectors += write_sectors;
        bytes = s->ring_sectors * ss;
        s->buffer_bytes = bytes;
        s->ring = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (s->ring == MAP_FAILED) {
                s->ring = NULL;
                return -ENOMEM;
        }
        s->memory_locked = mlock(s->ring, bytes) == 0;
        if (s->memory_locked)
                snprintf(s->lock_note, sizeof s->lock_note, "ring of %zu KiB locked", bytes / 1024);
        else
                snprintf(s->lock_note, sizeof s->lock_note,
                         "ring of %zu KiB not locked (mlock: %s)", bytes / 1024, strerror(errno));
        return 0;
}

/* Sector i of a mapped image (i counted from the first sector written). */
static const uint8_t *sector_feed_mapped(const sector_feed *s, int64_t i)
{
        return s->map + (s->skip_sectors + (uint64_t)i) * s->sector_size;
}

/* Sectors the ring can take now from position `filled` on: up to its end,
 * never over what the writer has not sent yet. */
static size_t ring_room(const sector_feed *s, uint64_t filled)
{
        int64_t consumed = atomic_load_explicit(&s->consumed, memory_order_acquire);
        uint64_t used = filled - (uint64_t)consumed;
        size_t pos = (size_t)(filled % s->ring_sectors), n;

        if (used >= s->ring_sectors)
                return 0;
        n = s->ring_sectors - (size_t)used;
        return n > s->ring_sectors - pos ? s->ring_sectors - pos : n;
}

/* ------------------------------------------------------------ mapped file */

static bool file_shrank(sector_feed *s)
{
        struct stat st;

        if (image_guard_faulted(&s->guard))
                return true;
        return fstat(s->fd, &st) == 0 && (uint64_t)st.st_size < s->file_size;
}

/* Starts reading [off, off+len) of the mapped file into the page cache. */
static void advise_willneed(sector_feed *s, size_t off, size_t len)
{
        size_t at = off & ~(page_size() - 1);

        if (at >= s->map_len)
                return;
        len += off - at;
        if (len > s->map_len - at)
                len = s->map_len - at;
        (void)madvise((void *)(s->map + at), len, MADV_WILLNEED);
}

/* Maps [off, off+len) of the file into the page tables in one call per
 * step, as the mlock walk of the window did before, rather than taking a
 * page fault for every 4 KiB the copy reads. A kernel without
 * MADV_POPULATE_READ (before 5.14) takes the faults instead. */
static void populate(sector_feed *s, size_t off, size_t len)
{
        size_t at = off & ~(page_size() - 1);

        if (s->populate_unsupported)
                return;
        len += off - at;
        if (madvise((void *)(s->map + at), len, MADV_POPULATE_READ) < 0 && errno == EINVAL)
                s->populate_unsupported = true;
}

/* Copies the mapped image into the ring: the page faults, the disk reads
 * and the copy all happen here, at normal priority and seconds ahead of the
 * writer. A truncated file raises SIGBUS here (the guard puts a zero page in
 * and marks it), and what the copy then holds is never published. */
static void *prefetch_main(void *userdata)
{
        sector_feed *s = userdata;
        size_t ss = s->sector_size, step = PREFETCH_STEP_BYTES / ss;
        int64_t total = atomic_load(&s->total);
        uint64_t filled = 0;

        (void)pthread_setname_np(pthread_self(), "rb-prefetch");
        leave_realtime();
        /* The writer waits for a full ring before its first WRITE: ask for
         * all of it at once, so the disk streams it. */
        if (total > 0)
                advise_willneed(s, (size_t)(sector_feed_mapped(s, 0) - s->map), s->buffer_bytes);
        while (!stopping(s) && filled < (uint64_t)total) {
                unsigned seen = waitword_get(&s->room);
                size_t n = ring_room(s, filled);
                const uint8_t *from = sector_feed_mapped(s, (int64_t)filled);

                if (n == 0) {
                        waitword_wait(&s->room, seen, FEEDER_NAP_MS);
                        continue;
                }
                if (n > step)
                        n = step;
                if (n > (uint64_t)total - filled)
                        n = (size_t)((uint64_t)total - filled);
                /* The disk reads ahead of the copy, a few steps on. */
                advise_willneed(s, (size_t)(from - s->map) + READAHEAD_STEPS * step * ss,
                                step * ss);
                populate(s, (size_t)(from - s->map), n * ss);
                memcpy(s->ring + (size_t)(filled % s->ring_sectors) * ss, from, n * ss);
                if (file_shrank(s)) {
                        finish(s, SECTOR_FEED_TRUNCATED);
                        return NULL;
                }
                filled += n;
                publish(s, (int64_t)filled);
        }
        if (!stopping(s))
                finish(s, 0);
        return NULL;
}

static int open_mapped(sector_feed *s, const struct stat *st, size_t write_sectors)
{
        uint64_t sectors;
        int r;

        s->mapped = true;
        s->file_size = (uint64_t)st->st_size;
        s->map_len = (size_t)s->file_size;
        s->map = mmap(NULL, s->map_len, PROT_READ, MAP_SHARED, s->fd, 0);
        if (s->map == MAP_FAILED) {
                s->map = NULL;
                return -errno;
        }
        (void)madvise((void *)s->map, s->map_len, MADV_SEQUENTIAL);
        r = make_ring(s, write_sectors);
        if (r < 0)
                return r;
        sectors = s->file_size / s->sector_size;
        if (sectors < s->skip_sectors) { /* known now: the writer finds the feed ended */
                atomic_store(&s->total, 0);
                finish(s, SECTOR_FEED_ENDED_EARLY);
        } else {
                atomic_store(&s->total, (int64_t)(sectors - s->skip_sectors));
        }
        return image_guard_register(&s->guard, s->map, s->map_len);
}

/* ------------------------------------------------------------ pipe, socket */

/* Reads what the stream has, waiting for it together with the stop
 * eventfd: a pipe whose writer stays silent must not hold the feeder (and
 * so the burn's end) for ever. -ECANCELED once stopped. */
static ssize_t read_some(sector_feed *s, void *buf, size_t n)
{
        for (;;) {
                struct pollfd p[2] = {{.fd = s->fd, .events = POLLIN},
                                      {.fd = s->stop_fd, .events = POLLIN}};
                ssize_t r;

                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (p[1].revents || stopping(s))
                        return -ECANCELED;
                r = read(s->fd, buf, n);
                if (r >= 0)
                        return r;
                if (errno != EINTR && errno != EAGAIN)
                        return -errno;
        }
}

static int skip_leading(sector_feed *s)
{
        uint64_t left = s->skip_sectors * s->sector_size;
        size_t ring_bytes = s->ring_sectors * s->sector_size;

        while (left > 0 && !stopping(s)) {
                ssize_t r = read_some(s, s->ring, left < ring_bytes ? left : ring_bytes);

                if (r < 0)
                        return (int)r;
                if (r == 0)
                        return SECTOR_FEED_ENDED_EARLY;
                left -= (uint64_t)r;
        }
        return 0;
}

static void *reader_main(void *userdata)
{
        sector_feed *s = userdata;
        size_t ss = s->sector_size, ring_bytes = s->ring_sectors * ss;
        uint64_t filled = 0; /* bytes read since the first sector written */
        int r;

        (void)pthread_setname_np(pthread_self(), "rb-reader");
        leave_realtime();
        r = skip_leading(s);
        if (r == -ECANCELED)
                return NULL;
        if (r < 0) {
                finish(s, r);
                return NULL;
        }
        while (!stopping(s)) {
                unsigned seen = waitword_get(&s->room);
                int64_t consumed = atomic_load_explicit(&s->consumed, memory_order_acquire);
                uint64_t used = filled - (uint64_t)consumed * ss;
                size_t pos = (size_t)(filled % ring_bytes), n;
                ssize_t got;

                if (used >= ring_bytes) {
                        waitword_wait(&s->room, seen, FEEDER_NAP_MS);
                        continue;
                }
                n = ring_bytes - used;
                if (n > ring_bytes - pos)
                        n = ring_bytes - pos;
                got = read_some(s, s->ring + pos, n);
                if (got == -ECANCELED)
                        break;
                if (got < 0) {
                        finish(s, (int)got);
                        break;
                }
                if (got == 0) {
                        atomic_store(&s->total, (int64_t)(filled / ss));
                        finish(s, filled % ss ? SECTOR_FEED_PARTIAL_SECTOR : 0);
                        break;
                }
                filled += (uint64_t)got;
                publish(s, (int64_t)(filled / ss));
        }
        return NULL;
}

static int open_stream(sector_feed *s, size_t write_sectors)
{
        int r = make_ring(s, write_sectors);

        if (r < 0)
                return r;
        atomic_store(&s->total, -1);
        return 0;
}

/* ------------------------------------------------------------ common */

int sector_feed_open(sector_feed *s, int fd, size_t sector_size, uint64_t skip_sectors,
                     size_t buffer_bytes, size_t write_sectors)
{
        struct stat st;

        memset(s, 0, sizeof *s);
        s->fd = s->stop_fd = -1;
        s->sector_size = sector_size;
        s->skip_sectors = skip_sectors;
        s->buffer_bytes = buffer_bytes;
        atomic_init(&s->available, 0);
        atomic_init(&s->consumed, 0);
        atomic_init(&s->total, -1);
        atomic_init(&s->error, 0);
        atomic_init(&s->ended, false);
        atomic_init(&s->stop, false);

        s->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (s->fd < 0)
                return -errno;
        if (fstat(s->fd, &st) < 0)
                return -errno;
        if (S_ISREG(st.st_mode))
                return open_mapped(s, &st, write_sectors);
        s->stop_fd = eventfd(0, EFD_CLOEXEC);
        if (s->stop_fd < 0)
                return -errno;
        return open_stream(s, write_sectors);
}

int sector_feed_start(sector_feed *s)
{
        int r = pthread_create(&s->feeder, NULL, s->mapped ? prefetch_main : reader_main, s);

        if (r != 0)
                return -r;
        s->feeder_running = true;
        return 0;
}

void sector_feed_stop(sector_feed *s)
{
        if (!s->feeder_running)
                return;
        atomic_store_explicit(&s->stop, true, memory_order_release);
        waitword_bump(&s->room);
        if (s->stop_fd >= 0)
                (void)eventfd_write(s->stop_fd, 1);
        (void)pthread_join(s->feeder, NULL);
        s->feeder_running = false;
}

void sector_feed_close(sector_feed *s)
{
        sector_feed_stop(s);
        if (s->map) {
                image_guard_unregister(&s->guard);
                (void)munmap((void *)s->map, s->map_len);
                s->map = NULL;
        }
        if (s->ring) {
                (void)munmap(s->ring, s->ring_sectors * s->sector_size);
                s->ring = NULL;
        }
        if (s->fd >= 0)
                close(s->fd);
        s->fd = -1;
        if (s->stop_fd >= 0)
                close(s->stop_fd);
        s->stop_fd = -1;
}

int64_t sector_feed_wait(sector_feed *s, int64_t upto, const atomic_bool *cancel)
{
        for (;;) {
                unsigned seen = waitword_get(&s->data_ready);
                int64_t have = atomic_load_explicit(&s->available, memory_order_acquire);

                if (have >= upto || atomic_load_explicit(&s->ended, memory_order_acquire) ||
                    (cancel && atomic_load(cancel)))
                        return have;
                waitword_wait(&s->data_ready, seen, FEEDER_NAP_MS);
        }
}

void sector_feed_release(sector_feed *s, int64_t upto)
{
        /* No wake-up: the writer makes no system call for this. The feeder
         * looks again within FEEDER_NAP_MS, long before a buffer of seconds
         * drains. */
        atomic_store_explicit(&s->consumed, upto, memory_order_release);
}

uint64_t sector_feed_used_bytes(sector_feed *s)
{
        int64_t a = atomic_load(&s->available), c = atomic_load(&s->consumed);

        return a > c ? (uint64_t)(a - c) * s->sector_size : 0;
}

const char *sector_feed_error_text(int error, char *buf, size_t size)
{
        switch (error) {
        case SECTOR_FEED_TRUNCATED:
                snprintf(buf, size, "the image file was truncated while it was being written");
                break;
        case SECTOR_FEED_PARTIAL_SECTOR:
                snprintf(buf, size, "the stream ended in the middle of a sector");
                break;
        case SECTOR_FEED_ENDED_EARLY:
                snprintf(buf, size, "the stream ended before the media's lead-in start");
                break;
        default:
                snprintf(buf, size, "reading the stream failed: %s", strerror(-error));
                break;
        }
        return buf;
}
