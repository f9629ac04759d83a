/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The burn thread's view of a caller's stream: the lead-in check of
 * daemon/device/stream-check.c on images librawburn writes in each sector type, and
 * daemon/engine/sector-feed.c feeding sectors from a mapped file and from a pipe,
 * with the failures a caller's stream can have (truncated file, a pipe that
 * ends mid-sector or before the lead-in start) and the SIGBUS guard.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "image-guard.h"
#include "rawburn/image-layout.h"
#include "rawburn/image-writer.h"
#include "sector-feed.h"
#include "stream-check.h"

#define LEADIN_START (-11634) /* drivesim's cdr80 */
#define SKIP         (22650 + LEADIN_START)

/* An album of two audio tracks (lead-out at 600), written into a memfd from
 * 95:00:00 in the given sector type. Returns the fd. */
static int album_image(rb_sector_type_t type, uint64_t *sectors)
{
        rb_layout_t l;
        char err[256];
        int fd = memfd_create("album", MFD_CLOEXEC);

        assert_true(fd >= 0);
        rb_layout_init(&l);
        l.sector_type = type;
        for (int i = 0; i < 2; i++) {
                rb_track_t *t = rb_layout_add_track(&l, RB_TRACK_AUDIO);
                rb_segment_t s = {.file = -1, .format = RB_FMT_AUDIO};

                assert_non_null(t);
                t->pause = i == 0 ? 150 : 0;
                t->length = 300;
                s.sectors = t->pause + t->length;
                assert_int_equal(rb_track_add_segment(t, &s), 0);
        }
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        assert_int_equal(rb_image_write(&l, fd, NULL, NULL, err, sizeof err), 0);
        *sectors = (uint64_t)lseek(fd, 0, SEEK_END) / rb_sector_type_size(type);
        rb_layout_free(&l);
        return fd;
}

typedef struct mapped {
        const uint8_t *data;
        size_t sector_size;
} mapped;

static const uint8_t *sector_of(void *userdata, int64_t i)
{
        mapped *m = userdata;

        return m->data + (size_t)(SKIP + i) * m->sector_size;
}

static void test_leadin_check_each_sector_type(void **state)
{
        for (int type = 1; type <= 3; type++) {
                uint64_t sectors;
                int fd = album_image((rb_sector_type_t)type, &sectors);
                size_t size = (size_t)lseek(fd, 0, SEEK_END);
                mapped m = {mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0),
                            stream_sector_size(type)};
                stream_leadin li;
                char detail[300];

                assert_true(m.data != MAP_FAILED);
                assert_int_equal(stream_check_leadin(sector_of, &m, (int64_t)sectors - SKIP, type,
                                                     &li, detail, sizeof detail),
                                 0);
                assert_true(li.has_leadout);
                assert_int_equal(li.leadout_lba, 600);
                assert_int_equal(li.first_track, 1);
                assert_int_equal(li.last_track, 2);

                /* The same bytes read as the other layout carry no lead-in Q. */
                if (type != 1)
                        assert_int_equal(
                            stream_check_leadin(sector_of, &m, 320, 1, &li, detail, sizeof detail),
                            -EBADMSG);
                munmap((void *)m.data, size);
                close(fd);
        }
}

static void test_leadin_check_refusals(void **state)
{
        uint8_t *zeros = calloc(400, 2448);
        mapped m = {zeros, 2448};
        stream_leadin li;
        char detail[300];

        /* sector_of() adds SKIP: point the data before the buffer start. */
        m.data = zeros - (size_t)SKIP * 2448;
        assert_int_equal(stream_check_leadin(sector_of, &m, 400, 3, &li, detail, sizeof detail),
                         -EBADMSG);
        assert_non_null(strstr(detail, "no lead-in Q"));
        assert_int_equal(stream_check_leadin(sector_of, &m, 0, 3, &li, detail, sizeof detail),
                         -EBADMSG);
        assert_int_equal(stream_sector_size(0), 0);
        assert_int_equal(stream_sector_size(1), 2368);
        assert_int_equal(stream_sector_size(2), 2448);
        free(zeros);
}

/* Reads every sector the source gives and compares it with the file. */
static void drain_and_compare(sector_feed *s, const uint8_t *want, uint64_t sectors)
{
        int64_t i = 0;

        for (;;) {
                int64_t have = sector_feed_wait(s, i + 1, NULL);

                while (i < have) {
                        assert_memory_equal(sector_feed_sector(s, i),
                                            want + (size_t)(SKIP + i) * s->sector_size,
                                            s->sector_size);
                        i++;
                        sector_feed_release(s, i);
                }
                if (atomic_load(&s->ended) && atomic_load(&s->available) <= i)
                        break;
        }
        assert_int_equal(atomic_load(&s->error), 0);
        assert_int_equal(i, (int64_t)sectors - SKIP);
        assert_int_equal(atomic_load(&s->total), (int64_t)sectors - SKIP);
}

static void test_mapped_file_source(void **state)
{
        uint64_t sectors;
        int fd = album_image(RB_SECTOR_RAW, &sectors);
        size_t size = (size_t)lseek(fd, 0, SEEK_END);
        const uint8_t *want = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
        sector_feed s;

        /* A ring smaller than the image: the prefetcher copies the mapping
         * into it many times round, a whole number of 27-sector WRITEs. */
        assert_int_equal(sector_feed_open(&s, fd, 2448, SKIP, 1 << 20, 27), 0);
        assert_true(s.mapped);
        assert_int_equal(s.ring_sectors % 27, 0);
        assert_true(s.ring_sectors * 2448 <= 1 << 20);
        assert_true(s.ring_sectors < sectors - SKIP);
        assert_int_equal(sector_feed_start(&s), 0);
        drain_and_compare(&s, want, sectors);
        sector_feed_close(&s);
        munmap((void *)want, size);
        close(fd);
}

typedef struct feeder {
        int fd;
        const uint8_t *data;
        size_t len;
} feeder;

static void *feed(void *userdata)
{
        feeder *f = userdata;
        size_t off = 0;

        while (off < f->len) {
                size_t n = f->len - off < 70000 ? f->len - off : 70000; /* odd chunks */
                ssize_t w = write(f->fd, f->data + off, n);

                if (w <= 0)
                        break;
                off += (size_t)w;
        }
        close(f->fd);
        return NULL;
}

static void test_pipe_source(void **state)
{
        uint64_t sectors;
        int fd = album_image(RB_SECTOR_PQ_ONLY, &sectors);
        size_t size = (size_t)lseek(fd, 0, SEEK_END);
        const uint8_t *want = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
        int p[2];
        pthread_t t;
        feeder f;
        sector_feed s;

        assert_int_equal(pipe(p), 0);
        f = (feeder){p[1], want, size};
        pthread_create(&t, NULL, feed, &f);
        /* A ring much smaller than the stream: it wraps many times. */
        assert_int_equal(sector_feed_open(&s, p[0], 2368, SKIP, 256 * 1024, 100), 0);
        assert_false(s.mapped);
        /* Never fewer than two WRITEs: 256 KiB holds one 100-sector one. */
        assert_int_equal(s.ring_sectors, 200);
        assert_int_equal(atomic_load(&s.total), -1);
        assert_int_equal(sector_feed_start(&s), 0);
        drain_and_compare(&s, want, sectors);
        sector_feed_close(&s);
        pthread_join(t, NULL);
        close(p[0]);
        munmap((void *)want, size);
        close(fd);
}

static int pipe_with(const void *data, size_t len)
{
        int p[2];

        assert_int_equal(pipe(p), 0);
        assert_int_equal(write(p[1], data, len), (ssize_t)len);
        close(p[1]);
        return p[0];
}

static void test_pipe_failures(void **state)
{
        static uint8_t bytes[3 * 2448 + 100];
        sector_feed s;
        int fd;

        /* Ends before the first sector to be written. */
        fd = pipe_with(bytes, 2448);
        assert_int_equal(sector_feed_open(&s, fd, 2448, 5, 64 * 2448, 1), 0);
        assert_int_equal(sector_feed_start(&s), 0);
        sector_feed_wait(&s, 1, NULL);
        while (!atomic_load(&s.ended))
                sector_feed_wait(&s, 1, NULL);
        assert_int_equal(atomic_load(&s.error), SECTOR_FEED_ENDED_EARLY);
        sector_feed_close(&s);
        close(fd);

        /* Ends inside a sector. */
        fd = pipe_with(bytes, sizeof bytes);
        assert_int_equal(sector_feed_open(&s, fd, 2448, 1, 64 * 2448, 1), 0);
        assert_int_equal(sector_feed_start(&s), 0);
        while (!atomic_load(&s.ended))
                sector_feed_wait(&s, 100, NULL);
        assert_int_equal(atomic_load(&s.error), SECTOR_FEED_PARTIAL_SECTOR);
        assert_int_equal(atomic_load(&s.available), 2);
        sector_feed_close(&s);
        close(fd);
}

static void test_stop_while_a_pipe_gives_nothing(void **state)
{
        int p[2];
        sector_feed s;
        atomic_bool cancel = false;

        /* The writer end stays open and silent: stopping must not hang. */
        assert_int_equal(pipe(p), 0);
        assert_int_equal(sector_feed_open(&s, p[0], 2448, 10, 64 * 2448, 1), 0);
        assert_int_equal(sector_feed_start(&s), 0);
        atomic_store(&cancel, true);
        assert_int_equal(sector_feed_wait(&s, 1, &cancel), 0);
        sector_feed_close(&s);
        close(p[0]);
        close(p[1]);
}

static void test_truncated_file_source(void **state)
{
        uint64_t sectors;
        int fd = album_image(RB_SECTOR_RAW, &sectors);
        sector_feed s;

        assert_int_equal(sector_feed_open(&s, fd, 2448, SKIP, 1 << 20, 26), 0);
        assert_int_equal(ftruncate(fd, (off_t)(SKIP + 1000) * 2448), 0);
        assert_int_equal(sector_feed_start(&s), 0);
        while (!atomic_load(&s.ended))
                sector_feed_wait(&s, (int64_t)sectors, NULL);
        assert_int_equal(atomic_load(&s.error), SECTOR_FEED_TRUNCATED);
        sector_feed_close(&s);
        close(fd);
}

static void test_file_shorter_than_the_skip(void **state)
{
        static uint8_t bytes[3 * 2448];
        int fd = memfd_create("short", MFD_CLOEXEC);
        sector_feed s;

        /* Three sectors, five to skip: nothing to write, said as such, and
         * nothing read past the end of the file. */
        assert_int_equal(write(fd, bytes, sizeof bytes), (ssize_t)sizeof bytes);
        assert_int_equal(sector_feed_open(&s, fd, 2448, 5, 64 * 2448, 1), 0);
        assert_true(s.mapped);
        assert_int_equal(sector_feed_start(&s), 0);
        while (!atomic_load(&s.ended))
                sector_feed_wait(&s, 1, NULL);
        assert_int_equal(atomic_load(&s.error), SECTOR_FEED_ENDED_EARLY);
        assert_int_equal(atomic_load(&s.available), 0);
        assert_int_equal(atomic_load(&s.total), 0);
        sector_feed_close(&s);
        close(fd);
}

static void test_sigbus_guard(void **state)
{
        long page = sysconf(_SC_PAGESIZE);
        int fd = memfd_create("guard", MFD_CLOEXEC);
        image_guard g;
        volatile const uint8_t *map;

        assert_int_equal(image_guard_install(), 0);
        assert_int_equal(ftruncate(fd, 4 * page), 0);
        assert_int_equal(pwrite(fd, "x", 1, 3 * page), 1);
        map = mmap(NULL, (size_t)(4 * page), PROT_READ, MAP_SHARED, fd, 0);
        assert_true(map != MAP_FAILED);
        assert_int_equal(image_guard_register(&g, (const void *)map, (size_t)(4 * page)), 0);
        assert_int_equal(map[3 * page], 'x');
        assert_false(image_guard_faulted(&g));
        /* The file shrinks under the mapping: the next touch past its end
         * would kill the process without the guard; it reads zero instead. */
        assert_int_equal(ftruncate(fd, page), 0);
        assert_int_equal(map[3 * page], 0);
        assert_true(image_guard_faulted(&g));
        image_guard_unregister(&g);
        munmap((void *)map, (size_t)(4 * page));
        close(fd);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_leadin_check_each_sector_type),
            cmocka_unit_test(test_leadin_check_refusals),
            cmocka_unit_test(test_mapped_file_source),
            cmocka_unit_test(test_pipe_source),
            cmocka_unit_test(test_pipe_failures),
            cmocka_unit_test(test_stop_while_a_pipe_gives_nothing),
            cmocka_unit_test(test_truncated_file_source),
            cmocka_unit_test(test_file_shorter_than_the_skip),
            cmocka_unit_test(test_sigbus_guard),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
