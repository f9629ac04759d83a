/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/image-layout.h"

#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rawburn/audio-source.h"
#include "rawburn/subchannel.h"
#include "rawburn/write-offset.h"

#define PREGAP_SECTORS 150

size_t rb_sector_type_size(rb_sector_type_t t)
{
        return t == RB_SECTOR_PQ_ONLY ? 2368 : 2448;
}

const char *rb_sector_type_name(rb_sector_type_t t)
{
        switch (t) {
        case RB_SECTOR_PQ_ONLY:
                return "pq";
        case RB_SECTOR_COOKED:
                return "cooked";
        case RB_SECTOR_RAW:
                return "raw";
        }
        return "?";
}

const char *rb_track_mode_name(rb_track_mode_t m)
{
        switch (m) {
        case RB_TRACK_AUDIO:
                return "audio";
        case RB_TRACK_MODE1:
                return "mode1";
        case RB_TRACK_MODE2:
                return "mode2";
        }
        return "?";
}

size_t rb_data_format_size(rb_data_format_t f)
{
        switch (f) {
        case RB_FMT_MODE1:
        case RB_FMT_MODE2_FORM1:
                return 2048;
        case RB_FMT_MODE2:
        case RB_FMT_MODE2_FORMLESS:
                return 2336;
        case RB_FMT_MODE2_FORM2:
                return 2324;
        case RB_FMT_AUDIO_RW:
        case RB_FMT_AUDIO_RW_RAW:
                return 2448;
        case RB_FMT_AUDIO:
        case RB_FMT_RAW_SECTOR:
        case RB_FMT_RAW_SCRAMBLED:
                break;
        }
        return 2352;
}

int rb_leadout_limit_for_minutes(unsigned minutes, int32_t *lba)
{
        /* The latest lead-out start of the usual blanks: the capacity in
         * sectors, MSF minutes:00:00 counted from 00:00:00, i.e. LBA
         * minutes*4500 - 150; 99 minutes is capped at IMAPI's 88:29:74. */
        switch (minutes) {
        case 74:
        case 80:
        case 90:
                *lba = (int32_t)minutes * RB_FRAMES_PER_MINUTE - RB_MSF_OFFSET;
                return 0;
        case 99:
                *lba = RB_LEADOUT_LIMIT_MAX;
                return 0;
        default:
                return -EINVAL;
        }
}

void rb_layout_init(rb_layout_t *l)
{
        memset(l, 0, sizeof *l);
        l->sector_type = RB_SECTOR_RAW;
        l->first_lba = RB_IMAGE_START_LBA;
        l->leadout_length = RB_LEADOUT_SECTORS;
        l->sub_file = -1;
        l->image_rw_file = -1;
        l->disc_type_given = -1;
}

void rb_layout_free(rb_layout_t *l)
{
        for (size_t i = 0; i < l->file_count; i++) {
                if (l->files[i].kind == RB_FILE_FD && l->files[i].fd >= 0)
                        close(l->files[i].fd);
                free(l->files[i].path);
                free(l->files[i].format);
        }
        free(l->files);
        for (unsigned i = 0; i < l->track_count; i++)
                free(l->tracks[i].segments);
        rb_cdtext_clear(&l->cdtext);
        free(l->cdtext_packs);
        free(l->cdtext_given);
        memset(l, 0, sizeof *l);
}

int rb_layout_add_file(rb_layout_t *l, const char *path, rb_file_kind_t kind, rb_byte_order_t order,
                       char *err, size_t errlen)
{
        char format[128] = "raw";
        uint64_t size = 0;
        bool lossy = false;

        if (kind == RB_FILE_SNDFILE) {
                rb_audio_reader_t *r = NULL;
                int ret = rb_audio_open(path, &r, &size, format, sizeof format, err, errlen);
                if (ret < 0)
                        return ret;
                lossy = rb_audio_is_lossy(r);
                rb_audio_close(r);
                order = RB_LITTLE_ENDIAN; /* what rb_audio_read() delivers */
        } else {
                struct stat st;
                if (stat(path, &st) < 0 && errno == ENOENT)
                        return rb__fail(err, errlen, -ENOENT, "not found: %s", path);
                if (stat(path, &st) < 0)
                        return rb__fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
                if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
                        return rb__fail(err, errlen, -EINVAL, "%s: not a regular file", path);
                size = (uint64_t)st.st_size;
        }
        rb_source_file_t *files = realloc(l->files, (l->file_count + 1) * sizeof *files);
        if (!files)
                return -ENOMEM;
        l->files = files;
        rb_source_file_t *f = &files[l->file_count];
        *f = (rb_source_file_t){
            .kind = kind, .order = order, .size = size, .lossy = lossy, .fd = -1};
        f->path = strdup(path);
        f->format = strdup(format);
        if (!f->path || !f->format) {
                free(f->path);
                free(f->format);
                return -ENOMEM;
        }
        return (int)l->file_count++;
}

int rb_layout_add_fd(rb_layout_t *l, int fd, const char *name, char *err, size_t errlen)
{
        struct stat st;

        if (fstat(fd, &st) < 0)
                return rb__fail(err, errlen, -errno, "%s: %s", name, strerror(errno));
        if (!S_ISREG(st.st_mode))
                return rb__fail(err, errlen, -ESPIPE, "%s: not a regular file", name);
        rb_source_file_t *files = realloc(l->files, (l->file_count + 1) * sizeof *files);
        if (!files)
                return -ENOMEM;
        l->files = files;
        rb_source_file_t *f = &files[l->file_count];
        *f = (rb_source_file_t){.kind = RB_FILE_FD, .size = (uint64_t)st.st_size, .fd = -1};
        f->path = strdup(name);
        f->format = strdup("raw");
        f->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (!f->path || !f->format || f->fd < 0) {
                int r = f->fd < 0 ? -errno : -ENOMEM;
                if (f->fd >= 0)
                        close(f->fd);
                free(f->path);
                free(f->format);
                return r;
        }
        return (int)l->file_count++;
}

rb_track_t *rb_layout_add_track(rb_layout_t *l, rb_track_mode_t mode)
{
        if (l->track_count >= 99)
                return NULL;
        rb_track_t *t = &l->tracks[l->track_count];
        memset(t, 0, sizeof *t);
        t->number = l->track_count ? (uint8_t)(l->tracks[l->track_count - 1].number + 1) : 1;
        t->mode = mode;
        t->index_count = 1;
        l->track_count++;
        return t;
}

int rb_track_add_segment(rb_track_t *t, const rb_segment_t *seg)
{
        if (seg->sectors == 0)
                return 0;
        rb_segment_t *s = realloc(t->segments, (t->segment_count + 1) * sizeof *s);
        if (!s)
                return -ENOMEM;
        t->segments = s;
        s[t->segment_count++] = *seg;
        return 0;
}

uint8_t rb_track_control(const rb_track_t *t)
{
        uint8_t ctl = t->flags & (RB_CTL_COPY_PERMITTED | RB_CTL_PREEMPHASIS | RB_CTL_FOUR_CHANNEL);
        if (t->mode != RB_TRACK_AUDIO)
                ctl = (uint8_t)((ctl & RB_CTL_COPY_PERMITTED) | RB_CTL_DATA);
        return ctl;
}

bool rb__isrc_valid(const char *s)
{
        if (strlen(s) != RB_ISRC_CHARS)
                return false;
        for (int i = 0; i < RB_ISRC_CHARS; i++) {
                char c = s[i];
                bool digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'Z';
                if (i < 5 ? !(digit || upper) : !digit)
                        return false;
        }
        return true;
}

bool rb__isrc_normalize(const char *in, char out[RB_ISRC_CHARS + 1])
{
        size_t n = 0;

        for (const char *s = in; *s; s++) {
                if (*s == '-')
                        continue;
                if (n == RB_ISRC_CHARS)
                        return false;
                out[n++] = (char)toupper((unsigned char)*s);
        }
        out[n] = '\0';
        return rb__isrc_valid(out);
}

static int check_track(const rb_layout_t *l, const rb_track_t *t, char *err, size_t errlen)
{
        uint64_t covered = 0;

        if (t->length < 1)
                return rb__fail(err, errlen, -EINVAL, "track %u: empty", t->number);
        if (t->isrc[0] && !rb__isrc_valid(t->isrc))
                return rb__fail(err, errlen, -EINVAL,
                                "track %u: ISRC \"%s\" is not CCOOOYYSSSSS (12 characters)",
                                t->number, t->isrc);
        if (t->mode != RB_TRACK_AUDIO &&
            (t->scms || t->flags & (RB_CTL_PREEMPHASIS | RB_CTL_FOUR_CHANNEL)))
                return rb__fail(err, errlen, -EINVAL,
                                "track %u: pre-emphasis, 4-channel and SCMS are for audio",
                                t->number);
        for (unsigned i = 2; i <= t->index_count; i++)
                if (t->index_start[i] <= t->index_start[i - 1] || t->index_start[i] >= t->length)
                        return rb__fail(err, errlen, -EINVAL,
                                        "track %u: index %u is not after index %u inside the track",
                                        t->number, i, i - 1);
        for (size_t i = 0; i < t->segment_count; i++) {
                const rb_segment_t *s = &t->segments[i];
                if (s->file >= (int)l->file_count ||
                    (s->has_rw && (s->rw_file < 0 || s->rw_file >= (int)l->file_count)))
                        return rb__fail(err, errlen, -EINVAL, "track %u: bad file", t->number);
                if ((s->has_rw || s->format == RB_FMT_AUDIO_RW ||
                     s->format == RB_FMT_AUDIO_RW_RAW) &&
                    t->mode != RB_TRACK_AUDIO)
                        return rb__fail(
                            err, errlen, -EINVAL,
                            "track %u: R-W packs (CD+G) are taken for audio tracks only",
                            t->number);
                if (s->file >= 0) {
                        const rb_source_file_t *f = &l->files[s->file];
                        uint64_t need = (uint64_t)s->sectors * rb_data_format_size(s->format);
                        if (s->short_last)
                                need -= rb_data_format_size(s->format) - s->short_last;
                        if (s->offset + need > f->size)
                                return rb__fail(
                                    err, errlen, -EINVAL,
                                    "track %u: %s holds %llu bytes, the track needs %llu "
                                    "from byte %llu",
                                    t->number, f->path, (unsigned long long)f->size,
                                    (unsigned long long)need, (unsigned long long)s->offset);
                }
                covered += s->sectors;
        }
        if (covered != (uint64_t)t->pause + t->length)
                return rb__fail(err, errlen, -EINVAL,
                                "track %u: segments cover %llu sectors, pause + track are %u",
                                t->number, (unsigned long long)covered, t->pause + t->length);
        return 0;
}

int rb_layout_finalize(rb_layout_t *l, char *err, size_t errlen)
{
        int32_t lba = -PREGAP_SECTORS;
        bool rw_raw = false;
        int r;

        if (l->track_count == 0)
                return rb__fail(err, errlen, -EINVAL, "no tracks");
        if (l->sector_type < RB_SECTOR_PQ_ONLY || l->sector_type > RB_SECTOR_RAW)
                return rb__fail(err, errlen, -EINVAL, "unknown sector type %d", l->sector_type);
        if (l->first_lba < RB_LBA_MIN || l->first_lba > -PREGAP_SECTORS - 1)
                return rb__fail(err, errlen, -EINVAL,
                                "the image must start in the lead-in (LBA %d..-151), not at %d",
                                RB_LBA_MIN, l->first_lba);
        if (l->mcn[0]) {
                if (strlen(l->mcn) != RB_MCN_DIGITS ||
                    strspn(l->mcn, "0123456789") != RB_MCN_DIGITS)
                        return rb__fail(err, errlen, -EINVAL,
                                        "catalog number \"%s\" is not 13 digits", l->mcn);
        }
        if (l->tracks[0].pause < PREGAP_SECTORS)
                return rb__fail(err, errlen, -EINVAL,
                                "track %u: the first pause must be >= 150 sectors",
                                l->tracks[0].number);
        l->disc_type = 0;
        l->has_rw = false;
        for (unsigned i = 0; i < l->track_count; i++) {
                rb_track_t *t = &l->tracks[i];
                for (size_t k = 0; k < t->segment_count; k++) {
                        const rb_segment_t *g = &t->segments[k];
                        if (g->has_rw || (g->file >= 0 && (g->format == RB_FMT_AUDIO_RW ||
                                                           g->format == RB_FMT_AUDIO_RW_RAW)))
                                l->has_rw = true;
                        if (g->file >= 0 && g->format == RB_FMT_AUDIO_RW_RAW)
                                rw_raw = true;
                }
                if (t->number < 1 || t->number > 99 ||
                    (i > 0 && t->number != l->tracks[i - 1].number + 1))
                        return rb__fail(err, errlen, -EINVAL,
                                        "track numbers must run 1..99 in steps of 1");
                if ((r = check_track(l, t, err, errlen)) < 0)
                        return r;
                t->pause_lba = lba;
                t->start_lba = lba + (int32_t)t->pause;
                if ((int64_t)t->start_lba + t->length > RB_LBA_MAX)
                        return rb__fail(err, errlen, -EFBIG, "track %u ends beyond 89:59:74",
                                        t->number);
                lba = t->start_lba + (int32_t)t->length;
                if (t->mode == RB_TRACK_MODE2)
                        l->disc_type = 0x20;
        }
        l->leadout_lba = lba;
        if (l->disc_type_given >= 0)
                l->disc_type = (uint8_t)l->disc_type_given;
        if (l->has_rw && l->sector_type == RB_SECTOR_PQ_ONLY)
                return rb__fail(err, errlen, -EINVAL,
                                "R-W packs (CD+G) need sector type raw or cooked, not pq "
                                "(the drive writes R-W as zero)");
        if (rw_raw && l->sector_type != RB_SECTOR_RAW)
                return rb__fail(err, errlen, -EINVAL,
                                "R-W sub-channel data given as recorded (RW_RAW: interleaved, with "
                                "parity) needs sector type raw");
        if (l->has_rw && l->sub_file >= 0)
                return rb__fail(err, errlen, -EINVAL,
                                "R-W packs and a whole subchannel file cannot both be given");
        if (l->write_offset < -RB_WRITE_OFFSET_MAX || l->write_offset > RB_WRITE_OFFSET_MAX)
                return rb__fail(err, errlen, -EINVAL,
                                "a write offset of %d samples is beyond ±%d (2 s)", l->write_offset,
                                RB_WRITE_OFFSET_MAX);
        if (l->sub_file >= (int)l->file_count)
                return rb__fail(err, errlen, -EINVAL, "bad subchannel file");
        if (l->sub_file >= 0 && l->sector_type == RB_SECTOR_COOKED)
                return rb__fail(err, errlen, -EINVAL,
                                "the given subchannel carries R-W as recorded (interleaved): "
                                "use sector type raw (or pq), not cooked");
        if (l->sub_file >= 0 &&
            l->files[l->sub_file].size < (uint64_t)l->leadout_lba * RB_SUBCHANNEL_SIZE)
                return rb__fail(err, errlen, -EINVAL,
                                "%s: %llu bytes of subchannel, the program area needs %llu",
                                l->files[l->sub_file].path,
                                (unsigned long long)l->files[l->sub_file].size,
                                (unsigned long long)l->leadout_lba * RB_SUBCHANNEL_SIZE);
        int32_t limit = l->leadout_limit ? l->leadout_limit : RB_LEADOUT_LIMIT_MAX;
        if (l->leadout_lba > limit) {
                rb_msf_t a = {0, 0, 0}, b = {0, 0, 0};
                (void)rb_lba_to_msf(l->leadout_lba, &a);
                (void)rb_lba_to_msf(limit, &b);
                return rb__fail(
                    err, errlen, -EFBIG,
                    "the lead-out would start at %02u:%02u:%02u (LBA %d), later than the "
                    "limit %02u:%02u:%02u (LBA %d): the disc does not fit",
                    a.m, a.s, a.f, l->leadout_lba, b.m, b.s, b.f, limit);
        }
        if (l->image_rw_file >= 0) {
                uint64_t need = rb_layout_image_sectors(l) * RB_SUBCHANNEL_SIZE;
                if (l->image_rw_file >= (int)l->file_count)
                        return rb__fail(err, errlen, -EINVAL, "bad R-W subcode file");
                if (l->sector_type == RB_SECTOR_PQ_ONLY)
                        return rb__fail(err, errlen, -EINVAL,
                                        "R-W subcode needs sector type raw or cooked, not pq");
                if (l->has_rw || l->sub_file >= 0 || l->cdtext_given || rb_cdtext_any(&l->cdtext))
                        return rb__fail(err, errlen, -EINVAL,
                                        "R-W subcode for the whole image excludes CD-Text, CD+G "
                                        "packs and a subchannel file");
                if (l->files[l->image_rw_file].size < need)
                        return rb__fail(err, errlen, -EINVAL,
                                        "%s: %llu bytes of R-W subcode, the image needs %llu",
                                        l->files[l->image_rw_file].path,
                                        (unsigned long long)l->files[l->image_rw_file].size,
                                        (unsigned long long)need);
        }
        free(l->cdtext_packs);
        l->cdtext_packs = NULL;
        l->cdtext_pack_count = 0;
        l->cdtext_lossy = 0;
        l->cdtext_warnings[0] = 0;
        if (l->cdtext_given || rb_cdtext_any(&l->cdtext)) {
                if (l->sector_type == RB_SECTOR_PQ_ONLY)
                        return rb__fail(
                            err, errlen, -EINVAL,
                            "CD-Text needs R-W subchannel: use sector type raw or cooked, "
                            "not pq");
        }
        unsigned first = l->tracks[0].number, last = l->tracks[l->track_count - 1].number;
        if (l->cdtext_given) {
                /* Given whole: only the track range is checked against the disc. */
                for (size_t i = 0; i < l->cdtext_given_count; i++) {
                        const uint8_t *p = l->cdtext_given + i * RB_CDTEXT_PACK_SIZE;
                        if (p[0] == RB_CDTEXT_TYPE_SIZE_INFO && p[1] == 0 &&
                            (p[5] != first || p[6] != last))
                                return rb__fail(
                                    err, errlen, -EINVAL,
                                    "the CD-Text packs given are for tracks %u..%u, the "
                                    "disc has %u..%u",
                                    p[5], p[6], first, last);
                }
                l->cdtext_packs = malloc(l->cdtext_given_count * RB_CDTEXT_PACK_SIZE);
                if (!l->cdtext_packs)
                        return -ENOMEM;
                memcpy(l->cdtext_packs, l->cdtext_given,
                       l->cdtext_given_count * RB_CDTEXT_PACK_SIZE);
                l->cdtext_pack_count = l->cdtext_given_count;
        } else if (rb_cdtext_any(&l->cdtext)) {
                rb_cdtext_toc_t toc = {.first = (uint8_t)first, .last = (uint8_t)last};
                rb_cdtext_build_opts_t opts = {.tab = l->cdtext_tab};
                if (l->cdtext_toc_info) {
                        for (unsigned i = 0; i < l->track_count; i++)
                                (void)rb_lba_to_msf(l->tracks[i].start_lba,
                                                    &toc.start[l->tracks[i].number]);
                        (void)rb_lba_to_msf(l->leadout_lba, &toc.leadout);
                        opts.toc = &toc;
                }
                r = rb_cdtext_build(&l->cdtext, first, last, &opts, &l->cdtext_packs,
                                    &l->cdtext_pack_count, &l->cdtext_lossy, l->cdtext_warnings,
                                    sizeof l->cdtext_warnings, err, errlen);
                if (r < 0)
                        return r;
        }
        return 0;
}

uint64_t rb_layout_image_sectors(const rb_layout_t *l)
{
        return (uint64_t)((int64_t)l->leadout_lba + l->leadout_length - l->first_lba);
}

size_t rb_layout_toc(const rb_layout_t *l, rb_toc_entry_t *e)
{
        size_t n = 0;
        rb_msf_t msf = {0, 0, 0};

        for (unsigned i = 0; i < l->track_count; i++) {
                const rb_track_t *t = &l->tracks[i];
                (void)rb_lba_to_msf(t->start_lba, &msf);
                e[n++] = (rb_toc_entry_t){t->number, rb_track_control(t), msf};
        }
        const rb_track_t *first = &l->tracks[0], *last = &l->tracks[l->track_count - 1];
        e[n++] = (rb_toc_entry_t){RB_Q_POINT_FIRST_TRACK,
                                  rb_track_control(first),
                                  {first->number,
                                   (uint8_t)(l->disc_type == 0x20   ? 20
                                             : l->disc_type == 0x10 ? 10
                                                                    : 0),
                                   0}};
        e[n++] =
            (rb_toc_entry_t){RB_Q_POINT_LAST_TRACK, rb_track_control(last), {last->number, 0, 0}};
        (void)rb_lba_to_msf(l->leadout_lba, &msf);
        e[n++] = (rb_toc_entry_t){RB_Q_POINT_LEADOUT, rb_track_control(last), msf};
        return n;
}

unsigned rb_layout_short_tracks(const rb_layout_t *l, char *buf, size_t len)
{
        unsigned found = 0;
        size_t used = 0;

        if (len)
                buf[0] = 0;
        for (unsigned i = 0; i < l->track_count; i++) {
                const rb_track_t *t = &l->tracks[i];
                if (t->length >= RB_MIN_TRACK_SECTORS)
                        continue;
                char one[48];
                int n = snprintf(one, sizeof one, "%strack %02u (%.2f s)", found ? ", " : "",
                                 t->number, t->length / 75.0);
                found++;
                if (n > 0 && len && used + (size_t)n + 1 < len) {
                        memcpy(buf + used, one, (size_t)n + 1);
                        used += (size_t)n;
                }
        }
        return found;
}
