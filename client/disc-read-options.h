/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The options image read and copy share: how the disc is read. */

#include <getopt.h>

#include "disc-read.h"

enum {
        OPT_ACCEPT_ERRORS = 0x1100, /* after rawburnctl.h's common options */
        OPT_RETRIES,
        OPT_READ_OFFSET,
        OPT_NO_READ_OFFSET,
};

#define DISC_READ_LONG_OPTIONS                                                                     \
        {"accept-errors", no_argument, NULL, OPT_ACCEPT_ERRORS},                                   \
            {"retries", required_argument, NULL, OPT_RETRIES},                                     \
            {"read-offset", required_argument, NULL, OPT_READ_OFFSET},                             \
        {                                                                                          \
                "no-read-offset", no_argument, NULL, OPT_NO_READ_OFFSET                            \
        }

#define DISC_READ_OPTIONS_HELP                                                                     \
        "      --accept-errors   copy sectors that stay unreadable as zeros (and list them)\n"     \
        "      --retries N       reads of a failing sector after the first (default 3)\n"          \
        "      --read-offset N   the drive's read offset in samples (+N: it delivers audio N\n"    \
        "                        samples late); default: its ReadOffset (quirks files)\n"          \
        "      --no-read-offset  the audio as the drive gives it\n"

#define DISC_READ_OPTIONS_INIT                                                                     \
        {                                                                                          \
                .retries = 3                                                                       \
        }

/* Takes option c of DISC_READ_LONG_OPTIONS: 0, -EINVAL (said on stderr) or
 * -ENOENT for another option. */
int disc_read_option(int c, const char *arg, disc_read_options *o);
