/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Connecting to rawburnd and turning D-Bus errors into words and exit statuses. */

#include <stdio.h>
#include <systemd/sd-bus.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* The system bus ($DBUS_SYSTEM_BUS_ADDRESS when set), with interactive
 * polkit authorization allowed when arg_ask_password. Returns 0 or a
 * negative errno. */
int bus_open(sd_bus **ret);
/* Says that the system bus cannot be reached; returns EXIT_NO_DAEMON. */
int report_bus_open_error(int r);

/*
 * Says what a failed call means (error-hints.c) on stderr, e.g.
 * "rawburnctl: sr0: the disc is not blank: insert …"; --verbose adds the
 * error name and the daemon's message (with its HRESULT and sense); --json
 * also prints {"event":"error",…} on stdout. drive may be NULL; what names
 * the call for errors without a hint ("PrepareMedia"). Returns the exit
 * status the error maps to.
 */
int report_bus_error(const char *drive, const char *what, const sd_bus_error *error, int r);

/* Writes the next complete value of m (any type; a variant as its content)
 * as JSON: dicts with string keys become objects, other arrays and structs
 * arrays, byte arrays arrays of numbers. */
int bus_message_write_json(sd_bus_message *m, FILE *f);
