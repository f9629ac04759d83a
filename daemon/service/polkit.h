/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Asynchronous polkit CheckAuthorization over sd-bus, as systemd's
 * bus-polkit.c does it: the method call is held, polkit is asked with the
 * caller's bus name as subject, and the decision resumes the call through a
 * callback. Root callers pass without asking unless always_check is set
 * (tests). The interactive flag comes from the message header
 * (sd_bus_message_get_allow_interactive_authorization), never an argument.
 */

#include <errno.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

/* result: 1 allowed, 0 denied, POLKIT_CHALLENGE denied unless the caller
 * authenticates (polkit's is_challenge: no agent, or the caller did not allow
 * interaction), other negative errno when polkit could not be asked.
 * Runs exactly once; userdata is the caller's. */
#define POLKIT_CHALLENGE (-ENOKEY)
typedef void (*polkit_done_fn)(sd_bus_message *call, int result, void *userdata);

/* Returns 0 when the decision is on its way (or was made and delivered
 * already), negative errno on failure to ask (callback not called). */
int polkit_check(sd_bus_message *call, const char *action, bool always_check, polkit_done_fn done,
                 void *userdata);

/* Fills error with the reply for a denial or failure (result <= 0):
 * org.freedesktop.DBus.Error.AccessDenied, or InteractiveAuthorizationRequired
 * for POLKIT_CHALLENGE. */
int polkit_error(sd_bus_error *error, const char *action, int result);
