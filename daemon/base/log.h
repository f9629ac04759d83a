/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The daemon's one logging helper. Lines go to stderr with a syslog
 * priority prefix ("<3>"), which journald turns into the message priority
 * when the daemon runs under systemd, and which a person reads easily.
 */

#include <syslog.h>

void log_set_max_level(int level);
int log_get_max_level(void);

/* Logs and returns -abs(error), so that callers can write
 * `return log_error_errno(r, "...")`. error 0 just logs and returns 0. */
int log_full_errno(int level, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_debug(...)   log_full_errno(LOG_DEBUG, 0, __VA_ARGS__)
#define log_info(...)    log_full_errno(LOG_INFO, 0, __VA_ARGS__)
#define log_notice(...)  log_full_errno(LOG_NOTICE, 0, __VA_ARGS__)
#define log_warning(...) log_full_errno(LOG_WARNING, 0, __VA_ARGS__)
#define log_error(...)   log_full_errno(LOG_ERR, 0, __VA_ARGS__)

#define log_warning_errno(e, ...) log_full_errno(LOG_WARNING, (e), __VA_ARGS__)
#define log_error_errno(e, ...)   log_full_errno(LOG_ERR, (e), __VA_ARGS__)
#define log_debug_errno(e, ...)   log_full_errno(LOG_DEBUG, (e), __VA_ARGS__)
