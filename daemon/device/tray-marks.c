/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tray-marks.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drive-ops.h"
#include "log.h"

#define PREFIX "locked-"

static char marks_dir[PATH_MAX];

int tray_marks_init(const char *dir)
{
        const char *env = getenv("RUNTIME_DIRECTORY");

        /* systemd may list several directories, separated by ':'. */
        if (!dir && env && *env) {
                size_t n = strcspn(env, ":");

                snprintf(marks_dir, sizeof marks_dir, "%.*s", (int)n, env);
        } else {
                snprintf(marks_dir, sizeof marks_dir, "%s", dir ? dir : "/run/rawburnd");
        }
        if (mkdir(marks_dir, 0755) < 0 && errno != EEXIST) {
                int r = -errno;

                log_warning_errno(r,
                                  "Cannot use %s for tray marks: a tray locked when rawburnd "
                                  "is killed stays locked",
                                  marks_dir);
                marks_dir[0] = '\0';
                return r;
        }
        return 0;
}

static bool mark_path(const char *name, char *path, size_t size)
{
        if (!marks_dir[0] || strchr(name, '/'))
                return false;
        return (size_t)snprintf(path, size, "%.3000s/" PREFIX "%.64s", marks_dir, name) < size;
}

void tray_mark_set(const char *name, const char *devnode)
{
        char path[PATH_MAX];
        FILE *f;

        if (!mark_path(name, path, sizeof path))
                return;
        f = fopen(path, "we");
        if (!f || fprintf(f, "%s\n", devnode) < 0 || fclose(f) != 0) {
                log_warning("Cannot write the tray mark %s: %s", path, strerror(errno));
                return;
        }
}

void tray_mark_clear(const char *name)
{
        char path[PATH_MAX];

        if (mark_path(name, path, sizeof path) && unlink(path) < 0 && errno != ENOENT)
                log_warning("Cannot remove the tray mark %s: %s", path, strerror(errno));
}

bool tray_mark_take(const char *name)
{
        char path[PATH_MAX];

        if (!mark_path(name, path, sizeof path) || access(path, F_OK) < 0)
                return false;
        tray_mark_clear(name);
        return true;
}

static int unlock_one(const char *path)
{
        char devnode[PATH_MAX] = "";
        drive_error e = {0};
        FILE *f = fopen(path, "re");
        int fd, r;

        if (!f)
                return -errno;
        if (!fgets(devnode, sizeof devnode, f)) {
                fclose(f);
                return -EBADMSG;
        }
        fclose(f);
        devnode[strcspn(devnode, "\n")] = '\0';
        /* Read-write: the kernel lets only a descriptor open for writing send
         * PREVENT ALLOW MEDIUM REMOVAL (scsi_cmd_allowed()); without
         * CAP_SYS_RAWIO a read-only one gets EPERM. */
        fd = open(devnode, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = drive_lock_tray(fd, false, &e);
        close(fd);
        if (r < 0)
                log_warning("Cannot unlock the tray of %s: %s", devnode, e.detail);
        else
                log_info("Unlocked the tray of %s, left locked by a rawburnd that did not stop "
                         "cleanly",
                         devnode);
        return r;
}

int tray_marks_unlock_all(void)
{
        DIR *d;
        struct dirent *de;
        int failed = 0;

        if (!marks_dir[0] || !(d = opendir(marks_dir)))
                return 0;
        while ((de = readdir(d))) {
                char path[PATH_MAX];

                if (strncmp(de->d_name, PREFIX, strlen(PREFIX)) != 0)
                        continue;
                snprintf(path, sizeof path, "%.3000s/%.255s", marks_dir, de->d_name);
                if (unlock_one(path) < 0)
                        failed++;
                (void)unlink(path);
        }
        closedir(d);
        return failed;
}
