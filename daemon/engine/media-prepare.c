/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "media-prepare.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

void media_prepare(const prepare_request *req, prepare_outcome *out)
{
        int fd = req->fd;

        memset(out, 0, sizeof *out);
        if (drive_wait_ready(fd, req->ready_timeout_ms, &out->error) < 0 ||
            drive_check_blank_cd(fd, &out->media, &out->error) < 0 ||
            drive_set_raw_write_params(fd, &req->write_params, &out->error) < 0 ||
            drive_set_write_speed(fd, req->speed, req->pure_cav, &out->result, &out->error) < 0 ||
            drive_lock_tray(fd, true, &out->error) < 0)
                return;
        out->have_info = drive_probe_fd(fd, &out->info) == 0;
        out->ok = true;
}

void media_release(int fd, const char *name, bool eject)
{
        drive_error e = {0};

        if (fd < 0)
                return;
        if (drive_lock_tray(fd, false, &e) < 0)
                log_warning("%s: cannot unlock the tray: %s", name, e.detail);
        if (eject && drive_eject(fd, &e) < 0)
                log_warning("%s: cannot eject: %s", name, e.detail);
}
