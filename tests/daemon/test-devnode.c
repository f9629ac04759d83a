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
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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
        pid_t tid; /* the reader thread, once it runs */
        int fd;
} blocked_open;

static void *open_fifo_for_reading(void *userdata)
{
        blocked_open *b = userdata;

        __atomic_store_n(&b->tid, gettid(), __ATOMIC_RELEASE);
        b->fd = devnode_open(b->path, O_RDONLY); /* blocks until a writer comes */
        return NULL;
}

static void *open_dev_null(void *userdata)
{
        int *fd = userdata;

        *fd = devnode_open("/dev/null", O_RDONLY);
        return NULL;
}

/* Whether thread tid sleeps in openat(2): the kernel's own word, from the
 * syscall file (its first field is the number of the call it sleeps in). */
static bool sleeps_in_openat(pid_t tid)
{
        char path[64], line[128] = "";
        FILE *f;

        snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
        f = fopen(path, "re");
        if (!f)
                return false;
        if (!fgets(line, sizeof line, f))
                line[0] = '\0';
        fclose(f);
        return atol(line) == SYS_openat;
}

static void test_blocked_open_holds_up_no_other(void **state)
{
        char dir[] = "/tmp/test-devnode.XXXXXX", fifo[64];
        blocked_open b = {.fd = -1};
        pthread_t reader, other;
        struct timespec deadline;
        int null_fd = -1, writer, other_done;

        (void)state;
        assert_non_null(mkdtemp(dir));
        snprintf(fifo, sizeof fifo, "%s/fifo", dir);
        assert_int_equal(mkfifo(fifo, 0600), 0);
        b.path = fifo;
        assert_int_equal(pthread_create(&reader, NULL, open_fifo_for_reading, &b), 0);
        /* Until the reader is inside its blocking open() (with its turn taken,
         * were the turns taken here). */
        for (pid_t tid = 0; !tid || !sleeps_in_openat(tid);
             tid = __atomic_load_n(&b.tid, __ATOMIC_ACQUIRE))
                sched_yield();

        assert_int_equal(pthread_create(&other, NULL, open_dev_null, &null_fd), 0);
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += 10; /* a bound for a hang, not a measure */
        other_done = pthread_timedjoin_np(other, NULL, &deadline);

        /* Let the reader through (and so a held-up other open too) before judging. */
        writer = open(fifo, O_WRONLY | O_CLOEXEC);
        assert_true(writer >= 0);
        assert_int_equal(pthread_join(reader, NULL), 0);
        if (other_done != 0)
                assert_int_equal(pthread_join(other, NULL), 0);
        close(writer);
        unlink(fifo);
        rmdir(dir);
        assert_true(b.fd >= 0);
        devnode_close(b.fd);
        assert_true(null_fd >= 0);
        devnode_close(null_fd);
        assert_int_equal(other_done, 0); /* the other open ended while the reader waited */
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
