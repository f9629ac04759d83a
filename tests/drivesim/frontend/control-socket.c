/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The control socket: a Unix stream socket taking one command per line and
 * answering each with zero or more lines of text and a last line "OK" or
 * "ERR <message>". A new connection is greeted with "drivesim VERSION ready"
 * and "OK", so a client knows drivesim is serving once it has read that.
 * Runs on the main loop; uevents are sent before the reply, so a client that
 * has its answer can rely on the events having been emitted.
 */
#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend.h"

#ifndef DRIVESIM_VERSION
#define DRIVESIM_VERSION "0"
#endif

static GSocketService *service;
static char *socket_path;

typedef struct connection {
        fe_frontend *fe;
        GSocketConnection *conn;
        GDataInputStream *in;
} connection;

static const char control_help[] =
    "list                     the drives: NAME DEVNODE SG-DEVNODE SYSPATH\n"
    "add SPEC                 a new drive (next srN), announced with an \"add\" uevent\n"
    "remove srN               unplug the drive, announced with a \"remove\" uevent\n"
    "srN COMMAND              a command for the drive: insert MEDIA, eject, open-tray,\n"
    "                         close-tray, fault NAME [op=0xNN] [after=N] [count=N],\n"
    "                         clear-faults, state, export FILE (docs/drivesim.md)\n"
    "ready                    answers OK (drivesim is serving)\n"
    "help                     this text";

static int list_drives(fe_frontend *fe, char **reply)
{
        GString *s = g_string_new(NULL);

        for (unsigned i = 0; i < fe->drives->len; i++) {
                fe_drive *d = g_ptr_array_index(fe->drives, i);
                if (d->gone)
                        continue;
                g_string_append_printf(s, "%s%s /dev/%s /dev/%s %s", s->len ? "\n" : "", d->name,
                                       d->name, d->sg_name, d->block_syspath);
        }
        *reply = g_string_free(s, FALSE);
        return 0;
}

int fe_control_execute(fe_frontend *fe, const char *line, char **reply)
{
        char word[64] = "";
        const char *arg;
        int n = 0;
        fe_drive *drive;

        *reply = NULL;
        if (sscanf(line, " %63s %n", word, &n) < 1) {
                *reply = g_strdup("empty command (try help)");
                return -EINVAL;
        }
        arg = line + n;

        if (strcmp(word, "ready") == 0) {
                *reply = g_strdup("");
                return 0;
        }
        if (strcmp(word, "help") == 0) {
                *reply = g_strdup(control_help);
                return 0;
        }
        if (strcmp(word, "list") == 0)
                return list_drives(fe, reply);
        if (strcmp(word, "add") == 0) {
                char *error = NULL;
                int r;
                if (!*arg) {
                        *reply = g_strdup("add needs a SPEC, e.g. add cdr80");
                        return -EINVAL;
                }
                r = fe_drive_add(fe, arg, &drive, &error);
                if (r < 0) {
                        *reply = g_strdup(error ? error : g_strerror(-r));
                        free(error);
                        return r;
                }
                *reply = g_strdup(drive->name);
                return 0;
        }
        if (strcmp(word, "remove") == 0) {
                drive = fe_drive_find(fe, arg);
                if (!drive) {
                        *reply = g_strdup_printf("no drive '%s'", arg);
                        return -ENOENT;
                }
                fe_drive_remove(drive);
                *reply = g_strdup_printf("removed %s", drive->name);
                return 0;
        }

        drive = fe_drive_find(fe, word);
        if (drive) {
                char *model_reply = NULL;
                int r;

                g_mutex_lock(&drive->lock);
                r = ds_drive_control(drive->model, arg, &model_reply);
                g_mutex_unlock(&drive->lock);
                fe_drive_flush_events(drive);
                *reply = g_strdup(model_reply ? model_reply : (r < 0 ? g_strerror(-r) : ""));
                free(model_reply);
                return r;
        }
        *reply = g_strdup_printf("unknown command or drive '%s' (try help)", word);
        return -EINVAL;
}

static void connection_free(connection *c)
{
        g_object_unref(c->in);
        g_object_unref(c->conn);
        g_free(c);
}

static bool send_text(connection *c, const char *text)
{
        GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(c->conn));

        return g_output_stream_write_all(out, text, strlen(text), NULL, NULL, NULL);
}

static void read_next(connection *c);

static void line_read(GObject *source, GAsyncResult *result, gpointer userdata)
{
        connection *c = userdata;
        g_autofree char *line = NULL;
        g_autofree char *reply = NULL;
        GString *out;
        size_t len;
        int r;

        line = g_data_input_stream_read_line_finish(c->in, result, &len, NULL);
        if (!line) { /* the client closed the connection, or it broke */
                connection_free(c);
                return;
        }
        g_strchomp(line);
        if (!*line) {
                read_next(c);
                return;
        }
        r = fe_control_execute(c->fe, line, &reply);
        out = g_string_new(NULL);
        if (r >= 0) {
                if (reply && *reply)
                        g_string_append_printf(out, "%s\n", reply);
                g_string_append(out, "OK\n");
        } else {
                /* One line: the message is the error. */
                for (char *p = reply; p && *p; p++)
                        if (*p == '\n')
                                *p = ' ';
                g_string_append_printf(out, "ERR %s\n", reply ? reply : g_strerror(-r));
        }
        if (!send_text(c, out->str)) {
                g_string_free(out, TRUE);
                connection_free(c);
                return;
        }
        g_string_free(out, TRUE);
        read_next(c);
}

static void read_next(connection *c)
{
        g_data_input_stream_read_line_async(c->in, G_PRIORITY_DEFAULT, NULL, line_read, c);
}

static gboolean incoming(GSocketService *svc, GSocketConnection *conn, GObject *source,
                         gpointer userdata)
{
        connection *c = g_new0(connection, 1);

        c->fe = userdata;
        c->conn = g_object_ref(conn);
        c->in = g_data_input_stream_new(g_io_stream_get_input_stream(G_IO_STREAM(conn)));
        g_data_input_stream_set_newline_type(c->in, G_DATA_STREAM_NEWLINE_TYPE_LF);
        if (!send_text(c, "drivesim " DRIVESIM_VERSION " ready\nOK\n")) {
                connection_free(c);
                return TRUE;
        }
        read_next(c);
        return TRUE;
}

int fe_control_listen(fe_frontend *fe, const char *path, char **error)
{
        g_autoptr(GSocketAddress) address = NULL;
        GError *gerror = NULL;

        (void)unlink(path); /* a socket left by an earlier run */
        address = g_unix_socket_address_new(path);
        service = g_socket_service_new();
        if (!g_socket_listener_add_address(G_SOCKET_LISTENER(service), address,
                                           G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL,
                                           NULL, &gerror)) {
                *error = g_strdup_printf("cannot listen on %s: %s", path, gerror->message);
                g_clear_error(&gerror);
                g_clear_object(&service);
                return -EADDRNOTAVAIL;
        }
        socket_path = g_strdup(path);
        g_signal_connect(service, "incoming", G_CALLBACK(incoming), fe);
        g_socket_service_start(service);
        return 0;
}

void fe_control_close(void)
{
        if (service) {
                g_socket_service_stop(service);
                g_socket_listener_close(G_SOCKET_LISTENER(service));
                g_clear_object(&service);
        }
        if (socket_path) {
                (void)unlink(socket_path);
                g_clear_pointer(&socket_path, g_free);
        }
}
