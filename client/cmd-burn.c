/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawburnctl burn [OPTIONS] SOURCE…
 *
 * One drive: its burn (burn-drive.h: PrepareMedia with the options from
 * the flags, WriteMedia, the Update signals, --verify's read-back,
 * ReleaseMedia) on one sd-event loop that also takes the signals (SIGINT,
 * SIGTERM through signalfd), so that Ctrl-C is handled between messages.
 * Several --drive, or --drive all, go to burn-fanout.h; --dry-run goes to
 * dry-run.h and touches nothing.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "burn-drive.h"
#include "burn-fanout.h"
#include "burn-input.h"
#include "burn-options.h"
#include "bus-util.h"
#include "drive-list.h"
#include "drive-offset.h"
#include "dry-run.h"
#include "exit-status.h"
#include "output.h"
#include "progress.h"
#include "rawburnctl.h"
#include "verify.h"

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        burn_drive_signal(userdata, (int)si->ssi_signo);
        return 0;
}

static void on_burn_done(burn_drive *b, void *userdata)
{
        (void)sd_event_exit(b->event, 0);
}

static int run(burn_drive *b)
{
        int r;

        if ((r = burn_signals_to_loop(&b->event)) < 0 ||
            (r = sd_event_add_signal(b->event, NULL, SIGINT, on_signal, b)) < 0 ||
            (r = sd_event_add_signal(b->event, NULL, SIGTERM, on_signal, b)) < 0 ||
            (r = sd_bus_attach_event(b->bus, b->event, SD_EVENT_PRIORITY_NORMAL)) < 0) {
                log_error("cannot set up the event loop: %s", strerror(-r));
                return EXIT_FAILED;
        }
        burn_drive_say_start(b);
        b->done = on_burn_done;
        r = burn_drive_start(b);
        if (r != EXIT_OK)
                return r;
        r = sd_event_loop(b->event);
        if (r < 0) {
                log_error("event loop: %s", strerror(-r));
                return EXIT_FAILED;
        }
        return b->status;
}

int cmd_burn(int argc, char **argv)
{
        burn_options o = {.input = {.first_lba = INT32_MIN}};
        int r = burn_parse_options(argc, argv, &o);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_OK;

        burn_input src;
        char err[1024] = "";
        r = burn_input_open_or_say(&src, argv + optind, (size_t)(argc - optind), &o.input);
        if (r != EXIT_OK)
                return r;
        if (o.dry_run) {
                int status = burn_dry_run(&o, &src);
                burn_input_close(&src);
                return status;
        }
        if (o.verify && verify_possible(&src, err, sizeof err) < 0) {
                log_error("%s", err);
                burn_input_close(&src);
                return EXIT_USAGE;
        }
        if (burn_options_many_drives(&o)) {
                int status = burn_fanout(&o, &src);
                burn_input_close(&src);
                burn_say_done(status);
                return status;
        }

        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list drives = {0};
        burn_drive b = {.o = &o, .src = &src};
        int status;

        burn_drive_init(&b);
        r = bus_open(&bus);
        if (r < 0) {
                burn_input_close(&src);
                return report_bus_open_error(r);
        }
        b.bus = bus;
        r = drives_load(bus, &drives, &error);
        if (r < 0)
                status = report_bus_error(o.drive, "reading the drives", &error, r);
        else if ((r = drives_choose(&drives, o.drive, PICK_BLANK, &b.d)) < 0)
                status = drives_choose_report(r, &drives, o.drive, PICK_BLANK);
        else if ((status = burn_drive_check_fits(&b)) == EXIT_OK) {
                b.offset_source = drive_offset_apply(b.d, o.no_write_offset, b.src);
                progress_init(&b.progress,
                              arg_json                ? PROGRESS_JSON
                              : isatty(STDOUT_FILENO) ? PROGRESS_BAR
                                                      : PROGRESS_LINES,
                              b.d->name);
                status = run(&b);
        }
        burn_drive_free(&b);
        sd_event_unref(b.event);
        drives_clear(&drives);
        burn_input_close(&src);
        burn_say_done(status);
        return status;
}
