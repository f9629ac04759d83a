/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The control socket's language (docs/drivesim.md, "Control socket"), shared by drivesim's
 * front ends (umockdev, USB): one command per line, answered by zero or more lines and a
 * last "OK" or "ERR MESSAGE". The front end supplies the drives; this file reads the line
 * and formats the answer. No GLib: the USB front end does without it.
 */

typedef struct dsc_frontend_ops {
        /* "NAME DEVNODE SG-DEVNODE SYSPATH" lines. */
        int (*list)(void *userdata, char **reply);
        /* Plugs a new drive in; the reply is its kernel name. */
        int (*add)(void *userdata, const char *spec, char **reply);
        /* Unplugs the drive; -ENOENT when there is none of that name. */
        int (*remove)(void *userdata, const char *name, char **reply);
        /* A command for one drive (ds_drive_control); -ENOENT with no reply when there is
         * no drive of that name. */
        int (*drive)(void *userdata, const char *name, const char *line, char **reply);
} dsc_frontend_ops;

/* The "help" text. */
extern const char dsc_control_help[];

/* Runs one line; returns 0 or -errno and a malloc'd reply text (never NULL). */
int dsc_control_execute(const dsc_frontend_ops *ops, void *userdata, const char *line,
                        char **reply);

/* What goes back on the socket for a result: the reply's lines and "OK", or one "ERR …"
 * line. malloc'd; NULL when out of memory. */
char *dsc_control_format(int r, const char *reply);
