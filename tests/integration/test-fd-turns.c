/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * drivesim's fd-turns.so (tests/drivesim/frontend/fd-turns.c), run under
 *   drivesim --drive cdr80 (four times) -- test-fd-turns [ROUNDS]
 *
 * Four threads open, INQUIRE and close a drive each, over and over, with
 * plain open() and close(), as a multi-threaded program does (rawburnd's
 * probe workers, burn and release threads). Every descriptor must reach its
 * drive; none may fall through umockdev's emulation to the kernel (ENOTTY on
 * the plain file the node is). Without fd-turns.so, umockdev 0.17.16's
 * unlocked table of emulated descriptors lost 1 to 4 of 12,000 on this
 * 2-core machine when rawburnd took no turns (2 December 2026), and 4 of
 * 240,000 in three runs of 80,000 when this test was written; a daemon that
 * lost one while probing its drives at start-up reported "INQUIRY failed"
 * and failed LeakSanitizer.
 *
 * A race that rare proves little by its absence, so the turns themselves are
 * shown too, with no race to wait for: while one thread sleeps in an open()
 * of a /dev node (a FIFO in the testbed's /dev, with no writer yet), another
 * thread's close() must wait for its turn. And the program's open() and
 * close() must be fd-turns.so's.
 *
 * Without the library (drivesim ... -- env LD_PRELOAD=libumockdev-preload.so.0
 * test-fd-turns) the last two fail every time, and the first now and then.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <scsi/sg.h>
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
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "sg-client.h"

#define THREADS        4
#define DEFAULT_ROUNDS 3000

static unsigned rounds = DEFAULT_ROUNDS;

typedef struct round_counts {
        unsigned index;
        unsigned good;
        unsigned unemulated; /* the ioctl reached the kernel: ENOTTY */
        unsigned other;
        int first_error; /* an errno */
} round_counts;

static void note_error(round_counts *c, int error)
{
        c->other++;
        if (!c->first_error)
                c->first_error = error;
}

static void *open_inquire_close(void *userdata)
{
        static const uint8_t inquiry[6] = {0x12, 0, 0, 0, 36, 0};
        round_counts *c = userdata;
        char devnode[32];

        snprintf(devnode, sizeof devnode, "/dev/sr%u", c->index);
        for (unsigned i = 0; i < rounds; i++) {
                uint8_t reply[36];
                int fd = open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
                sg_result r;

                if (fd < 0) {
                        note_error(c, errno);
                        continue;
                }
                r = sg_send(fd, inquiry, sizeof inquiry, SG_DXFER_FROM_DEV, reply, sizeof reply, 32,
                            5000);
                if (r.ret == 0 && r.hdr.status == 0 && r.hdr.resid == 0)
                        c->good++;
                else if (r.ret < 0 && r.errno_ == ENOTTY)
                        c->unemulated++;
                else
                        note_error(c, r.ret < 0 ? r.errno_ : EIO);
                if (close(fd) < 0)
                        note_error(c, errno);
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
                                      strerror(counts[i].first_error));
        }
        print_message("%u threads x %u rounds: %u INQUIRYs answered, %u unemulated, %u other "
                      "failures\n",
                      THREADS, rounds, good, unemulated, other);
        assert_int_equal(unemulated, 0);
        assert_int_equal(other, 0);
        assert_int_equal(good, THREADS * rounds);
}

typedef struct task {
        const char *path;
        int fd;
        pid_t tid; /* once it runs */
        bool done;
} task;

static void started(task *t)
{
        __atomic_store_n(&t->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
}

static void *open_for_reading(void *userdata)
{
        task *t = userdata;

        started(t);
        t->fd = open(t->path, O_RDONLY | O_CLOEXEC); /* sleeps until a writer comes */
        __atomic_store_n(&t->done, true, __ATOMIC_RELEASE);
        return NULL;
}

static void *close_it(void *userdata)
{
        task *t = userdata;

        started(t);
        close(t->fd);
        __atomic_store_n(&t->done, true, __ATOMIC_RELEASE);
        return NULL;
}

/* The number of the system call thread tid sleeps in, the kernel's own word
 * (the first field of its syscall file); -1 when it runs or is gone. Read
 * with the system calls themselves: the wrappers under test are not to be
 * called here. */
static long sleeps_in(pid_t tid)
{
        char path[64], line[128] = "";
        ssize_t n;
        int fd;

        snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
        fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        n = read(fd, line, sizeof line - 1);
        syscall(SYS_close, fd);
        line[n > 0 ? n : 0] = '\0';
        return line[0] >= '0' && line[0] <= '9' ? atol(line) : -1;
}

/* Until t has started and either ended or sleeps in system call nr. */
static bool wait_ended_or_sleeping(task *t, long nr)
{
        for (;;) {
                pid_t tid = __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE);

                if (__atomic_load_n(&t->done, __ATOMIC_ACQUIRE))
                        return false;
                if (tid && sleeps_in(tid) == nr)
                        return true;
                sched_yield();
        }
}

static void test_close_waits_for_a_dev_open(void **state)
{
        char fifo[4096];
        task reader = {.path = "/dev/fd-turns-fifo", .fd = -1}, closer = {.fd = -1};
        pthread_t reader_thread, closer_thread;
        int pipe_fds[2], writer;
        bool closer_waited;

        (void)state;
        /* In the testbed's /dev, where umockdev sends an open of /dev/fd-turns-fifo. */
        snprintf(fifo, sizeof fifo, "%s/dev/fd-turns-fifo", getenv("UMOCKDEV_DIR"));
        assert_int_equal(mkfifo(fifo, 0600), 0);
        assert_int_equal(pipe(pipe_fds), 0);
        closer.fd = pipe_fds[0];

        assert_int_equal(pthread_create(&reader_thread, NULL, open_for_reading, &reader), 0);
        assert_true(wait_ended_or_sleeping(&reader, SYS_openat)); /* holding its turn */
        assert_int_equal(pthread_create(&closer_thread, NULL, close_it, &closer), 0);
        /* Taking turns, the closer sleeps on the turn (a futex); without, it is done. */
        closer_waited = wait_ended_or_sleeping(&closer, SYS_futex);

        /* A writer lets the reader through, and the closer after it. Opened with
         * the system call: umockdev's open() would wait for the reader's. */
        writer = (int)syscall(SYS_openat, AT_FDCWD, fifo, O_WRONLY | O_CLOEXEC);
        assert_true(writer >= 0);
        assert_int_equal(pthread_join(reader_thread, NULL), 0);
        assert_int_equal(pthread_join(closer_thread, NULL), 0);
        assert_true(reader.fd >= 0);
        close(reader.fd);
        close(writer);
        close(pipe_fds[1]);
        unlink(fifo);
        print_message("close() %s while open() of a /dev node slept\n",
                      closer_waited ? "waited" : "did not wait");
        assert_true(closer_waited);
}

/* The file that defines the function a call to name reaches first. */
static const char *library_of(const char *name)
{
        Dl_info info = {0};
        void *f = dlsym(RTLD_DEFAULT, name);

        return f && dladdr(f, &info) && info.dli_fname ? info.dli_fname : "";
}

static void test_calls_reach_fd_turns(void **state)
{
        (void)state;
        print_message("open() is %s's, close() %s's\n", library_of("open"), library_of("close"));
        assert_non_null(strstr(library_of("open"), "/fd-turns.so"));
        assert_non_null(strstr(library_of("close"), "/fd-turns.so"));
}

int main(int argc, char **argv)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_concurrent_opens_all_reach_the_drive),
            cmocka_unit_test(test_close_waits_for_a_dev_open),
            cmocka_unit_test(test_calls_reach_fd_turns),
        };

        if (argc > 2 || (argc == 2 && (rounds = (unsigned)atoi(argv[1])) == 0) ||
            !getenv("UMOCKDEV_DIR")) {
                fprintf(stderr, "usage: drivesim --drive cdr80 (x%d) -- %s [ROUNDS]\n", THREADS,
                        argv[0]);
                return 2;
        }
        return cmocka_run_group_tests(tests, NULL, NULL);
}
