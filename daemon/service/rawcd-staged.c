/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawcd-staged.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rawcd-options.h"
#include "recorder.h"

rawcd_staged *rawcd_staged_find(RawCD *c, const char *sender)
{
        if (!sender)
                return NULL;
        for (rawcd_staged *st = c->staged; st; st = st->next)
                if (strcmp(st->sender, sender) == 0)
                        return st;
        return NULL;
}

static void free_entry(rawcd_staged *st)
{
        sd_bus_track_unref(st->track);
        free(st->sender);
        free(st);
}

static void unlink_entry(RawCD *c, rawcd_staged *st)
{
        for (rawcd_staged **p = &c->staged; *p; p = &(*p)->next)
                if (*p == st) {
                        *p = st->next;
                        c->n_staged--;
                        return;
                }
}

static int on_track_empty(sd_bus_track *track, void *userdata)
{
        rawcd_staged *st = userdata;

        (void)track;
        log_debug("%s: %s left the bus: its staged settings go", st->rec->name, st->sender);
        unlink_entry(&st->rec->rawcd, st);
        free_entry(st);
        return 0;
}

int rawcd_staged_get(Recorder *rec, const char *sender, rawcd_staged **ret, sd_bus_error *error)
{
        RawCD *c = &rec->rawcd;
        rawcd_staged *st;
        int r;

        if (!sender)
                return -EINVAL;
        st = rawcd_staged_find(c, sender);
        if (st) {
                *ret = st;
                return 0;
        }
        if (c->n_staged >= RAWCD_STAGED_MAX) {
                char detail[160];

                snprintf(detail, sizeof detail,
                         "%d callers already keep settings for this drive before their "
                         "PrepareMedia: give yours in PrepareMedia's options",
                         RAWCD_STAGED_MAX);
                return sd_bus_error_set(error, SD_BUS_ERROR_LIMITS_EXCEEDED, detail);
        }
        st = calloc(1, sizeof *st);
        if (!st)
                return -ENOMEM;
        st->rec = rec;
        st->sender = strdup(sender);
        if (!st->sender) {
                free(st);
                return -ENOMEM;
        }
        rawcd_settings_default(&st->settings, NULL);
        st->settings.client_name[0] = '\0';
        r = sd_bus_track_new(rec->daemon->bus, &st->track, on_track_empty, st);
        if (r >= 0)
                r = sd_bus_track_add_name(st->track, sender);
        if (r < 0) {
                free_entry(st);
                return r;
        }
        st->next = c->staged;
        c->staged = st;
        c->n_staged++;
        *ret = st;
        return 0;
}

const rawcd_settings *rawcd_staged_for_reader(RawCD *c, sd_bus_message *current)
{
        const rawcd_staged *st;

        /* Only an answer to the caller itself: a PropertiesChanged sent while
         * its method call is handled must not carry them to everyone. */
        if (!current ||
            (!sd_bus_message_is_method_call(current, "org.freedesktop.DBus.Properties", NULL) &&
             !sd_bus_message_is_method_call(current, "org.freedesktop.DBus.ObjectManager",
                                            "GetManagedObjects")))
                return NULL;
        st = rawcd_staged_find(c, sd_bus_message_get_sender(current));
        return st ? &st->settings : NULL;
}

void rawcd_staged_apply(const rawcd_staged *st, rawcd_settings *s)
{
        /* The values the caller did not set are the defaults s holds already. */
        if (st->settings.client_name[0])
                memcpy(s->client_name, st->settings.client_name, sizeof s->client_name);
        s->sector_type = st->settings.sector_type;
        s->bufe_disabled = st->settings.bufe_disabled;
        s->speed = st->settings.speed;
        s->pure_cav = st->settings.pure_cav;
}

void rawcd_staged_drop(RawCD *c, const char *sender)
{
        rawcd_staged *st = rawcd_staged_find(c, sender);

        if (st) {
                unlink_entry(c, st);
                free_entry(st);
        }
}

void rawcd_staged_drop_all(RawCD *c)
{
        if (c->staged)
                log_debug("%s: the settings %u callers staged go with the drive",
                          c->staged->rec->name, c->n_staged);
        while (c->staged) {
                rawcd_staged *st = c->staged;

                c->staged = st->next;
                free_entry(st);
        }
        c->n_staged = 0;
}
