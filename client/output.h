/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * How rawburnctl talks: messages to stderr prefixed "rawburnctl: ", the
 * --verbose details, and line-delimited JSON objects on stdout for --json
 * (one object per line, flushed at once so a script sees each event as it
 * happens).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Global options (rawburnctl.c), also accepted after the subcommand. */
extern bool arg_verbose;      /* the daemon's messages and sense, debug notes */
extern bool arg_json;         /* JSON lines on stdout instead of text */
extern bool arg_ask_password; /* let polkit ask for a password (default on a terminal) */

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with --verbose. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A JSON object being written: json_open(), fields, json_close(). */
typedef struct json_obj {
        FILE *f;
        bool first;
} json_obj;

void json_string(FILE *f, const char *s); /* a quoted, escaped string; NULL → null */
void json_open(json_obj *j, FILE *f);
void json_key(json_obj *j, const char *key); /* then write the value yourself */
void json_str(json_obj *j, const char *key, const char *value);
void json_int(json_obj *j, const char *key, int64_t value);
/* value, or null when it is not known (known false). */
void json_int_if(json_obj *j, const char *key, bool known, int64_t value);
void json_bool(json_obj *j, const char *key, bool value);
/* A number; null when value is negative (unknown) or not finite. */
void json_num(json_obj *j, const char *key, double value, int decimals);
void json_close(json_obj *j);
/* Ends the line of a top-level object and flushes. */
void json_end_line(FILE *f);

/* The first line of a JSON event: {"event":NAME,"drive":DRIVE (when not NULL), … */
void json_event(json_obj *j, const char *event, const char *drive);
