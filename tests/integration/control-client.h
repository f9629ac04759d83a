/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A client of drivesim's control socket for the integration tests. */

#include <stdbool.h>

typedef struct ctl ctl;

/* Connects and reads the greeting; NULL (with a message on stderr) on failure. */
ctl *ctl_connect(const char *path);
void ctl_close(ctl *c);

/*
 * Sends one command line; returns true for "OK", false for "ERR …". The reply
 * text (the lines before OK, or the ERR message) goes to *reply, malloc'd,
 * when reply is not NULL.
 */
bool ctl_command(ctl *c, const char *line, char **reply);
