/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Calls that found their drive held by udev for a moment wait for it to let
 * go. After a disc change, udev's worker holds a shared flock on the drive's
 * node while cdrom_id reads the disc (systemd's BLOCK_DEVICE_LOCKING: the
 * program that wants the drive waits until udev is done), so a PrepareMedia
 * sent as the disc goes in would otherwise be refused as if another program
 * owned the drive. Each call is kept with its polkit answer and runs again
 * from the top every HOLD_WAIT_POLL_MS, until its hold is taken, fails for
 * another reason, or --ready-timeout has passed since it first met udev.
 * Loop thread only.
 */

#include <systemd/sd-bus.h>

#include "daemon.h"

#define HOLD_WAIT_POLL_MS 100

typedef struct hold_waits hold_waits;

int hold_waits_new(Daemon *d, hold_waits **ret);
/* Answers the calls still waiting (rawburnd is stopping) and frees it all
 * once the loop has closed its timer. */
void hold_waits_free(hold_waits *w);

/* call met drive_open_exclusive()'s -EAGAIN on rec: 1 when it waits (the
 * handler returns without replying), 0 when it has waited --ready-timeout
 * already (the handler answers it with the error), or a negative errno. */
int hold_wait(hold_waits *w, Recorder *rec, sd_bus_message *call);
