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

/* How much the prefetcher locks in one step, and how long a feeder sleeps at
 * most before looking again (the stop flag always wakes it sooner). */
#define PREFETCH_STEP_BYTES (256u * 1024u)
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

/* ------------------------------------------------------------ mapped file */

/* Makes [off, off+len) of the map resident: locked when allowed, else
 * touched page by page (the pages may then be evicted again under memory
 * pressure, which is why locking is tried first). */
static void make_resident(sector_feed *s, size_t off, size_t len)
{
        if (s->memory_locked) {
                if (mlock(s->map + off, len) == 0)
                        return;
                /* RLIMIT_MEMLOCK reached, or a page past a new end of file. */
                s->memory_locked = false;
                snprintf(s->lock_note, sizeof s->lock_note,
                         "prefetch window touched, not locked (mlock: %s)", strerror(errno));
        }
        for (size_t p = 0; p < len; p += page_size())
                (void)*(volatile const uint8_t *)(s->map + off + p);
}

static bool file_shrank(sector_feed *s)
{
        struct stat st;

        if (image_guard_faulted(&s->guard))
                return true;
        return fstat(s->fd, &st) == 0 && (uint64_t)st.st_size < s->file_size;
}

static void *prefetch_main(void *userdata)
{
        sector_feed *s = userdata;
        size_t ps = page_size();
        uint64_t first = s->skip_sectors * s->sector_size;
        uint64_t end = s->file_size;
        int64_t total = atomic_load(&s->total);
        /* Page-aligned byte offsets of what is resident: [lo, hi). */
        size_t lo = (size_t)(first & ~(uint64_t)(ps - 1)), hi = lo;

        (void)pthread_setname_np(pthread_self(), "rb-prefetch");
        leave_realtime();
        while (!stopping(s)) {
                unsigned seen = waitword_get(&s->room);
                int64_t consumed = atomic_load_explicit(&s->consumed, memory_order_acquire);
                uint64_t done = first + (uint64_t)consumed * s->sector_size;
                uint64_t target = done + s->buffer_bytes;

                if (target > end)
                        target = end;
                if (hi < target) {
                        size_t n =
                            target - hi < PREFETCH_STEP_BYTES ? target - hi : PREFETCH_STEP_BYTES;
                        int64_t ready;

                        n = (n + ps - 1) & ~(ps - 1);
                        if (hi + n > s->map_len)
                                n = s->map_len - hi;
                        make_resident(s, hi, n);
                        if (file_shrank(s)) {
                                finish(s, SECTOR_FEED_TRUNCATED);
                                break;
                        }
                        hi += n;
                        ready = (int64_t)((hi < end ? hi : end) - first) / (int64_t)s->sector_size;
                        publish(s, ready < total ? ready : total);
                        if (hi >= end && !atomic_load(&s->ended))
                                finish(s, 0);
                        continue;
                }
                /* Let go of what the drive has: locked pages are a scarce
                 * resource when eight drives burn at once. */
                size_t below = (size_t)(done & ~(uint64_t)(ps - 1));
                if (below > lo) {
                        if (s->memory_locked)
                                (void)munlock(s->map + lo, below - lo);
                        lo = below;
                }
                /* A file truncated after its pages were made resident shows
                 * up here, or as SIGBUS in whoever touches it next. */
                if (file_shrank(s)) {
                        finish(s, SECTOR_FEED_TRUNCATED);
                        break;
                }
                waitword_wait(&s->room, seen, FEEDER_NAP_MS);
        }
        if (s->memory_locked && hi > lo)
                (void)munlock(s->map + lo, hi - lo);
        return NULL;
}

static int open_mapped(sector_feed *s, const struct stat *st)
{
        size_t ps = page_size();

        s->mapped = true;
        s->file_size = (uint64_t)st->st_size;
        s->map_len = (size_t)s->file_size;
        s->map = mmap(NULL, s->map_len, PROT_READ, MAP_SHARED, s->fd, 0);
        if (s->map == MAP_FAILED) {
                s->map = NULL;
                return -errno;
        }
        (void)madvise((void *)s->map, s->map_len, MADV_SEQUENTIAL);
        s->buffer_bytes = (s->buffer_bytes + ps - 1) & ~(ps - 1);
        s->memory_locked = true; /* tried first; make_resident notes a fallback */
        snprintf(s->lock_note, sizeof s->lock_note, "prefetch window %zu KiB locked",
                 s->buffer_bytes / 1024);
        atomic_store(&s->total, (int64_t)(s->file_size / s->sector_size - s->skip_sectors));
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

static int open_stream(sector_feed *s)
{
        size_t ss = s->sector_size, bytes;

        s->ring_sectors = s->buffer_bytes / ss;
        if (s->ring_sectors < 64)
                s->ring_sectors = 64;
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
        atomic_store(&s->total, -1);
        return 0;
}

/* ------------------------------------------------------------ common */

int sector_feed_open(sector_feed *s, int fd, size_t sector_size, uint64_t skip_sectors,
                     size_t buffer_bytes)
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
                return open_mapped(s, &st);
        s->stop_fd = eventfd(0, EFD_CLOEXEC);
        if (s->stop_fd < 0)
                return -errno;
        return open_stream(s);
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
