/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The control socket's commands and answers, for every drivesim front end. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control-lines.h"

const char dsc_control_help[] =
    "list                     the drives: NAME DEVNODE SG-DEVNODE SYSPATH\n"
    "add SPEC                 a new drive (next srN), announced with an \"add\" uevent\n"
    "remove srN               unplug the drive, announced with a \"remove\" uevent\n"
    "srN COMMAND              a command for the drive: insert MEDIA, eject, open-tray,\n"
    "                         close-tray, fault NAME [op=0xNN] [after=N] [count=N],\n"
    "                         clear-faults, state, export FILE (docs/drivesim.md)\n"
    "ready                    answers OK (drivesim is serving)\n"
    "help                     this text";

__attribute__((format(printf, 3, 4))) static int message(char **reply, int r, const char *format,
                                                         ...)
{
        va_list ap;
        int n;

        va_start(ap, format);
        n = vasprintf(reply, format, ap);
        va_end(ap);
        if (n < 0) {
                *reply = NULL;
                return -ENOMEM;
        }
        return r;
}

int dsc_control_execute(const dsc_frontend_ops *ops, void *userdata, const char *line, char **reply)
{
        char word[64] = "";
        const char *arg;
        int n = 0, r;

        *reply = NULL;
        if (sscanf(line, " %63s %n", word, &n) < 1)
                return message(reply, -EINVAL, "empty command (try help)");
        arg = line + n;

        if (strcmp(word, "ready") == 0)
                return message(reply, 0, "%s", "");
        if (strcmp(word, "help") == 0)
                return message(reply, 0, "%s", dsc_control_help);
        if (strcmp(word, "list") == 0)
                r = ops->list(userdata, reply);
        else if (strcmp(word, "add") == 0) {
                if (!*arg)
                        return message(reply, -EINVAL, "add needs a SPEC, e.g. add cdr80");
                r = ops->add(userdata, arg, reply);
        } else if (strcmp(word, "remove") == 0) {
                r = ops->remove(userdata, arg, reply);
                if (r == -ENOENT && !*reply)
                        return message(reply, r, "no drive '%s'", arg);
        } else {
                r = ops->drive(userdata, word, arg, reply);
                if (r == -ENOENT && !*reply)
                        return message(reply, -EINVAL, "unknown command or drive '%s' (try help)",
                                       word);
        }
        if (!*reply)
                return message(reply, r, "%s", r < 0 ? strerror(-r) : "");
        return r;
}

char *dsc_control_format(int r, const char *reply)
{
        char *out = NULL;

        if (r >= 0) {
                if (asprintf(&out, "%s%sOK\n", reply ? reply : "", reply && *reply ? "\n" : "") < 0)
                        return NULL;
                return out;
        }
        if (asprintf(&out, "ERR %s\n", reply && *reply ? reply : strerror(-r)) < 0)
                return NULL;
        /* One line: the message is the error. */
        for (char *p = out; p[1]; p++)
                if (*p == '\n')
                        *p = ' ';
        return out;
}
