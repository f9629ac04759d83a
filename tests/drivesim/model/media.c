/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Media types and what their ATIP says.
 *
 * SPEC media names (docs/drivesim.md may copy this table):
 *
 *   name    kind   ATIP lead-in start     last possible lead-out  write speeds  ATIP disc type
 *   cdr74   CD-R   97:26:66 (LBA -11634)  74:00:00 (LBA 332850)   4..48x        CD-R, sub-type 0
 *   cdr80   CD-R   97:26:66 (LBA -11634)  79:59:74 (LBA 359849)   4..52x        CD-R, sub-type 0
 *   cdr90   CD-R   97:15:00 (LBA -12525)  89:59:74 (LBA 404849)   4..40x        CD-R, sub-type 0
 *   cdr99   CD-R   97:15:00 (LBA -12525)  89:59:74 (LBA 404849)   4..40x        CD-R, sub-type 0
 *   cdrw74  CD-RW  97:26:66 (LBA -11634)  74:00:00 (LBA 332850)   4..10x        CD-RW, sub-type 1
 *   cdrw80  CD-RW  97:26:66 (LBA -11634)  79:59:74 (LBA 359849)   8..24x        CD-RW, sub-type 2
 *   cdrw    alias of cdrw80
 *   dvdr    a blank DVD-R: recognised (profile 0011h), no ATIP, never writable in CD modes
 *   none    an empty drive
 *   cdrom:FILE  a finished disc from a DAO-96 image (the disc store's job, see below)
 *
 * Why these values:
 * - 97:26:66 is the lead-in start of the libburn cookbook's example disc (LBA -11634 by
 *   the MMC formula, -450150 below minute 90; mmc-raw.md §1). Lead-in starts differ by
 *   manufacturer (the seconds/frames encode the manufacturer code, frame % 10 the dye
 *   type), so the 90/99-minute media carry another one, 97:15:00, as those come from other
 *   factories. The value only has to be the same in ATIP, READ DISC INFORMATION and the NWA
 *   of READ TRACK INFORMATION, which it is: all three read it from ds_media.
 * - 74:00:00 and 79:59:74 are what typical 74- and 80-minute discs give as the last possible
 *   lead-out start (wodim -atip prints them).
 * - 90- and 99-minute media: a real 99-minute disc holds more than MSF below 90:00:00 can
 *   address, because minutes 90..99 are the lead-in's (negative LBAs). Such discs report a
 *   lead-out limit within 89:59:74 and are burnt past it by "overburning". drivesim reports
 *   89:59:74 for both and does not model overburning: the 99-minute disc therefore looks
 *   like a 90-minute one to the host. That quirk is deliberate and is the point of cdr99.
 * - ATIP layout as in mmc-raw.md §3.1. CD-R: byte 4 = D2h (writing power 5, reference
 *   speed code 2), sub-type 0, no A1-A3. CD-RW: the bytes wodim -atip prints for real
 *   discs of each kind in public logs: cdrw74 is a High Speed CD-RW (byte 4 = B6h: power
 *   3, reference speed 6; sub-type 1; A1 24 1A D8, A2 26 B2 4A: "1T speed low 4, high 10"),
 *   cdrw80 an Ultra Speed CD-RW (byte 4 = 90h; sub-type 2; A1 66 4A A5, A2 38 80 00,
 *   A3 04 C9 90: "2T speed low 8, high 24"). URU is 0 on all, as on ordinary blanks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds-internal.h"
#include "ds-util.h"
#include "rawburn/msf.h"

typedef struct media_type {
        const char *name;
        const char *alias_of; /* non-NULL: the media this name stands for */
        enum ds_media_kind kind;
        unsigned minutes;
        rb_msf_t leadin;       /* ATIP start time of lead-in */
        rb_msf_t last_leadout; /* ATIP last possible start of lead-out */
        unsigned min_speed, max_speed;
        uint8_t power_speed; /* ATIP byte 4 bits 6-0: writing power (6-4), reference speed (2-0) */
        uint8_t subtype;     /* ATIP disc sub-type (3 bits) */
        uint8_t a[3][3];     /* ATIP A1, A2, A3; all zero = not valid */
} media_type;

/* The CD-RW rows carry the ATIP bytes wodim -atip shows for real discs of that kind:
 * a High Speed CD-RW (1T 4..10x) and an Ultra Speed CD-RW (2T 8..24x). */
static const media_type media_types[] = {
    {"cdr74", NULL, DS_MEDIA_CDR, 74, {97, 26, 66}, {74, 0, 0}, 4, 48, 0x52, 0, {{0}}},
    {"cdr80", NULL, DS_MEDIA_CDR, 80, {97, 26, 66}, {79, 59, 74}, 4, 52, 0x52, 0, {{0}}},
    {"cdr90", NULL, DS_MEDIA_CDR, 90, {97, 15, 0}, {89, 59, 74}, 4, 40, 0x52, 0, {{0}}},
    {"cdr99", NULL, DS_MEDIA_CDR, 99, {97, 15, 0}, {89, 59, 74}, 4, 40, 0x52, 0, {{0}}},
    {"cdrw74",
     NULL,
     DS_MEDIA_CDRW,
     74,
     {97, 26, 66},
     {74, 0, 0},
     4,
     10,
     0x36,
     1,
     {{0x24, 0x1a, 0xd8}, {0x26, 0xb2, 0x4a}, {0}}},
    {"cdrw80",
     NULL,
     DS_MEDIA_CDRW,
     80,
     {97, 26, 66},
     {79, 59, 74},
     8,
     24,
     0x10,
     2,
     {{0x66, 0x4a, 0xa5}, {0x38, 0x80, 0x00}, {0x04, 0xc9, 0x90}}},
    {"cdrw", "cdrw80", DS_MEDIA_NONE, 0, {0, 0, 0}, {0, 0, 0}, 0, 0, 0, 0, {{0}}},
    {"dvdr", NULL, DS_MEDIA_DVDR, 0, {0, 0, 0}, {0, 0, 0}, 0, 0, 0, 0, {{0}}},
};

static const media_type *find_media_type(const char *name)
{
        for (size_t i = 0; i < sizeof media_types / sizeof media_types[0]; i++)
                if (strcmp(media_types[i].name, name) == 0)
                        return media_types[i].alias_of ? find_media_type(media_types[i].alias_of)
                                                       : &media_types[i];
        return NULL;
}

static bool atip_valid(const uint8_t a[3])
{
        return a[0] || a[1] || a[2];
}

/* The READ TOC format 4 descriptor, bytes 4..27 of the reply (mmc-raw.md §3.1). */
static void compose_atip(const media_type *t, rb_msf_t last_leadout, uint8_t atip[24])
{
        memset(atip, 0, 24);
        atip[0] = 0x80 | t->power_speed;
        atip[1] = 0x00; /* URU: restricted use, as ordinary blanks are */
        atip[2] =
            (uint8_t)(0x80 | (t->kind == DS_MEDIA_CDRW) << 6 | (t->subtype & 7) << 3 |
                      atip_valid(t->a[0]) << 2 | atip_valid(t->a[1]) << 1 | atip_valid(t->a[2]));
        atip[4] = t->leadin.m;
        atip[5] = t->leadin.s;
        atip[6] = t->leadin.f;
        atip[8] = last_leadout.m;
        atip[9] = last_leadout.s;
        atip[10] = last_leadout.f;
        for (int i = 0; i < 3; i++)
                memcpy(atip + 12 + 4 * i, t->a[i], 3);
}

/* Room for the 6750-sector lead-out that may start at the last possible position. */
#define LEADOUT_ROOM 6750

static int load_cdrom_image(ds_drive *d, const char *file, char **error)
{
        /* A finished disc from a DAO-96 image (disc.c: ds_disc_open_image); no ATIP. */
        int r = ds_disc_open_image(file, &d->media.disc);

        if (r < 0)
                return ds_message(error, r, "cdrom:%s: cannot open as a DAO-96 image (%s)", file,
                                  strerror(-r));
        d->media.kind = DS_MEDIA_CDROM;
        snprintf(d->media.name, sizeof d->media.name, "cdrom");
        d->media.has_atip = false;
        d->media_generation++;
        ds_writer_reset(d);
        return 0;
}

int ds_media_load(ds_drive *d, const char *media_spec, char **error)
{
        const media_type *t;
        int r;

        /* The drive's mode pages are set once, at power-on; media changes keep them. */
        if (d->write_params.page[0] == 0)
                ds_mode_pages_init(d);

        ds_media_unload(d);
        if (strcmp(media_spec, "none") == 0)
                return 0;
        if (strncmp(media_spec, "cdrom:", 6) == 0)
                return load_cdrom_image(d, media_spec + 6, error);

        t = find_media_type(media_spec);
        if (!t) {
                return ds_message(error, -EINVAL,
                                  "unknown media '%s' (cdr74, cdr80, cdr90, cdr99, cdrw74, "
                                  "cdrw80, cdrw, dvdr, cdrom:FILE, none)",
                                  media_spec);
        }
        d->media.kind = t->kind;
        snprintf(d->media.name, sizeof d->media.name, "%s", t->name);
        d->media.minutes = t->minutes;
        d->media.min_speed = t->min_speed;
        d->media.max_speed = t->max_speed;
        if (t->kind == DS_MEDIA_DVDR) {
                d->media.has_atip = false;
                d->media.atip_leadin_start = 0;
                d->media.atip_last_leadout = 0;
                r = ds_disc_new_blank(0, 1, &d->media.disc);
        } else {
                /* capacity= makes small discs for tests that fill them. */
                rb_msf_t last = d->config.has_capacity ? d->config.capacity : t->last_leadout;

                d->media.has_atip = true;
                compose_atip(t, last, d->media.atip);
                d->media.atip_leadin_start = rb_msf_to_lba(t->leadin);
                d->media.atip_last_leadout = rb_msf_to_lba(last);
                r = ds_disc_new_blank(d->media.atip_leadin_start,
                                      d->media.atip_last_leadout + LEADOUT_ROOM +
                                          (int32_t)d->config.overburn,
                                      &d->media.disc);
        }
        if (r < 0) {
                memset(&d->media, 0, sizeof d->media);
                return ds_message(error, r, "cannot create the disc store for %s", t->name);
        }
        d->media_generation++;
        /* A drive starts every new disc at the fastest speed the disc allows. */
        d->current_write_speed = ds_max_write_speed(d);
        ds_writer_reset(d);
        return 0;
}

void ds_media_unload(ds_drive *d)
{
        if (d->media.kind != DS_MEDIA_NONE)
                d->media_generation++;
        ds_disc_free(d->media.disc);
        memset(&d->media, 0, sizeof d->media);
        d->media.kind = DS_MEDIA_NONE;
        d->blanking = false;
        ds_writer_reset(d);
}
