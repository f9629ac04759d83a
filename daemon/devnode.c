/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "devnode.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t devnode_lock = PTHREAD_MUTEX_INITIALIZER;

int devnode_open(const char *devnode, int flags)
{
        int fd, r;

        pthread_mutex_lock(&devnode_lock);
        fd = open(devnode, flags | O_CLOEXEC);
        r = fd < 0 ? -errno : fd;
        pthread_mutex_unlock(&devnode_lock);
        return r;
}

void devnode_close(int fd)
{
        if (fd < 0)
                return;
        pthread_mutex_lock(&devnode_lock);
        close(fd);
        pthread_mutex_unlock(&devnode_lock);
}
