/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawburnctl blank [--fast|--full] [DRIVE]
 *
 * Erases a CD-RW: org.rawburn1.DiscFormat2Erase.EraseMedia (IMAPI2
 * IDiscFormat2Erase) with ClientName and FullErase, and no call timeout (the
 * reply comes when the drive has finished: a minute or so for a minimal
 * erase, up to half an hour for a full one at low speed). Its Update signal
 * (seconds elapsed, the drive's estimate of the total) is shown as a bar on
 * a terminal, a line every few seconds otherwise, or JSON events. The bus
 * and SIGINT/SIGTERM run in one sd-event loop, as for burn. A drive cannot
 * stop a BLANK once it has begun, so Ctrl-C cannot cancel: the first says
 * so, the second stops waiting and leaves the drive to finish.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "bus-util.h"
#include "drive-list.h"
#include "drive-text.h"
#include "exit-status.h"
#include "format.h"
#include "output.h"
#include "progress.h"
#include "rawburn-bus.h"
#include "rawburnctl.h"

#define CLIENT_NAME "rawburnctl"
/* EraseMedia replies when the drive has finished: no timeout (rawburnd
 * bounds the erase itself with its --finish-timeout). */
#define ERASE_TIMEOUT_USEC UINT64_MAX
#define LINE_SECONDS       5

typedef struct blank {
        bool full;
        sd_bus *bus;
        sd_event *event;
        drive *d;
        bool bar; /* a terminal: redraw in place */
        bool drawn;
        unsigned interrupts;
        int32_t elapsed, estimate; /* of the last Update; -1 before one */
        int32_t last_line;
        uint64_t start_usec;
        int status;
} blank;

static void blank_usage(FILE *f)
{
        fprintf(f,
                "usage: rawburnctl blank [--fast|--full] [DRIVE]\n\n"
                "Erases the CD-RW in the drive (IMAPI2 EraseMedia; polkit action\n"
                "org.rawburn1.erase), so that it can be burned again.\n\n"
                "      --fast   minimal erase: the table of contents, the PMA and the first\n"
                "               track's pregap, about a minute (the default)\n"
                "      --full   the whole disc, many minutes: for a disc that fails after a\n"
                "               minimal erase, or to leave nothing readable on it\n"
                "DRIVE is sr0, /dev/sr0 or an object path (default: the only drive, or the only\n"
                "one holding a CD-RW).\n\n" COMMON_OPTIONS_HELP
                "\nAn erase cannot be stopped once the drive has begun: a second Ctrl-C only\n"
                "stops waiting, and the drive finishes on its own.\n");
}

static double percent(const blank *b)
{
        if (b->estimate <= 0 || b->elapsed < 0)
                return -1;
        double p = 100.0 * b->elapsed / b->estimate;
        return p > 99 ? 99 : p; /* done only when the drive says so */
}

static void show_update(blank *b)
{
        char e[16], t[16], left[16];
        double p = percent(b);
        int32_t remaining = b->estimate > b->elapsed ? b->estimate - b->elapsed : 0;

        if (arg_json) {
                json_obj j;
                json_event(&j, "update", b->d->name);
                json_str(&j, "action", "erasing");
                json_int(&j, "elapsed", b->elapsed);
                json_int(&j, "estimated_total", b->estimate);
                json_num(&j, "percent", p, 1);
                json_close(&j);
                json_end_line(stdout);
                return;
        }
        format_duration(b->elapsed, e, sizeof e);
        format_duration(b->estimate > 0 ? b->estimate : -1, t, sizeof t);
        format_duration(b->estimate > 0 ? remaining : -1, left, sizeof left);
        if (!b->bar) {
                if (b->last_line >= 0 && b->elapsed - b->last_line < LINE_SECONDS)
                        return;
                b->last_line = b->elapsed;
                if (b->estimate > 0)
                        printf("%s: erasing: %s of about %s, %s left\n", b->d->name, e, t, left);
                else
                        printf("%s: erasing: %s\n", b->d->name, e);
                fflush(stdout);
                return;
        }
        char tail[96];
        int n = snprintf(tail, sizeof tail, " %5.1f%%  %s of about %s  ETA %s  erasing",
                         p < 0 ? 0.0 : p, e, t, left);
        progress_draw_bar(&b->drawn, p, tail, n);
}

static int on_update(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        blank *b = userdata;
        int32_t elapsed, estimate;
        if (sd_bus_message_read(m, "ii", &elapsed, &estimate) < 0)
                return 0;
        b->elapsed = elapsed;
        b->estimate = estimate;
        show_update(b);
        return 0;
}

static int on_erase_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        blank *b = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);
        uint64_t now;
        char t[16];

        progress_clear_bar(&b->drawn);
        if (e)
                b->status =
                    report_bus_error(b->d->name, "EraseMedia", e, sd_bus_message_get_errno(m));
        else {
                /* The drive's clock when it gave one, else ours. */
                (void)sd_event_now(b->event, CLOCK_MONOTONIC, &now);
                int32_t took = (int32_t)((now - b->start_usec) / 1000000);
                if (b->elapsed > took)
                        took = b->elapsed;
                b->status = EXIT_OK;
                if (arg_json) {
                        json_obj j;
                        json_event(&j, "erased", b->d->name);
                        json_bool(&j, "full", b->full);
                        json_int(&j, "elapsed", took);
                        json_close(&j);
                        json_end_line(stdout);
                } else {
                        printf("%s: erased (%s): the CD-RW is blank and can be burned again\n",
                               b->d->name, format_duration(took, t, sizeof t));
                        fflush(stdout);
                }
        }
        (void)sd_event_exit(b->event, 0);
        return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        blank *b = userdata;

        b->interrupts++;
        progress_clear_bar(&b->drawn);
        if (arg_json) {
                json_obj j;
                json_event(&j, "interrupt", b->d->name);
                json_int(&j, "count", b->interrupts);
                json_str(&j, "signal", si->ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
                json_close(&j);
                json_end_line(stdout);
        }
        if (si->ssi_signo == SIGINT && b->interrupts == 1) {
                log_notice("an erase cannot be stopped once the drive has begun; press Ctrl-C "
                           "again to stop waiting (the drive finishes the erase on its own)");
                return 0;
        }
        /* Leaving the bus does not stop rawburnd: the drive finishes, then is let go. */
        log_notice("%s: no longer waiting; the drive goes on erasing (rawburnctl monitor or "
                   "rawburnctl info shows when the disc is blank)",
                   b->d->name);
        b->status = EXIT_CANCELLED;
        (void)sd_event_exit(b->event, 0);
        return 0;
}

static int send_erase(blank *b)
{
        sd_bus_message *msg = NULL;
        int full = b->full;
        int r = sd_bus_message_new_method_call(b->bus, &msg, RAWBURN_BUS_NAME, b->d->path,
                                               RAWBURN_ERASE_IFACE, "EraseMedia");
        if (r >= 0)
                r = sd_bus_message_open_container(msg, 'a', "{sv}");
        if (r >= 0)
                r = bus_append_option(msg, "ClientName", 's', CLIENT_NAME);
        if (r >= 0)
                r = bus_append_option(msg, "FullErase", 'b', &full);
        if (r >= 0)
                r = sd_bus_message_close_container(msg);
        if (r >= 0)
                r = sd_bus_call_async(b->bus, NULL, msg, on_erase_reply, b, ERASE_TIMEOUT_USEC);
        sd_bus_message_unref(msg);
        return r;
}

static void say_start(const blank *b)
{
        char media[96], model[96];
        drive_media_summary(b->d, media, sizeof media);
        if (arg_json) {
                json_obj j;
                json_event(&j, "start", b->d->name);
                json_str(&j, "operation", "erase");
                json_bool(&j, "full", b->full);
                json_str(&j, "disc", media);
                json_close(&j);
                json_end_line(stdout);
                return;
        }
        printf("Erasing the disc in %s (%s): %s\n  %s\n", b->d->name,
               drive_model(b->d, model, sizeof model), media,
               b->full ? "full erase: the whole disc"
                       : "minimal erase: the table of contents, the PMA and the first pregap");
        fflush(stdout);
}

static int run(blank *b)
{
        sigset_t mask;
        int r;

        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        if ((r = sd_event_default(&b->event)) < 0 ||
            (r = sd_event_add_signal(b->event, NULL, SIGINT, on_signal, b)) < 0 ||
            (r = sd_event_add_signal(b->event, NULL, SIGTERM, on_signal, b)) < 0 ||
            (r = sd_bus_attach_event(b->bus, b->event, SD_EVENT_PRIORITY_NORMAL)) < 0) {
                log_error("cannot set up the event loop: %s", strerror(-r));
                return EXIT_FAILED;
        }
        say_start(b);
        (void)sd_event_now(b->event, CLOCK_MONOTONIC, &b->start_usec);
        /* Subscribed before the call goes out, so that no Update is missed. */
        if ((r = sd_bus_match_signal(b->bus, NULL, RAWBURN_BUS_NAME, b->d->path,
                                     RAWBURN_ERASE_IFACE, "Update", on_update, b)) < 0 ||
            (r = send_erase(b)) < 0) {
                _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
                sd_bus_error_set_errno(&e, r);
                return report_bus_error(b->d->name, "EraseMedia", &e, r);
        }
        r = sd_event_loop(b->event);
        if (r < 0) {
                log_error("event loop: %s", strerror(-r));
                return EXIT_FAILED;
        }
        return b->status;
}

int cmd_blank(int argc, char **argv)
{
        enum { OPT_FAST = 0x100, OPT_FULL };
        static const struct option options[] = {
            {"fast", no_argument, NULL, OPT_FAST},
            {"full", no_argument, NULL, OPT_FULL},
            {"help", no_argument, NULL, 'h'},
            COMMON_LONG_OPTIONS,
            {0},
        };
        blank b = {.elapsed = -1, .estimate = -1, .last_line = -1};
        bool fast = false;
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "hv", options, NULL)) != -1) {
                if (common_option(c))
                        continue;
                switch (c) {
                case OPT_FAST:
                        fast = true;
                        break;
                case OPT_FULL:
                        b.full = true;
                        break;
                case 'h':
                        blank_usage(stdout);
                        return EXIT_OK;
                default:
                        blank_usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (fast && b.full) {
                log_error("--fast and --full: give one");
                return EXIT_USAGE;
        }
        if (argc - optind > 1) {
                blank_usage(stderr);
                return EXIT_USAGE;
        }
        const char *arg = optind < argc ? argv[optind] : NULL;

        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list drives = {0};
        int r = bus_open(&bus);
        if (r < 0)
                return report_bus_open_error(r);
        b.bus = bus;
        b.bar = !arg_json && isatty(STDOUT_FILENO);
        int status;
        r = drives_load(bus, &drives, &error);
        if (r < 0)
                status = report_bus_error(arg, "reading the drives", &error, r);
        else if ((r = drives_choose(&drives, arg, PICK_CDRW, &b.d)) < 0)
                status = drives_choose_report(r, &drives, arg, PICK_CDRW);
        else
                status = run(&b);
        sd_event_unref(b.event);
        drives_clear(&drives);
        if (arg_json) {
                json_obj j;
                json_event(&j, "done", NULL);
                json_bool(&j, "ok", status == EXIT_OK);
                json_int(&j, "exit_status", status);
                json_close(&j);
                json_end_line(stdout);
        }
        return status;
}
