/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * LD_PRELOAD helper for programs run under drivesim that dup() the device
 * descriptor and send ioctls on the copy (cdparanoia: SG_EMULATED_HOST and
 * SG_IO on a dup of /dev/srN). umockdev 0.17.16 emulates ioctls only on the
 * descriptor its open() returned, so the copy would reach the real kernel.
 * A real kernel treats both descriptors as the same open file; this does
 * the same: ioctl() on a duplicate goes to the descriptor it was made from.
 * Load it before umockdev's preload library:
 *     LD_PRELOAD=dup-ioctl.so:$LD_PRELOAD cdparanoia -d /dev/sr0 -Q
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_FD 4096

static int origin[MAX_FD]; /* origin fd + 1, 0 = not a duplicate */

static int root(int fd)
{
        return fd >= 0 && fd < MAX_FD && origin[fd] ? origin[fd] - 1 : fd;
}

static int note(int old, int fd)
{
        if (fd >= 0 && fd < MAX_FD && fd != old)
                origin[fd] = root(old) + 1;
        return fd;
}

static void forget(int fd)
{
        if (fd >= 0 && fd < MAX_FD)
                origin[fd] = 0;
        for (int i = 0; i < MAX_FD; i++) /* copies of a closed descriptor stay copies of nothing */
                if (origin[i] == fd + 1)
                        origin[i] = 0;
}

int dup(int fd)
{
        static int (*real)(int);
        if (!real)
                real = (int (*)(int))dlsym(RTLD_NEXT, "dup");
        return note(fd, real(fd));
}

int dup2(int fd, int fd2)
{
        static int (*real)(int, int);
        if (!real)
                real = (int (*)(int, int))dlsym(RTLD_NEXT, "dup2");
        if (fd2 != fd)
                forget(fd2);
        return note(fd, real(fd, fd2));
}

int dup3(int fd, int fd2, int flags)
{
        static int (*real)(int, int, int);
        if (!real)
                real = (int (*)(int, int, int))dlsym(RTLD_NEXT, "dup3");
        forget(fd2);
        return note(fd, real(fd, fd2, flags));
}

int fcntl(int fd, int cmd, ...)
{
        static int (*real)(int, int, ...);
        if (!real)
                real = (int (*)(int, int, ...))dlsym(RTLD_NEXT, "fcntl");
        va_list ap;
        va_start(ap, cmd);
        void *arg = va_arg(ap, void *);
        va_end(ap);
        int r = real(fd, cmd, arg);
        return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC ? note(fd, r) : r;
}

int ioctl(int fd, unsigned long request, ...)
{
        static int (*real)(int, unsigned long, ...);
        if (!real)
                real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
        va_list ap;
        va_start(ap, request);
        void *arg = va_arg(ap, void *);
        va_end(ap);
        return real(root(fd), request, arg);
}

int close(int fd)
{
        static int (*real)(int);
        if (!real)
                real = (int (*)(int))dlsym(RTLD_NEXT, "close");
        forget(fd);
        return real(fd);
}
