/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* drive_open_exclusive() against the flocks of systemd's BLOCK_DEVICE_LOCKING,
 * on a real file: nobody's, udev's shared lock (wait: -EAGAIN), another
 * program's exclusive one (-EBUSY), and a refusal that takes nothing away. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "drive-ops.h"

static char path[] = "/tmp/test-drive-open.XXXXXX";

static int make_node(void **state)
{
        int fd = mkstemp(path);

        if (fd < 0)
                return -1;
        close(fd);
        return 0;
}

static int remove_node(void **state)
{
        unlink(path);
        return 0;
}

static int lock_from_elsewhere(int how)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        assert_true(fd >= 0);
        assert_int_equal(flock(fd, how | LOCK_NB), 0);
        return fd;
}

static void test_nobody_holds_it(void **state)
{
        int fd = -1;

        assert_int_equal(drive_open_exclusive(path, &fd), 0);
        assert_true(fd >= 0);
        /* Taken: another BLOCK_DEVICE_LOCKING user is kept out, udev too. */
        int other = open(path, O_RDONLY | O_CLOEXEC);
        assert_int_equal(flock(other, LOCK_SH | LOCK_NB), -1);
        assert_int_equal(errno, EWOULDBLOCK);
        close(other);
        close(fd);
}

static void test_udev_shared_lock_is_a_wait(void **state)
{
        int udev = lock_from_elsewhere(LOCK_SH), udev2 = lock_from_elsewhere(LOCK_SH);
        int fd = -1;

        assert_int_equal(drive_open_exclusive(path, &fd), -EAGAIN);
        assert_int_equal(fd, -1);
        close(udev);
        /* Still one shared holder: still a wait. */
        assert_int_equal(drive_open_exclusive(path, &fd), -EAGAIN);
        close(udev2);
        assert_int_equal(drive_open_exclusive(path, &fd), 0);
        close(fd);
}

static void test_exclusive_holder_is_busy_and_keeps_it(void **state)
{
        int owner = lock_from_elsewhere(LOCK_EX), fd = -1, probe;

        assert_int_equal(drive_open_exclusive(path, &fd), -EBUSY);
        assert_int_equal(fd, -1);
        /* The owner's lock is untouched by the attempt: others are still kept out. */
        probe = open(path, O_RDONLY | O_CLOEXEC);
        assert_int_equal(flock(probe, LOCK_SH | LOCK_NB), -1);
        close(probe);
        close(owner);
        assert_int_equal(drive_open_exclusive(path, &fd), 0);
        close(fd);
}

static void test_a_refused_wait_leaves_no_lock_behind(void **state)
{
        int udev = lock_from_elsewhere(LOCK_SH), fd = -1, owner;

        assert_int_equal(drive_open_exclusive(path, &fd), -EAGAIN);
        close(udev);
        /* rawburnd's own shared probe went with its descriptor: an exclusive
         * lock is free for the next taker. */
        owner = lock_from_elsewhere(LOCK_EX);
        close(owner);
}

static void test_missing_node(void **state)
{
        int fd = -1;

        assert_int_equal(drive_open_exclusive("/nonexistent/sr9", &fd), -ENOENT);
        assert_int_equal(fd, -1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_nobody_holds_it),
            cmocka_unit_test(test_udev_shared_lock_is_a_wait),
            cmocka_unit_test(test_exclusive_holder_is_busy_and_keeps_it),
            cmocka_unit_test(test_a_refused_wait_leaves_no_lock_behind),
            cmocka_unit_test(test_missing_node),
        };
        return cmocka_run_group_tests(tests, make_node, remove_node);
}
