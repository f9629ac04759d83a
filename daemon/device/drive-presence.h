/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Whether a drive that just failed a command has been unplugged. The kernel
 * fails the command in flight (EIO, no sense) before it takes the device out
 * of sysfs and before udev's remove event reaches the loop thread, so a
 * worker that sees such a failure asks here, with a short grace period,
 * before it names the error.
 */

#include <stdbool.h>

#include "drive-error.h"

/* True when the block device behind fd leaves sysfs, or its SCSI device is
 * being deleted, within grace_ms. */
bool drive_presence_unplugged(int fd, unsigned grace_ms);

/* A command failure without sense on a drive that turns out to be unplugged
 * becomes DeviceNotExist, keeping what failed in the detail. Anything else
 * in e is left alone. */
void drive_error_settle_unplug(drive_error *e, int fd);
