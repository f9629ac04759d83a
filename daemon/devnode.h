/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Opening and closing a drive's /dev node. Under umockdev (drivesim, which
 * every test runs rawburnd on) the daemon's threads (the loop, the probe and
 * release workers, the burn threads) take turns: umockdev's preload library
 * (0.17.16) records each emulated descriptor in a table without a lock when
 * open() returns and takes it out in close(), so two workers opening drives
 * at once could take the same slot. One descriptor then goes unemulated (its
 * INQUIRY fails with ENOTTY) and its record leaks; tests/daemon/test-devnode.c
 * shows the race and that taking turns cures it.
 *
 * On a real kernel they do not take turns: opening a drive that is spinning
 * up or hung can block for seconds, and one drive must never hold up another
 * (or the loop thread's PrepareMedia and ReleaseMedia).
 */

/* open(2) of devnode with flags (O_CLOEXEC added): the descriptor, or a
 * negative errno. */
int devnode_open(const char *devnode, int flags);

/* close(2) of a descriptor devnode_open() returned; a negative fd is ignored. */
void devnode_close(int fd);
