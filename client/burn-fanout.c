/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "burn-fanout.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "bus-util.h"
#include "drive-list.h"
#include "drive-offset.h"
#include "drive-text.h"
#include "error-hints.h"
#include "exit-status.h"
#include "fanout-image.h"
#include "fanout-view.h"
#include "format.h"
#include "output.h"
#include "rawburnctl.h"

typedef struct fanout {
        const burn_options *o;
        burn_input *src;
        sd_bus *bus;
        sd_event *event;
        drive *drives[BURN_MAX_DRIVES];
        burn_drive burns[BURN_MAX_DRIVES];
        burn_drive *order[BURN_MAX_DRIVES];
        size_t n, running;
        fanout_images images;
        unsigned interrupts;
        fanout_view view;
} fanout;

bool fanout_interrupt(burn_drive *const *burns, size_t n, unsigned *interrupts, int signo)
{
        size_t writing = 0;

        for (size_t i = 0; i < n; i++) {
                if (burns[i]->phase == PHASE_WRITING)
                        writing++;
                else if (burns[i]->phase != PHASE_ENDED)
                        burn_drive_stop(burns[i]);
        }
        if (writing == 0)
                return true;
        ++*interrupts;
        if (arg_json) {
                json_obj j;
                json_event(&j, "interrupt", NULL);
                json_int(&j, "count", *interrupts);
                json_int(&j, "writing", (int64_t)writing);
                json_str(&j, "signal", signo == SIGTERM ? "SIGTERM" : "SIGINT");
                json_close(&j);
                json_end_line(stdout);
        }
        /* SIGTERM comes from a program, not a person: no second chance. */
        if (signo == SIGINT && *interrupts == 1) {
                log_notice("press Ctrl-C again to cancel the %zu burn%s running; %s will be "
                           "unusable",
                           writing, writing == 1 ? "" : "s",
                           writing == 1 ? "its disc" : "their discs");
                return false;
        }
        for (size_t i = 0; i < n; i++)
                if (burns[i]->phase == PHASE_WRITING)
                        burn_drive_stop(burns[i]);
        return true;
}

progress_style fanout_progress_style(void)
{
        return arg_json ? PROGRESS_JSON : isatty(STDOUT_FILENO) ? PROGRESS_QUIET : PROGRESS_LINES;
}

int fanout_burn_setup(burn_drive *b, const burn_options *o, sd_bus *bus, sd_event *event, drive *d,
                      burn_input *src, fanout_images *images, bool wait, progress_style style,
                      char *err, size_t errlen)
{
        *b = (burn_drive){.o = o, .bus = bus, .event = event, .d = d, .src = src};
        burn_drive_init(b);
        fanout_image *img = fanout_images_for(images, o, src, d, wait, err, errlen);
        if (!img)
                return -EINVAL;
        b->image_fd = img->fd;
        b->hold_write = !img->ready;
        b->verify_src = &img->as_raw;
        b->offset_source = drive_offset_apply(d, o->no_write_offset, src);
        b->quiet = style == PROGRESS_QUIET;
        progress_init(&b->progress, style, d->name);
        return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        fanout *f = userdata;
        fanout_view_clear(&f->view);
        (void)fanout_interrupt(f->order, f->n, &f->interrupts, (int)si->ssi_signo);
        return 0;
}

static void before_output(void *userdata)
{
        fanout_view_clear(&((fanout *)userdata)->view);
}

static void row(void *userdata, size_t i, char *buf, size_t size)
{
        fanout_drive_row(&((fanout *)userdata)->burns[i], buf, size);
}

static void on_image_ready(fanout_image *img, const char *error, void *userdata)
{
        fanout *f = userdata;

        if (error) {
                fanout_view_clear(&f->view);
                log_error("the image could not be made: %s", error);
        }
        for (size_t i = 0; i < f->n; i++) {
                burn_drive *b = &f->burns[i];
                if (b->image_fd == img->fd && b->phase != PHASE_ENDED)
                        burn_drive_image_ready(b, error ? EXIT_SOURCE : EXIT_OK);
        }
}

static void on_drive_done(burn_drive *b, void *userdata)
{
        fanout *f = userdata;
        if (--f->running == 0)
                (void)sd_event_exit(f->event, 0);
}

/* --drive as given: "all" is every drive with a blank disc; each once. */
static int choose_drives(fanout *f, const drive_list *l)
{
        for (size_t i = 0; i < f->o->n_drives; i++) {
                const char *arg = f->o->drives[i];
                drive *found[BURN_MAX_DRIVES];
                size_t n = 0;
                if (strcmp(arg, "all") == 0) {
                        for (size_t k = 0; k < l->n && n < BURN_MAX_DRIVES; k++)
                                if (l->items[k]->media_present && l->items[k]->blank &&
                                    l->items[k]->media_supported)
                                        found[n++] = l->items[k];
                        if (n == 0) {
                                log_error("--drive all: no drive holds a blank disc");
                                return EXIT_MEDIA;
                        }
                } else {
                        int r = drives_choose(l, arg, PICK_ONLY, &found[0]);
                        if (r < 0)
                                return drives_choose_report(r, l, arg, PICK_ONLY);
                        n = 1;
                }
                for (size_t k = 0; k < n; k++) {
                        bool seen = false;
                        for (size_t m = 0; m < f->n; m++)
                                seen |= f->drives[m] == found[k];
                        if (!seen && f->n < BURN_MAX_DRIVES)
                                f->drives[f->n++] = found[k];
                }
        }
        return EXIT_OK;
}

static void say_start(const fanout *f)
{
        char what[512], media[96], model[96];

        if (arg_json)
                return; /* each drive's start event */
        burn_input_describe(f->src, what, sizeof what);
        printf("Burning %s\n  on %zu drives at once:\n", what, f->n);
        for (size_t i = 0; i < f->n; i++) {
                const drive *d = f->drives[i];
                drive_media_summary(d, media, sizeof media);
                printf("  %-6s %s: %s\n", d->name, drive_model(d, model, sizeof model), media);
        }
        if (f->images.n > 1)
                printf("  (%zu images, one per write offset among the drives)\n", f->images.n);
        fflush(stdout);
}

/* Each drive's burn set up with its image. */
static int set_up(fanout *f)
{
        char err[1100] = "";
        progress_style style = fanout_progress_style();

        for (size_t i = 0; i < f->n; i++) {
                burn_drive *b = &f->burns[i];
                f->order[i] = b;
                /* The drives are prepared while the image is made. */
                if (fanout_burn_setup(b, f->o, f->bus, f->event, f->drives[i], f->src, &f->images,
                                      false, style, err, sizeof err) < 0) {
                        log_error("%s", err);
                        return EXIT_SOURCE;
                }
                b->before_output = before_output;
                b->done = on_drive_done;
                b->userdata = f;
        }
        return EXIT_OK;
}

static int run(fanout *f)
{
        int r;

        if ((r = burn_signals_to_loop(&f->event)) < 0 ||
            (r = sd_event_add_signal(f->event, NULL, SIGINT, on_signal, f)) < 0 ||
            (r = sd_event_add_signal(f->event, NULL, SIGTERM, on_signal, f)) < 0 ||
            (r = sd_bus_attach_event(f->bus, f->event, SD_EVENT_PRIORITY_NORMAL)) < 0) {
                log_error("cannot set up the event loop: %s", strerror(-r));
                return EXIT_FAILED;
        }
        int status = set_up(f);
        if (status != EXIT_OK)
                return status;
        say_start(f);
        if (fanout_view_start(&f->view, f->event, f->n, row, f) < 0)
                return EXIT_FAILED;
        for (size_t i = 0; i < f->n; i++) {
                burn_drive *b = &f->burns[i];
                if (arg_json)
                        burn_drive_say_start(b);
                (void)sd_event_now(f->event, CLOCK_MONOTONIC, &b->started_usec);
                if ((b->status = burn_drive_check_fits(b)) != EXIT_OK) {
                        b->phase = PHASE_ENDED;
                        b->ended_usec = b->started_usec;
                        continue;
                }
                if (burn_drive_start(b) == EXIT_OK)
                        f->running++;
        }
        if ((r = fanout_images_watch(&f->images, f->event, on_image_ready, f)) < 0) {
                log_error("cannot follow the making of the image: %s", strerror(-r));
                return EXIT_FAILED;
        }
        fanout_view_redraw(&f->view);
        if (f->running > 0) {
                r = sd_event_loop(f->event);
                if (r < 0) {
                        log_error("event loop: %s", strerror(-r));
                        return EXIT_FAILED;
                }
        }
        fanout_view_stop(&f->view);
        return EXIT_OK;
}

/* The table, and the first failure's status. */
static int say_end(const fanout *f)
{
        size_t good = 0;
        int status = EXIT_OK;

        fanout_table_header();
        for (size_t i = 0; i < f->n; i++) {
                const burn_drive *b = &f->burns[i];
                fanout_table_row(b);
                if (b->status == EXIT_OK)
                        good++;
                else if (status == EXIT_OK)
                        status = b->status;
        }
        if (arg_json) {
                json_obj j;
                json_event(&j, "summary", NULL);
                json_int(&j, "drives", (int64_t)f->n);
                json_int(&j, "succeeded", (int64_t)good);
                json_int(&j, "failed", (int64_t)(f->n - good));
                json_close(&j);
                json_end_line(stdout);
        } else {
                printf("%zu of %zu discs burned%s\n", good, f->n,
                       f->o->verify && good ? " and verified" : "");
                fflush(stdout);
        }
        return status;
}

int burn_fanout(const burn_options *o, burn_input *src)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list drives = {0};
        fanout *f = calloc(1, sizeof *f);
        int r, status;

        if (!f)
                return EXIT_FAILED;
        f->o = o;
        f->src = src;
        r = bus_open(&bus);
        if (r < 0) {
                free(f);
                return report_bus_open_error(r);
        }
        f->bus = bus;
        r = drives_load(bus, &drives, &error);
        if (r < 0)
                status = report_bus_error(NULL, "reading the drives", &error, r);
        else if ((status = choose_drives(f, &drives)) == EXIT_OK && (status = run(f)) == EXIT_OK)
                status = say_end(f);
        for (size_t i = 0; i < f->n; i++)
                if (f->order[i])
                        burn_drive_free(f->order[i]);
        fanout_images_close(&f->images);
        sd_event_unref(f->event);
        drives_clear(&drives);
        free(f);
        return status;
}
