/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Connecting to rawburnd and turning D-Bus errors into words and exit statuses. */

#include <stdio.h>
#include <systemd/sd-bus.h>

#include "error-details.h"
#include "output.h"

#define _cleanup_(f) __attribute__((cleanup(f)))

/* The freedesktop interfaces rawburnd's objects implement besides its own
 * (rawburn-bus.h). */
#define OBJECT_MANAGER   "org.freedesktop.DBus.ObjectManager"
#define PROPERTIES_IFACE "org.freedesktop.DBus.Properties"

/* The system bus ($DBUS_SYSTEM_BUS_ADDRESS when set), with interactive
 * polkit authorization allowed when arg_ask_password. Returns 0 or a
 * negative errno. */
int bus_open(sd_bus **ret);
/* Says that the system bus cannot be reached; returns EXIT_NO_DAEMON. */
int report_bus_open_error(int r);

/*
 * Says what a failed call means (error-hints.c) on stderr, e.g.
 * "rawburnctl: sr0: the disc is not blank: insert …", then the daemon's
 * hint for the drive's sense when its message has one ("Hint: …");
 * --verbose adds the error name and the daemon's message (with its HRESULT
 * and sense); --json also prints {"event":"error",…} on stdout with the
 * sense and command parsed out of the message (error-details.h). drive may be NULL; what names
 * the call for errors without a hint ("PrepareMedia"). Returns the exit
 * status the error maps to.
 */
int report_bus_error(const char *drive, const char *what, const sd_bus_error *error, int r);
/* The sense, command and daemon hint of an error as members of an open JSON
 * object: sense ("03/73/03"), sense_key, asc, ascq, command (the opcode),
 * sense_hint; each only when the message has it. */
void error_details_json(const error_details *d, json_obj *j);

/* One entry of an a{sv} options dictionary being built (the array open):
 * key, and a basic value of the D-Bus type given ('b' takes an int). */
int bus_append_option(sd_bus_message *m, const char *key, char type, const void *value);

/* Writes the next complete value of m (any type; a variant as its content)
 * as JSON: dicts with string keys become objects, other arrays and structs
 * arrays, byte arrays arrays of numbers. */
int bus_message_write_json(sd_bus_message *m, FILE *f);
