/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Asynchronous polkit CheckAuthorization over sd-bus, with one handler per
 * guarded method. The handler calls polkit_verify_async(): the first time,
 * polkit is asked (the caller's bus name as subject) and the handler returns
 * without replying; once polkit has answered, the very same message is put
 * back into sd-bus's read queue, the handler runs again from the top, and
 * polkit_verify_async() now returns the answer. Everything the handler checks
 * is therefore checked again with the drive as it is after the decision.
 *
 * Root callers pass without asking unless always_check is set (tests). The
 * interactive flag comes from the message header
 * (sd_bus_message_get_allow_interactive_authorization), never an argument.
 */

#include <errno.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

/* polkit's is_challenge: denied unless the caller authenticates (no agent,
 * or the caller did not allow interaction). */
#define POLKIT_CHALLENGE (-ENOKEY)

/* The questions on their way to polkit and the answers waiting for their
 * call to come back, one registry per bus connection. */
typedef struct polkit_registry polkit_registry;

/*
 * Called as a call comes back with polkit's answer, before sd-bus looks for
 * its object: returns > 0 when it replied to the call itself (the object the
 * call was for went away while polkit decided), 0 to let it through.
 */
typedef int (*polkit_returning_fn)(sd_bus_message *call, void *userdata);

int polkit_registry_new(sd_bus *bus, polkit_returning_fn returning, void *userdata,
                        polkit_registry **ret);
/* Forgets every question and answer (the daemon stops): the calls waiting
 * for polkit get no reply. Returns NULL. */
polkit_registry *polkit_registry_free(polkit_registry *reg);

/*
 * Returns 1 when the caller may do action, 0 when polkit is asked and the
 * handler must return without replying (it runs again with the answer), or
 * a negative errno: a refusal with error filled (AccessDenied, or
 * InteractiveAuthorizationRequired for a challenge), or a failure to ask.
 */
int polkit_verify_async(sd_bus_message *call, const char *action, bool always_check,
                        polkit_registry *reg, sd_bus_error *error);

/*
 * A handler that cannot finish yet (the drive is busy with rawburnd's own
 * work for a moment) keeps the call and its answer with
 * polkit_keep_answer(), and later puts it back with polkit_requeue(): the
 * handler runs again from the top and finds the same answer, so the user is
 * not asked twice. polkit_forget_answer() lets the answer go when the call is
 * answered otherwise. All three do nothing for a call polkit was not asked
 * about; polkit_requeue() returns sd_bus_enqueue_for_read()'s result.
 */
void polkit_keep_answer(polkit_registry *reg, sd_bus_message *call);
int polkit_requeue(polkit_registry *reg, sd_bus_message *call);
void polkit_forget_answer(polkit_registry *reg, sd_bus_message *call);

/* Fills error with the reply for a denial or failure (result <= 0):
 * org.freedesktop.DBus.Error.AccessDenied, or InteractiveAuthorizationRequired
 * for POLKIT_CHALLENGE. */
int polkit_error(sd_bus_error *error, const char *action, int result);
