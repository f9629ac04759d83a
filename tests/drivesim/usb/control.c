/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The control socket of the USB front end and the main loop around it: the same language
 * and answers as the umockdev front end (tests/drivesim/common/control-lines.c), served
 * with poll(2) instead of GLib. The loop also unplugs drives whose device-gone fault fired
 * and ends on SIGTERM, SIGINT or SIGHUP.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control-lines.h"
#include "usb.h"

#ifndef DRIVESIM_VERSION
#define DRIVESIM_VERSION "0"
#endif

#define MAX_CLIENTS 16
#define LINE_MAX    4096

typedef struct client {
        int fd;
        char buf[LINE_MAX];
        size_t len;
} client;

static int listen_fd = -1;
static char *socket_path;
static client clients[MAX_CLIENTS];
static bool clients_ready;

static void init_clients(void)
{
        if (clients_ready)
                return;
        for (unsigned i = 0; i < MAX_CLIENTS; i++)
                clients[i].fd = -1;
        clients_ready = true;
}

static int list_drives(void *userdata, char **reply)
{
        usb_frontend *fe = userdata;
        size_t size = 0;
        FILE *out = open_memstream(reply, &size);
        bool first = true;

        if (!out)
                return -ENOMEM;
        for (unsigned i = 0; i < USB_MAX_DRIVES; i++) {
                usb_drive *d = fe->drives[i];
                if (!d)
                        continue;
                if (!d->sg_name[0] && d->udc[0])
                        (void)usb_gadget_find_host_devices(d, 0);
                fprintf(out, "%s%s /dev/%s /dev/%s %s", first ? "" : "\n", d->name, d->name,
                        d->sg_name[0] ? d->sg_name : "-", d->syspath);
                first = false;
        }
        return fclose(out) == 0 ? 0 : -ENOMEM;
}

static int add_drive(void *userdata, const char *spec, char **reply)
{
        usb_drive *d;
        int r = usb_drive_add(userdata, spec, &d, reply);

        if (r < 0)
                return r;
        *reply = strdup(d->name);
        return *reply ? 0 : -ENOMEM;
}

static int remove_drive(void *userdata, const char *name, char **reply)
{
        usb_drive *d = usb_drive_find(userdata, name);
        char *message = NULL;

        if (!d)
                return -ENOENT;
        if (asprintf(&message, "removed %s", d->name) < 0)
                return -ENOMEM;
        usb_drive_remove(d);
        *reply = message;
        return 0;
}

static int drive_command(void *userdata, const char *name, const char *line, char **reply)
{
        usb_drive *d = usb_drive_find(userdata, name);
        int r;

        if (!d)
                return -ENOENT;
        pthread_mutex_lock(&d->lock);
        r = ds_drive_control(d->model, line, reply);
        /* The kernel learns of media changes by polling GET EVENT STATUS NOTIFICATION. */
        (void)ds_drive_take_events(d->model);
        pthread_mutex_unlock(&d->lock);
        return r;
}

static const dsc_frontend_ops control_ops = {
    .list = list_drives,
    .add = add_drive,
    .remove = remove_drive,
    .drive = drive_command,
};

static int send_all(int fd, const char *text)
{
        size_t len = strlen(text);

        while (len > 0) {
                ssize_t n = send(fd, text, len, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -errno;
                text += n;
                len -= (size_t)n;
        }
        return 0;
}

static void client_close(client *c)
{
        close(c->fd);
        c->fd = -1;
        c->len = 0;
}

/* Runs every complete line in the client's buffer. */
static void client_lines(usb_frontend *fe, client *c)
{
        char *nl;

        while (c->fd >= 0 && (nl = memchr(c->buf, '\n', c->len))) {
                size_t used = (size_t)(nl - c->buf) + 1;
                char *reply = NULL, *out;
                int r;

                *nl = '\0';
                if (nl > c->buf && nl[-1] == '\r')
                        nl[-1] = '\0';
                if (c->buf[strspn(c->buf, " \t")]) {
                        r = dsc_control_execute(&control_ops, fe, c->buf, &reply);
                        out = dsc_control_format(r, reply);
                        free(reply);
                        if (!out || send_all(c->fd, out) < 0) {
                                free(out);
                                client_close(c);
                                return;
                        }
                        free(out);
                }
                memmove(c->buf, c->buf + used, c->len - used);
                c->len -= used;
        }
        if (c->fd >= 0 && c->len == sizeof c->buf) /* a line longer than any command */
                client_close(c);
}

static void client_read(usb_frontend *fe, client *c)
{
        ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);

        if (n <= 0) {
                if (n < 0 && errno == EINTR)
                        return;
                client_close(c);
                return;
        }
        c->len += (size_t)n;
        client_lines(fe, c);
}

static void accept_client(void)
{
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

        if (fd < 0)
                return;
        for (unsigned i = 0; i < MAX_CLIENTS; i++)
                if (clients[i].fd < 0) {
                        clients[i].fd = fd;
                        clients[i].len = 0;
                        if (send_all(fd, "drivesim " DRIVESIM_VERSION " ready\nOK\n") < 0)
                                client_close(&clients[i]);
                        return;
                }
        (void)send_all(fd, "ERR too many control connections\n");
        close(fd);
}

/* /run/drivesim/control: the unit need not make /run/drivesim. */
static int make_parent_dir(const char *path)
{
        char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
        char *slash;

        snprintf(dir, sizeof dir, "%s", path);
        slash = strrchr(dir, '/');
        if (!slash || slash == dir)
                return 0;
        *slash = '\0';
        return mkdir(dir, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

int usb_control_listen(usb_frontend *fe, const char *path, char **error)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        int r;

        init_clients();
        if (strlen(path) >= sizeof addr.sun_path) {
                *error = strdup("control socket path too long");
                return -ENAMETOOLONG;
        }
        strcpy(addr.sun_path, path);
        r = make_parent_dir(path);
        if (r < 0) {
                if (asprintf(error, "cannot create the directory of %s: %s", path, strerror(-r)) <
                    0)
                        *error = NULL;
                return r;
        }
        (void)unlink(path); /* a socket left by an earlier run */
        listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
            listen(listen_fd, 8) < 0) {
                r = -errno;
                if (asprintf(error, "cannot listen on %s: %s", path, strerror(-r)) < 0)
                        *error = NULL;
                if (listen_fd >= 0)
                        close(listen_fd);
                listen_fd = -1;
                return r;
        }
        socket_path = strdup(path);
        return 0;
}

int usb_control_run(usb_frontend *fe)
{
        sigset_t mask;
        int sfd;

        init_clients();
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        sfd = signalfd(-1, &mask, SFD_CLOEXEC);
        if (sfd < 0)
                return -errno;
        for (;;) {
                struct pollfd p[3 + MAX_CLIENTS];
                nfds_t n = 0;

                p[n++] = (struct pollfd){.fd = sfd, .events = POLLIN};
                p[n++] = (struct pollfd){.fd = fe->gone_pipe[0], .events = POLLIN};
                p[n++] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
                for (unsigned i = 0; i < MAX_CLIENTS; i++)
                        p[n++] = (struct pollfd){.fd = clients[i].fd, .events = POLLIN};
                if (poll(p, n, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        close(sfd);
                        return -errno;
                }
                if (p[0].revents)
                        break;
                if (p[1].revents)
                        usb_drives_reap_gone(fe);
                if (p[2].revents)
                        accept_client();
                for (unsigned i = 0; i < MAX_CLIENTS; i++)
                        if (clients[i].fd >= 0 && p[3 + i].revents)
                                client_read(fe, &clients[i]);
        }
        close(sfd);
        return 0;
}

void usb_control_close(void)
{
        init_clients();
        for (unsigned i = 0; i < MAX_CLIENTS; i++)
                if (clients[i].fd >= 0)
                        client_close(&clients[i]);
        if (listen_fd >= 0)
                close(listen_fd);
        listen_fd = -1;
        if (socket_path) {
                (void)unlink(socket_path);
                free(socket_path);
                socket_path = NULL;
        }
}
