/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* rawburnctl: one function per top-level subcommand; argv[0] is its name.
 * Each returns the process exit status. */

int cmd_image(int argc, char **argv);
int cmd_drives(int argc, char **argv);
