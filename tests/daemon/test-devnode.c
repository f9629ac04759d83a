/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devnode_open() and devnode_close() (daemon/devnode.h), run twice by
 * meson.build:
 *
 * "umockdev": under drivesim with four drives, four threads open, INQUIRE
 * and close a drive each, over and over, as rawburnd's probe workers, burn
 * and release threads do. Every descriptor must reach the drive; none may
 * fall through umockdev's emulation to the kernel (ENOTTY on a plain file).
 * With plain open()/close() in the same loop, 1 to 4 of the 12,000 INQUIRYs
 * failed with ENOTTY on this 2-core machine; a daemon that lost one while
 * probing its drives at start-up reported "INQUIRY failed" and
 * LeakSanitizer failed its test.
 *
 * "kernel": without umockdev, an open that blocks (a FIFO with no writer
 * stands in for a drive spinning up) must not hold up another thread's open.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "devnode.h"
#include "mmc.h"
#include "sgio.h"

#define THREADS           4
#define ROUNDS_PER_THREAD 3000

typedef struct round_counts {
        unsigned index;
        unsigned good;
        unsigned unemulated; /* the ioctl reached the kernel: ENOTTY */
        unsigned other;
        int first_error;
} round_counts;

static void *open_inquire_close(void *userdata)
{
        round_counts *c = userdata;
        char devnode[32];

        snprintf(devnode, sizeof devnode, "/dev/sr%u", c->index);
        for (unsigned i = 0; i < ROUNDS_PER_THREAD; i++) {
                uint8_t cdb[6], reply[36];
                sgio_result res;
                size_t n = mmc_cdb_inquiry(cdb, sizeof reply);
                int fd = devnode_open(devnode, O_RDONLY | O_NONBLOCK), r;

                if (fd < 0) {
                        c->other++;
                        c->first_error = c->first_error ? c->first_error : fd;
                        continue;
                }
                r = sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, reply, sizeof reply, 5000, &res);
                if (r == 0 && res.transferred >= 36)
                        c->good++;
                else if (r == -ENOTTY)
                        c->unemulated++;
                else {
                        c->other++;
                        c->first_error = c->first_error ? c->first_error : r;
                }
                devnode_close(fd);
        }
        return NULL;
}

static void test_concurrent_opens_all_reach_the_drive(void **state)
{
        pthread_t threads[THREADS];
        round_counts counts[THREADS] = {0};
        unsigned good = 0, unemulated = 0, other = 0;

        (void)state;
        for (unsigned i = 0; i < THREADS; i++) {
                counts[i].index = i;
                assert_int_equal(pthread_create(&threads[i], NULL, open_inquire_close, &counts[i]),
                                 0);
        }
        for (unsigned i = 0; i < THREADS; i++) {
                assert_int_equal(pthread_join(threads[i], NULL), 0);
                good += counts[i].good;
                unemulated += counts[i].unemulated;
                other += counts[i].other;
                if (counts[i].first_error)
                        print_message("sr%u: first failure %s\n", i,
                                      strerror(-counts[i].first_error));
        }
        print_message("%u INQUIRYs answered, %u unemulated, %u other failures\n", good, unemulated,
                      other);
        assert_int_equal(unemulated, 0);
        assert_int_equal(other, 0);
        assert_int_equal(good, THREADS * ROUNDS_PER_THREAD);
}

static void test_open_error_is_negative_errno(void **state)
{
        (void)state;
        assert_int_equal(devnode_open("/dev/sr-none", O_RDONLY | O_NONBLOCK), -ENOENT);
        devnode_close(-1); /* ignored, as the header says */
}

typedef struct blocked_open {
        const char *path;
        volatile int started;
        int fd;
} blocked_open;

static void *open_fifo_for_reading(void *userdata)
{
        blocked_open *b = userdata;

        b->started = 1;
        b->fd = devnode_open(b->path, O_RDONLY); /* blocks until a writer comes */
        return NULL;
}

static void *open_dev_null(void *userdata)
{
        int *fd = userdata;

        *fd = devnode_open("/dev/null", O_RDONLY);
        return NULL;
}

static void test_blocked_open_holds_up_no_other(void **state)
{
        char dir[] = "/tmp/test-devnode.XXXXXX", fifo[64];
        blocked_open b = {.fd = -1};
        pthread_t reader, other;
        struct timespec deadline;
        int null_fd = -1, writer;

        (void)state;
        assert_non_null(mkdtemp(dir));
        snprintf(fifo, sizeof fifo, "%s/fifo", dir);
        assert_int_equal(mkfifo(fifo, 0600), 0);
        b.path = fifo;
        assert_int_equal(pthread_create(&reader, NULL, open_fifo_for_reading, &b), 0);
        while (!b.started)
                usleep(1000);
        usleep(100 * 1000); /* let it reach the blocking open() */

        assert_int_equal(pthread_create(&other, NULL, open_dev_null, &null_fd), 0);
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += 10;
        assert_int_equal(pthread_timedjoin_np(other, NULL, &deadline), 0);
        assert_true(null_fd >= 0);
        devnode_close(null_fd);

        /* Let the reader through. */
        writer = open(fifo, O_WRONLY | O_CLOEXEC);
        assert_true(writer >= 0);
        assert_int_equal(pthread_join(reader, NULL), 0);
        assert_true(b.fd >= 0);
        devnode_close(b.fd);
        close(writer);
        unlink(fifo);
        rmdir(dir);
}

int main(int argc, char **argv)
{
        const struct CMUnitTest under_umockdev[] = {
            cmocka_unit_test(test_concurrent_opens_all_reach_the_drive),
            cmocka_unit_test(test_open_error_is_negative_errno),
        };
        const struct CMUnitTest on_the_kernel[] = {
            cmocka_unit_test(test_blocked_open_holds_up_no_other),
            cmocka_unit_test(test_open_error_is_negative_errno),
        };

        if (argc == 2 && strcmp(argv[1], "umockdev") == 0 && getenv("UMOCKDEV_DIR"))
                return cmocka_run_group_tests(under_umockdev, NULL, NULL);
        if (argc == 2 && strcmp(argv[1], "kernel") == 0 && !getenv("UMOCKDEV_DIR"))
                return cmocka_run_group_tests(on_the_kernel, NULL, NULL);
        fprintf(stderr, "usage: drivesim ... -- %s umockdev | %s kernel (without drivesim)\n",
                argv[0], argv[0]);
        return 2;
}
