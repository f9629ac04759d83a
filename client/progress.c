/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "format.h"
#include "output.h"
#include "rawburn-bus.h"

/* The speed is measured over this window: long enough to smooth the
 * drive's bursts into its buffer, short enough to follow a speed change. */
#define SPEED_WINDOW_USEC (3 * 1000000ull)

void progress_init(progress *p, progress_style style, const char *drive)
{
        memset(p, 0, sizeof *p);
        p->style = style;
        p->drive = drive;
        p->last_action = -1;
        p->last_line_elapsed = -PROGRESS_LINE_SECONDS;
}

static void add_sample(progress *p, const write_update *u, uint64_t now)
{
        if (u->action != RAWBURN_WRITE_ACTION_WRITING)
                return;
        if (p->n_samples == PROGRESS_SAMPLES) {
                memmove(&p->samples[0], &p->samples[1],
                        sizeof p->samples[0] * (PROGRESS_SAMPLES - 1));
                p->n_samples--;
        }
        p->samples[p->n_samples].usec = now;
        p->samples[p->n_samples].lba = u->last_written_lba;
        p->n_samples++;
        /* The oldest sample inside the window, against the newest. */
        unsigned first = 0;
        while (first + 1 < p->n_samples && now - p->samples[first].usec > SPEED_WINDOW_USEC)
                first++;
        uint64_t dt = now - p->samples[first].usec;
        if (dt > 0)
                p->speed = (double)(u->last_written_lba - p->samples[first].lba) * 1e6 / (double)dt;
}

static int terminal_width(void)
{
        struct winsize w;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col >= 40)
                return w.ws_col;
        return 80;
}

void progress_draw_bar(bool *drawn, double pct, const char *tail, int tail_cols)
{
        int bar = terminal_width() - tail_cols - 3;

        if (bar > 50)
                bar = 50;
        if (bar < 10)
                bar = 10;
        int full = pct < 0 ? 0 : (int)(pct / 100.0 * bar + 0.5);
        fputs("\r[", stdout);
        for (int i = 0; i < bar; i++)
                fputc(i < full ? '#' : (i == full ? '>' : ' '), stdout);
        fprintf(stdout, "]%s\033[K", tail);
        fflush(stdout);
        *drawn = true;
}

void progress_clear_bar(bool *drawn)
{
        if (*drawn) {
                fputs("\r\033[K", stdout);
                fflush(stdout);
                *drawn = false;
        }
}

/* "16.0×" or "  -  " while unknown. */
static void speed_text(const progress *p, char *buf, size_t size)
{
        if (p->speed > 0)
                snprintf(buf, size, "%5.1f×", p->speed / 75);
        else
                snprintf(buf, size, "   - ×");
}

static void percent_text(double v, char *buf, size_t size)
{
        if (v < 0)
                snprintf(buf, size, "  -");
        else
                snprintf(buf, size, "%3.0f%%", v);
}

static void draw_bar(progress *p, const write_update *u)
{
        char speed[16], dev[8], sys[8], left[16], tail[160];
        double pct = write_update_percent(u);

        speed_text(p, speed, sizeof speed);
        percent_text(write_update_device_buffer(u), dev, sizeof dev);
        percent_text(write_update_system_buffer(u), sys, sizeof sys);
        /* Time left is known once sectors are being written, not while preparing. */
        bool timed = u->action == RAWBURN_WRITE_ACTION_WRITING ||
                     u->action == RAWBURN_WRITE_ACTION_FINISHING;
        format_duration(timed ? u->remaining : -1, left, sizeof left);
        int n = snprintf(tail, sizeof tail, " %5.1f%% %s  buffer %s  fifo %s  ETA %s  %s",
                         pct < 0 ? 0.0 : pct, speed, dev, sys, left, write_action_name(u->action));
        /* "×" is two bytes, one column. */
        progress_draw_bar(&p->drawn, pct, tail, n - 1);
}

static void print_line(progress *p, const write_update *u)
{
        char left[16], text[160];
        double pct = write_update_percent(u), dev = write_update_device_buffer(u);
        int n = 0;

        if (u->action != RAWBURN_WRITE_ACTION_WRITING) {
                printf("%s: %s\n", p->drive, write_action_name(u->action));
                fflush(stdout);
                return;
        }
        /* Only what is known: a fast burn may end before a speed is measured. */
        n += snprintf(text + n, sizeof text - n, "%s: writing %.0f%%", p->drive,
                      pct < 0 ? 0.0 : pct);
        if (p->speed > 0)
                n += snprintf(text + n, sizeof text - n, " at %.1f×", p->speed / 75);
        if (dev >= 0)
                n += snprintf(text + n, sizeof text - n, ", drive buffer %.0f%%", dev);
        if (u->remaining > 0)
                snprintf(text + n, sizeof text - n, ", %s left",
                         format_duration(u->remaining, left, sizeof left));
        printf("%s\n", text);
        fflush(stdout);
}

static void print_json(progress *p, const write_update *u)
{
        json_obj j;
        json_event(&j, "update", p->drive);
        json_str(&j, "action", write_action_name(u->action));
        json_num(&j, "percent", write_update_percent(u), 1);
        json_num(&j, "speed_x", p->speed > 0 ? p->speed / 75 : 0, 1);
        json_int(&j, "elapsed", u->elapsed);
        json_int(&j, "remaining", u->remaining);
        json_num(&j, "device_buffer_percent", write_update_device_buffer(u), 1);
        json_num(&j, "system_buffer_percent", write_update_system_buffer(u), 1);
        json_int(&j, "start_lba", u->start_lba);
        json_int(&j, "sector_count", u->sector_count);
        json_int(&j, "last_read_lba", u->last_read_lba);
        json_int(&j, "last_written_lba", u->last_written_lba);
        json_close(&j);
        json_end_line(stdout);
}

void progress_show(progress *p, const write_update *u, uint64_t now_usec)
{
        add_sample(p, u, now_usec);
        p->last = *u;
        p->have_last = true;
        switch (p->style) {
        case PROGRESS_BAR:
                draw_bar(p, u);
                break;
        case PROGRESS_JSON:
                print_json(p, u);
                break;
        case PROGRESS_LINES:
                /* At each phase, then every few seconds of the burn's own clock. */
                if (u->action != p->last_action ||
                    u->elapsed - p->last_line_elapsed >= PROGRESS_LINE_SECONDS) {
                        print_line(p, u);
                        p->last_line_elapsed = u->elapsed;
                }
                break;
        case PROGRESS_QUIET:
                break;
        }
        p->last_action = u->action;
}

void progress_break_line(progress *p)
{
        if (p->style == PROGRESS_BAR && p->drawn) {
                fputc('\n', stdout);
                fflush(stdout);
        }
        p->drawn = false;
}
