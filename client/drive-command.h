/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The shape of eject, close-tray and cancel: [OPTIONS] [DRIVE], one method
 * call without arguments on the chosen drive, a line saying what happened. */

#include "drive-list.h"

typedef struct drive_method {
        const char *command;     /* "eject" */
        const char *description; /* for --help */
        const char *interface;
        const char *method;
        drive_pick pick;
        const char *done; /* printed after "sr0: " on success */
} drive_method;

int run_drive_method(int argc, char **argv, const drive_method *m);
