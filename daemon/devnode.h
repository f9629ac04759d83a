/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Opening and closing a drive's /dev node, one at a time across all of the
 * daemon's threads (the loop, the probe and release workers, the burn
 * threads).
 *
 * An open or close of a device node is rare (a probe, a prepare, a release)
 * and never on a burn's hot path, so taking turns costs nothing. It is what
 * keeps rawburnd right under umockdev, which every test runs it on:
 * umockdev's preload library (0.17.16) records each emulated descriptor in a
 * table without a lock when open() returns and takes it out in close(). Two
 * workers opening drives at once could take the same slot: one descriptor
 * then goes unemulated (its INQUIRY fails with ENOTTY) and its record leaks.
 * tests/daemon/test-devnode.c shows both the race and that this cures it.
 */

/* open(2) of devnode with flags (O_CLOEXEC added): the descriptor, or a
 * negative errno. */
int devnode_open(const char *devnode, int flags);

/* close(2) of a descriptor devnode_open() returned; a negative fd is ignored. */
void devnode_close(int fd);
