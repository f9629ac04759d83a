/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Settings a caller chooses before its PrepareMedia, in IMAPI2's order
 * (put_ClientName, SetWriteSpeed, then PrepareMedia): kept per drive and per
 * bus connection, seen only by that caller, applied by its PrepareMedia (or
 * the preparation of its one-shot WriteMedia) under the options it passes.
 * An entry goes when its caller leaves the bus, when its preparation has
 * succeeded and when the drive goes. Loop thread only.
 */

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "rawcd.h"

/* At most this many callers keep staged settings on one drive: the next
 * one's property write is LimitsExceeded (PrepareMedia's options still work). */
#define RAWCD_STAGED_MAX 16

typedef struct rawcd_staged {
        struct rawcd_staged *next;
        Recorder *rec;
        char *sender; /* the caller's unique bus name */
        sd_bus_track *track;
        /* IMAPI2's defaults where the caller set nothing, and no client name
         * until it sets one: what PrepareMedia would take anyway. */
        rawcd_settings settings;
} rawcd_staged;

/* The caller's staged settings on this drive, or NULL. */
rawcd_staged *rawcd_staged_find(RawCD *c, const char *sender);

/* The caller's entry, made (and its connection tracked) when it has none.
 * -ENOBUFS when RAWCD_STAGED_MAX callers already have one (error set to
 * LimitsExceeded), -ENOMEM, or sd-bus's error. */
int rawcd_staged_get(Recorder *rec, const char *sender, rawcd_staged **ret, sd_bus_error *error);

/* The settings to show to the reader of a property: the staged settings of
 * the caller of the Properties.Get/GetAll (or GetManagedObjects) call being
 * answered, NULL for anyone else and for the values a signal carries. */
const rawcd_settings *rawcd_staged_for_reader(RawCD *c, sd_bus_message *current);

/* Puts the caller's settings over s (PrepareMedia's defaults for it): its
 * client name only when it set one, since s has the process name. */
void rawcd_staged_apply(const rawcd_staged *st, rawcd_settings *s);

void rawcd_staged_drop(RawCD *c, const char *sender);
void rawcd_staged_drop_all(RawCD *c);
