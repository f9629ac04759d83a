/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The bus face of a Recorder: org.rawburn1.DiscRecorder2 (the XML files in
 * dbus/ are the contract); org.rawburn1.DiscFormat2RawCD is rawcd-bus.h. */

#include <systemd/sd-bus.h>

#include "recorder.h"

extern const sd_bus_vtable recorder_vtable[];

/* PropertiesChanged for everything that follows the drive's media. */
void recorder_emit_changed(Recorder *r);
/* After recorder_hold() failed for call: -EBUSY while rawburnd's own probe
 * holds the drive makes the call wait for it (recorder_wait_for_probe()),
 * -EAGAIN (udev reading a new disc) for udev (hold_wait()), and returns 1,
 * the handler's "replied later"; otherwise the bus error (-EBUSY: another
 * program, a mount, cdrdao, a file manager, has the drive; -EAGAIN past
 * --ready-timeout: udev is not done yet) and r. */
int recorder_hold_error(Recorder *rec, sd_bus_message *call, int r, sd_bus_error *error);
/* Drops exclusive access whoever holds it (drive gone, owner gone, exit). */
void recorder_release_exclusive(Recorder *r);
