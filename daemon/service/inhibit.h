/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A logind "block" inhibitor for sleep and shutdown (and the suspend key and
 * lid switch) while a disc is being
 * written (IMAPI2 asks applications to keep the system awake during a burn;
 * systemd-logind is how a Linux service does it). Asked asynchronously;
 * without logind the burn goes ahead and the log says so.
 */

#include <systemd/sd-bus.h>

/* fd: the inhibitor (close it to let go), or -errno when none was had. */
typedef void (*inhibit_done_fn)(int fd, void *userdata);

/* who: the application on whose behalf (the client name), why: in words.
 * done runs exactly once, from the bus loop. */
int inhibit_take(sd_bus *bus, const char *who, const char *why, inhibit_done_fn done,
                 void *userdata);
