/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fanout-view.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exit-status.h"
#include "format.h"
#include "output.h"
#include "rawburn-bus.h"
#include "rawburnctl.h"

#define REDRAW_USEC 250000u
#define BAR_COLUMNS 24

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        fanout_view *v = userdata;
        fanout_view_redraw(v);
        (void)sd_event_source_set_time(s, usec + REDRAW_USEC);
        (void)sd_event_source_set_enabled(s, SD_EVENT_ON);
        return 0;
}

int fanout_view_start(fanout_view *v, sd_event *event, size_t rows,
                      void (*row)(void *userdata, size_t i, char *buf, size_t size), void *userdata)
{
        uint64_t now;

        v->terminal = !arg_json && isatty(STDOUT_FILENO);
        v->rows = rows;
        v->drawn = 0;
        v->row = row;
        v->userdata = userdata;
        if (!v->terminal)
                return 0;
        (void)sd_event_now(event, CLOCK_MONOTONIC, &now);
        return sd_event_add_time(event, &v->timer, CLOCK_MONOTONIC, now + REDRAW_USEC, 0, on_timer,
                                 v);
}

void fanout_view_clear(fanout_view *v)
{
        if (!v->terminal || v->drawn == 0)
                return;
        /* Up to the block's first line, and everything from there down. */
        printf("\r\033[%zuA\033[J", v->drawn);
        fflush(stdout);
        v->drawn = 0;
}

void fanout_view_redraw(fanout_view *v)
{
        char line[256];

        if (!v->terminal)
                return;
        if (v->drawn)
                printf("\r\033[%zuA", v->drawn);
        for (size_t i = 0; i < v->rows; i++) {
                v->row(v->userdata, i, line, sizeof line);
                printf("%s\033[K\n", line);
        }
        fputs("\033[J", stdout);
        fflush(stdout);
        v->drawn = v->rows;
}

void fanout_view_stop(fanout_view *v)
{
        /* The table that follows says how each drive ended. */
        fanout_view_clear(v);
        v->timer = sd_event_source_disable_unref(v->timer);
}

static void bar_text(double pct, char *buf)
{
        int full = pct < 0 ? 0 : (int)(pct / 100.0 * BAR_COLUMNS + 0.5);
        buf[0] = '[';
        for (int i = 0; i < BAR_COLUMNS; i++)
                buf[1 + i] = i < full ? '#' : (i == full ? '>' : ' ');
        buf[1 + BAR_COLUMNS] = ']';
        buf[2 + BAR_COLUMNS] = 0;
}

void fanout_drive_row(const burn_drive *b, char *buf, size_t size)
{
        char bar[BAR_COLUMNS + 3], left[16], words[96];
        const write_update *u = &b->progress.last;

        switch (b->phase) {
        case PHASE_PREPARING:
                snprintf(buf, size, "%-6s %s", b->d->name,
                         b->waiting_for_image ? "prepared, waiting for the image to be made"
                                              : "preparing the disc");
                return;
        case PHASE_WRITING: {
                if (!b->progress.have_last) {
                        snprintf(buf, size, "%-6s starting the write", b->d->name);
                        return;
                }
                double pct = write_update_percent(u), dev = write_update_device_buffer(u);
                bool timed = u->action == RAWBURN_WRITE_ACTION_WRITING ||
                             u->action == RAWBURN_WRITE_ACTION_FINISHING;
                bar_text(pct, bar);
                snprintf(buf, size, "%-6s %s %5.1f%% %5.1f×  buffer %3.0f%%  ETA %s  %s",
                         b->d->name, bar, pct < 0 ? 0.0 : pct, b->progress.speed / 75,
                         dev < 0 ? 0.0 : dev,
                         format_duration(timed ? u->remaining : -1, left, sizeof left),
                         write_action_name(u->action));
                return;
        }
        case PHASE_VERIFYING: {
                const verify_result *r = b->verify ? verify_get_result(b->verify) : NULL;
                double pct = r && r->sectors ? 100.0 * r->compared / r->sectors : 0;
                bar_text(pct, bar);
                snprintf(buf, size, "%-6s %s %5.1f%% verifying%s", b->d->name, bar, pct,
                         r && r->differing ? ", sectors differ" : "");
                return;
        }
        case PHASE_ENDED:
                snprintf(buf, size, "%-6s %s", b->d->name,
                         fanout_result_text(b, words, sizeof words));
                return;
        }
}

static const char *status_words(int status)
{
        switch (status) {
        case EXIT_OK:
                return "ok";
        case EXIT_NO_DRIVE:
                return "drive gone";
        case EXIT_MEDIA:
                return "disc refused";
        case EXIT_PERMISSION:
                return "not allowed";
        case EXIT_CANCELLED:
                return "cancelled";
        case EXIT_NO_DAEMON:
                return "rawburnd gone";
        case EXIT_BUSY:
                return "drive busy";
        case EXIT_SOURCE:
                return "image failed";
        case EXIT_VERIFY:
                return "verify failed";
        case EXIT_UNSUPPORTED:
                return "not supported";
        default:
                return "failed";
        }
}

const char *fanout_result_text(const burn_drive *b, char *buf, size_t size)
{
        const char *name = b->error.name;
        size_t prefix = strlen(RAWBURN_ERROR_PREFIX);

        if (b->status == EXIT_OK)
                return b->o->simulate ? "ok (simulated)" : "ok";
        /* The error's own name says most: "failed: MediaNotBlank". */
        if (name && b->status != EXIT_VERIFY && b->status != EXIT_CANCELLED) {
                if (strncmp(name, RAWBURN_ERROR_PREFIX, prefix) == 0)
                        name += prefix;
                snprintf(buf, size, "%s: %s", status_words(b->status), name);
                return buf;
        }
        return status_words(b->status);
}

const char *fanout_verify_text(const burn_drive *b)
{
        if (!b->o->verify)
                return "-";
        if (b->verified)
                return "ok";
        if (b->status == EXIT_VERIFY)
                return "differs";
        if (b->verify && verify_get_result(b->verify)->stopped)
                return "stopped";
        return "not done";
}

double fanout_write_speed(const burn_drive *b)
{
        /* Measured here: the result's elapsed time is in whole seconds. */
        if (!b->have_result || b->result.sectors_written <= 0 ||
            b->write_ended_usec <= b->write_started_usec)
                return 0;
        return (double)b->result.sectors_written * 1e6 /
               (double)(b->write_ended_usec - b->write_started_usec);
}

void fanout_table_header(void)
{
        if (!arg_json)
                printf("\n%-8s %-36s %8s %7s  %s\n", "DRIVE", "RESULT", "TIME", "SPEED", "VERIFY");
}

void fanout_table_row(const burn_drive *b)
{
        char words[96], t[16], speed[16] = "-";
        double seconds =
            b->ended_usec > b->started_usec ? (double)(b->ended_usec - b->started_usec) / 1e6 : 0;
        double sps = fanout_write_speed(b);
        const char *result = fanout_result_text(b, words, sizeof words);

        if (arg_json) {
                json_obj j;
                json_event(&j, "drive-result", b->d->name);
                json_bool(&j, "ok", b->status == EXIT_OK);
                json_int(&j, "exit_status", b->status);
                json_str(&j, "result", result);
                json_num(&j, "seconds", seconds, 1);
                json_num(&j, "speed_x", sps / 75, 1);
                json_str(&j, "verify", fanout_verify_text(b));
                json_close(&j);
                json_end_line(stdout);
                return;
        }
        if (sps > 0)
                snprintf(speed, sizeof speed, "%.1f×", sps / 75);
        /* "×" is two bytes and one column: one more for printf's width. */
        printf("%-8s %-36s %8s %*s  %s\n", b->d->name, result,
               format_duration((int32_t)(seconds + 0.5), t, sizeof t), sps > 0 ? 8 : 7, speed,
               fanout_verify_text(b));
}
