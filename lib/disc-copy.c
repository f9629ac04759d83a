/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/disc-copy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "rawburn/image-writer.h"
#include "rawburn/msf.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"

#define SECTOR     2448
#define SCAN_CHUNK 256 /* sectors read at a time for the Q scan */
#define DESCRIPTOR 11  /* bytes of a format 2 TOC descriptor */
#define NO_LBA     INT32_MIN
#define PREGAP_LBA (-150)

static off_t image_offset(int32_t lba)
{
        return (off_t)(lba - RB_IMAGE_START_LBA) * SECTOR;
}

/* A0's PSEC comes binary from most drives (0x14 for the XA type 20h) and as
 * the Q byte from some: both become the Q byte. */
static uint8_t disc_type_byte(uint8_t psec)
{
        if (psec == 0x20 || psec == 20)
                return 0x20;
        if (psec == 0x10 || psec == 10)
                return 0x10;
        return 0x00;
}

int rb_disc_toc_parse(const uint8_t *response, size_t len, rb_disc_toc_t *out, char *err,
                      size_t errlen)
{
        bool have_a0 = false, have_a2 = false;

        memset(out, 0, sizeof *out);
        out->leadout_lba = NO_LBA;
        if (len < 4)
                return rb__fail(err, errlen, -EBADMSG, "the full TOC is %zu bytes long", len);
        size_t said = 2 + ((size_t)response[0] << 8 | response[1]);
        if (said < len)
                len = said;
        for (size_t off = 4; off + DESCRIPTOR <= len; off += DESCRIPTOR) {
                const uint8_t *d = response + off;
                uint8_t adr = d[1] >> 4, control = d[1] & 0x0f, point = d[3];
                rb_msf_t p = {d[8], d[9], d[10]};

                if (d[0] != 1) /* a later session: the copy is of the first */
                        continue;
                if (adr != RB_Q_ADR_POSITION)
                        continue;
                if (point == RB_Q_POINT_FIRST_TRACK) {
                        out->first_track = p.m;
                        out->disc_type = disc_type_byte(p.s);
                        have_a0 = true;
                } else if (point == RB_Q_POINT_LAST_TRACK) {
                        out->last_track = p.m;
                } else if (point == RB_Q_POINT_LEADOUT) {
                        out->leadout_lba = rb_msf_to_lba(p);
                        have_a2 = true;
                } else if (point >= 1 && point <= 99 && out->track_count < 99) {
                        unsigned i = out->track_count++;

                        out->tracks[i].number = point;
                        out->tracks[i].control = control;
                        out->tracks[i].start_lba = rb_msf_to_lba(p);
                }
        }
        if (!have_a0 || !have_a2 || out->track_count == 0)
                return rb__fail(err, errlen, -EBADMSG, "the full TOC has no %s",
                                !out->track_count ? "tracks"
                                : !have_a0        ? "A0 point"
                                                  : "lead-out (A2)");
        /* Drives list the points in any order: by track number. */
        for (unsigned i = 1; i < out->track_count; i++)
                for (unsigned j = i; j > 0 && out->tracks[j - 1].number > out->tracks[j].number;
                     j--) {
                        __typeof__(out->tracks[0]) t = out->tracks[j];
                        out->tracks[j] = out->tracks[j - 1];
                        out->tracks[j - 1] = t;
                }
        for (unsigned i = 0; i < out->track_count; i++) {
                int32_t end =
                    i + 1 < out->track_count ? out->tracks[i + 1].start_lba : out->leadout_lba;
                if (out->tracks[i].number != out->tracks[0].number + i ||
                    out->tracks[i].start_lba >= end || out->tracks[i].start_lba < 0)
                        return rb__fail(err, errlen, -EBADMSG,
                                        "the full TOC's track %u (LBA %d) is out of order",
                                        out->tracks[i].number, out->tracks[i].start_lba);
        }
        return 0;
}

/* What the Q subchannel of the program area says about one track. */
typedef struct track_marks {
        int32_t first_index0; /* NO_LBA: no pause seen */
        int32_t index_lba[RB_MAX_INDEX + 1];
        char isrc[RB_ISRC_CHARS + 1];
} track_marks;

typedef struct scan {
        track_marks marks[100];
        char mcn[RB_MCN_DIGITS + 1];
} scan;

static int scan_q(int fd, int32_t leadout, scan *s, char *err, size_t errlen)
{
        uint8_t *buf = malloc((size_t)SCAN_CHUNK * SECTOR);

        if (!buf)
                return -ENOMEM;
        for (int t = 0; t < 100; t++) {
                s->marks[t].first_index0 = NO_LBA;
                for (int i = 0; i <= RB_MAX_INDEX; i++)
                        s->marks[t].index_lba[i] = NO_LBA;
        }
        for (int32_t lba = 0; lba < leadout; lba += SCAN_CHUNK) {
                size_t n = (size_t)(leadout - lba < SCAN_CHUNK ? leadout - lba : SCAN_CHUNK);
                ssize_t got = pread(fd, buf, n * SECTOR, image_offset(lba));

                if (got < 0 || (size_t)got < n * SECTOR) {
                        free(buf);
                        return rb__fail(err, errlen, got < 0 ? -errno : -EIO,
                                        "the sectors read end before LBA %d", lba);
                }
                for (size_t i = 0; i < n; i++) {
                        uint8_t q[RB_Q_SIZE];
                        rb_subq_t d;

                        rb_subchannel_get(buf + i * SECTOR + RB_SECTOR_SIZE, RB_CH_Q, q);
                        if (!rb_subq_crc_ok(q) || rb_subq_decode(q, &d) < 0)
                                continue; /* a damaged Q says nothing */
                        if (d.kind == RB_SUBQ_POSITION && d.position.tno >= 1 &&
                            d.position.tno <= 99) {
                                track_marks *m = &s->marks[d.position.tno];

                                if (d.position.index == 0 && m->first_index0 == NO_LBA)
                                        m->first_index0 = lba + (int32_t)i;
                                if (m->index_lba[d.position.index] == NO_LBA)
                                        m->index_lba[d.position.index] = lba + (int32_t)i;
                        } else if (d.kind == RB_SUBQ_MCN && !s->mcn[0]) {
                                memcpy(s->mcn, d.mcn.digits, sizeof s->mcn);
                        } else if (d.kind == RB_SUBQ_ISRC) {
                                /* ISRC frames sit in the track they name; the
                                 * last position Q seen says which. */
                                for (int t = 99; t >= 1; t--)
                                        if (s->marks[t].index_lba[1] != NO_LBA ||
                                            s->marks[t].first_index0 != NO_LBA) {
                                                if (!s->marks[t].isrc[0])
                                                        memcpy(s->marks[t].isrc, d.isrc.code,
                                                               sizeof s->marks[t].isrc);
                                                break;
                                        }
                        }
                }
        }
        free(buf);
        return 0;
}

/* Audio, or the mode its first sector's header says (Mode 2 when it cannot
 * be read and the disc says XA). */
static rb_track_mode_t track_mode(int fd, uint8_t control, int32_t start, uint8_t disc_type)
{
        uint8_t sector[SECTOR];

        if (!(control & RB_CTL_DATA))
                return RB_TRACK_AUDIO;
        if (pread(fd, sector, sizeof sector, image_offset(start)) == (ssize_t)sizeof sector &&
            rb_sector_has_sync(sector)) {
                rb_scramble_sector(sector); /* as the image holds it: scrambled */
                if (sector[15] == 2)
                        return RB_TRACK_MODE2;
                if (sector[15] == 1)
                        return RB_TRACK_MODE1;
        }
        return disc_type == 0x20 ? RB_TRACK_MODE2 : RB_TRACK_MODE1;
}

static int add_cdtext(rb_layout_t *l, const uint8_t *cdtext, size_t len)
{
        if (!cdtext || len < 4)
                return 0;
        size_t said = 2 + ((size_t)cdtext[0] << 8 | cdtext[1]);
        if (said < len)
                len = said;
        size_t count = (len - 4) / RB_CDTEXT_PACK_SIZE;
        if (count == 0)
                return 0;
        l->cdtext_given = malloc(count * RB_CDTEXT_PACK_SIZE);
        if (!l->cdtext_given)
                return -ENOMEM;
        memcpy(l->cdtext_given, cdtext + 4, count * RB_CDTEXT_PACK_SIZE);
        l->cdtext_given_count = count;
        return 0;
}

int rb_disc_copy_layout(rb_layout_t *l, const rb_disc_toc_t *toc, const uint8_t *cdtext,
                        size_t cdtext_len, int image_fd, char *err, size_t errlen)
{
        scan *s = calloc(1, sizeof *s);
        int r;

        if (!s)
                return -ENOMEM;
        r = scan_q(image_fd, toc->leadout_lba, s, err, errlen);
        if (r < 0)
                goto out;
        l->sector_type = RB_SECTOR_RAW;
        l->first_lba = RB_IMAGE_START_LBA;
        l->disc_type_given = toc->disc_type;
        /* The disc is as long as it is: no medium's limit applies to a copy's image. */
        l->leadout_limit = toc->leadout_lba > RB_LEADOUT_LIMIT_MAX ? toc->leadout_lba : 0;
        memcpy(l->mcn, s->mcn, sizeof l->mcn);
        for (unsigned i = 0; i < toc->track_count; i++) {
                const track_marks *m = &s->marks[toc->tracks[i].number];
                int32_t start = toc->tracks[i].start_lba;
                int32_t end =
                    i + 1 < toc->track_count ? toc->tracks[i + 1].start_lba : toc->leadout_lba;
                int32_t next_pause = end;
                rb_track_t *t = rb_layout_add_track(l, RB_TRACK_AUDIO);

                if (!t) {
                        r = -ENOMEM;
                        goto out;
                }
                t->number = toc->tracks[i].number;
                t->mode = track_mode(image_fd, toc->tracks[i].control, start, toc->disc_type);
                t->flags = toc->tracks[i].control &
                           (RB_CTL_COPY_PERMITTED | RB_CTL_PREEMPHASIS | RB_CTL_FOUR_CHANNEL);
                memcpy(t->isrc, m->isrc, sizeof t->isrc);
                /* The next track's pause belongs to it, not to this one. */
                if (i + 1 < toc->track_count) {
                        const track_marks *n = &s->marks[toc->tracks[i + 1].number];
                        if (n->first_index0 != NO_LBA && n->first_index0 < end &&
                            n->first_index0 > start)
                                next_pause = n->first_index0;
                }
                int32_t pause_lba = PREGAP_LBA;
                if (i > 0) {
                        /* The previous track ended where this pause starts
                         * (its own next_pause); without one, no pause. */
                        pause_lba = m->first_index0 != NO_LBA && m->first_index0 < start
                                        ? m->first_index0
                                        : start;
                }
                t->pause = (uint32_t)(start - pause_lba);
                t->length = (uint32_t)(next_pause - start);
                t->index_count = 1;
                for (int x = 2; x <= RB_MAX_INDEX; x++) {
                        if (m->index_lba[x] == NO_LBA || m->index_lba[x] <= start ||
                            m->index_lba[x] >= next_pause)
                                break;
                        t->index_start[x] = (uint32_t)(m->index_lba[x] - start);
                        t->index_count = (uint8_t)x;
                }
                rb_segment_t seg = {.file = -1,
                                    .sectors = t->pause + t->length,
                                    .format = t->mode == RB_TRACK_AUDIO   ? RB_FMT_AUDIO
                                              : t->mode == RB_TRACK_MODE1 ? RB_FMT_MODE1
                                                                          : RB_FMT_MODE2};
                r = rb_track_add_segment(t, &seg);
                if (r < 0)
                        goto out;
        }
        r = add_cdtext(l, cdtext, cdtext_len);
        if (r < 0)
                goto out;
        r = rb_layout_finalize(l, err, errlen);
        if (r == 0 && l->leadout_lba != toc->leadout_lba)
                r = rb__fail(err, errlen, -EBADMSG,
                             "the tracks end at LBA %d, the TOC's lead-out starts at %d",
                             l->leadout_lba, toc->leadout_lba);
out:
        free(s);
        return r;
}

int rb_disc_copy_write_leadin(const rb_layout_t *l, int image_fd, char *err, size_t errlen)
{
        if (lseek(image_fd, 0, SEEK_SET) < 0)
                return rb__fail(err, errlen, -errno, "the image cannot be written at its start");
        return rb_image_write_span(l, image_fd, l->first_lba, 0, err, errlen);
}

int rb_disc_copy_write_leadout(const rb_layout_t *l, int image_fd, int32_t from, char *err,
                               size_t errlen)
{
        int32_t end = l->first_lba + (int32_t)rb_layout_image_sectors(l);

        if (from < l->leadout_lba)
                from = l->leadout_lba;
        if (lseek(image_fd, image_offset(from), SEEK_SET) < 0)
                return rb__fail(err, errlen, -errno, "the image cannot be written at LBA %d", from);
        return rb_image_write_span(l, image_fd, from, end, err, errlen);
}
