/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "polkit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* polkit may show an authentication dialog: give the user time to type. */
#define POLKIT_TIMEOUT_USEC (120ull * 1000000ull)

typedef struct polkit_query {
        sd_bus_message *call;
        polkit_done_fn done;
        void *userdata;
        char *action;
} polkit_query;

static void query_finish(polkit_query *q, int result)
{
        q->done(q->call, result, q->userdata);
        sd_bus_message_unref(q->call);
        free(q->action);
        free(q);
}

static int on_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        polkit_query *q = userdata;
        int authorized = 0, challenge = 0, r;

        if (sd_bus_message_is_method_error(reply, NULL)) {
                const sd_bus_error *e = sd_bus_message_get_error(reply);

                log_warning("polkit CheckAuthorization for %s failed: %s: %s", q->action,
                            e ? e->name : "?", e && e->message ? e->message : "");
                query_finish(q, -EACCES);
                return 0;
        }
        /* (bba{ss}): is_authorized, is_challenge, details */
        r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
        if (r >= 0)
                r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
        if (r < 0) {
                log_warning_errno(r, "Malformed polkit reply for %s", q->action);
                query_finish(q, -EBADMSG);
                return 0;
        }
        log_debug("polkit: %s for %s: authorized=%d challenge=%d",
                  sd_bus_message_get_sender(q->call), q->action, authorized, challenge);
        /* A challenge is a "no" that authentication could turn into a "yes":
         * say so, as systemd's services do, so that a client can ask again
         * with ALLOW_INTERACTIVE_AUTHORIZATION or run an agent. */
        query_finish(q, authorized ? 1 : challenge ? POLKIT_CHALLENGE : 0);
        return 0;
}

static int sender_is_root(sd_bus_message *call)
{
        sd_bus_creds *creds = NULL;
        uid_t euid;
        int r;

        r = sd_bus_query_sender_creds(call, SD_BUS_CREDS_EUID | SD_BUS_CREDS_AUGMENT, &creds);
        if (r < 0)
                return r;
        r = sd_bus_creds_get_euid(creds, &euid);
        sd_bus_creds_unref(creds);
        if (r < 0)
                return r;
        return euid == 0;
}

int polkit_check(sd_bus_message *call, const char *action, bool always_check, polkit_done_fn done,
                 void *userdata)
{
        sd_bus *bus = sd_bus_message_get_bus(call);
        sd_bus_message *req = NULL;
        polkit_query *q;
        const char *sender = sd_bus_message_get_sender(call);
        uint32_t flags;
        int r;

        if (!sender)
                return -EBADMSG;
        if (!always_check) {
                r = sender_is_root(call);
                if (r > 0) {
                        done(call, 1, userdata);
                        return 0;
                }
        }

        q = calloc(1, sizeof *q);
        if (!q)
                return -ENOMEM;
        q->call = sd_bus_message_ref(call);
        q->done = done;
        q->userdata = userdata;
        q->action = strdup(action);
        if (!q->action) {
                r = -ENOMEM;
                goto fail;
        }

        /* AllowUserInteraction = 1 only when the caller set the header flag. */
        flags = sd_bus_message_get_allow_interactive_authorization(call) ? 1 : 0;
        r = sd_bus_message_new_method_call(
            bus, &req, "org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority",
            "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization");
        if (r < 0)
                goto fail;
        r = sd_bus_message_append(req, "(sa{sv})sa{ss}us", "system-bus-name", 1, "name", "s",
                                  sender, action, 0, flags, "");
        if (r < 0)
                goto fail;
        r = sd_bus_call_async(bus, NULL, req, on_reply, q, POLKIT_TIMEOUT_USEC);
        if (r < 0)
                goto fail;
        sd_bus_message_unref(req);
        return 0;

fail:
        sd_bus_message_unref(req);
        sd_bus_message_unref(q->call);
        free(q->action);
        free(q);
        return r;
}

int polkit_error(sd_bus_error *error, const char *action, int result)
{
        if (result == 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "Not authorized by polkit for action %s.", action);
        if (result == POLKIT_CHALLENGE)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED,
                                         "Authentication is required by polkit for action %s.",
                                         action);
        return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                 "Could not check authorization for action %s with polkit: %s.",
                                 action, strerror(-result));
}
