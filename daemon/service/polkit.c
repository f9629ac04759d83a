/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "polkit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* polkit may show an authentication dialog: give the user time to type. */
#define POLKIT_TIMEOUT_USEC (120ull * 1000000ull)

typedef enum query_state {
        QUERY_ASKING,     /* CheckAuthorization is on its way */
        QUERY_ANSWERED,   /* the call waits in the read queue with its answer */
        QUERY_DISPATCHED, /* the call's handler runs now (or ran) */
        QUERY_KEPT,       /* the handler will run again later: the answer waits */
} query_state;

typedef struct polkit_query {
        polkit_registry *registry;
        struct polkit_query *next;
        /* Held until the query goes: the pointer names the call, and a
         * message we hold cannot be freed and its address given to another. */
        sd_bus_message *call;
        char *action;
        sd_bus_slot *slot; /* the CheckAuthorization call while asking */
        query_state state;
        int result; /* 1 allowed, 0 denied, POLKIT_CHALLENGE, other < 0: could not ask */
} polkit_query;

struct polkit_registry {
        sd_bus *bus;
        sd_bus_slot *filter;
        polkit_query *queries;
        polkit_returning_fn returning;
        void *userdata;
};

static void query_free(polkit_query *q)
{
        for (polkit_query **p = &q->registry->queries; *p; p = &(*p)->next)
                if (*p == q) {
                        *p = q->next;
                        break;
                }
        sd_bus_slot_unref(q->slot);
        sd_bus_message_unref(q->call);
        free(q->action);
        free(q);
}

static polkit_query *query_find(polkit_registry *reg, sd_bus_message *call, const char *action)
{
        for (polkit_query *q = reg->queries; q; q = q->next)
                if (q->call == call && (!action || strcmp(q->action, action) == 0))
                        return q;
        return NULL;
}

static int read_answer(sd_bus_message *reply, const char *action)
{
        int authorized = 0, challenge = 0, r;

        if (sd_bus_message_is_method_error(reply, NULL)) {
                const sd_bus_error *e = sd_bus_message_get_error(reply);

                log_warning("polkit CheckAuthorization for %s failed: %s: %s", action,
                            e ? e->name : "?", e && e->message ? e->message : "");
                return -EACCES;
        }
        /* (bba{ss}): authorized, challenge, details */
        r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
        if (r >= 0)
                r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
        if (r < 0) {
                log_warning_errno(r, "Malformed polkit reply for %s", action);
                return -EBADMSG;
        }
        /* A challenge is a "no" that authentication could turn into a "yes":
         * say so, as systemd's services do, so that a client can ask again
         * with ALLOW_INTERACTIVE_AUTHORIZATION or run an agent. */
        return authorized ? 1 : challenge ? POLKIT_CHALLENGE : 0;
}

static int on_answer(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        polkit_query *q = userdata;
        sd_bus_error e = SD_BUS_ERROR_NULL;
        int r;

        q->slot = sd_bus_slot_unref(q->slot);
        q->result = read_answer(reply, q->action);
        log_debug("polkit: %s for %s: %d", sd_bus_message_get_sender(q->call), q->action,
                  q->result);
        /* The call goes through its handler again, which finds the answer. */
        r = sd_bus_enqueue_for_read(q->registry->bus, q->call);
        if (r >= 0) {
                q->state = QUERY_ANSWERED;
                return 0;
        }
        log_warning_errno(r, "Cannot resume %s after polkit's answer",
                          sd_bus_message_get_member(q->call));
        if (q->result > 0)
                sd_bus_error_set_errnof(&e, -r, "Cannot resume the call: %s", strerror(-r));
        else
                polkit_error(&e, q->action, q->result);
        r = sd_bus_reply_method_error(q->call, &e);
        if (r < 0)
                log_debug_errno(r, "Cannot send error reply");
        sd_bus_error_free(&e);
        query_free(q);
        return 0;
}

/*
 * Sees every incoming message before sd-bus dispatches it. A call coming
 * back with its answer is marked as dispatched; one marked before that did
 * not take its answer (a check before polkit refused it the second time):
 * its handler is over, so the answer and the call are let go here.
 */
static int on_message(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        polkit_registry *reg = userdata;
        polkit_query *q, *next;

        for (q = reg->queries; q; q = next) {
                next = q->next;
                if (q->state == QUERY_DISPATCHED && q->call != m)
                        query_free(q);
        }
        for (q = reg->queries; q; q = q->next)
                if (q->call == m && q->state == QUERY_ANSWERED)
                        break;
        if (!q)
                return 0;
        q->state = QUERY_DISPATCHED;
        if (reg->returning && reg->returning(m, reg->userdata) > 0) {
                query_free(q);
                return 1;
        }
        return 0;
}

void polkit_keep_answer(polkit_registry *reg, sd_bus_message *call)
{
        for (polkit_query *q = reg->queries; q; q = q->next)
                if (q->call == call && q->state == QUERY_DISPATCHED)
                        q->state = QUERY_KEPT;
}

int polkit_requeue(polkit_registry *reg, sd_bus_message *call)
{
        int r = sd_bus_enqueue_for_read(reg->bus, call);

        for (polkit_query *q = reg->queries; q; q = q->next)
                if (q->call == call && q->state == QUERY_KEPT)
                        q->state = r >= 0 ? QUERY_ANSWERED : QUERY_DISPATCHED;
        return r;
}

void polkit_forget_answer(polkit_registry *reg, sd_bus_message *call)
{
        polkit_query *q, *next;

        for (q = reg->queries; q; q = next) {
                next = q->next;
                if (q->call == call)
                        query_free(q);
        }
}

int polkit_registry_new(sd_bus *bus, polkit_returning_fn returning, void *userdata,
                        polkit_registry **ret)
{
        polkit_registry *reg = calloc(1, sizeof *reg);
        int r;

        if (!reg)
                return -ENOMEM;
        reg->bus = bus;
        reg->returning = returning;
        reg->userdata = userdata;
        r = sd_bus_add_filter(bus, &reg->filter, on_message, reg);
        if (r < 0) {
                free(reg);
                return r;
        }
        *ret = reg;
        return 0;
}

polkit_registry *polkit_registry_free(polkit_registry *reg)
{
        if (!reg)
                return NULL;
        while (reg->queries)
                query_free(reg->queries);
        sd_bus_slot_unref(reg->filter);
        free(reg);
        return NULL;
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

static int ask(polkit_registry *reg, sd_bus_message *call, const char *sender, const char *action)
{
        sd_bus_message *req = NULL;
        polkit_query *q;
        uint32_t flags;
        int r;

        q = calloc(1, sizeof *q);
        if (!q)
                return -ENOMEM;
        q->registry = reg;
        q->call = sd_bus_message_ref(call);
        q->action = strdup(action);
        q->next = reg->queries;
        reg->queries = q;
        if (!q->action) {
                r = -ENOMEM;
                goto fail;
        }
        /* AllowUserInteraction = 1 only when the caller set the header flag. */
        flags = sd_bus_message_get_allow_interactive_authorization(call) ? 1 : 0;
        r = sd_bus_message_new_method_call(
            reg->bus, &req, "org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority",
            "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization");
        if (r >= 0)
                r = sd_bus_message_append(req, "(sa{sv})sa{ss}us", "system-bus-name", 1, "name",
                                          "s", sender, action, 0, flags, "");
        if (r >= 0)
                r = sd_bus_call_async(reg->bus, &q->slot, req, on_answer, q, POLKIT_TIMEOUT_USEC);
        sd_bus_message_unref(req);
        if (r < 0)
                goto fail;
        return 0;
fail:
        query_free(q);
        return r;
}

int polkit_verify_async(sd_bus_message *call, const char *action, bool always_check,
                        polkit_registry *reg, sd_bus_error *error)
{
        const char *sender = sd_bus_message_get_sender(call);
        polkit_query *q = query_find(reg, call, action);
        int r;

        if (q && q->state == QUERY_ASKING)
                return 0;
        if (q) {
                /* The call is back with polkit's answer. It is let go when the
                 * next message comes, unless the handler must run once more
                 * (polkit_keep_answer()): then it is found again. */
                r = q->result;
                return r > 0 ? 1 : polkit_error(error, action, r);
        }
        if (!sender)
                return -EBADMSG;
        if (!always_check && sender_is_root(call) > 0)
                return 1;
        r = ask(reg, call, sender, action);
        return r < 0 ? r : 0;
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
