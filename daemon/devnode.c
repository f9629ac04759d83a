/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "devnode.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t turns = PTHREAD_MUTEX_INITIALIZER;

/* umockdev's preload library finds its testbed through this variable. */
static bool under_umockdev(void)
{
        return getenv("UMOCKDEV_DIR") != NULL;
}

int devnode_open(const char *devnode, int flags)
{
        bool take_turns = under_umockdev();
        int fd, r;

        if (take_turns)
                pthread_mutex_lock(&turns);
        fd = open(devnode, flags | O_CLOEXEC);
        r = fd < 0 ? -errno : fd;
        if (take_turns)
                pthread_mutex_unlock(&turns);
        return r;
}

void devnode_close(int fd)
{
        bool take_turns = under_umockdev();

        if (fd < 0)
                return;
        if (take_turns)
                pthread_mutex_lock(&turns);
        close(fd);
        if (take_turns)
                pthread_mutex_unlock(&turns);
}
