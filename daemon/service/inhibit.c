/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "inhibit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "log.h"

/* Sleep and shutdown, and the keys and lid that would start them: a laptop
 * closed in the middle of a burn makes a coaster. */
#define INHIBIT_WHAT "sleep:shutdown:handle-suspend-key:handle-lid-switch"

/* logind answers at once; a hung one must not hold a burn back for long. */
#define INHIBIT_TIMEOUT_USEC (5ull * 1000000ull)

typedef struct inhibit_query {
        inhibit_done_fn done;
        void *userdata;
} inhibit_query;

static int on_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        inhibit_query *q = userdata;
        int fd = -1, r;

        if (sd_bus_message_is_method_error(reply, NULL)) {
                const sd_bus_error *e = sd_bus_message_get_error(reply);

                log_notice("No logind inhibitor for the burn (%s): suspend and shutdown are not "
                           "held off",
                           e && e->message ? e->message : "no answer");
                r = -ENOLCK;
        } else {
                r = sd_bus_message_read(reply, "h", &fd);
                if (r >= 0) {
                        /* The message owns fd; keep our own. */
                        fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
                        r = fd < 0 ? -errno : fd;
                }
        }
        q->done(r, q->userdata);
        free(q);
        return 0;
}

int inhibit_take(sd_bus *bus, const char *who, const char *why, inhibit_done_fn done,
                 void *userdata)
{
        sd_bus_message *m = NULL;
        inhibit_query *q;
        int r;

        q = calloc(1, sizeof *q);
        if (!q)
                return -ENOMEM;
        q->done = done;
        q->userdata = userdata;
        r = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.login1",
                                           "/org/freedesktop/login1",
                                           "org.freedesktop.login1.Manager", "Inhibit");
        if (r >= 0)
                r = sd_bus_message_append(m, "ssss", INHIBIT_WHAT, who, why, "block");
        if (r >= 0)
                r = sd_bus_call_async(bus, NULL, m, on_reply, q, INHIBIT_TIMEOUT_USEC);
        sd_bus_message_unref(m);
        if (r < 0)
                free(q);
        return r;
}
