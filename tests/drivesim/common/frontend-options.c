/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "frontend-options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ds-drive.h"

int ds_frontend_parse_fd(const char *arg, int *ret)
{
        char *end;
        long fd = strtol(arg, &end, 10);

        if (*end || end == arg || fd < 0 || fd > 65535)
                return -EINVAL;
        *ret = (int)fd;
        return 0;
}

int ds_frontend_check_spec(const char *program, const char *spec)
{
        ds_drive *d = NULL;
        char *error = NULL;
        int r = ds_drive_new(spec, "sr-check", NULL, &ds_clock_monotonic, &d, &error);

        if (r < 0) {
                fprintf(stderr, "%s: --drive %s: %s\n", program, spec,
                        error ? error : strerror(-r));
                free(error);
                return r;
        }
        ds_drive_free(d);
        return 0;
}

void ds_frontend_signal_ready(const char *program, int fd)
{
        static const char ready[] = "READY=1\n";

        if (fd < 0)
                return;
        if (write(fd, ready, sizeof ready - 1) < 0)
                fprintf(stderr, "%s: --ready-fd %d: %s\n", program, fd, strerror(errno));
        close(fd);
}
