/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "disc-read.h"
#include "disc-read-options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus-util.h"
#include "exit-status.h"
#include "output.h"
#include "progress.h"
#include "rawburn-bus.h"
#include "rawburn/disc-copy.h"
#include "rawburn/image-writer.h"
#include "rawburn/msf.h"
#include "rawburn/scramble.h"
#include "read-offset.h"

#define SECTOR 2448
/* ReadMedia replies when everything is written: no call timeout. */
#define READ_TIMEOUT_USEC UINT64_MAX
/* rawburnd reads this many sectors a command (media-read.c): a failed range
 * is read again sector by sector over that many. */
#define DAEMON_CHUNK   64
#define READ_MEDIA_MAX 450000

static off_t image_offset(int32_t lba)
{
        return (off_t)(lba - RB_IMAGE_START_LBA) * SECTOR;
}

static int read_toc(sd_bus *bus, const drive *d, uint8_t format, uint8_t **data, size_t *len,
                    sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const void *p;
        int r = sd_bus_call_method(bus, RAWBURN_BUS_NAME, d->path, RAWBURN_RAWCD_IFACE, "ReadToc",
                                   error, &reply, "y", format);

        if (r < 0)
                return r;
        r = sd_bus_message_read_array(reply, 'y', &p, len);
        if (r < 0)
                return r;
        *data = malloc(*len ? *len : 1);
        if (!*data)
                return -ENOMEM;
        memcpy(*data, p, *len);
        return 0;
}

/* How far the read is, shown while ReadMedia runs. */
typedef struct read_progress {
        const char *drive;
        int32_t end; /* the image's last LBA + 1 */
        bool drawn;
        uint64_t last_us;
} read_progress;

static uint64_t now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The LBA rawburnd has reached: the file offset it shares with us. */
static void show_progress(read_progress *p, int fd, bool force)
{
        uint64_t now = now_us();
        off_t at = lseek(fd, 0, SEEK_CUR);
        int32_t lba = at < 0 ? 0 : (int32_t)(at / SECTOR) + RB_IMAGE_START_LBA;
        double pct = p->end > 0 && lba > 0 ? 100.0 * lba / p->end : 0;

        if (!p->drive || (!force && now - p->last_us < (arg_json ? 1000000u : 200000u)))
                return;
        p->last_us = now;
        if (arg_json) {
                json_obj j;
                json_event(&j, "read-progress", p->drive);
                json_int(&j, "lba", lba);
                json_int(&j, "end_lba", p->end);
                json_num(&j, "percent", pct, 1);
                json_close(&j);
                json_end_line(stdout);
        } else if (isatty(STDOUT_FILENO)) {
                char tail[96];
                int n = snprintf(tail, sizeof tail, " %5.1f%%  reading  LBA %d of %d", pct, lba,
                                 p->end);
                progress_draw_bar(&p->drawn, pct, tail, n);
        }
}

typedef struct call_state {
        bool done;
        sd_bus_error *error;
        int r;
} call_state;

static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        call_state *c = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);

        c->done = true;
        if (e) {
                (void)sd_bus_error_copy(c->error, e);
                c->r = -abs(sd_bus_message_get_errno(m) ? sd_bus_message_get_errno(m) : EIO);
        }
        return 0;
}

/* ReadMedia of count sectors from first into fd at its position (rawburnd
 * shares the file's offset: it advances by what was written), showing how
 * far it is while it runs. */
static int read_media(sd_bus *bus, const drive *d, int fd, int32_t first, int32_t count,
                      sd_bus_error *error, read_progress *shown)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
        call_state c = {.error = error};
        int r = sd_bus_message_new_method_call(bus, &m, RAWBURN_BUS_NAME, d->path,
                                               RAWBURN_RAWCD_IFACE, "ReadMedia");

        if (r >= 0)
                r = sd_bus_message_append(m, "hii", fd, first, count);
        if (r >= 0)
                r = sd_bus_call_async(bus, &slot, m, on_reply, &c, READ_TIMEOUT_USEC);
        while (r >= 0 && !c.done) {
                r = sd_bus_process(bus, NULL);
                if (r > 0 || c.done)
                        continue;
                if (r >= 0)
                        r = sd_bus_wait(bus, 200000);
                if (shown && r >= 0)
                        show_progress(shown, fd, false);
        }
        if (shown && shown->drawn)
                progress_clear_bar(&shown->drawn);
        return r < 0 ? r : c.r;
}

/* A device error is the disc's (read again); anything else ends the read. */
static bool is_read_failure(const sd_bus_error *e)
{
        static const char *const not_the_disc[] = {
            "InvalidArg",           "RecorderLocked",     "WriteInProgress", "MediaIsNotPrepared",
            "RecorderMediaNoMedia", "NotAuthorized",      "AccessDenied",    "NoReply",
            "ServiceUnknown",       "RecorderDeviceGone", "OutOfMemory",
        };
        const char *name = e && e->name ? e->name : "";
        const char *dot = strrchr(name, '.');

        if (!dot)
                return false;
        for (size_t i = 0; i < sizeof not_the_disc / sizeof *not_the_disc; i++)
                if (strcmp(dot + 1, not_the_disc[i]) == 0)
                        return false;
        return true;
}

static void note_bad(disc_read_result *res, int32_t lba)
{
        if (res->bad_count < DISC_READ_MAX_BAD)
                res->bad[res->bad_count++] = lba;
        res->bad_total++;
}

/* One sector, read again up to 1 + retries times; zeros where it stays unreadable. */
static int read_one(sd_bus *bus, const drive *d, int fd, int32_t lba, const disc_read_options *o,
                    disc_read_result *res)
{
        static const uint8_t zero[SECTOR];

        for (unsigned attempt = 0; attempt <= o->retries; attempt++) {
                _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;

                if (lseek(fd, image_offset(lba), SEEK_SET) < 0)
                        return -errno;
                int r = read_media(bus, d, fd, lba, 1, &e, NULL);
                if (r >= 0)
                        return 1;
                if (!is_read_failure(&e)) {
                        (void)sd_bus_error_copy(&res->error, &e);
                        res->error_r = r;
                        return r;
                }
        }
        if (pwrite(fd, zero, sizeof zero, image_offset(lba)) != (ssize_t)sizeof zero)
                return -errno;
        return 0;
}

/* LBA 0 to end into fd: returns the first LBA not read (end when all were), or
 * a negative errno. Failing ranges of the program area are read sector by
 * sector; the lead-out ends where the drive stops giving it. */
static int read_range(sd_bus *bus, const drive *d, int fd, int32_t leadout, int32_t end,
                      const disc_read_options *o, disc_read_result *res, int32_t *stop)
{
        read_progress shown = {.drive = d->name, .end = end};
        int32_t lba = 0;

        while (lba < end) {
                _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
                int32_t count = end - lba < READ_MEDIA_MAX ? end - lba : READ_MEDIA_MAX;
                off_t at;

                if (lseek(fd, image_offset(lba), SEEK_SET) < 0)
                        return -errno;
                int r = read_media(bus, d, fd, lba, count, &e, &shown);
                if (r >= 0) {
                        lba += count;
                        continue;
                }
                if (!is_read_failure(&e)) {
                        (void)sd_bus_error_copy(&res->error, &e);
                        res->error_r = r;
                        return r;
                }
                /* rawburnd wrote whole sectors up to the command that failed. */
                at = lseek(fd, 0, SEEK_CUR);
                if (at > image_offset(lba))
                        lba += (int32_t)((at - image_offset(lba)) / SECTOR);
                if (lba >= leadout)
                        break; /* drives stop somewhere in the lead-out: made below */
                int32_t window_end = lba + DAEMON_CHUNK < leadout ? lba + DAEMON_CHUNK : leadout;
                for (; lba < window_end; lba++) {
                        r = read_one(bus, d, fd, lba, o, res);
                        if (r < 0)
                                return r;
                        if (r == 0)
                                note_bad(res, lba);
                }
        }
        *stop = lba < end ? lba : end;
        return 0;
}

/* An unreadable sector keeps zeros in its main channel and gets the
 * subchannel the layout says it had: its Q said nothing. */
static int patch_bad_subchannel(const disc_read_result *res, int fd)
{
        for (unsigned i = 0; i < res->bad_count; i++) {
                uint8_t raw[RB_SUBCHANNEL_SIZE];
                int r = rb_image_sector_subchannel(&res->layout, res->bad[i], raw);

                if (r < 0)
                        return r;
                if (pwrite(fd, raw, sizeof raw, image_offset(res->bad[i]) + RB_SECTOR_SIZE) !=
                    (ssize_t)sizeof raw)
                        return -errno;
        }
        return 0;
}

int disc_read_image(sd_bus *bus, const drive *d, int fd, const disc_read_options *o,
                    disc_read_result *res)
{
        _cleanup_(sd_bus_error_free) sd_bus_error e5 = SD_BUS_ERROR_NULL;
        uint8_t *toc2 = NULL, *cdtext = NULL;
        size_t toc2_len = 0, cdtext_len = 0;
        rb_disc_toc_t toc;
        int32_t end, stop = 0;
        int r;

        res->error = SD_BUS_ERROR_NULL;
        rb_layout_init(&res->layout);
        r = read_toc(bus, d, 2, &toc2, &toc2_len, &res->error);
        if (r < 0) {
                res->error_r = r;
                goto out;
        }
        r = rb_disc_toc_parse(toc2, toc2_len, &toc, res->message, sizeof res->message);
        if (r < 0)
                goto out;
        /* No CD-Text is no failure: drives refuse format 5 for a disc without. */
        if (read_toc(bus, d, 5, &cdtext, &cdtext_len, &e5) < 0 && !is_read_failure(&e5) &&
            !sd_bus_error_has_name(&e5, RAWBURN_ERROR_PREFIX "InvalidArg")) {
                (void)sd_bus_error_copy(&res->error, &e5);
                res->error_r = -EIO;
                r = -EIO;
                goto out;
        }
        res->has_cdtext = cdtext_len > 4;
        end = toc.leadout_lba + RB_LEADOUT_SECTORS;
        if (ftruncate(fd, image_offset(end)) < 0) {
                r = -errno;
                snprintf(res->message, sizeof res->message,
                         "the image cannot grow to %lld bytes: %s", (long long)image_offset(end),
                         strerror(errno));
                goto out;
        }
        r = read_range(bus, d, fd, toc.leadout_lba, end, o, res, &stop);
        if (r < 0)
                goto out;
        res->leadout_read = stop - toc.leadout_lba;
        if (o->read_offset) {
                r = read_offset_apply(fd, &toc, o->read_offset, res->message, sizeof res->message);
                if (r < 0)
                        goto out;
        }
        r = rb_disc_copy_layout(&res->layout, &toc, cdtext, cdtext_len, fd, res->message,
                                sizeof res->message);
        if (r < 0)
                goto out;
        r = patch_bad_subchannel(res, fd);
        if (r >= 0)
                r = rb_disc_copy_write_leadin(&res->layout, fd, res->message, sizeof res->message);
        if (r >= 0 && stop < end)
                r = rb_disc_copy_write_leadout(&res->layout, fd, stop, res->message,
                                               sizeof res->message);
        if (r >= 0 && res->bad_total && !o->accept_errors)
                r = -EIO;
out:
        free(toc2);
        free(cdtext);
        return r;
}

void disc_read_clear(disc_read_result *res)
{
        rb_layout_free(&res->layout);
        sd_bus_error_free(&res->error);
}

int disc_read_report_failure(const drive *d, int r, const disc_read_result *res)
{
        if (sd_bus_error_is_set(&res->error))
                return report_bus_error(d->name, "reading the disc", &res->error, res->error_r);
        if (r == -EIO && res->bad_total) {
                char list[4096];
                size_t n = 0;

                list[0] = 0;
                for (unsigned i = 0; i < res->bad_count && n + 16 < sizeof list; i++)
                        n += (size_t)snprintf(list + n, sizeof list - n, "%s%d", i ? " " : "",
                                              res->bad[i]);
                if (arg_json) {
                        json_obj j;
                        json_event(&j, "error", d->name);
                        json_str(&j, "error", "unreadable-sectors");
                        json_int(&j, "count", (int64_t)res->bad_total);
                        json_str(&j, "lbas", list);
                        json_close(&j);
                        json_end_line(stdout);
                }
                fprintf(stderr,
                        "rawburnctl: %s: %llu sectors stayed unreadable (LBA %s%s); give "
                        "--accept-errors to copy them as zeros\n",
                        d->name, (unsigned long long)res->bad_total, list,
                        res->bad_total > res->bad_count ? " …" : "");
                return EXIT_MEDIA;
        }
        fprintf(stderr, "rawburnctl: %s: %s\n", d->name,
                res->message[0] ? res->message : strerror(-r));
        return EXIT_FAILED;
}

static void say_done(const drive *d, const disc_read_result *res)
{
        const rb_layout_t *l = &res->layout;
        uint64_t sectors = rb_layout_image_sectors(l);

        if (arg_json) {
                json_obj j;
                json_event(&j, "read-done", d->name);
                json_int(&j, "tracks", l->track_count);
                json_int(&j, "leadout_lba", l->leadout_lba);
                json_int(&j, "sectors", (int64_t)sectors);
                json_int(&j, "leadout_read", res->leadout_read);
                json_bool(&j, "cdtext", res->has_cdtext);
                json_int(&j, "unreadable", (int64_t)res->bad_total);
                json_close(&j);
                json_end_line(stdout);
                return;
        }
        printf("%s: read %u track%s, lead-out at LBA %d%s; %d of %d lead-out sectors from the "
               "disc, the lead-in made from its TOC\n",
               d->name, l->track_count, l->track_count == 1 ? "" : "s", l->leadout_lba,
               res->has_cdtext ? ", CD-Text" : "", res->leadout_read, (int)l->leadout_length);
        if (res->bad_total) {
                printf("%s: %llu unreadable sector%s copied as zeros:", d->name,
                       (unsigned long long)res->bad_total, res->bad_total == 1 ? "" : "s");
                for (unsigned i = 0; i < res->bad_count; i++)
                        printf(" %d", res->bad[i]);
                printf("%s\n", res->bad_total > res->bad_count ? " …" : "");
        }
        fflush(stdout);
}

int disc_read_drive(const char *arg, int image_fd, const disc_read_options *o)
{
        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        disc_read_result res = {0};
        drive_list drives = {0};
        drive *d;
        int status, r = bus_open(&bus);

        if (r < 0)
                return report_bus_open_error(r);
        r = drives_load(bus, &drives, &error);
        if (r < 0)
                return report_bus_error(arg, "reading the drives", &error, r);
        r = drives_choose(&drives, arg, PICK_ONLY, &d);
        if (r < 0) {
                status = drives_choose_report(r, &drives, arg, PICK_ONLY);
                drives_clear(&drives);
                return status;
        }
        /* The drive's read offset from the quirks files, unless one was given. */
        disc_read_options use = *o;
        const char *offset_from = "given";
        if (!o->read_offset_given) {
                use.read_offset = d->read_offset_source ? d->read_offset : 0;
                offset_from = d->read_offset_source ? d->read_offset_source : "none";
        }
        if (arg_json) {
                json_obj j;
                json_event(&j, "read-start", d->name);
                json_int(&j, "read_offset", use.read_offset);
                json_str(&j, "read_offset_source", offset_from);
                json_close(&j);
                json_end_line(stdout);
        } else {
                if (!use.read_offset)
                        printf("%s: reading the disc raw (no read offset)\n", d->name);
                else if (strcmp(offset_from, "given") == 0)
                        printf("%s: reading the disc raw, read offset %+d samples\n", d->name,
                               use.read_offset);
                else
                        printf("%s: reading the disc raw, read offset %+d samples (%s quirks "
                               "file)\n",
                               d->name, use.read_offset, offset_from);
                fflush(stdout);
        }
        r = disc_read_image(bus, d, image_fd, &use, &res);
        if (r < 0)
                status = disc_read_report_failure(d, r, &res);
        else {
                say_done(d, &res);
                status = EXIT_OK;
        }
        disc_read_clear(&res);
        drives_clear(&drives);
        return status;
}

int disc_read_option(int c, const char *arg, disc_read_options *o)
{
        char *end;
        long v;

        switch (c) {
        case OPT_ACCEPT_ERRORS:
                o->accept_errors = true;
                return 0;
        case OPT_RETRIES:
                errno = 0;
                v = strtol(arg, &end, 10);
                if (errno || *end || end == arg || v < 0 || v > 100) {
                        fprintf(stderr, "rawburnctl: --retries: 0 to 100\n");
                        return -EINVAL;
                }
                o->retries = (unsigned)v;
                return 0;
        case OPT_READ_OFFSET:
                errno = 0;
                v = strtol(arg, &end, 10);
                if (errno || *end || end == arg || v < -READ_OFFSET_MAX || v > READ_OFFSET_MAX) {
                        fprintf(stderr, "rawburnctl: --read-offset: samples, -%d to %d\n",
                                READ_OFFSET_MAX, READ_OFFSET_MAX);
                        return -EINVAL;
                }
                o->read_offset = (int32_t)v;
                o->read_offset_given = true;
                return 0;
        case OPT_NO_READ_OFFSET:
                o->read_offset = 0;
                o->read_offset_given = true;
                return 0;
        default:
                return -ENOENT;
        }
}
