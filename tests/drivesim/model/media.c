/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Media types and what their ATIP says. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds-internal.h"
#include "ds-util.h"
#include "rawburn/msf.h"

typedef struct media_type {
        const char *name;
        enum ds_media_kind kind;
        unsigned minutes;
        rb_msf_t leadin;       /* ATIP start time of lead-in */
        rb_msf_t last_leadout; /* ATIP last possible start of lead-out */
        unsigned max_speed;
} media_type;

/* Lead-in starts as typical discs report them (97:26:66 is libburn's cookbook example). */
static const media_type media_types[] = {
        {"cdr74", DS_MEDIA_CDR, 74, {97, 26, 66}, {74, 0, 0}, 48},
        {"cdr80", DS_MEDIA_CDR, 80, {97, 26, 66}, {79, 59, 74}, 52},
        {"cdr90", DS_MEDIA_CDR, 90, {97, 15, 0}, {89, 59, 74}, 40},
        {"cdr99", DS_MEDIA_CDR, 99, {97, 15, 0}, {89, 59, 74}, 40},
        {"cdrw74", DS_MEDIA_CDRW, 74, {97, 26, 66}, {74, 0, 0}, 10},
        {"cdrw80", DS_MEDIA_CDRW, 80, {97, 26, 66}, {79, 59, 74}, 24},
        {"dvdr", DS_MEDIA_DVDR, 0, {0, 0, 0}, {0, 0, 0}, 0},
};

static const media_type *find_media_type(const char *name)
{
        for (size_t i = 0; i < sizeof media_types / sizeof media_types[0]; i++)
                if (strcmp(media_types[i].name, name) == 0)
                        return &media_types[i];
        return NULL;
}

/* Room for the 6750-sector lead-out that may start at the last possible position. */
#define LEADOUT_ROOM 6750

int ds_media_load(ds_drive *d, const char *media_spec, char **error)
{
        const media_type *t;
        int r;

        ds_media_unload(d);
        if (strcmp(media_spec, "none") == 0)
                return 0;

        t = find_media_type(media_spec);
        if (!t) {
                return ds_message(error, -EINVAL,
                                  "unknown media '%s' (cdr74, cdr80, cdr90, cdr99, cdrw74, "
                                  "cdrw80, dvdr, cdrom:FILE, none)",
                                  media_spec);
        }
        d->media.kind = t->kind;
        snprintf(d->media.name, sizeof d->media.name, "%s", t->name);
        d->media.minutes = t->minutes;
        d->media.max_speed = t->max_speed;
        if (t->kind == DS_MEDIA_DVDR) {
                d->media.atip_leadin_start = 0;
                d->media.atip_last_leadout = 0;
                r = ds_disc_new_blank(0, 1, &d->media.disc);
        } else {
                d->media.atip_leadin_start = rb_msf_to_lba(t->leadin);
                d->media.atip_last_leadout = rb_msf_to_lba(t->last_leadout);
                r = ds_disc_new_blank(d->media.atip_leadin_start,
                                      d->media.atip_last_leadout + LEADOUT_ROOM, &d->media.disc);
        }
        if (r < 0) {
                memset(&d->media, 0, sizeof d->media);
                return r;
        }
        ds_writer_reset(d);
        return 0;
}

void ds_media_unload(ds_drive *d)
{
        ds_disc_free(d->media.disc);
        memset(&d->media, 0, sizeof d->media);
        d->media.kind = DS_MEDIA_NONE;
        ds_writer_reset(d);
}
