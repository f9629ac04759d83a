/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fd-turns.so: drivesim preloads it in front of umockdev's preload library
 * into every program it runs (and into itself), so that a program's threads
 * take turns at umockdev's table of emulated descriptors.
 *
 * Why: umockdev's preload library (0.17.16; upstream has not changed this
 * since) records each emulated descriptor in a fixed table without a lock:
 * open(), open64(), their fortified __open_2()/__open64_2() and
 * fopen()/fopen64() of a "/dev/" path add a slot, socket(AF_NETLINK) adds
 * one to a second table, and every close() and fclose() looks the
 * descriptor up in both and removes its slot. Two threads doing that at once
 * can take the same slot: one descriptor then goes unemulated (its ioctls
 * reach the kernel and fail with ENOTTY) and its record leaks. A real kernel
 * has no such race, so the cure belongs to the emulator, not to the programs.
 *
 * Each wrapper below holds one process-wide mutex around the call into
 * umockdev's (RTLD_NEXT) and nothing else. Opens of other paths and other
 * sockets take no turn: umockdev leaves its tables alone for them, and such
 * an open may block (a FIFO with no writer) where no close should wait for
 * it. Ioctls take no turn either: with adds and removes in turn, the lookup
 * an ioctl makes can only meet its own slot; and a drive's WRITE may take as
 * long as its pacing says without holding up another drive. umockdev 0.17.16
 * wraps neither openat() (it emulates no ioctls on what openat() returns)
 * nor dup(); tests/image/dup-ioctl.c is the help for the latter.
 *
 * Not instrumented (meson.build): it is preloaded into programs built
 * without the sanitizers. tests/integration/test-fd-turns.c is its proof.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#undef _FILE_OFFSET_BITS /* open and open64 are two symbols here, as in libc */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* Recursive: a signal handler that closes a descriptor while its thread is
 * inside a wrapper goes on as it would without this library, not deadlock. */
static pthread_mutex_t turns = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

static struct {
        int (*open)(const char *, int, ...);
        int (*open64)(const char *, int, ...);
        int (*open_2)(const char *, int);
        int (*open64_2)(const char *, int);
        FILE *(*fopen)(const char *, const char *);
        FILE *(*fopen64)(const char *, const char *);
        int (*socket)(int, int, int);
        int (*close)(int);
        int (*fclose)(FILE *);
} next;

static pthread_once_t next_once = PTHREAD_ONCE_INIT;

static void child_after_fork(void)
{
        /* The child has only the thread that forked; a turn another thread
         * held when it forked is nobody's there. */
        turns = (pthread_mutex_t)PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
}

static void find_next(void)
{
        next.open = dlsym(RTLD_NEXT, "open");
        next.open64 = dlsym(RTLD_NEXT, "open64");
        next.open_2 = dlsym(RTLD_NEXT, "__open_2");
        next.open64_2 = dlsym(RTLD_NEXT, "__open64_2");
        next.fopen = dlsym(RTLD_NEXT, "fopen");
        next.fopen64 = dlsym(RTLD_NEXT, "fopen64");
        next.socket = dlsym(RTLD_NEXT, "socket");
        next.close = dlsym(RTLD_NEXT, "close");
        next.fclose = dlsym(RTLD_NEXT, "fclose");
        pthread_atfork(NULL, NULL, child_after_fork);
}

/* Whether umockdev's open would record the descriptor: it emulates ioctls
 * only on paths that start with "/dev/", exactly so. */
static bool in_table(const char *path)
{
        return path && strncmp(path, "/dev/", 5) == 0;
}

static bool take_turn(bool needed)
{
        pthread_once(&next_once, find_next);
        if (needed)
                pthread_mutex_lock(&turns);
        return needed;
}

static void end_turn(bool taken)
{
        if (taken)
                pthread_mutex_unlock(&turns);
}

/* open(2)'s mode argument is there only with O_CREAT or O_TMPFILE. */
static mode_t mode_of(int flags, va_list ap)
{
        return flags & (O_CREAT | O_TMPFILE) ? va_arg(ap, mode_t) : 0;
}

int open(const char *path, int flags, ...)
{
        va_list ap;
        va_start(ap, flags);
        mode_t mode = mode_of(flags, ap);
        va_end(ap);
        bool t = take_turn(in_table(path));
        int r = next.open(path, flags, mode);
        end_turn(t);
        return r;
}

int open64(const char *path, int flags, ...)
{
        va_list ap;
        va_start(ap, flags);
        mode_t mode = mode_of(flags, ap);
        va_end(ap);
        bool t = take_turn(in_table(path));
        int r = next.open64(path, flags, mode);
        end_turn(t);
        return r;
}

int __open_2(const char *path, int flags);
int __open_2(const char *path, int flags)
{
        bool t = take_turn(in_table(path));
        int r = next.open_2(path, flags);
        end_turn(t);
        return r;
}

int __open64_2(const char *path, int flags);
int __open64_2(const char *path, int flags)
{
        bool t = take_turn(in_table(path));
        int r = next.open64_2(path, flags);
        end_turn(t);
        return r;
}

FILE *fopen(const char *path, const char *mode)
{
        bool t = take_turn(in_table(path));
        FILE *f = next.fopen(path, mode);
        end_turn(t);
        return f;
}

FILE *fopen64(const char *path, const char *mode)
{
        bool t = take_turn(in_table(path));
        FILE *f = next.fopen64(path, mode);
        end_turn(t);
        return f;
}

int socket(int domain, int type, int protocol)
{
        bool t = take_turn(domain == AF_NETLINK);
        int r = next.socket(domain, type, protocol);
        end_turn(t);
        return r;
}

/* Every close takes a turn: umockdev looks every descriptor up, and a slot
 * being filled for another thread can match a number closed here. */
int close(int fd)
{
        bool t = take_turn(true);
        int r = next.close(fd);
        end_turn(t);
        return r;
}

int fclose(FILE *f)
{
        bool t = take_turn(true);
        int r = next.fclose(f);
        end_turn(t);
        return r;
}
