/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Runs under drivesim with four drives (meson.build): four threads open,
 * INQUIRE and close a drive each, over and over, through devnode_open() and
 * devnode_close() as rawburnd's probe workers, burn and release threads do.
 * Every descriptor must reach the drive; none may fall through umockdev's
 * emulation to the kernel (ENOTTY on a plain file).
 *
 * Why it exists: umockdev's preload library registers emulated descriptors
 * without a lock (daemon/devnode.h). With plain open()/close() in the same
 * loop, 1 to 4 of the 12,000 INQUIRYs failed with ENOTTY on this 2-core
 * machine; a daemon that lost one while probing its drives at start-up
 * reported "INQUIRY failed" and LeakSanitizer failed its test.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_concurrent_opens_all_reach_the_drive),
            cmocka_unit_test(test_open_error_is_negative_errno),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
