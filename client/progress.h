/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Showing a burn's Update signals: a bar redrawn in place on a terminal
 * (percent, speed ×, drive buffer, daemon buffer, time left, phase), a plain
 * line every few seconds of the burn and at each phase change otherwise,
 * or one JSON object per Update with --json.
 */

#include <stdbool.h>
#include <stdint.h>

#include "job-events.h"

typedef enum progress_style {
        PROGRESS_BAR,
        PROGRESS_LINES,
        PROGRESS_JSON,
        /* Kept, not shown: several drives on one terminal, drawn together
         * by their caller (burn-fanout-view.h). */
        PROGRESS_QUIET,
} progress_style;

#define PROGRESS_SAMPLES 16

typedef struct progress {
        progress_style style;
        const char *drive;
        bool drawn; /* a bar is on the current line */
        int32_t last_action;
        int32_t last_line_elapsed;
        /* (time, last written LBA) of recent updates, for the speed. */
        struct {
                uint64_t usec;
                int32_t lba;
        } samples[PROGRESS_SAMPLES];
        unsigned n_samples;
        double speed; /* sectors per second, 0 until known */
        write_update last;
        bool have_last;
} progress;

/* How often a plain line is printed, in seconds of the burn. */
#define PROGRESS_LINE_SECONDS 5

/* The bar every long job shows (burn, erase, verify): "[####>   ]" and
 * tail, tail_cols columns wide, redrawn in place on the current line and
 * fitted to the terminal; pct < 0 draws it empty. *drawn tells
 * progress_clear_bar() there is something to clear. */
void progress_draw_bar(bool *drawn, double pct, const char *tail, int tail_cols);
/* Wipes a bar from its line, before other output. */
void progress_clear_bar(bool *drawn);

void progress_init(progress *p, progress_style style, const char *drive);
/* now_usec: CLOCK_MONOTONIC when the update arrived. */
void progress_show(progress *p, const write_update *u, uint64_t now_usec);
/* Ends a bar's line (before other output, and at the end). */
void progress_break_line(progress *p);
