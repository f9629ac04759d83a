/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What `burn` to several drives and `duplicate` show: on a terminal, one
 * line per drive, redrawn in place four times a second as a block at the
 * bottom (messages are printed above it: fanout_view_clear() first); not
 * on a terminal, each drive's own progress lines, prefixed with its name;
 * with --json, each drive's events (they name it). At the end, a table:
 * drive, result, time, speed, verify.
 */

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-event.h>

#include "burn-drive.h"

typedef struct fanout_view {
        bool terminal; /* draws the block */
        size_t rows;
        size_t drawn; /* lines of the block on the screen now */
        sd_event_source *timer;
        /* The text of row i (a drive), without its end of line. */
        void (*row)(void *userdata, size_t i, char *buf, size_t size);
        void *userdata;
} fanout_view;

/* terminal: stdout is one and --json is off. Starts the redraw timer. */
int fanout_view_start(fanout_view *v, sd_event *event, size_t rows,
                      void (*row)(void *userdata, size_t i, char *buf, size_t size),
                      void *userdata);
/* Takes the block off the screen, before other output (it comes back at
 * the next redraw). */
void fanout_view_clear(fanout_view *v);
void fanout_view_redraw(fanout_view *v);
void fanout_view_stop(fanout_view *v);

/* One drive's line: its name, then a bar with percent, speed and buffers
 * while it writes or verifies, or a word for the phase or the outcome. */
void fanout_drive_row(const burn_drive *b, char *buf, size_t size);

/* A finished burn's words for the table and --json. */
const char *fanout_result_text(const burn_drive *b, char *buf, size_t size);
const char *fanout_verify_text(const burn_drive *b);
/* Average write speed in sectors per second, 0 when unknown. */
double fanout_write_speed(const burn_drive *b);

/* The table's header, and one row per drive; then the --json
 * "drive-result" event of the drive. */
void fanout_table_header(void);
void fanout_table_row(const burn_drive *b);
