/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawburnctl monitor: drives coming and going (ObjectManager
 * InterfacesAdded/InterfacesRemoved), discs and holders changing
 * (PropertiesChanged), burns progressing (Update, WriteFinished), CD-RWs
 * being erased (DiscFormat2Erase's Erasing and Update), rawburnd starting
 * and stopping (NameOwnerChanged), until Ctrl-C.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <systemd/sd-event.h>

#include "bus-util.h"
#include "drive-list.h"
#include "drive-text.h"
#include "error-hints.h"
#include "exit-status.h"
#include "format.h"
#include "job-events.h"
#include "output.h"
#include "progress.h"
#include "rawburn-bus.h"
#include "rawburnctl.h"

/* What was last said about a drive, so that a signal repeating a value
 * (rawburnd sends every property on each media change) prints nothing. */
typedef struct watched {
        drive *d;
        char media[160];
        char state[160];
        /* ClientName while the drive was prepared: the burn's own exclusive
         * hold outlives State by one signal and is not news. */
        char client[96];
        progress progress;
        int32_t erase_line; /* elapsed seconds of the last erase line, -1 before one */
} watched;

typedef struct monitor {
        sd_bus *bus;
        watched *w;
        size_t n;
        int status;
} monitor;

static watched *find(monitor *m, const char *path)
{
        for (size_t i = 0; i < m->n; i++)
                if (strcmp(m->w[i].d->path, path) == 0)
                        return &m->w[i];
        return NULL;
}

static void forget(monitor *m, const char *path)
{
        for (size_t i = 0; i < m->n; i++)
                if (strcmp(m->w[i].d->path, path) == 0) {
                        drive_free(m->w[i].d);
                        memmove(&m->w[i], &m->w[i + 1], (m->n - i - 1) * sizeof *m->w);
                        m->n--;
                        return;
                }
}

static void forget_all(monitor *m)
{
        for (size_t i = 0; i < m->n; i++)
                drive_free(m->w[i].d);
        free(m->w);
        m->w = NULL;
        m->n = 0;
}

/* Takes d. */
static watched *watch(monitor *m, drive *d)
{
        watched *w = realloc(m->w, (m->n + 1) * sizeof *w);
        if (!w) {
                drive_free(d);
                return NULL;
        }
        m->w = w;
        w = &m->w[m->n++];
        memset(w, 0, sizeof *w);
        w->d = d;
        drive_media_summary(d, w->media, sizeof w->media);
        drive_state_summary(d, w->state, sizeof w->state);
        progress_init(&w->progress, arg_json ? PROGRESS_JSON : PROGRESS_LINES, d->name);
        w->erase_line = -1;
        return w;
}

static void say_drive(const char *event, const watched *w)
{
        char model[96];
        if (arg_json) {
                json_obj j;
                json_event(&j, event, w->d->name);
                drive_write_json(w->d, &j);
                json_close(&j);
                json_end_line(stdout);
                return;
        }
        printf("%s: %s%s (%s), %s, %s\n", w->d->name,
               strcmp(event, "drive-added") == 0 ? "drive added: " : "",
               drive_model(w->d, model, sizeof model), w->d->volume_name ? w->d->volume_name : "-",
               w->media, w->state);
        fflush(stdout);
}

static void say(const watched *w, const char *event, const char *key, const char *text)
{
        if (arg_json) {
                json_obj j;
                json_event(&j, event, w->d->name);
                json_str(&j, key, text);
                json_close(&j);
                json_end_line(stdout);
        } else {
                printf("%s: %s: %s\n", w->d->name, event, text);
                fflush(stdout);
        }
}

static int load_all(monitor *m)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list l = {0};
        int r = drives_load(m->bus, &l, &error);
        if (r < 0) {
                /* Not running yet is fine for a monitor: NameOwnerChanged will tell. */
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
                    sd_bus_error_has_name(&error, SD_BUS_ERROR_NAME_HAS_NO_OWNER)) {
                        if (arg_json) {
                                json_obj j;
                                json_event(&j, "daemon", NULL);
                                json_bool(&j, "running", false);
                                json_close(&j);
                                json_end_line(stdout);
                        } else {
                                printf("rawburnd is not running; waiting for it\n");
                                fflush(stdout);
                        }
                        return 0;
                }
                return report_bus_error(NULL, "reading the drives", &error, r);
        }
        for (size_t i = 0; i < l.n; i++) {
                watched *w = watch(m, l.items[i]);
                l.items[i] = NULL;
                if (w)
                        say_drive("drive", w);
        }
        free(l.items);
        if (!arg_json && l.n == 0) {
                printf("no drives\n");
                fflush(stdout);
        }
        return 0;
}

static int on_interfaces_added(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        monitor *m = userdata;
        const char *path, *interface;
        bool recorder = false;
        int r = sd_bus_message_read_basic(msg, 'o', &path);
        if (r < 0 ||
            strncmp(path, RAWBURN_RECORDER_PATH "/", strlen(RAWBURN_RECORDER_PATH) + 1) != 0)
                return 0;
        watched *w = find(m, path);
        drive *d = w ? w->d : drive_new(path);
        if (!d)
                return 0;
        r = sd_bus_message_enter_container(msg, 'a', "{sa{sv}}");
        while (r >= 0 && (r = sd_bus_message_enter_container(msg, 'e', "sa{sv}")) > 0) {
                r = sd_bus_message_read_basic(msg, 's', &interface);
                if (r < 0)
                        break;
                recorder |= strcmp(interface, RAWBURN_RECORDER_IFACE) == 0;
                r = drive_apply_properties(d, interface, msg, NULL);
                if (r >= 0)
                        r = sd_bus_message_exit_container(msg);
        }
        if (w)
                return 0;
        if (r < 0 || !recorder) {
                drive_free(d);
                return 0;
        }
        w = watch(m, d);
        if (w)
                say_drive("drive-added", w);
        return 0;
}

static int on_interfaces_removed(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        monitor *m = userdata;
        const char *path;
        if (sd_bus_message_read_basic(msg, 'o', &path) < 0)
                return 0;
        watched *w = find(m, path);
        if (!w)
                return 0;
        if (arg_json) {
                json_obj j;
                json_event(&j, "drive-removed", w->d->name);
                json_close(&j);
                json_end_line(stdout);
        } else {
                printf("%s: drive removed\n", w->d->name);
                fflush(stdout);
        }
        forget(m, path);
        return 0;
}

static int on_properties_changed(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        monitor *m = userdata;
        const char *interface;
        unsigned changed = 0;
        watched *w = find(m, sd_bus_message_get_path(msg));
        if (!w || sd_bus_message_read_basic(msg, 's', &interface) < 0)
                return 0;
        if (drive_apply_properties(w->d, interface, msg, &changed) < 0)
                return 0;
        if (arg_json && sd_bus_message_rewind(msg, true) >= 0 &&
            sd_bus_message_skip(msg, "s") >= 0) {
                json_obj j;
                json_event(&j, "properties-changed", w->d->name);
                json_str(&j, "interface", interface);
                json_key(&j, "changed");
                if (bus_message_write_json(msg, stdout) < 0)
                        fputs("null", stdout);
                json_close(&j);
                json_end_line(stdout);
        }
        /* rawburnd signals DiscRecorder2 (MediaPresent) before
         * DiscFormat2RawCD (type, blank, capacity): the disc is described
         * when the second arrives, or when the first says it is gone. */
        bool media_now = (changed & DRIVE_CHANGED_MEDIA) &&
                         (strcmp(interface, RAWBURN_RAWCD_IFACE) == 0 || !w->d->media_present);
        char text[160];
        if (media_now) {
                drive_media_summary(w->d, text, sizeof text);
                if (strcmp(text, w->media) != 0) {
                        snprintf(w->media, sizeof w->media, "%s", text);
                        say(w, "disc", "disc", text);
                }
        }
        if (changed & (DRIVE_CHANGED_STATE | DRIVE_CHANGED_EXCLUSIVE)) {
                const drive *d = w->d;
                if (!d->erasing)
                        w->erase_line = -1;
                bool idle = !d->state || !d->state[0] || strcmp(d->state, "idle") == 0;
                if (!idle && d->client_name && d->client_name[0])
                        snprintf(w->client, sizeof w->client, "%s", d->client_name);
                bool own_hold = idle && d->exclusive_owner && w->client[0] &&
                                strcmp(d->exclusive_owner, w->client) == 0;
                drive_state_summary(d, text, sizeof text);
                if (!own_hold && strcmp(text, w->state) != 0) {
                        snprintf(w->state, sizeof w->state, "%s", text);
                        say(w, "state", "state", text);
                }
        }
        return 0;
}

static int on_update(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        monitor *m = userdata;
        write_update u;
        uint64_t now;
        watched *w = find(m, sd_bus_message_get_path(msg));
        if (!w || write_update_read(msg, &u) < 0)
                return 0;
        (void)sd_event_now(sd_bus_get_event(m->bus), CLOCK_MONOTONIC, &now);
        progress_show(&w->progress, &u, now);
        return 0;
}

/* DiscFormat2Erase.Update (elapsed, estimated total): a line every few seconds. */
static int on_erase_update(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        monitor *m = userdata;
        int32_t elapsed, total;
        char e[16], t[16];
        watched *w = find(m, sd_bus_message_get_path(msg));
        if (!w || sd_bus_message_read(msg, "ii", &elapsed, &total) < 0)
                return 0;
        if (arg_json) {
                json_obj j;
                json_event(&j, "update", w->d->name);
                json_str(&j, "action", "erasing");
                json_int(&j, "elapsed", elapsed);
                json_int(&j, "estimated_total", total);
                json_close(&j);
                json_end_line(stdout);
                return 0;
        }
        if (w->erase_line >= 0 && elapsed - w->erase_line < PROGRESS_LINE_SECONDS &&
            elapsed >= w->erase_line)
                return 0;
        w->erase_line = elapsed;
        format_duration(elapsed, e, sizeof e);
        if (total > 0)
                printf("%s: erasing: %s of about %s\n", w->d->name, e,
                       format_duration(total, t, sizeof t));
        else
                printf("%s: erasing: %s\n", w->d->name, e);
        fflush(stdout);
        return 0;
}

static int on_write_finished(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        monitor *m = userdata;
        write_result res;
        watched *w = find(m, sd_bus_message_get_path(msg));
        if (!w)
                return 0;
        if (write_result_read(msg, &res) >= 0) {
                if (arg_json) {
                        json_obj j;
                        json_event(&j, "write-finished", w->d->name);
                        write_result_json(&res, &j);
                        json_close(&j);
                        json_end_line(stdout);
                } else if (!res.error_name[0]) {
                        printf("%s: burn finished: %lld sectors%s\n", w->d->name,
                               (long long)res.sectors_written,
                               res.simulated ? " (simulated: nothing recorded)" : "");
                } else {
                        const error_hint *h = error_hint_lookup(res.error_name);
                        printf("%s: burn failed: %s\n", w->d->name, h ? h->hint : res.message);
                        if (arg_verbose)
                                printf("%s:   %s: %s\n", w->d->name, res.error_name, res.message);
                }
                fflush(stdout);
        }
        write_result_free(&res);
        progress_init(&w->progress, w->progress.style, w->d->name);
        return 0;
}

static int on_name_owner_changed(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        monitor *m = userdata;
        const char *name, *old_owner, *new_owner;
        if (sd_bus_message_read(msg, "sss", &name, &old_owner, &new_owner) < 0 ||
            strcmp(name, RAWBURN_BUS_NAME) != 0)
                return 0;
        if (arg_json) {
                json_obj j;
                json_event(&j, "daemon", NULL);
                json_bool(&j, "running", new_owner[0] != 0);
                json_close(&j);
                json_end_line(stdout);
        } else {
                printf("rawburnd %s\n", new_owner[0] ? "started" : "stopped");
                fflush(stdout);
        }
        forget_all(m);
        if (new_owner[0])
                m->status = load_all(m);
        return 0;
}

static void monitor_usage(FILE *f)
{
        fprintf(f, "usage: rawburnctl monitor [--json]\n\n"
                   "Prints the drives, then every drive added or removed, disc inserted or\n"
                   "removed, drive taken or released, the progress and end of every burn and\n"
                   "erase, as they happen, until Ctrl-C.\n\n" COMMON_OPTIONS_HELP);
}

static int add_matches(monitor *m)
{
        static const struct {
                const char *rule;
                sd_bus_message_handler_t handler;
        } rules[] = {
            {"type='signal',sender='" RAWBURN_BUS_NAME "',path='" RAWBURN_MANAGER_PATH
             "',interface='" OBJECT_MANAGER "',member='InterfacesAdded'",
             on_interfaces_added},
            {"type='signal',sender='" RAWBURN_BUS_NAME "',path='" RAWBURN_MANAGER_PATH
             "',interface='" OBJECT_MANAGER "',member='InterfacesRemoved'",
             on_interfaces_removed},
            {"type='signal',sender='" RAWBURN_BUS_NAME "',path_namespace='" RAWBURN_RECORDER_PATH
             "',interface='" PROPERTIES_IFACE "',member='PropertiesChanged'",
             on_properties_changed},
            {"type='signal',sender='" RAWBURN_BUS_NAME "',interface='" RAWBURN_RAWCD_IFACE
             "',member='Update'",
             on_update},
            {"type='signal',sender='" RAWBURN_BUS_NAME "',interface='" RAWBURN_RAWCD_IFACE
             "',member='WriteFinished'",
             on_write_finished},
            {"type='signal',sender='" RAWBURN_BUS_NAME "',interface='" RAWBURN_ERASE_IFACE
             "',member='Update'",
             on_erase_update},
            {"type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
             "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" RAWBURN_BUS_NAME
             "'",
             on_name_owner_changed},
        };
        for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
                /* Synchronous: once it returns the bus routes the signals to us,
                 * so nothing after the first line printed can be missed. */
                int r = sd_bus_add_match(m->bus, NULL, rules[i].rule, rules[i].handler, m);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        return sd_event_exit(sd_event_source_get_event(s), EXIT_OK);
}

int cmd_monitor(int argc, char **argv)
{
        static const struct option options[] = {
            {"help", no_argument, NULL, 'h'},
            COMMON_LONG_OPTIONS,
            {0},
        };
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "hv", options, NULL)) != -1) {
                if (common_option(c))
                        continue;
                if (c == 'h') {
                        monitor_usage(stdout);
                        return EXIT_OK;
                }
                monitor_usage(stderr);
                return EXIT_USAGE;
        }
        if (optind != argc) {
                monitor_usage(stderr);
                return EXIT_USAGE;
        }

        _cleanup_(sd_event_unrefp) sd_event *event = NULL;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        monitor m = {0};
        sigset_t mask;
        int r = bus_open(&bus);
        if (r < 0)
                return report_bus_open_error(r);
        m.bus = bus;
        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        if ((r = sd_event_default(&event)) < 0 ||
            (r = sd_event_add_signal(event, NULL, SIGINT, on_signal, NULL)) < 0 ||
            (r = sd_event_add_signal(event, NULL, SIGTERM, on_signal, NULL)) < 0 ||
            (r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL)) < 0) {
                log_error("cannot set up the event loop: %s", strerror(-r));
                return EXIT_FAILED;
        }
        r = add_matches(&m);
        if (r < 0) {
                _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
                sd_bus_error_set_errno(&error, r);
                return report_bus_error(NULL, "subscribing to rawburnd's signals", &error, r);
        }
        m.status = load_all(&m);
        if (m.status != EXIT_OK) {
                forget_all(&m);
                return m.status;
        }
        r = sd_event_loop(event);
        forget_all(&m);
        if (r < 0) {
                log_error("monitor: %s", strerror(-r));
                return EXIT_FAILED;
        }
        return m.status != EXIT_OK ? m.status : r;
}
