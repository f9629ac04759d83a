/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What drivesim's two front ends (umockdev and USB gadget) do alike with
 * their options: read --ready-fd, check each --drive SPEC before anything
 * is made (a typo costs no testbed, no gadget), and tell whoever started
 * them, on the --ready-fd descriptor, that the drives are there.
 * program names the front end in messages ("drivesim", "drivesim-usb").
 */

/* A descriptor number from --ready-fd: 0 and *ret, or -EINVAL. */
int ds_frontend_parse_fd(const char *arg, int *ret);

/* 0 when spec describes a drive, else a message on stderr and a negative
 * errno. */
int ds_frontend_check_spec(const char *program, const char *spec);

/* Writes "READY=1\n" to fd and closes it; fd < 0 does nothing. */
void ds_frontend_signal_ready(const char *program, int fd);
