/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Who holds the drive, and whether the caller of a method may use it now:
 * exclusive access (IDiscRecorder2), a preparation (IDiscFormat2RawCD), an
 * erase or a read. Loop thread only. */

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "recorder.h"

/* Someone else holds the drive: exclusive access (IDiscRecorder2), a
 * preparation (IDiscFormat2RawCD) or an erase or read of another bus name. */
bool recorder_locked_by_other(Recorder *rec, sd_bus_message *m);
/* RecorderLocked naming the holder (or WriteInProgress while it writes). */
int recorder_reply_locked(Recorder *rec, sd_bus_error *error);

/*
 * May the caller do action (org.rawburn1.*)? 1 yes; 0 polkit is asked: the
 * method returns without replying and runs again from the top once polkit
 * has answered (polkit.h); < 0 refused, with error filled.
 */
int recorder_authorize(Recorder *rec, sd_bus_message *m, const char *action, sd_bus_error *error);

/* IOCTL_CDROM_EXCLUSIVE_ACCESS takes a short printable name; IMAPI2's client
 * names keep to that: 1 to 64 printable ASCII characters. */
bool client_name_valid(const char *s);

/* The drive is busy with an erase or a read outside a preparation (whoever
 * asked): RecorderLocked naming it, and true. */
bool recorder_busy(Recorder *rec, sd_bus_error *error);
