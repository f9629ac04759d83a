/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <getopt.h>
#include <stdbool.h>

/* rawburnctl: one function per top-level subcommand; argv[0] is its name.
 * Each returns the process exit status (exit-status.h). */

int cmd_image(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_burn(int argc, char **argv);
int cmd_duplicate(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_image_read(int argc, char **argv);
int cmd_blank(int argc, char **argv);
int cmd_cancel(int argc, char **argv);
int cmd_eject(int argc, char **argv);
int cmd_close_tray(int argc, char **argv);
int cmd_drives(int argc, char **argv);

/* The options every bus subcommand takes (output.h has their variables). */
enum { OPT_JSON = 0x1000, OPT_NO_ASK_PASSWORD, OPT_VERBOSE };
#define COMMON_LONG_OPTIONS                                                                        \
        {"json", no_argument, NULL, OPT_JSON}, {"verbose", no_argument, NULL, OPT_VERBOSE},        \
        {                                                                                          \
                "no-ask-password", no_argument, NULL, OPT_NO_ASK_PASSWORD                          \
        }
/* Applies c if it is one of COMMON_LONG_OPTIONS (or -v); returns whether it was. */
bool common_option(int c);
#define COMMON_OPTIONS_HELP                                                                        \
        "  -v, --verbose          also show the daemon's own messages and SCSI sense\n"            \
        "      --json             JSON objects on standard output, one per line\n"                 \
        "      --no-ask-password  do not let polkit ask for a password\n"
