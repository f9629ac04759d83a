/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Sets *msg (when msg is not NULL) to a malloc'd message and returns r: the one
 * way the model hands a person-readable reason back with an error code. */
int ds_message(char **msg, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
