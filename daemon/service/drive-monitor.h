/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Finds optical drives with libudev (block devices with ID_CDROM=1) at start
 * and follows add/remove/change uevents on the loop. Devices that udev has not
 * "initialized" (no udev database entry yet, or drivesim's emulated drives) are
 * taken as they are: their properties come from the uevent itself.
 */

#include "recorder.h"

int drive_monitor_start(Daemon *d, drive_monitor **ret);
void drive_monitor_stop(drive_monitor *m);
