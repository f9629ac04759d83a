/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control-client.h"

struct ctl {
        int fd;
        FILE *in; /* reading only: a socket FILE cannot switch directions */
};

/* Reads lines up to "OK" or "ERR …"; returns true for OK. */
static bool read_reply(ctl *c, char **reply)
{
        char *text = NULL, *line = NULL;
        size_t text_len = 0, cap = 0;
        FILE *out = open_memstream(&text, &text_len);
        bool ok = false;

        while (getline(&line, &cap, c->in) > 0) {
                line[strcspn(line, "\n")] = '\0';
                if (strcmp(line, "OK") == 0) {
                        ok = true;
                        break;
                }
                if (strncmp(line, "ERR", 3) == 0) {
                        rewind(out);
                        fputs(line[3] ? line + 4 : "", out);
                        break;
                }
                fprintf(out, "%s%s", ftell(out) ? "\n" : "", line);
        }
        free(line);
        fclose(out);
        if (reply)
                *reply = text;
        else
                free(text);
        return ok;
}

ctl *ctl_connect(const char *path)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        ctl *c;
        int fd;

        if (strlen(path) >= sizeof addr.sun_path)
                return NULL;
        strcpy(addr.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
                perror("control socket");
                if (fd >= 0)
                        close(fd);
                return NULL;
        }
        c = calloc(1, sizeof *c);
        c->fd = fd;
        c->in = fdopen(fd, "r");
        if (!read_reply(c, NULL)) {
                fprintf(stderr, "control socket: no greeting\n");
                ctl_close(c);
                return NULL;
        }
        return c;
}

void ctl_close(ctl *c)
{
        if (!c)
                return;
        fclose(c->in); /* closes fd too */
        free(c);
}

bool ctl_command(ctl *c, const char *line, char **reply)
{
        if (dprintf(c->fd, "%s\n", line) < 0) {
                if (reply)
                        *reply = strdup("control socket closed");
                return false;
        }
        return read_reply(c, reply);
}
