/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus-util.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "error-details.h"
#include "error-hints.h"
#include "exit-status.h"
#include "output.h"

int bus_open(sd_bus **ret)
{
        sd_bus *bus = NULL;
        int r = sd_bus_open_system(&bus);
        if (r < 0)
                return r;
        r = sd_bus_set_allow_interactive_authorization(bus, arg_ask_password);
        if (r < 0) {
                sd_bus_unref(bus);
                return r;
        }
        *ret = bus;
        return 0;
}

int report_bus_open_error(int r)
{
        if (arg_json) {
                json_obj j;
                json_event(&j, "error", NULL);
                json_str(&j, "name", "org.freedesktop.DBus.Error.NoServer");
                json_str(&j, "message", strerror(-r));
                json_str(&j, "hint", "cannot connect to the system bus: is dbus running?");
                json_int(&j, "exit_status", EXIT_NO_DAEMON);
                json_close(&j);
                json_end_line(stdout);
        }
        log_error("cannot connect to the system bus (%s): is dbus running?", strerror(-r));
        return EXIT_NO_DAEMON;
}

/* For failures sd-bus reports with an errno only (the connection broke). */
static int errno_exit_status(int r)
{
        switch (-r) {
        case ECONNREFUSED:
        case ECONNRESET:
        case ENOTCONN:
        case ENOENT:
        case ETIMEDOUT:
        case EPIPE:
                return EXIT_NO_DAEMON;
        case EACCES:
        case EPERM:
                return EXIT_PERMISSION;
        default:
                return EXIT_FAILED;
        }
}

static int bus_error_exit_status(const error_hint *h, int r)
{
        if (h)
                return h->exit_status;
        return errno_exit_status(r);
}

void error_details_json(const error_details *d, json_obj *j)
{
        char sense[16];
        if (d->has_sense) {
                snprintf(sense, sizeof sense, "%02X/%02X/%02X", d->sense_key, d->asc, d->ascq);
                json_str(j, "sense", sense);
                json_int(j, "sense_key", d->sense_key);
                json_int(j, "asc", d->asc);
                json_int(j, "ascq", d->ascq);
        }
        if (d->has_command)
                json_int(j, "command", d->command);
        if (d->hint[0])
                json_str(j, "sense_hint", d->hint);
}

int report_bus_error(const char *drive, const char *what, const sd_bus_error *error, int r)
{
        const char *name = error && sd_bus_error_is_set(error) ? error->name : NULL;
        const char *message = name && error->message ? error->message : strerror(r < 0 ? -r : EIO);
        const error_hint *h = error_hint_lookup_for(name, what);
        int status = bus_error_exit_status(h, r);
        error_details details;
        char where[96] = "";

        error_details_parse(name ? message : NULL, &details);
        if (drive)
                snprintf(where, sizeof where, "%s: ", drive);
        if (arg_json) {
                json_obj j;
                json_event(&j, "error", drive);
                json_str(&j, "operation", what);
                json_str(&j, "name", name);
                json_str(&j, "message", message);
                json_str(&j, "hint", h ? h->hint : NULL);
                error_details_json(&details, &j);
                json_int(&j, "exit_status", status);
                json_close(&j);
                json_end_line(stdout);
        }
        if (h)
                log_error("%s%s.", where, h->hint);
        else if (name)
                /* An error this rawburnctl does not know: the daemon's words. */
                log_error("%s%s failed: %s (%s)", where, what, message, name);
        else if (errno_exit_status(r) == EXIT_NO_DAEMON)
                log_error("%s%s failed: %s: the connection to rawburnd broke", where, what,
                          message);
        else
                log_error("%s%s failed: %s", where, what, message);
        /* The drive's own complaint, in words the daemon gave for its sense. */
        if (h && details.hint[0])
                log_error("%s%s.", where, details.hint);
        if (h && arg_verbose)
                log_notice("  %s: %s", name, message);
        return status;
}

int bus_append_option(sd_bus_message *m, const char *key, char type, const void *value)
{
        char sig[2] = {type, 0};
        int r = sd_bus_message_open_container(m, 'e', "sv");
        if (r >= 0)
                r = sd_bus_message_append_basic(m, 's', key);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', sig);
        if (r >= 0)
                r = sd_bus_message_append_basic(m, type, value);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

static int write_basic(sd_bus_message *m, char type, FILE *f)
{
        union {
                uint8_t y;
                int b;
                int16_t n;
                uint16_t q;
                int32_t i;
                uint32_t u;
                int64_t x;
                uint64_t t;
                double d;
                const char *s;
                int h;
        } v;
        int r = sd_bus_message_read_basic(m, type, &v);
        if (r < 0)
                return r;
        switch (type) {
        case 'y':
                fprintf(f, "%u", v.y);
                break;
        case 'b':
                fputs(v.b ? "true" : "false", f);
                break;
        case 'n':
                fprintf(f, "%d", v.n);
                break;
        case 'q':
                fprintf(f, "%u", v.q);
                break;
        case 'i':
                fprintf(f, "%d", v.i);
                break;
        case 'u':
                fprintf(f, "%u", v.u);
                break;
        case 'x':
                fprintf(f, "%lld", (long long)v.x);
                break;
        case 't':
                fprintf(f, "%llu", (unsigned long long)v.t);
                break;
        case 'd':
                fprintf(f, "%.17g", v.d);
                break;
        case 'h':
                fputs("null", f); /* a descriptor means nothing to a reader of JSON */
                break;
        default: /* s, o, g */
                json_string(f, v.s);
        }
        return 0;
}

int bus_message_write_json(sd_bus_message *m, FILE *f)
{
        const char *contents;
        char type;
        int r = sd_bus_message_peek_type(m, &type, &contents);
        if (r <= 0)
                return r < 0 ? r : -ENXIO;
        if (type != SD_BUS_TYPE_ARRAY && type != SD_BUS_TYPE_VARIANT &&
            type != SD_BUS_TYPE_STRUCT && type != SD_BUS_TYPE_DICT_ENTRY)
                return write_basic(m, type, f);

        bool dict = type == SD_BUS_TYPE_ARRAY && contents[0] == '{';
        bool object = dict && (contents[1] == 's' || contents[1] == 'o');
        r = sd_bus_message_enter_container(m, type, contents);
        if (r < 0)
                return r;
        if (type == SD_BUS_TYPE_VARIANT) {
                r = bus_message_write_json(m, f);
                if (r < 0)
                        return r;
                return sd_bus_message_exit_container(m);
        }
        fputc(object ? '{' : '[', f);
        for (bool first = true;; first = false) {
                r = sd_bus_message_at_end(m, false);
                if (r < 0)
                        return r;
                if (r > 0)
                        break;
                if (!first)
                        fputc(',', f);
                if (object) {
                        /* {sv} entries: "key":value */
                        const char *entry;
                        char t;
                        r = sd_bus_message_peek_type(m, &t, &entry);
                        if (r < 0)
                                return r;
                        r = sd_bus_message_enter_container(m, SD_BUS_TYPE_DICT_ENTRY, entry);
                        if (r < 0)
                                return r;
                        r = bus_message_write_json(m, f);
                        if (r < 0)
                                return r;
                        fputc(':', f);
                        r = bus_message_write_json(m, f);
                        if (r < 0)
                                return r;
                        r = sd_bus_message_exit_container(m);
                } else
                        r = bus_message_write_json(m, f);
                if (r < 0)
                        return r;
        }
        fputc(object ? '}' : ']', f);
        return sd_bus_message_exit_container(m);
}
