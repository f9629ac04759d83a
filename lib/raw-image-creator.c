/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * IRawCDImageCreator over the image layout: the creator keeps the streams
 * and the per-track settings, checks IMAPI2's rules as each call comes, and
 * turns into an rb_layout_t (image-layout.h) when a result is asked for;
 * rb_image_write() then streams it. Placement (where each track starts) is
 * computed from the creator alone, so the getters never fail.
 */
#include "rawburn/raw-image-creator.h"

#include "raw-image-creator-private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rawburn/edc-ecc.h"
#include "rawburn/subchannel.h"

/* Where a track lies, from the creator's state. */
typedef struct place {
        int32_t pause_lba, start_lba;
        uint32_t pause, length;
        bool pause_from_previous; /* gapless: the previous stream's last 150 sectors */
} place_t;

static int fail_code(const rb_raw_image_creator_t *c, int code)
{
        return fail(c, -code, "%s", rb_raw_image_error_message(-code));
}

size_t rb_cd_sector_type_size(rb_cd_sector_type_t t)
{
        switch (t) {
        case RB_CD_SECTOR_MODE1:
        case RB_CD_SECTOR_MODE2FORM1:
                return 2048;
        case RB_CD_SECTOR_MODE_ZERO:
        case RB_CD_SECTOR_MODE2FORM0:
        case RB_CD_SECTOR_MODE2FORM2:
                return 2336;
        case RB_CD_SECTOR_AUDIO:
        case RB_CD_SECTOR_MODE1RAW:
        case RB_CD_SECTOR_MODE2FORM0RAW:
        case RB_CD_SECTOR_MODE2FORM1RAW:
        case RB_CD_SECTOR_MODE2FORM2RAW:
                return 2352;
        }
        return 0;
}

/* The layout's track mode and source format of a sector type; false for
 * Mode 0, which the layout cannot write. */
static bool sector_format(rb_cd_sector_type_t t, rb_track_mode_t *mode, rb_data_format_t *fmt)
{
        static const struct {
                rb_track_mode_t mode;
                rb_data_format_t fmt;
        } map[] = {
            [RB_CD_SECTOR_AUDIO] = {RB_TRACK_AUDIO, RB_FMT_AUDIO},
            [RB_CD_SECTOR_MODE1] = {RB_TRACK_MODE1, RB_FMT_MODE1},
            [RB_CD_SECTOR_MODE2FORM0] = {RB_TRACK_MODE2, RB_FMT_MODE2_FORMLESS},
            [RB_CD_SECTOR_MODE2FORM1] = {RB_TRACK_MODE2, RB_FMT_MODE2_FORM1},
            [RB_CD_SECTOR_MODE2FORM2] = {RB_TRACK_MODE2, RB_FMT_MODE2},
            [RB_CD_SECTOR_MODE1RAW] = {RB_TRACK_MODE1, RB_FMT_RAW_SCRAMBLED},
            [RB_CD_SECTOR_MODE2FORM0RAW] = {RB_TRACK_MODE2, RB_FMT_RAW_SCRAMBLED},
            [RB_CD_SECTOR_MODE2FORM1RAW] = {RB_TRACK_MODE2, RB_FMT_RAW_SCRAMBLED},
            [RB_CD_SECTOR_MODE2FORM2RAW] = {RB_TRACK_MODE2, RB_FMT_RAW_SCRAMBLED},
        };
        if ((unsigned)t >= sizeof map / sizeof map[0] || t == RB_CD_SECTOR_MODE_ZERO)
                return false;
        *mode = map[t].mode;
        *fmt = map[t].fmt;
        return true;
}

static rb_track_mode_t track_mode(rb_cd_sector_type_t t)
{
        rb_track_mode_t mode = RB_TRACK_AUDIO;
        rb_data_format_t fmt;
        (void)sector_format(t, &mode, &fmt);
        return mode;
}

/* ---- placement ---- */

static bool joined(const rb_raw_image_creator_t *c, unsigned i)
{
        return i > 0 && c->gapless && c->tracks[i].type == RB_CD_SECTOR_AUDIO &&
               c->tracks[i - 1].type == RB_CD_SECTOR_AUDIO;
}

/* Places the tracks (p may be NULL) and returns the lead-out LBA. */
static int32_t place_tracks(const rb_raw_image_creator_t *c, place_t *p)
{
        int32_t lba = -GAP_SECTORS;

        for (unsigned i = 0; i < c->track_count; i++) {
                place_t x = {.pause_lba = lba};
                if (c->loaded) {
                        x.pause = c->tracks[i].disc_pause;
                        x.length = c->tracks[i].disc_length;
                } else {
                        x.pause = i == 0 && c->pregap.fd >= 0 ? c->pregap.sectors : GAP_SECTORS;
                        x.pause_from_previous = joined(c, i);
                        x.length = c->tracks[i].data.sectors;
                        if (i + 1 < c->track_count && joined(c, i + 1))
                                x.length -= GAP_SECTORS;
                }
                x.start_lba = lba + (int32_t)x.pause;
                lba = x.start_lba + (int32_t)x.length;
                if (p)
                        p[i] = x;
        }
        return lba;
}

static uint32_t track_length(const rb_raw_image_creator_t *c, unsigned i)
{
        place_t p[99];
        place_tracks(c, p);
        return p[i].length;
}

/* The first track whose last index would be shorter than 10 sectors with
 * the placement as it is, or -1. */
static int short_last_index(const rb_raw_image_creator_t *c)
{
        place_t p[99];
        place_tracks(c, p);
        for (unsigned i = 0; i < c->track_count; i++) {
                const rb_raw_image_track_info_t *t = &c->tracks[i];
                if (t->indexes[t->index_count - 1] + MIN_INDEX_SECTORS > (int64_t)p[i].length)
                        return (int)i;
        }
        return -1;
}

/* ---- streams ---- */

static void stream_close(stream_t *s)
{
        if (s->fd >= 0)
                close(s->fd);
        *s = (stream_t){.fd = -1};
}

/* Reads a pipe or socket to its end into a memfd. */
static int spool(int fd, int *ret)
{
        enum { CHUNK = 1 << 16 };
        int mfd = memfd_create("rawburn-stream", MFD_CLOEXEC);
        uint8_t *buf = malloc(CHUNK);
        int r = 0;

        if (mfd < 0 || !buf) {
                r = mfd < 0 ? -errno : -ENOMEM;
                goto out;
        }
        for (;;) {
                ssize_t n = read(fd, buf, CHUNK);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        goto out;
                }
                if (n == 0)
                        break;
                for (ssize_t done = 0; done < n;) {
                        ssize_t w = write(mfd, buf + done, (size_t)(n - done));
                        if (w < 0 && errno == EINTR)
                                continue;
                        if (w < 0) {
                                r = -errno;
                                goto out;
                        }
                        done += w;
                }
        }
out:
        free(buf);
        if (r < 0 && mfd >= 0)
                close(mfd);
        else
                *ret = mfd;
        return r;
}

/* Takes a stream of sectors of `size` bytes: a duplicate of a regular
 * file, anything else read into memory now. */
static int stream_take(rb_raw_image_creator_t *c, int fd, size_t size, const char *what,
                       stream_t *s)
{
        struct stat st;
        int own = -1, r;

        if (fd < 0)
                return fail(c, -EBADF, "%s: no stream (fd %d)", what, fd);
        if (fstat(fd, &st) < 0)
                return fail(c, -errno, "%s: %s", what, strerror(errno));
        if (S_ISDIR(st.st_mode))
                return fail(c, -EISDIR, "%s: a directory is no stream", what);
        if (S_ISREG(st.st_mode)) {
                own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
                if (own < 0)
                        return fail(c, -errno, "%s: %s", what, strerror(errno));
        } else if ((r = spool(fd, &own)) < 0) {
                return fail(c, r, "%s: reading the stream: %s", what, strerror(-r));
        } else if (fstat(own, &st) < 0) {
                r = -errno;
                close(own);
                return fail(c, r, "%s: %s", what, strerror(-r));
        }
        uint64_t sectors = ((uint64_t)st.st_size + size - 1) / size;
        if (sectors > RB_LBA_MAX) {
                close(own);
                return fail_code(c, RB_E_RAW_IMAGE_INSUFFICIENT_SPACE);
        }
        *s = (stream_t){.fd = own, .bytes = (uint64_t)st.st_size, .sectors = (uint32_t)sectors};
        return 0;
}

/* ---- the creator ---- */

int rb_raw_image_creator_new(rb_raw_image_creator_t **ret)
{
        rb_raw_image_creator_t *c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        c->pregap.fd = -1;
        c->rw.fd = -1;
        c->image_type = RB_SECTOR_RAW;
        c->leadout_limit = RB_LEADOUT_LIMIT_MAX;
        c->first_number = 1;
        c->first_lba = RB_IMAGE_START_LBA;
        c->rw_file = -1;
        rb_layout_init(&c->layout);
        c->model = &c->layout;
        *ret = c;
        return 0;
}

static void result_unref(result_t *res)
{
        pthread_mutex_lock(&res->lock);
        bool last = --res->refs == 0;
        pthread_mutex_unlock(&res->lock);
        if (!last)
                return;
        rb_layout_free(&res->layout);
        pthread_mutex_destroy(&res->lock);
        pthread_cond_destroy(&res->cond);
        free(res);
}

void rb_raw_image_creator_free(rb_raw_image_creator_t *c)
{
        if (!c)
                return;
        for (unsigned i = 0; i < c->track_count; i++)
                stream_close(&c->tracks[i].data);
        stream_close(&c->pregap);
        stream_close(&c->rw);
        /* A result thread owns the layout it writes from. */
        if (c->model == &c->layout)
                rb_layout_free(&c->layout);
        if (c->result)
                result_unref(c->result);
        free(c);
}

const char *rb_raw_image_creator_last_error(const rb_raw_image_creator_t *c)
{
        return c->error;
}

int rb__creator_writable(const rb_raw_image_creator_t *c)
{
        return c->read_only ? fail_code(c, RB_E_RAW_IMAGE_IS_READ_ONLY) : 0;
}

static bool audio_only(const rb_raw_image_creator_t *c)
{
        return c->pregap.fd >= 0 || c->first_number != 1;
}

/* IMAPI_CD_SECTOR_TYPE's rule: audio with audio, Mode 1 with Mode 1, the
 * Mode 2 types with each other. */
static bool compatible(rb_cd_sector_type_t a, rb_cd_sector_type_t b)
{
        return track_mode(a) == track_mode(b);
}

int rb_raw_image_creator_add_track(rb_raw_image_creator_t *c, rb_cd_sector_type_t type, int fd,
                                   int *track_index)
{
        rb_track_mode_t mode;
        rb_data_format_t fmt;
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (c->loaded)
                return fail(c, -RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED,
                            "the disc was loaded whole: no track can be added to it");
        if (!sector_format(type, &mode, &fmt))
                return fail(c, -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
                            "sector type %d is not supported", (int)type);
        if (c->first_number + (int)c->track_count > 99)
                return fail(c, -RB_E_RAW_IMAGE_TOO_MANY_TRACKS,
                            "track %d would be past 99: CD track numbers run 1..99",
                            c->first_number + (int)c->track_count);
        if (mode != RB_TRACK_AUDIO && audio_only(c))
                return fail(c, -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
                            "the image is audio-only (%s): data sectors are not supported",
                            c->pregap.fd >= 0 ? "a special pregap was added"
                                              : "the starting track number is not 1");
        if (c->track_count && !compatible(c->tracks[0].type, type))
                return fail(c, -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
                            "a %s track cannot follow %s tracks: audio, Mode 1 and Mode 2 "
                            "tracks do not mix",
                            rb_track_mode_name(mode),
                            rb_track_mode_name(track_mode(c->tracks[0].type)));

        rb_raw_image_track_info_t *t = &c->tracks[c->track_count];
        stream_t s;
        if ((r = stream_take(c, fd, rb_cd_sector_type_size(type), "AddTrack", &s)) < 0)
                return r;
        if (s.sectors < MIN_TRACK_SECTORS) {
                stream_close(&s);
                return fail(c, -EINVAL, "the track has %u sectors, at least %u (4 s) are needed",
                            s.sectors, MIN_TRACK_SECTORS);
        }
        *t = (rb_raw_image_track_info_t){.creator = c,
                                         .index = c->track_count + 1,
                                         .type = type,
                                         .data = s,
                                         .copy = RB_CD_COPY_PROHIBITED,
                                         .index_count = 1};
        c->track_count++;
        int32_t leadout = place_tracks(c, NULL);
        int idx = short_last_index(c);
        if (leadout > c->leadout_limit || idx >= 0) {
                c->track_count--;
                stream_close(&t->data);
                if (idx >= 0)
                        return fail(c, -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
                                    "gapless: track %u would lose its last 150 sectors to the "
                                    "next, leaving its last index less than 10 sectors",
                                    (unsigned)idx + 1);
                return fail(c, -RB_E_RAW_IMAGE_INSUFFICIENT_SPACE,
                            "the lead-out would start at LBA %d, after the limit %d", leadout,
                            c->leadout_limit);
        }
        if (track_index)
                *track_index = (int)t->index;
        return 0;
}

int rb_raw_image_creator_add_special_pregap(rb_raw_image_creator_t *c, int fd)
{
        stream_t s;
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (c->track_count)
                return fail_code(c, RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED);
        if ((r = stream_take(c, fd, RB_SECTOR_SIZE, "AddSpecialPregap", &s)) < 0)
                return r;
        if (s.sectors < MIN_PREGAP_SECTORS) {
                stream_close(&s);
                return fail(c, -EINVAL, "the pregap has %u sectors, at least %u (2 s) are needed",
                            s.sectors, MIN_PREGAP_SECTORS);
        }
        /* Room for it and the shortest track before the limit. */
        if (-GAP_SECTORS + (int64_t)s.sectors + MIN_TRACK_SECTORS > c->leadout_limit) {
                stream_close(&s);
                return fail(c, -RB_E_RAW_IMAGE_INSUFFICIENT_SPACE,
                            "a %u-sector pregap leaves no room for a track before LBA %d",
                            s.sectors, c->leadout_limit);
        }
        stream_close(&c->pregap);
        c->pregap = s;
        return 0;
}

int rb_raw_image_creator_add_subcode_rw_generator(rb_raw_image_creator_t *c, int fd)
{
        stream_t s;
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (c->image_type == RB_SECTOR_PQ_ONLY)
                return fail(c, -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
                            "the resulting image type is PQ only: it has no R-W subcode");
        if ((r = stream_take(c, fd, RB_SUBCHANNEL_SIZE, "AddSubcodeRWGenerator", &s)) < 0)
                return r;
        stream_close(&c->rw);
        c->rw = s;
        c->rw_file = -1; /* a loaded disc takes the new stream at its next lay-out */
        return 0;
}

int rb_raw_image_creator_set_resulting_image_type(rb_raw_image_creator_t *c, rb_sector_type_t t)
{
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (t != RB_SECTOR_PQ_ONLY && t != RB_SECTOR_COOKED && t != RB_SECTOR_RAW)
                return fail(c, -EINVAL, "%d is not an IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE",
                            (int)t);
        if (t == RB_SECTOR_PQ_ONLY && c->rw.fd >= 0)
                return fail(c, -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
                            "PQ only: an R-W subcode generator was added, its subcode would "
                            "be lost");
        c->image_type = t;
        return 0;
}

rb_sector_type_t rb_raw_image_creator_get_resulting_image_type(const rb_raw_image_creator_t *c)
{
        return c->image_type;
}

int rb_raw_image_creator_get_start_of_leadout(const rb_raw_image_creator_t *c, int32_t *lba)
{
        if (!c->track_count)
                return fail_code(c, RB_E_RAW_IMAGE_NO_TRACKS);
        *lba = place_tracks(c, NULL);
        return 0;
}

int rb_raw_image_creator_set_start_of_leadout_limit(rb_raw_image_creator_t *c, int32_t lba)
{
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (lba < 1 || lba > RB_LEADOUT_LIMIT_MAX)
                return fail(c, -EINVAL, "the limit %d is outside 1..%d (88:29:74)", lba,
                            RB_LEADOUT_LIMIT_MAX);
        if (c->track_count && place_tracks(c, NULL) > lba)
                return fail(c, -RB_E_RAW_IMAGE_INSUFFICIENT_SPACE,
                            "the tracks already added put the lead-out at LBA %d, after %d",
                            place_tracks(c, NULL), lba);
        c->leadout_limit = lba;
        return 0;
}

int32_t rb_raw_image_creator_get_start_of_leadout_limit(const rb_raw_image_creator_t *c)
{
        return c->leadout_limit;
}

int rb_raw_image_creator_set_disable_gapless_audio(rb_raw_image_creator_t *c, bool value)
{
        bool old = c->gapless;
        int r, idx;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (c->loaded)
                return fail(c, -EINVAL, "the disc was loaded whole: its sheet gives every pause");
        c->gapless = value;
        int32_t leadout = place_tracks(c, NULL);
        if (leadout > c->leadout_limit) {
                c->gapless = old;
                return fail(c, -RB_E_RAW_IMAGE_INSUFFICIENT_SPACE,
                            "with 2-second gaps the lead-out would start at LBA %d, after %d",
                            leadout, c->leadout_limit);
        }
        if ((idx = short_last_index(c)) >= 0) {
                c->gapless = old;
                return fail(c, -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
                            "gapless: track %u would lose its last 150 sectors, leaving its "
                            "last index less than 10 sectors",
                            (unsigned)idx + 1);
        }
        return 0;
}

bool rb_raw_image_creator_get_disable_gapless_audio(const rb_raw_image_creator_t *c)
{
        return c->gapless;
}

int rb__mcn_check_digit(const char digits[RB_MCN_DIGITS])
{
        /* UPC/EAN-13: weights 1, 3, 1, 3, ... from the left; the 13th digit
         * makes the sum a multiple of 10. */
        int sum = 0;
        for (int i = 0; i < RB_MCN_DIGITS - 1; i++)
                sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
        return (10 - sum % 10) % 10;
}

int rb_raw_image_creator_set_media_catalog_number(rb_raw_image_creator_t *c, const char *mcn)
{
        char digits[RB_MCN_DIGITS + 1];
        size_t n = mcn ? strlen(mcn) : 0;
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (n == 0) {
                c->mcn[0] = 0;
                return 0;
        }
        if (n > RB_MCN_DIGITS || strspn(mcn, "0123456789") != n)
                return fail(c, -EINVAL, "MCN \"%s\" is not 13 digits", mcn);
        /* Leading zeros may be left out. */
        memset(digits, '0', RB_MCN_DIGITS - n);
        memcpy(digits + RB_MCN_DIGITS - n, mcn, n + 1);
        int check = rb__mcn_check_digit(digits);
        if (digits[RB_MCN_DIGITS - 1] - '0' != check)
                return fail(c, -EINVAL, "MCN %s: the check digit is %d, not %c", digits, check,
                            digits[RB_MCN_DIGITS - 1]);
        memcpy(c->mcn, digits, sizeof c->mcn);
        return 0;
}

const char *rb_raw_image_creator_get_media_catalog_number(const rb_raw_image_creator_t *c)
{
        return c->mcn;
}

int rb_raw_image_creator_set_starting_track_number(rb_raw_image_creator_t *c, int number)
{
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (c->track_count)
                return fail_code(c, RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED);
        if (number < 1 || number > 99)
                return fail(c, -EINVAL, "track number %d is outside 1..99", number);
        c->first_number = number;
        return 0;
}

int rb_raw_image_creator_get_starting_track_number(const rb_raw_image_creator_t *c)
{
        return c->first_number;
}

int rb_raw_image_creator_get_track_info(rb_raw_image_creator_t *c, int track_index,
                                        rb_raw_image_track_info_t **ret)
{
        if (track_index < 1 || track_index > (int)c->track_count)
                return fail(c, -EINVAL, "no track of index %d (the image has %u)", track_index,
                            c->track_count);
        *ret = &c->tracks[track_index - 1];
        return 0;
}

int rb_raw_image_creator_get_number_of_existing_tracks(const rb_raw_image_creator_t *c)
{
        return (int)c->track_count;
}

int rb_raw_image_creator_get_last_used_user_sector_in_image(const rb_raw_image_creator_t *c,
                                                            int32_t *lba)
{
        if (!c->track_count)
                return fail_code(c, RB_E_RAW_IMAGE_NO_TRACKS);
        *lba = place_tracks(c, NULL) - 1;
        return 0;
}

/* ---- into a layout ---- */

static int add_stream(rb_layout_t *l, const stream_t *s, const char *name, char *err, size_t errlen)
{
        return rb_layout_add_fd(l, s->fd, name, err, errlen);
}

/* The short last sector of a stream in bytes, 0 when whole. */
static uint32_t short_last(const stream_t *s, size_t size)
{
        return (uint32_t)(s->bytes % size);
}

/* The settings of a track that IMAPI2 has members for, into a layout's track. */
static void put_track_settings(const rb_raw_image_track_info_t *ti, rb_track_t *t)
{
        memcpy(t->isrc, ti->isrc, sizeof t->isrc);
        t->flags &= (uint8_t) ~(RB_CTL_COPY_PERMITTED | RB_CTL_PREEMPHASIS);
        if (ti->copy == RB_CD_COPY_PERMITTED)
                t->flags |= RB_CTL_COPY_PERMITTED;
        t->scms = ti->copy == RB_CD_COPY_SCMS;
        if (ti->preemphasis)
                t->flags |= RB_CTL_PREEMPHASIS;
        t->index_count = (uint8_t)ti->index_count;
        for (unsigned k = 1; k < ti->index_count; k++)
                t->index_start[k + 1] = (uint32_t)ti->indexes[k];
}

/* The settings of the creator, the same for both kinds of disc. */
static void put_disc_settings(const rb_raw_image_creator_t *c, rb_layout_t *l)
{
        l->sector_type = c->image_type;
        l->leadout_limit = c->leadout_limit;
        l->first_lba = c->first_lba;
        l->write_offset = c->write_offset;
        memcpy(l->mcn, c->mcn, sizeof l->mcn);
}

/* A disc of AddTrack's streams, built anew. */
static int build_layout(const rb_raw_image_creator_t *c, rb_layout_t *l, char *err, size_t errlen)
{
        place_t p[99];
        int files[99], pregap = -1, r;

        rb_layout_init(l);
        put_disc_settings(c, l);
        place_tracks(c, p);
        for (unsigned i = 0; i < c->track_count; i++) {
                char name[32];
                snprintf(name, sizeof name, "track %u", i + 1);
                if ((files[i] = add_stream(l, &c->tracks[i].data, name, err, errlen)) < 0)
                        return files[i];
        }
        if (c->pregap.fd >= 0 &&
            (pregap = add_stream(l, &c->pregap, "special pregap", err, errlen)) < 0)
                return pregap;
        if (c->rw.fd >= 0 &&
            (l->image_rw_file = add_stream(l, &c->rw, "R-W subcode", err, errlen)) < 0)
                return l->image_rw_file;

        for (unsigned i = 0; i < c->track_count; i++) {
                const rb_raw_image_track_info_t *ti = &c->tracks[i];
                size_t size = rb_cd_sector_type_size(ti->type);
                rb_track_mode_t mode = RB_TRACK_AUDIO;
                rb_data_format_t fmt = RB_FMT_AUDIO;
                (void)sector_format(ti->type, &mode, &fmt);
                rb_track_t *t = rb_layout_add_track(l, mode);
                if (!t)
                        return -EINVAL;
                t->number = (uint8_t)(c->first_number + (int)i);
                put_track_settings(ti, t);
                t->pause = p[i].pause;
                t->length = p[i].length;

                rb_segment_t pause = {.file = -1, .sectors = p[i].pause, .format = fmt};
                if (i == 0 && pregap >= 0) {
                        pause =
                            (rb_segment_t){.file = pregap,
                                           .sectors = c->pregap.sectors,
                                           .format = RB_FMT_AUDIO,
                                           .short_last = short_last(&c->pregap, RB_SECTOR_SIZE)};
                } else if (p[i].pause_from_previous) {
                        const stream_t *prev = &c->tracks[i - 1].data;
                        pause = (rb_segment_t){.file = files[i - 1],
                                               .offset = (uint64_t)p[i - 1].length * RB_SECTOR_SIZE,
                                               .sectors = GAP_SECTORS,
                                               .format = RB_FMT_AUDIO,
                                               .short_last = short_last(prev, RB_SECTOR_SIZE)};
                }
                rb_segment_t body = {.file = files[i], .sectors = p[i].length, .format = fmt};
                if (p[i].length == ti->data.sectors)
                        body.short_last = short_last(&ti->data, size);
                if ((r = rb_track_add_segment(t, &pause)) < 0 ||
                    (r = rb_track_add_segment(t, &body)) < 0)
                        return r;
        }
        if ((r = rb_layout_finalize(l, err, errlen)) < 0)
                return r;
        uint64_t need = rb_layout_image_sectors(l) * RB_SUBCHANNEL_SIZE;
        if (c->rw.fd >= 0 && c->rw.bytes != need)
                return rb__fail(err, errlen, -EINVAL,
                                "the R-W subcode stream has %llu bytes; the image of %llu sectors "
                                "needs %llu (96 per sector)",
                                (unsigned long long)c->rw.bytes,
                                (unsigned long long)rb_layout_image_sectors(l),
                                (unsigned long long)need);
        return 0;
}

/* A loaded disc: its layout with the settings put back, checked again. */
static int lay_out_loaded(rb_raw_image_creator_t *c)
{
        rb_layout_t *l = &c->layout;

        put_disc_settings(c, l);
        if (c->rw.fd >= 0 && c->rw_file < 0) {
                int f = rb_layout_add_fd(l, c->rw.fd, "R-W subcode", c->error, sizeof c->error);
                if (f < 0)
                        return f;
                c->rw_file = f;
        }
        l->image_rw_file = c->rw.fd >= 0 ? c->rw_file : -1;
        for (unsigned i = 0; i < c->track_count; i++)
                put_track_settings(&c->tracks[i], &l->tracks[i]);
        return rb_layout_finalize(l, c->error, sizeof c->error);
}

int rb__creator_lay_out(rb_raw_image_creator_t *c)
{
        if (c->read_only)
                return 0;
        if (!c->track_count)
                return fail_code(c, RB_E_RAW_IMAGE_NO_TRACKS);
        if (c->loaded)
                return lay_out_loaded(c);
        rb_layout_free(&c->layout);
        return build_layout(c, &c->layout, c->error, sizeof c->error);
}

int rb_raw_image_creator_get_expected_table_of_contents(rb_raw_image_creator_t *c,
                                                        rb_toc_entry_t *entries, size_t *count)
{
        int r = rb__creator_lay_out(c);
        if (r == 0)
                *count = rb_layout_toc(c->model, entries);
        return r;
}

/* Checks before a result is made, and the layout it is made from. */
static int prepare_result(rb_raw_image_creator_t *c)
{
        int r = rb__creator_writable(c);
        return r < 0 ? r : rb__creator_lay_out(c);
}

int rb_raw_image_creator_write_result_image(rb_raw_image_creator_t *c, int fd,
                                            rb_progress_fn progress, void *userdata)
{
        int r;

        if ((r = prepare_result(c)) < 0)
                return r;
        c->read_only = true;
        c->report = (rb_write_report_t){0};
        return rb_image_write_report(c->model, fd, progress, userdata, &c->report, c->error,
                                     sizeof c->error);
}

static void *result_thread(void *arg)
{
        result_t *res = arg;
        sigset_t pipe_signal;

        /* A reader that leaves early is EPIPE for this thread, not a
         * SIGPIPE for the process. */
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_signal, NULL);
        int r = rb_image_write(&res->layout, res->fd, NULL, NULL, res->err, sizeof res->err);
        close(res->fd);
        pthread_mutex_lock(&res->lock);
        res->done = true;
        res->status = r;
        pthread_cond_broadcast(&res->cond);
        pthread_mutex_unlock(&res->lock);
        result_unref(res);
        return NULL;
}

int rb_raw_image_creator_create_result_image(rb_raw_image_creator_t *c, int *fd)
{
        result_t *res;
        pthread_attr_t attr;
        pthread_t thread;
        int p[2], r;

        if ((r = prepare_result(c)) < 0)
                return r;
        res = calloc(1, sizeof *res);
        if (!res)
                return fail(c, -ENOMEM, "%s", strerror(ENOMEM));
        if (pipe2(p, O_CLOEXEC) < 0) {
                r = fail(c, -errno, "pipe: %s", strerror(errno));
                free(res);
                return r;
        }
        (void)fcntl(p[1], F_SETPIPE_SZ, RESULT_PIPE_SIZE); /* best effort */
        pthread_mutex_init(&res->lock, NULL);
        pthread_cond_init(&res->cond, NULL);
        res->refs = 2;
        res->fd = p[1];
        /* The thread writes from its own copy of the layout, which outlives
         * the creator if the caller frees it first; the getters read it. */
        res->layout = c->layout;
        c->model = &res->layout;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        r = -pthread_create(&thread, &attr, result_thread, res);
        pthread_attr_destroy(&attr);
        if (r < 0) {
                close(p[0]);
                close(p[1]);
                c->layout = res->layout;
                c->model = &c->layout;
                rb_layout_init(&res->layout);
                res->refs = 1;
                result_unref(res);
                return fail(c, r, "starting the image thread: %s", strerror(-r));
        }
        c->result = res;
        c->read_only = true;
        *fd = p[0];
        return 0;
}

int rb_raw_image_creator_wait_result(rb_raw_image_creator_t *c)
{
        result_t *res = c->result;

        if (!res)
                return fail(c, -EINVAL, "CreateResultImage was not called");
        pthread_mutex_lock(&res->lock);
        while (!res->done)
                pthread_cond_wait(&res->cond, &res->lock);
        int r = res->status;
        if (r < 0)
                snprintf(c->error, sizeof c->error, "%s", res->err);
        pthread_mutex_unlock(&res->lock);
        return r;
}

/* ---- IRawCDImageTrackInfo ---- */

int32_t rb_raw_image_track_info_get_starting_lba(const rb_raw_image_track_info_t *t)
{
        place_t p[99];
        place_tracks(t->creator, p);
        return p[t->index - 1].start_lba;
}

int32_t rb_raw_image_track_info_get_sector_count(const rb_raw_image_track_info_t *t)
{
        return (int32_t)track_length(t->creator, t->index - 1);
}

int rb_raw_image_track_info_get_track_number(const rb_raw_image_track_info_t *t)
{
        return t->creator->first_number + (int)t->index - 1;
}

rb_cd_sector_type_t rb_raw_image_track_info_get_sector_type(const rb_raw_image_track_info_t *t)
{
        return t->type;
}

static int audio_setting(const rb_raw_image_track_info_t *t, const char *what)
{
        int r;

        if ((r = rb__creator_writable(t->creator)) < 0)
                return r;
        if (t->type != RB_CD_SECTOR_AUDIO)
                return fail(t->creator, -EINVAL, "track %u: %s is for audio tracks only", t->index,
                            what);
        return 0;
}

int rb_raw_image_track_info_set_isrc(rb_raw_image_track_info_t *t, const char *isrc)
{
        char code[RB_ISRC_CHARS + 1];
        int r;

        if ((r = audio_setting(t, "an ISRC")) < 0)
                return r;
        if (!isrc || strspn(isrc, "-") == strlen(isrc))
                code[0] = '\0'; /* none */
        else if (!rb__isrc_normalize(isrc, code))
                return fail(t->creator, -EINVAL, "ISRC \"%s\" is not " RB__ISRC_FORM, isrc);
        memcpy(t->isrc, code, sizeof t->isrc);
        return 0;
}

const char *rb_raw_image_track_info_get_isrc(const rb_raw_image_track_info_t *t)
{
        return t->isrc;
}

int rb_raw_image_track_info_set_digital_audio_copy_setting(rb_raw_image_track_info_t *t,
                                                           rb_cd_copy_setting_t value)
{
        int r;

        if ((r = audio_setting(t, "the digital copy setting")) < 0)
                return r;
        if (value != RB_CD_COPY_PERMITTED && value != RB_CD_COPY_PROHIBITED &&
            value != RB_CD_COPY_SCMS)
                return fail(t->creator, -EINVAL, "%d is not an IMAPI_CD_TRACK_DIGITAL_COPY_SETTING",
                            (int)value);
        t->copy = value;
        return 0;
}

rb_cd_copy_setting_t
rb_raw_image_track_info_get_digital_audio_copy_setting(const rb_raw_image_track_info_t *t)
{
        return t->copy;
}

int rb_raw_image_track_info_set_audio_has_preemphasis(rb_raw_image_track_info_t *t, bool value)
{
        int r;

        if ((r = audio_setting(t, "pre-emphasis")) < 0)
                return r;
        t->preemphasis = value;
        return 0;
}

bool rb_raw_image_track_info_get_audio_has_preemphasis(const rb_raw_image_track_info_t *t)
{
        return t->preemphasis;
}

int rb_raw_image_track_info_get_track_indexes(const rb_raw_image_track_info_t *t,
                                              int32_t offsets[RB_MAX_INDEX])
{
        memcpy(offsets, t->indexes, t->index_count * sizeof *offsets);
        return (int)t->index_count;
}

int rb_raw_image_track_info_add_track_index(rb_raw_image_track_info_t *t, int32_t lba_offset)
{
        rb_raw_image_creator_t *c = t->creator;
        unsigned at = 0;
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (lba_offset < 0)
                return fail(c, -EINVAL, "index offset %d is negative", lba_offset);
        for (unsigned i = 0; i < t->index_count; i++)
                if (t->indexes[i] == lba_offset)
                        return RB_S_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS;
        if (t->index_count == RB_MAX_INDEX)
                return fail_code(c, RB_E_RAW_IMAGE_TOO_MANY_TRACK_INDEXES);
        while (at < t->index_count && t->indexes[at] < lba_offset)
                at++;
        int64_t before = t->indexes[at - 1]; /* at >= 1: index 1 is at 0 */
        int64_t after =
            at < t->index_count ? (int64_t)t->indexes[at] : (int64_t)track_length(c, t->index - 1);
        if (lba_offset - before < MIN_INDEX_SECTORS || after - lba_offset < MIN_INDEX_SECTORS)
                return fail(c, -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
                            "track %u: an index at %d would leave less than 10 sectors to the "
                            "index at %lld or the track's end at %lld",
                            t->index, lba_offset, (long long)before, (long long)after);
        memmove(&t->indexes[at + 1], &t->indexes[at], (t->index_count - at) * sizeof t->indexes[0]);
        t->indexes[at] = lba_offset;
        t->index_count++;
        return 0;
}

int rb_raw_image_track_info_clear_track_index(rb_raw_image_track_info_t *t, int32_t lba_offset)
{
        rb_raw_image_creator_t *c = t->creator;
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (lba_offset == 0)
                return fail_code(c, RB_E_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED);
        for (unsigned i = 1; i < t->index_count; i++) {
                if (t->indexes[i] != lba_offset)
                        continue;
                memmove(&t->indexes[i], &t->indexes[i + 1],
                        (t->index_count - i - 1) * sizeof t->indexes[0]);
                t->index_count--;
                return 0;
        }
        return fail(c, -RB_E_RAW_IMAGE_TRACK_INDEX_NOT_FOUND, "track %u: no index at LBA offset %d",
                    t->index, lba_offset);
}
