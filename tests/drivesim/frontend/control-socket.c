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

#include "control-lines.h"
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

static int list_drives(void *userdata, char **reply)
{
        fe_frontend *fe = userdata;
        GString *s = g_string_new(NULL);

        for (unsigned i = 0; i < fe->drives->len; i++) {
                fe_drive *d = g_ptr_array_index(fe->drives, i);
                if (d->gone)
                        continue;
                g_string_append_printf(s, "%s%s /dev/%s /dev/%s %s", s->len ? "\n" : "", d->name,
                                       d->name, d->sg_name, d->block_syspath);
        }
        *reply = strdup(s->str);
        g_string_free(s, TRUE);
        return 0;
}

static int add_drive(void *userdata, const char *spec, char **reply)
{
        fe_drive *drive;
        char *error = NULL;
        int r = fe_drive_add(userdata, spec, &drive, &error);

        if (r < 0) {
                *reply = error;
                return r;
        }
        *reply = strdup(drive->name);
        return 0;
}

static int remove_drive(void *userdata, const char *name, char **reply)
{
        fe_drive *drive = fe_drive_find(userdata, name);

        if (!drive)
                return -ENOENT;
        fe_drive_remove(drive);
        return asprintf(reply, "removed %s", drive->name) < 0 ? -ENOMEM : 0;
}

static int drive_command(void *userdata, const char *name, const char *line, char **reply)
{
        fe_drive *drive = fe_drive_find(userdata, name);
        int r;

        if (!drive)
                return -ENOENT;
        g_mutex_lock(&drive->lock);
        r = ds_drive_control(drive->model, line, reply);
        g_mutex_unlock(&drive->lock);
        fe_drive_flush_events(drive);
        return r;
}

static const dsc_frontend_ops control_ops = {
    .list = list_drives,
    .add = add_drive,
    .remove = remove_drive,
    .drive = drive_command,
};

int fe_control_execute(fe_frontend *fe, const char *line, char **reply)
{
        return dsc_control_execute(&control_ops, fe, line, reply);
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
        char *out;
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
        out = dsc_control_format(r, reply);
        if (!out || !send_text(c, out)) {
                free(out);
                connection_free(c);
                return;
        }
        free(out);
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
