/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "media-prepare.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

void media_prepare(const prepare_request *req, prepare_outcome *out)
{
        int fd = -1, r;

        memset(out, 0, sizeof *out);
        out->fd = -1;
        if (req->shared_fd >= 0) {
                /* The caller holds exclusive access already: a second O_EXCL
                 * open of ours would be refused. Ours to close. */
                fd = req->shared_fd;
                r = 0;
        } else {
                r = drive_open_exclusive(req->devnode, &fd);
        }
        if (r < 0) {
                drive_error_set(&out->error, r == -EBUSY ? "AccessDenied" : "DeviceNotExist",
                                r == -EBUSY ? "%s is in use by another program (mounted, or "
                                              "opened exclusively)"
                                            : "cannot open %s: %s",
                                req->devnode, strerror(-r));
                if (r != -EBUSY && r != -ENOENT && r != -ENODEV && r != -ENXIO)
                        out->error.name = "Fail";
                return;
        }

        if (drive_wait_ready(fd, req->ready_timeout_ms, &out->error) < 0 ||
            drive_check_blank_cd(fd, &out->media, &out->error) < 0 ||
            drive_set_raw_write_params(fd, &req->write_params, &out->error) < 0 ||
            drive_set_write_speed(fd, req->speed, req->pure_cav, &out->result, &out->error) < 0 ||
            drive_lock_tray(fd, true, &out->error) < 0) {
                close(fd);
                return;
        }
        out->have_info = drive_probe_fd(fd, &out->info) == 0;
        out->fd = fd;
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
        close(fd); /* and with it the flock */
}
