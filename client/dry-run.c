/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "dry-run.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus-util.h"
#include "drive-list.h"
#include "drive-offset.h"
#include "drive-text.h"
#include "exit-status.h"
#include "format.h"
#include "inspect-report.h"
#include "layout-text.h"
#include "output.h"
#include "rawburn-bus.h"
#include "rawburn/cdtext.h"
#include "rawburn/image-inspect.h"
#include "rawburn/msf.h"
#include "verify.h"

#define MAX_WARNINGS 16

typedef struct dry {
        const burn_options *o;
        burn_input *src;
        int32_t sector_type;
        int32_t first_lba, leadout;
        unsigned tracks;
        size_t cdtext_packs;
        rb_cdtext_t cdtext; /* decoded from the packs the lead-in carries */
        drive_list drives;
        drive *d;             /* the drive it would burn on, or NULL */
        const char *no_drive; /* why there is none to compare with */
        char *warnings[MAX_WARNINGS];
        size_t n_warnings;
        int status;
} dry;

static void warn(dry *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(dry *w, const char *fmt, ...)
{
        va_list ap;
        char *s = NULL;
        if (w->n_warnings == MAX_WARNINGS)
                return;
        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) >= 0)
                w->warnings[w->n_warnings++] = s;
        va_end(ap);
}

/* Program-area sectors as audio time and Mode 1 data. */
static void room_text(int64_t sectors, char *buf, size_t size)
{
        int64_t s = sectors < 0 ? -sectors : sectors;
        snprintf(buf, size, "%lld:%02lld of audio, %.1f MiB of data", (long long)(s / 75 / 60),
                 (long long)(s / 75 % 60), s * 2048.0 / (1024 * 1024));
}

/* ------------------------------------------------------------- the source */

/* What the CD-Text packs say, as image inspect prints it. */
static void print_cdtext(const rb_cdtext_t *text)
{
        char t[16];
        for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                const rb_cdtext_block_t *blk = rb_cdtext_block_get(text, k);
                if (!blk)
                        continue;
                printf("  block %u: %s, %s", k, rb_cdtext_language_name(blk->language),
                       rb_cdtext_charset_name(blk->charset));
                if (blk->genre != RB_CDTEXT_GENRE_NONE)
                        printf(", genre %04X %s", (unsigned)blk->genre,
                               rb_cdtext_genre_name(blk->genre));
                putchar('\n');
                for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                        for (int n = 0; n < 100; n++)
                                if (blk->text[f][n]) {
                                        snprintf(t, sizeof t, "track %02d", n);
                                        printf("  %-10s %s  %s\n",
                                               rb_cdtext_field_name((rb_cdtext_field_t)f),
                                               n ? t : "disc    ", blk->text[f][n]);
                                }
        }
}

static void cdtext_json(const rb_cdtext_t *text, json_obj *j)
{
        json_key(j, "cdtext");
        fputc('[', j->f);
        bool first_block = true;
        for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                const rb_cdtext_block_t *blk = rb_cdtext_block_get(text, k);
                if (!blk)
                        continue;
                json_obj b;
                if (!first_block)
                        fputc(',', j->f);
                first_block = false;
                json_open(&b, j->f);
                json_int(&b, "block", k);
                json_str(&b, "language", rb_cdtext_language_name(blk->language));
                json_str(&b, "charset", rb_cdtext_charset_name(blk->charset));
                json_key(&b, "text");
                fputc('[', j->f);
                bool first = true;
                for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                        for (int n = 0; n < 100; n++)
                                if (blk->text[f][n]) {
                                        json_obj e;
                                        if (!first)
                                                fputc(',', j->f);
                                        first = false;
                                        json_open(&e, j->f);
                                        json_str(&e, "field",
                                                 rb_cdtext_field_name((rb_cdtext_field_t)f));
                                        json_int(&e, "track", n);
                                        json_str(&e, "text", blk->text[f][n]);
                                        json_close(&e);
                                }
                fputc(']', j->f);
                json_close(&b);
        }
        fputc(']', j->f);
}

static int describe_raw(dry *w)
{
        burn_input *s = w->src;
        char err[1024] = "";
        rb_inspect_t *in = calloc(1, sizeof *in);
        if (!in)
                return -ENOMEM;
        /* The whole image, read from where it is: a dry run may take the time. A
         * pipe on standard input is read to its end and goes nowhere. */
        int r = 0;
        if (s->seekable && lseek(s->fd, 0, SEEK_SET) < 0)
                r = -errno;
        rb_sector_type_t type =
            (rb_sector_type_t)(s->sector_type == RAWBURN_SECTOR_IS_COOKED ? RAWBURN_SECTOR_IS_RAW
                                                                          : s->sector_type);
        if (s->fd == STDIN_FILENO && !w->o->input.sector_type)
                type = 0; /* not probed: the inspector tells 2448 from 2368 */
        if (r == 0)
                r = rb_image_inspect_fd(s->fd, type, s->first_lba, in, err, sizeof err);
        if (r < 0) {
                log_error("%s: %s", s->path, err[0] ? err : strerror(-r));
                rb_inspect_free(in);
                free(in);
                return r;
        }
        w->leadout = in->leadout_lba;
        for (size_t i = 0; i < in->toc_count; i++)
                if (in->toc[i].point == 0xA2)
                        w->leadout = rb_msf_to_lba(in->toc[i].p);
        w->tracks = in->track_count;
        w->cdtext_packs = in->cdtext_packs;
        if (in->cdtext_pack_list)
                (void)rb_cdtext_parse(in->cdtext_pack_list, in->cdtext_packs, &w->cdtext, NULL);
        if (in->q_crc_errors)
                warn(w,
                     "%llu sectors of the image have a bad Q CRC (the first at LBA %d): the "
                     "disc would carry them as they are",
                     (unsigned long long)in->q_crc_errors, in->first_q_crc_error);
        if (in->trailing_bytes)
                warn(w, "the image ends with %llu bytes that are not a whole sector",
                     (unsigned long long)in->trailing_bytes);
        if (!arg_json) {
                printf("raw image %s:\n", s->path);
                inspect_report_text(in, stdout); /* CD-Text included */
        }
        rb_inspect_free(in);
        free(in);
        return 0;
}

static void describe_layout(dry *w)
{
        const rb_layout_t *l = w->src->layout;
        w->leadout = l->leadout_lba;
        w->tracks = l->track_count;
        w->cdtext_packs = l->cdtext_pack_count;
        if (l->cdtext_pack_count)
                (void)rb_cdtext_parse(l->cdtext_packs, l->cdtext_pack_count, &w->cdtext, NULL);
        if (!arg_json) {
                layout_print(l, stdout);
                print_cdtext(&w->cdtext);
        }
        /* Byte order doubts go with the other warnings. */
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (f) {
                layout_warn_byte_order(l, f);
                fclose(f);
                for (char *line = text, *next; line && *line; line = next) {
                        next = strchr(line, '\n');
                        if (next)
                                *next++ = 0;
                        if (strncmp(line, "warning: ", 9) == 0)
                                line += 9;
                        warn(w, "%s", line);
                }
                free(text);
        }
        if (l->cdtext_lossy)
                warn(w, "%u CD-Text characters could not be written as given (see CD-Text above)",
                     l->cdtext_lossy);
}

/* ------------------------------------------------------------- the drive */

static void find_drive(dry *w)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus *bus = NULL;
        int r = bus_open(&bus);
        if (r >= 0)
                r = drives_load(bus, &w->drives, &error);
        sd_bus_flush_close_unref(bus);
        if (r < 0) {
                w->no_drive = "rawburnd is not running";
                if (w->o->drive)
                        w->status = report_bus_error(w->o->drive, "reading the drives", &error, r);
                return;
        }
        r = drives_choose(&w->drives, w->o->drive, PICK_BLANK, &w->d);
        if (r == 0)
                return;
        w->d = NULL;
        if (w->o->drive) /* a drive named that is not there is a mistake worth saying */
                w->status = drives_choose_report(r, &w->drives, w->o->drive, PICK_BLANK);
        w->no_drive = r == -ENXIO ? "there is no drive" : "no drive holds a blank disc";
}

static const char *raw_mode_of(int32_t sector_type)
{
        return sector_type == RAWBURN_SECTOR_PQ_ONLY     ? "RAW/R16"
               : sector_type == RAWBURN_SECTOR_IS_COOKED ? "RAW/R96P"
                                                         : "RAW/R96R";
}

static bool has_sector_type(const drive *d, int32_t t)
{
        for (size_t i = 0; i < d->sector_types.n; i++)
                if (d->sector_types.v[i] == t)
                        return true;
        return false;
}

static void check_drive(dry *w)
{
        const drive *d = w->d;
        char a[16], b[16], speed[16], asked[16];

        if (!d->recorder_supported) {
                warn(w,
                     "%s cannot burn in raw mode at all (rawburnctl drives lists its write "
                     "modes): use another drive",
                     d->name);
                return;
        }
        if (d->sector_types.n && !has_sector_type(d, w->sector_type))
                warn(w,
                     "%s cannot write %s sectors (%s): rawburnd would refuse it, choose "
                     "another --sector-type",
                     d->name, sector_type_name(w->sector_type), raw_mode_of(w->sector_type));
        if (w->o->simulate && d->write_modes) {
                char test[32];
                snprintf(test, sizeof test, "TEST/%s", raw_mode_of(w->sector_type));
                if (!drive_has_write_mode(d, test))
                        warn(w,
                             "%s cannot simulate a raw burn of %s sectors (no %s): --simulate "
                             "would be refused",
                             d->name, sector_type_name(w->sector_type), test);
        }
        if (!d->media_present)
                return;
        if (!d->media_supported)
                warn(w, "the disc in %s cannot be burned raw: insert a blank CD-R or CD-RW",
                     d->name);
        else if (!d->blank)
                warn(w,
                     "the disc in %s is not blank: insert a blank CD-R, or erase this CD-RW "
                     "with rawburnctl blank",
                     d->name);
        if (d->next_session < 0 && w->first_lba > d->next_session)
                warn(w,
                     "the image's lead-in starts at %s, after this disc's at %s: rawburnd "
                     "would refuse it; make it with an earlier --first-lba",
                     format_msf(w->first_lba, a, sizeof a),
                     format_msf(d->next_session, b, sizeof b));
        if (w->o->speed > 0 && d->write_speeds.n) {
                int32_t top = 0;
                for (size_t i = 0; i < d->write_speeds.n; i++)
                        if (d->write_speeds.v[i] > top)
                                top = d->write_speeds.v[i];
                if (w->o->speed > top)
                        warn(w, "%s writes this disc at %s at most: --speed %s gets %s", d->name,
                             format_speed(top, speed, sizeof speed),
                             format_speed(w->o->speed, asked, sizeof asked), speed);
        }
}

/* ------------------------------------------------------------- capacity */

/* The usual blanks: their lead-out limit counted from 00:00:00 (LBA minutes × 4500 − 150). */
static const unsigned common_minutes[] = {74, 80, 90, 99};
#define N_COMMON (sizeof common_minutes / sizeof common_minutes[0])

static int32_t common_limit(unsigned minutes)
{
        return (int32_t)minutes * RB_FRAMES_PER_MINUTE - RB_MSF_OFFSET;
}

/* "yes, with 79:48 of audio, … to spare" / "no: 1:02 of audio, … too long". */
static void fit_text(int32_t leadout, int32_t limit, char *buf, size_t size)
{
        char room[96];
        room_text((int64_t)limit - leadout, room, sizeof room);
        if (leadout <= limit)
                snprintf(buf, size, "yes, with %s to spare", room);
        else
                snprintf(buf, size, "no: %s too long", room);
}

/* The nominal size of a disc from its last possible lead-out (74:00:00 → 74,
 * 79:59:74 → 80; a 99-minute disc reports 89:59:74 and shows as 90). */
static int disc_minutes(int32_t last_leadout)
{
        return (int)((last_leadout + RB_MSF_OFFSET + RB_FRAMES_PER_MINUTE / 2) /
                     RB_FRAMES_PER_MINUTE);
}

static void print_capacity(dry *w)
{
        char a[16], b[16], room[96], fit[160], media[96], model[96];
        const drive *d = w->d;
        bool have_disc = d && d->media_present && d->last_leadout > 0;

        room_text(w->leadout, room, sizeof room);
        printf("size:        lead-out at %s (LBA %d): %s\n", format_msf(w->leadout, a, sizeof a),
               w->leadout, room);
        if (have_disc) {
                drive_media_summary(d, media, sizeof media);
                room_text(d->last_leadout, room, sizeof room);
                printf("disc:        %s (%s): %s (%d minutes), lead-in from %s (LBA %d), last "
                       "lead-out %s (LBA %d): room for %s\n",
                       d->name, drive_model(d, model, sizeof model), media,
                       disc_minutes(d->last_leadout), format_msf(d->next_session, a, sizeof a),
                       d->next_session, format_msf(d->last_leadout, b, sizeof b), d->last_leadout,
                       room);
                fit_text(w->leadout, d->last_leadout, fit, sizeof fit);
                printf("fits:        %s\n", fit);
                return;
        }
        if (d)
                printf("disc:        none in %s: against the common disc sizes\n", d->name);
        else
                printf("disc:        none to compare with (%s): against the common disc sizes\n",
                       w->no_drive ? w->no_drive : "no drive");
        for (size_t i = 0; i < N_COMMON; i++) {
                int32_t limit = common_limit(common_minutes[i]);
                room_text(limit, room, sizeof room);
                fit_text(w->leadout, limit, fit, sizeof fit);
                printf("  %u min:    room for %s; fits: %s\n", common_minutes[i], room, fit);
        }
        printf("  (90 and 99-minute discs end past 89:59:74, the last address of a TOC: drives "
               "write their end only by overburning)\n");
}

static void capacity_json(dry *w, json_obj *j)
{
        const drive *d = w->d;
        bool have_disc = d && d->media_present && d->last_leadout > 0;
        json_int(j, "leadout_lba", w->leadout);
        json_num(j, "audio_minutes", w->leadout / 4500.0, 2);
        json_num(j, "data_mib", w->leadout * 2048.0 / 1048576, 1);
        if (have_disc) {
                json_str(j, "drive", d->name);
                json_int(j, "leadin_start_lba", d->next_session);
                json_int(j, "last_leadout_lba", d->last_leadout);
                json_int(j, "disc_minutes", disc_minutes(d->last_leadout));
                json_bool(j, "fits", w->leadout <= d->last_leadout);
                json_int(j, "spare_sectors", (int64_t)d->last_leadout - w->leadout);
                return;
        }
        json_str(j, "drive", d ? d->name : NULL);
        json_str(j, "no_disc", d ? "no disc in the drive" : w->no_drive);
        json_key(j, "sizes");
        fputc('[', j->f);
        for (size_t i = 0; i < N_COMMON; i++) {
                int32_t limit = common_limit(common_minutes[i]);
                json_obj k;
                if (i)
                        fputc(',', j->f);
                json_open(&k, j->f);
                json_int(&k, "minutes", common_minutes[i]);
                json_int(&k, "last_leadout_lba", limit);
                json_num(&k, "audio_minutes", limit / 4500.0, 2);
                json_num(&k, "data_mib", limit * 2048.0 / 1048576, 1);
                json_bool(&k, "fits", w->leadout <= limit);
                json_int(&k, "spare_sectors", (int64_t)limit - w->leadout);
                json_close(&k);
        }
        fputc(']', j->f);
}

/* The write offset the burn would put into the image it makes (drive_offset_apply()).
 * Returns its source for --json; says it in the text. */
static const char *apply_write_offset(dry *w)
{
        const char *source = drive_offset_apply(w->d, w->o->no_write_offset, w->src);
        char text[96];

        if (w->src->raw || arg_json)
                return source;
        if (w->o->no_write_offset || !w->d || !drive_offset_known(w->d))
                printf("write offset: none (%s)\n", w->o->no_write_offset ? "--no-write-offset"
                                                    : w->d ? "rawburnd does not say the drive's"
                                                           : "no drive to take it from");
        else
                printf("write offset: %s\n", drive_offset_text(w->d, text, sizeof text));
        return source;
}

/* ---------------------------------------------------------------- main */

int burn_dry_run(const burn_options *o, burn_input *src)
{
        dry w = {.o = o, .src = src, .status = EXIT_OK};
        char err[1024], what[512];

        w.sector_type = src->raw ? src->sector_type : (int32_t)src->layout->sector_type;
        w.first_lba = src->raw ? src->first_lba : src->layout->first_lba;
        burn_input_describe(src, what, sizeof what);
        if (!arg_json)
                printf("Dry run of a burn of %s: no disc is touched.\n", what);
        if (!src->raw)
                describe_layout(&w);
        else if (describe_raw(&w) < 0) {
                w.status = EXIT_SOURCE;
                goto out;
        }
        find_drive(&w);
        if (w.status != EXIT_OK)
                goto out;
        if (w.d)
                check_drive(&w);
        const char *offset_source = apply_write_offset(&w);
        if (o->verify && verify_possible(src, err, sizeof err) < 0)
                warn(&w, "%s", err);
        bool fits =
            !(w.d && w.d->media_present && w.d->last_leadout > 0 && w.leadout > w.d->last_leadout);
        if (!fits)
                warn(&w,
                     "the image does not fit on the disc in %s: use a longer disc or leave "
                     "out tracks",
                     w.d->name);
        if (arg_json) {
                json_obj j;
                json_event(&j, "dry-run", NULL);
                json_str(&j, "source", what);
                json_bool(&j, "raw_image", src->raw);
                json_str(&j, "sector_type", sector_type_name(w.sector_type));
                json_int(&j, "first_lba", w.first_lba);
                json_int(&j, "tracks", w.tracks);
                json_int(&j, "cdtext_packs", (int64_t)w.cdtext_packs);
                json_int(&j, "write_offset", src->raw ? 0 : src->layout->write_offset);
                json_str(&j, "write_offset_source", offset_source);
                cdtext_json(&w.cdtext, &j);
                capacity_json(&w, &j);
                json_key(&j, "warnings");
                fputc('[', j.f);
                for (size_t i = 0; i < w.n_warnings; i++) {
                        if (i)
                                fputc(',', j.f);
                        json_string(j.f, w.warnings[i]);
                }
                fputc(']', j.f);
                json_close(&j);
                json_end_line(stdout);
        } else {
                print_capacity(&w);
                if (w.n_warnings == 0)
                        printf("warnings:    none\n");
                for (size_t i = 0; i < w.n_warnings; i++)
                        printf("warning:     %s\n", w.warnings[i]);
                printf("Nothing was written%s.\n", w.d ? " and the drive was not touched" : "");
        }
        if (!fits)
                w.status = EXIT_MEDIA;
out:
        for (size_t i = 0; i < w.n_warnings; i++)
                free(w.warnings[i]);
        drives_clear(&w.drives);
        rb_cdtext_clear(&w.cdtext);
        return w.status;
}
