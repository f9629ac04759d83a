/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "drive-presence.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* USB removal takes the device out within milliseconds of failing its last
 * command; the grace period only costs time on a drive that failed while
 * still attached, where the burn is lost anyway. */
#define UNPLUG_GRACE_MS 2000
#define POLL_MS         20

/* The SCSI states a device passes through on its way out (drivers/scsi's
 * scsi_device_set_state: "cancel" then "deleted"). */
static bool state_is_leaving(const char *state)
{
        return strncmp(state, "cancel", 6) == 0 || strncmp(state, "deleted", 7) == 0;
}

static bool gone_now(const char *devdir)
{
        char path[96], state[32] = "";
        FILE *f;

        if (access(devdir, F_OK) < 0)
                return errno == ENOENT;
        snprintf(path, sizeof path, "%s/device/state", devdir);
        f = fopen(path, "re");
        if (!f)
                return errno == ENOENT && access(devdir, F_OK) < 0;
        if (!fgets(state, sizeof state, f))
                state[0] = '\0';
        fclose(f);
        return state_is_leaving(state);
}

bool drive_presence_unplugged(int fd, unsigned grace_ms)
{
        struct stat st;
        char devdir[64];
        unsigned waited = 0;

        if (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode))
                return false; /* not a block device (the tests' model): nothing to ask */
        snprintf(devdir, sizeof devdir, "/sys/dev/block/%u:%u", major(st.st_rdev),
                 minor(st.st_rdev));
        /* Already gone, or never in this sysfs (an emulated device): the loop
         * thread's udev view decides instead (rawcd-flow.c). */
        if (access(devdir, F_OK) < 0)
                return false;
        for (;;) {
                if (gone_now(devdir))
                        return true;
                if (waited >= grace_ms)
                        return false;
                struct timespec ts = {0, POLL_MS * 1000000L};
                nanosleep(&ts, NULL);
                waited += POLL_MS;
        }
}

void drive_error_settle_unplug(drive_error *e, int fd)
{
        char detail[sizeof e->detail];

        if (!e->name || !e->from_command || e->has_sense || strcmp(e->name, "DeviceNotExist") == 0)
                return;
        if (!drive_presence_unplugged(fd, UNPLUG_GRACE_MS))
                return;
        snprintf(detail, sizeof detail, "%s", e->detail);
        drive_error_set(e, "DeviceNotExist", "the drive was unplugged (%s)", detail);
}
