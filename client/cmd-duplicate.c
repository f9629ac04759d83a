/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawburnctl duplicate SOURCE… --copies N [--drive DRIVE…]
 *
 * Continuous duplication: the image is made once (fanout-image.h); each
 * drive (every drive rawburnd serves, or those named) that holds a blank
 * disc burns it (burn-drive.h, with --eject implied), the disc is ejected
 * once burned (and read back with --verify), and the drive waits for the
 * next blank disc: rawburnd's PropertiesChanged on the drive says when one
 * is in, nothing is polled. A disc that fails is ejected too, named and not
 * counted. It stops once N good copies are made, or on Ctrl-C (asked first
 * while discs are being written), and prints the tally.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "burn-drive.h"
#include "burn-fanout.h"
#include "burn-options.h"
#include "bus-util.h"
#include "drive-list.h"
#include "exit-status.h"
#include "fanout-view.h"
#include "output.h"
#include "rawburn-bus.h"
#include "rawburnctl.h"
#include "verify.h"

typedef struct slot slot;
typedef struct duplicator duplicator;

struct slot {
        duplicator *dup;
        drive *d;
        burn_drive burn;
        bool burning, burned_once;
        /* After a burn: the disc must leave before the next one counts
         * (the blank it was is still in the cached properties). */
        bool wait_for_removal;
        bool gone;        /* the drive was unplugged */
        char failure[96]; /* why the last disc failed */
        sd_bus_slot *properties;
        unsigned good, failed;
};

struct duplicator {
        const burn_options *o;
        burn_input *src;
        sd_bus *bus;
        sd_event *event;
        slot slots[BURN_MAX_DRIVES];
        size_t n;
        fanout_images images;
        unsigned wanted, good, failed, running;
        unsigned ejecting; /* failed discs whose EjectMedia is not answered yet */
        unsigned interrupts;
        bool stopping; /* Ctrl-C: no new disc is started */
        int status;
        fanout_view view;
};

static void maybe_start(slot *s);

static void before_output(void *userdata)
{
        fanout_view_clear(&((slot *)userdata)->dup->view);
}

static void say(duplicator *dup, const slot *s, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A line for the person at the drives (above the block on a terminal), or
 * a --json event named event. */
static void say(duplicator *dup, const slot *s, const char *event, const char *fmt, ...)
{
        char text[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof text, fmt, ap);
        va_end(ap);
        if (arg_json) {
                json_obj j;
                json_event(&j, event, s ? s->d->name : NULL);
                json_str(&j, "message", text);
                json_int(&j, "good", dup->good);
                json_int(&j, "failed", dup->failed);
                json_int(&j, "wanted", dup->wanted);
                json_close(&j);
                json_end_line(stdout);
                return;
        }
        fanout_view_clear(&dup->view);
        if (s)
                printf("%s: %s\n", s->d->name, text);
        else
                printf("%s\n", text);
        fflush(stdout);
        fanout_view_redraw(&dup->view);
}

static void row(void *userdata, size_t i, char *buf, size_t size)
{
        duplicator *dup = userdata;
        slot *s = &dup->slots[i];
        if (s->burning) {
                fanout_drive_row(&s->burn, buf, size);
                return;
        }
        const char *what = s->gone                    ? "unplugged"
                           : dup->good >= dup->wanted ? "done"
                           : dup->stopping            ? "stopped"
                           : s->wait_for_removal      ? "take the disc out"
                           : s->d->media_present      ? "this disc is not blank: change it"
                                                      : "waiting for a blank disc";
        snprintf(buf, size, "%-6s %s  (%u good, %u failed here)", s->d->name, what, s->good,
                 s->failed);
}

static void check_end(duplicator *dup)
{
        /* A failed disc is named when it is out: wait for that too. */
        if (dup->running > 0 || dup->ejecting > 0)
                return;
        bool any = false;
        for (size_t i = 0; i < dup->n; i++)
                any |= !dup->slots[i].gone;
        if (dup->good >= dup->wanted || dup->stopping || !any) {
                if (!any && dup->good < dup->wanted)
                        dup->status = EXIT_NO_DRIVE;
                (void)sd_event_exit(dup->event, 0);
        }
}

/* A failed disc is named once it is out (rawburnd ejects only a disc it
 * burned well), so that whoever swaps discs takes the right one. */
static int on_failed_eject_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        slot *s = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);
        if (e)
                log_debug("%s: EjectMedia: %s", s->d->name, e->message);
        say(s->dup, s, "copy-failed", "this disc failed (%s): it is %s and not counted", s->failure,
            e ? "still in the drive" : "ejected");
        s->dup->ejecting--;
        check_end(s->dup);
        return 0;
}

static void on_burn_done(burn_drive *b, void *userdata)
{
        slot *s = userdata;
        duplicator *dup = s->dup;
        char words[96];

        s->burning = false;
        s->burned_once = true;
        dup->running--;
        if (b->status == EXIT_OK) {
                s->good++;
                dup->good++;
                say(dup, s, "copy-done", "copy %u of %u done%s, disc ejected", dup->good,
                    dup->wanted, dup->o->verify ? " and verified" : "");
        } else {
                s->failed++;
                dup->failed++;
                snprintf(s->failure, sizeof s->failure, "%s",
                         fanout_result_text(b, words, sizeof words));
                if (!s->gone &&
                    sd_bus_call_method_async(dup->bus, NULL, RAWBURN_BUS_NAME, s->d->path,
                                             RAWBURN_RECORDER_IFACE, "EjectMedia",
                                             on_failed_eject_reply, s, "") >= 0)
                        dup->ejecting++;
                else
                        say(dup, s, "copy-failed", "this disc failed (%s): it is not counted",
                            s->failure);
        }
        /* The blank disc the properties may still show is the one just
         * burned: the next counts once that one is seen gone or written. */
        s->wait_for_removal = s->d->media_present && s->d->blank;
        if (dup->good < dup->wanted && !dup->stopping && !s->wait_for_removal)
                maybe_start(s);
        check_end(dup);
}

/* A burn on s if it holds a blank disc and more copies are wanted. */
static void maybe_start(slot *s)
{
        duplicator *dup = s->dup;
        char err[1100];

        if (s->burning || s->gone || s->wait_for_removal || dup->stopping ||
            dup->good + dup->running >= dup->wanted)
                return;
        if (!s->d->media_present || !s->d->blank || !s->d->media_supported)
                return;
        if (s->burned_once)
                burn_drive_free(&s->burn);
        if (fanout_burn_setup(&s->burn, dup->o, dup->bus, dup->event, s->d, dup->src, &dup->images,
                              true, fanout_progress_style(), err, sizeof err) < 0) {
                log_error("%s", err);
                dup->status = EXIT_SOURCE;
                dup->stopping = true;
                check_end(dup);
                return;
        }
        s->burn.before_output = before_output;
        s->burn.userdata = s;
        s->burn.done = on_burn_done;
        if (burn_drive_check_fits(&s->burn) != EXIT_OK) {
                s->failed++;
                dup->failed++;
                s->wait_for_removal = true;
                snprintf(s->failure, sizeof s->failure, "disc too small");
                say(dup, s, "copy-failed", "this disc is too small for the image: change it");
                return;
        }
        say(dup, s, "copy-start", "burning copy %u of %u", dup->good + dup->running + 1,
            dup->wanted);
        s->burning = true;
        dup->running++;
        if (arg_json)
                burn_drive_say_start(&s->burn);
        if (burn_drive_start(&s->burn) != EXIT_OK) {
                s->burning = false;
                dup->running--;
                s->failed++;
                dup->failed++;
                s->wait_for_removal = true;
                check_end(dup);
        }
}

static int on_properties_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        slot *s = userdata;
        const char *interface;
        unsigned changed = 0;

        if (sd_bus_message_read_basic(m, 's', &interface) < 0 ||
            drive_apply_properties(s->d, interface, m, &changed) < 0 ||
            !(changed & DRIVE_CHANGED_MEDIA))
                return 0;
        log_debug("%s: %s changed: media %s, blank %s", s->d->name, interface,
                  s->d->media_present ? "present" : "absent", s->d->blank ? "yes" : "no");
        if ((!s->d->media_present || !s->d->blank) && s->wait_for_removal) {
                s->wait_for_removal = false;
                if (!arg_json)
                        fanout_view_redraw(&s->dup->view);
        }
        /* rawburnd says DiscFormat2RawCD's media properties (blank,
         * capacity) after DiscRecorder2's MediaPresent: the disc is known
         * once the second has come. */
        if (strcmp(interface, RAWBURN_RAWCD_IFACE) == 0)
                maybe_start(s);
        return 0;
}

static int on_interfaces_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        duplicator *dup = userdata;
        const char *path;
        if (sd_bus_message_read_basic(m, 'o', &path) < 0)
                return 0;
        for (size_t i = 0; i < dup->n; i++) {
                slot *s = &dup->slots[i];
                if (strcmp(s->d->path, path) != 0 || s->gone)
                        continue;
                s->gone = true;
                say(dup, s, "drive-removed", "the drive was unplugged");
                check_end(dup);
        }
        return 0;
}

static int on_signal(sd_event_source *src, const struct signalfd_siginfo *si, void *userdata)
{
        duplicator *dup = userdata;
        burn_drive *burns[BURN_MAX_DRIVES];
        size_t n = 0;

        for (size_t i = 0; i < dup->n; i++)
                if (dup->slots[i].burning)
                        burns[n++] = &dup->slots[i].burn;
        fanout_view_clear(&dup->view);
        if (fanout_interrupt(burns, n, &dup->interrupts, (int)si->ssi_signo)) {
                dup->stopping = true;
                dup->status = EXIT_CANCELLED;
                check_end(dup);
        }
        return 0;
}

static int choose(duplicator *dup, const drive_list *l)
{
        const burn_options *o = dup->o;

        /* No --drive, or --drive all: every drive; it is the discs that come and go. */
        if (o->n_drives == 0 || (o->n_drives == 1 && strcmp(o->drive, "all") == 0)) {
                for (size_t k = 0; k < l->n && dup->n < BURN_MAX_DRIVES; k++)
                        dup->slots[dup->n++].d = l->items[k];
                if (dup->n == 0) {
                        log_error("rawburnd serves no drive");
                        return EXIT_NO_DRIVE;
                }
                return EXIT_OK;
        }
        for (size_t i = 0; i < o->n_drives; i++) {
                drive *d;
                int r = drives_choose(l, o->drives[i], PICK_ONLY, &d);
                if (r < 0)
                        return drives_choose_report(r, l, o->drives[i], PICK_ONLY);
                bool seen = false;
                for (size_t k = 0; k < dup->n; k++)
                        seen |= dup->slots[k].d == d;
                if (!seen)
                        dup->slots[dup->n++].d = d;
        }
        return EXIT_OK;
}

static int run(duplicator *dup)
{
        int r;

        if ((r = burn_signals_to_loop(&dup->event)) < 0 ||
            (r = sd_event_add_signal(dup->event, NULL, SIGINT, on_signal, dup)) < 0 ||
            (r = sd_event_add_signal(dup->event, NULL, SIGTERM, on_signal, dup)) < 0 ||
            (r = sd_bus_attach_event(dup->bus, dup->event, SD_EVENT_PRIORITY_NORMAL)) < 0 ||
            (r = sd_bus_match_signal(dup->bus, NULL, RAWBURN_BUS_NAME, RAWBURN_MANAGER_PATH,
                                     OBJECT_MANAGER, "InterfacesRemoved", on_interfaces_removed,
                                     dup)) < 0) {
                log_error("cannot set up the event loop: %s", strerror(-r));
                return EXIT_FAILED;
        }
        for (size_t i = 0; i < dup->n; i++) {
                slot *s = &dup->slots[i];
                s->dup = dup;
                /* Subscribed before the first look, so that no change is missed. */
                r = sd_bus_match_signal(dup->bus, &s->properties, RAWBURN_BUS_NAME, s->d->path,
                                        PROPERTIES_IFACE, "PropertiesChanged",
                                        on_properties_changed, s);
                if (r < 0) {
                        log_error("cannot follow %s: %s", s->d->name, strerror(-r));
                        return EXIT_FAILED;
                }
        }
        if (!arg_json) {
                char what[512];
                burn_input_describe(dup->src, what, sizeof what);
                printf("Duplicating %s\n  %u cop%s on %zu drive%s: insert blank discs; each is "
                       "ejected when done\n",
                       what, dup->wanted, dup->wanted == 1 ? "y" : "ies", dup->n,
                       dup->n == 1 ? "" : "s");
                fflush(stdout);
        }
        if (fanout_view_start(&dup->view, dup->event, dup->n, row, dup) < 0)
                return EXIT_FAILED;
        for (size_t i = 0; i < dup->n; i++)
                maybe_start(&dup->slots[i]);
        fanout_view_redraw(&dup->view);
        check_end(dup);
        r = sd_event_loop(dup->event);
        fanout_view_stop(&dup->view);
        if (r < 0) {
                log_error("event loop: %s", strerror(-r));
                return EXIT_FAILED;
        }
        return dup->status;
}

static int say_tally(duplicator *dup, int status)
{
        if (status == EXIT_OK && dup->good < dup->wanted)
                status = EXIT_CANCELLED;
        if (arg_json) {
                json_obj j;
                json_event(&j, "tally", NULL);
                json_int(&j, "wanted", dup->wanted);
                json_int(&j, "good", dup->good);
                json_int(&j, "failed", dup->failed);
                json_close(&j);
                json_end_line(stdout);
                return status;
        }
        printf("\n%-8s %6s %7s  %s\n", "DRIVE", "GOOD", "FAILED", "LAST FAILURE");
        for (size_t i = 0; i < dup->n; i++) {
                const slot *s = &dup->slots[i];
                printf("%-8s %6u %7u", s->d->name, s->good, s->failed);
                if (s->failure[0])
                        printf("  %s", s->failure);
                putchar('\n');
        }
        printf("%u of %u copies made, %u disc%s failed\n", dup->good, dup->wanted, dup->failed,
               dup->failed == 1 ? "" : "s");
        fflush(stdout);
        return status;
}

int cmd_duplicate(int argc, char **argv)
{
        burn_options o = {.input = {.first_lba = INT32_MIN}, .duplicate = true};
        int r = burn_parse_options(argc, argv, &o);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_OK;
        /* Each disc leaves the drive once done (and read back). */
        o.eject = true;

        burn_input src;
        char err[1024] = "";
        r = burn_input_open_or_say(&src, argv + optind, (size_t)(argc - optind), &o.input);
        if (r != EXIT_OK)
                return r;
        if (o.verify && verify_possible(&src, err, sizeof err) < 0) {
                log_error("%s", err);
                burn_input_close(&src);
                return EXIT_USAGE;
        }

        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list drives = {0};
        duplicator *dup = calloc(1, sizeof *dup);
        int status;

        if (!dup) {
                burn_input_close(&src);
                return EXIT_FAILED;
        }
        dup->o = &o;
        dup->src = &src;
        dup->wanted = o.copies;
        r = bus_open(&bus);
        if (r < 0) {
                free(dup);
                burn_input_close(&src);
                return report_bus_open_error(r);
        }
        dup->bus = bus;
        r = drives_load(bus, &drives, &error);
        if (r < 0)
                status = report_bus_error(NULL, "reading the drives", &error, r);
        else if ((status = choose(dup, &drives)) == EXIT_OK)
                status = say_tally(dup, run(dup));
        for (size_t i = 0; i < dup->n; i++) {
                if (dup->slots[i].burned_once || dup->slots[i].burning)
                        burn_drive_free(&dup->slots[i].burn);
                sd_bus_slot_unref(dup->slots[i].properties);
        }
        fanout_images_close(&dup->images);
        sd_event_unref(dup->event);
        drives_clear(&drives);
        free(dup);
        burn_input_close(&src);
        burn_say_done(status);
        return status;
}
