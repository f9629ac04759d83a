/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/ccd.h"
#include "rawburn/scramble.h"

#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define NONE (-1000000)

typedef struct ccd_track {
        bool present;
        int mode; /* 0 audio, 1 Mode 1, 2 Mode 2 */
        long index[RB_MAX_INDEX + 1];
        unsigned line;
} ccd_track_t;

/* A TOC point of session 1 from an [Entry]. */
typedef struct ccd_entry {
        bool present;
        long pmin, psec, plba;
        unsigned line;
} ccd_entry_t;

typedef struct ccd {
        ccd_track_t tracks[100];
        long leadout;
        int control[100]; /* from [Entry] points 1..99 */
        ccd_entry_t points[256];
        int sessions;
        int scrambled;
        unsigned sessions_line, scrambled_line, lines;
        char catalog[RB_MCN_DIGITS + 1];
} ccd_t;

static bool parse_long(const char *s, long *v)
{
        char *end;
        errno = 0;
        long n = strtol(s, &end, 0); /* CloneCD writes points as 0xa0 */
        if (!*s || errno)
                return false;
        while (*end == ' ' || *end == '\t')
                end++;
        if (*end)
                return false;
        *v = n;
        return true;
}

static char *trim(char *s)
{
        while (isspace((unsigned char)*s))
                s++;
        size_t n = strlen(s);
        while (n && isspace((unsigned char)s[n - 1]))
                s[--n] = 0;
        return s;
}

static int parse_text(const char *name, const char *text, size_t len, ccd_t *c, char *err,
                      size_t errlen)
{
        enum { S_NONE, S_DISC, S_ENTRY, S_TRACK, S_OTHER } section = S_NONE;
        long entry_point = -1, entry_control = -1, entry_plba = NONE, entry_session = 1;
        long entry_pmin = -1, entry_psec = -1;
        unsigned entry_line = 0;
        int track = 0;
        unsigned line = 0;
        size_t pos = 0;
        char buf[512];

        memset(c, 0, sizeof *c);
        c->leadout = NONE;
        c->sessions = 1;
        for (int i = 0; i < 100; i++) {
                c->control[i] = -1;
                for (int x = 0; x <= RB_MAX_INDEX; x++)
                        c->tracks[i].index[x] = NONE;
        }
        /* An [Entry] is complete when the next section starts (or at the end). */
#define FLUSH_ENTRY()                                                                              \
        do {                                                                                       \
                if (section == S_ENTRY && entry_session == 1) {                                    \
                        if (entry_point >= 1 && entry_point <= 99 && entry_control >= 0)           \
                                c->control[entry_point] = (int)entry_control;                      \
                        if (entry_point == 0xA2 && entry_plba != NONE)                             \
                                c->leadout = entry_plba;                                           \
                        if (entry_point >= 0 && entry_point < 256)                                 \
                                c->points[entry_point] = (ccd_entry_t){                            \
                                    true, entry_pmin, entry_psec, entry_plba, entry_line};         \
                }                                                                                  \
                entry_point = entry_control = entry_pmin = entry_psec = -1;                        \
                entry_plba = NONE;                                                                 \
                entry_session = 1;                                                                 \
        } while (0)

        while (pos < len) {
                size_t end = pos;
                while (end < len && text[end] != '\n')
                        end++;
                line++;
                size_t n = end - pos;
                if (n >= sizeof buf)
                        return rb__fail_at(err, errlen, name, line, "line too long");
                memcpy(buf, text + pos, n);
                buf[n] = 0;
                pos = end + 1;
                if (memchr(buf, 0, n))
                        return rb__fail_at(err, errlen, name, line, "NUL byte in the text");
                char *s = trim(buf);
                if (!*s || *s == ';')
                        continue;
                if (*s == '[') {
                        FLUSH_ENTRY();
                        char *close = strchr(s, ']');
                        if (!close)
                                return rb__fail_at(err, errlen, name, line,
                                                   "unterminated section name");
                        *close = 0;
                        s++;
                        if (strcasecmp(s, "Disc") == 0) {
                                section = S_DISC;
                        } else if (strncasecmp(s, "Entry ", 6) == 0) {
                                section = S_ENTRY;
                                entry_line = line;
                        } else if (strncasecmp(s, "TRACK ", 6) == 0) {
                                long t;
                                if (!parse_long(s + 6, &t) || t < 1 || t > 99)
                                        return rb__fail_at(err, errlen, name, line,
                                                           "track number \"%s\" is not 1..99",
                                                           s + 6);
                                section = S_TRACK;
                                track = (int)t;
                                c->tracks[track].present = true;
                                c->tracks[track].line = line;
                        } else {
                                section = S_OTHER;
                        }
                        continue;
                }
                char *eq = strchr(s, '=');
                if (!eq)
                        return rb__fail_at(err, errlen, name, line, "expected KEY=VALUE");
                *eq = 0;
                char *key = trim(s), *value = trim(eq + 1);
                long v = 0;
                bool numeric = parse_long(value, &v);
                switch (section) {
                case S_DISC:
                        if (strcasecmp(key, "Sessions") == 0 && numeric) {
                                c->sessions = (int)v;
                                c->sessions_line = line;
                        } else if (strcasecmp(key, "DataTracksScrambled") == 0 && numeric) {
                                c->scrambled = (int)v;
                                c->scrambled_line = line;
                        } else if (strcasecmp(key, "CATALOG") == 0) {
                                if (strlen(value) != RB_MCN_DIGITS ||
                                    strspn(value, "0123456789") != RB_MCN_DIGITS)
                                        return rb__fail_at(err, errlen, name, line,
                                                           "CATALOG is not 13 digits");
                                memcpy(c->catalog, value, RB_MCN_DIGITS + 1);
                        }
                        break;
                case S_ENTRY:
                        if (!numeric)
                                return rb__fail_at(err, errlen, name, line, "%s: not a number",
                                                   key);
                        if (strcasecmp(key, "Point") == 0)
                                entry_point = v;
                        else if (strcasecmp(key, "Control") == 0)
                                entry_control = v & 0x0F;
                        else if (strcasecmp(key, "PLBA") == 0)
                                entry_plba = v;
                        else if (strcasecmp(key, "PMin") == 0)
                                entry_pmin = v;
                        else if (strcasecmp(key, "PSec") == 0)
                                entry_psec = v;
                        else if (strcasecmp(key, "Session") == 0)
                                entry_session = v;
                        break;
                case S_TRACK:
                        if (strcasecmp(key, "MODE") == 0) {
                                if (!numeric || v < 0 || v > 2)
                                        return rb__fail_at(err, errlen, name, line,
                                                           "MODE %s is not 0, 1 or 2", value);
                                c->tracks[track].mode = (int)v;
                        } else if (strncasecmp(key, "INDEX ", 6) == 0) {
                                long x;
                                if (!parse_long(key + 6, &x) || x < 0 || x > RB_MAX_INDEX)
                                        return rb__fail_at(err, errlen, name, line,
                                                           "bad index \"%s\"", key + 6);
                                if (!numeric || v < 0 || v > RB_LBA_MAX)
                                        return rb__fail_at(err, errlen, name, line,
                                                           "INDEX %ld: LBA \"%s\" out of range", x,
                                                           value);
                                c->tracks[track].index[x] = v;
                        }
                        break;
                case S_NONE:
                case S_OTHER:
                        break;
                }
        }
        FLUSH_ENTRY();
#undef FLUSH_ENTRY
        c->lines = line ? line : 1;
        return 0;
}

static int add_file(rb_layout_t *l, const char *path, uint64_t assume_size, char *err,
                    size_t errlen)
{
        if (!assume_size)
                return rb_layout_add_file(l, path, RB_FILE_RAW, RB_LITTLE_ENDIAN, err, errlen);
        rb_source_file_t *f = realloc(l->files, (l->file_count + 1) * sizeof *f);
        if (!f)
                return -ENOMEM;
        l->files = f;
        f[l->file_count] = (rb_source_file_t){.path = strdup(path),
                                              .kind = RB_FILE_RAW,
                                              .size = assume_size,
                                              .format = strdup("assumed")};
        if (!f[l->file_count].path || !f[l->file_count].format) {
                free(f[l->file_count].path);
                free(f[l->file_count].format);
                return -ENOMEM;
        }
        return (int)l->file_count++;
}

int rb_ccd_parse(const char *name, const char *text, size_t len, const char *img_path,
                 const char *sub_path, uint64_t assume_size, rb_layout_t *l, char *warn,
                 size_t warnlen, char *err, size_t errlen)
{
        ccd_t c;
        int r = parse_text(name, text, len, &c, err, errlen);
        if (r < 0)
                return r;
        if (c.sessions != 1)
                return rb__fail_at(err, errlen, name, c.sessions_line,
                                   "%d sessions: only single-session images burn", c.sessions);
        if (c.scrambled)
                return rb__fail_at(err, errlen, name, c.scrambled_line,
                                   "DataTracksScrambled=%d: only descrambled images are taken",
                                   c.scrambled);
        if (c.leadout == NONE)
                return rb__fail_at(err, errlen, name, c.lines,
                                   "no [Entry] with Point=0xa2 (lead-out) in session 1");
        int first = 0, last = 0;
        for (int t = 1; t <= 99; t++)
                if (c.tracks[t].present) {
                        if (!first)
                                first = t;
                        else if (t != last + 1)
                                return rb__fail_at(err, errlen, name, c.tracks[t].line,
                                                   "track %d follows track %d", t, last);
                        last = t;
                        if (c.tracks[t].index[1] == NONE)
                                return rb__fail_at(err, errlen, name, c.tracks[t].line,
                                                   "track %d has no INDEX 1", t);
                }
        if (!first)
                return rb__fail_at(err, errlen, name, c.lines, "no [TRACK] sections");
        /* The TOC points must tell what the tracks do: A0 the first track (and
         * the disc type), A1 the last, each track's point its INDEX 1. */
        const ccd_entry_t *a0 = &c.points[0xA0], *a1 = &c.points[0xA1];
        if (a0->present && a0->pmin != first)
                return rb__fail_at(err, errlen, name, a0->line,
                                   "Point=0xa0 gives first track %ld, the [TRACK]s start at %d",
                                   a0->pmin, first);
        if (a1->present && a1->pmin != last)
                return rb__fail_at(err, errlen, name, a1->line,
                                   "Point=0xa1 gives last track %ld, the [TRACK]s end at %d",
                                   a1->pmin, last);
        if (a0->present && a0->psec != 0x00 && a0->psec != 0x10 && a0->psec != 0x20)
                return rb__fail_at(
                    err, errlen, name, a0->line,
                    "Point=0xa0 PSec=%ld is no disc type (0x00 CD-DA/CD-ROM, 0x10 CD-i, "
                    "0x20 CD-ROM XA)",
                    a0->psec);
        for (int t = first; t <= last; t++) {
                const ccd_entry_t *e = &c.points[t];
                if (!e->present)
                        return rb__fail_at(err, errlen, name, c.tracks[t].line,
                                           "track %d has no [Entry] with Point=%d in the TOC", t,
                                           t);
                if (e->plba != NONE && e->plba != c.tracks[t].index[1])
                        return rb__fail_at(err, errlen, name, e->line,
                                           "Point=%d PLBA=%ld, but [TRACK %d] has INDEX 1=%ld", t,
                                           e->plba, t, c.tracks[t].index[1]);
        }
        for (int p = 1; p <= 99; p++)
                if (c.points[p].present && (p < first || p > last))
                        return rb__fail_at(err, errlen, name, c.points[p].line,
                                           "Point=%d has no [TRACK %d]", p, p);
        if (a0->present)
                l->disc_type_given = (int)a0->psec;

        int img = add_file(l, img_path, assume_size, err, errlen);
        if (img < 0)
                return img;
        if (sub_path) {
                int sub = add_file(l, sub_path, assume_size, err, errlen);
                if (sub < 0)
                        return sub;
                l->sub_file = sub;
        }
        memcpy(l->mcn, c.catalog, sizeof l->mcn);

        for (int t = first; t <= last; t++) {
                const ccd_track_t *ct = &c.tracks[t];
                long start = ct->index[0] != NONE ? ct->index[0] : ct->index[1];
                long next = t < last ? (c.tracks[t + 1].index[0] != NONE ? c.tracks[t + 1].index[0]
                                                                         : c.tracks[t + 1].index[1])
                                     : c.leadout;
                if (start < 0 || ct->index[1] < start || next <= ct->index[1] ||
                    (t == first && start != 0))
                        return rb__fail_at(
                            err, errlen, name, ct->line,
                            "track %d: indexes out of order (INDEX 0 %ld, INDEX 1 %ld, "
                            "next %ld)",
                            t, ct->index[0] == NONE ? -1 : ct->index[0], ct->index[1], next);
                rb_track_mode_t mode = ct->mode == 0   ? RB_TRACK_AUDIO
                                       : ct->mode == 1 ? RB_TRACK_MODE1
                                                       : RB_TRACK_MODE2;
                rb_track_t *lt = rb_layout_add_track(l, mode);
                if (!lt)
                        return -E2BIG;
                lt->number = (uint8_t)t;
                if (c.control[t] >= 0)
                        lt->flags =
                            (uint8_t)(c.control[t] & (RB_CTL_COPY_PERMITTED | RB_CTL_PREEMPHASIS |
                                                      RB_CTL_FOUR_CHANNEL));
                uint32_t generated = t == first ? 150 : 0;
                lt->pause = generated + (uint32_t)(ct->index[1] - start);
                lt->length = (uint32_t)(next - ct->index[1]);
                for (int x = 2; x <= RB_MAX_INDEX && ct->index[x] != NONE; x++) {
                        lt->index_count = (uint8_t)x;
                        lt->index_start[x] = (uint32_t)(ct->index[x] - ct->index[1]);
                }
                rb_segment_t gap = {.file = -1, .sectors = generated, .format = RB_FMT_RAW_SECTOR};
                rb_segment_t body = {.file = img,
                                     .offset = (uint64_t)start * RB_SECTOR_SIZE,
                                     .sectors = (uint32_t)(next - start),
                                     .format = RB_FMT_RAW_SECTOR};
                if ((r = rb_track_add_segment(lt, &gap)) < 0 ||
                    (r = rb_track_add_segment(lt, &body)) < 0)
                        return r;
        }
        (void)warn;
        (void)warnlen;
        return 0;
}

static char *replace_suffix(const char *path, const char *suffix)
{
        const char *dot = strrchr(path, '.');
        size_t base = dot && !strchr(dot, '/') ? (size_t)(dot - path) : strlen(path);
        char *out = malloc(base + strlen(suffix) + 1);
        if (!out)
                return NULL;
        memcpy(out, path, base);
        strcpy(out + base, suffix);
        return out;
}

int rb_ccd_load(const char *path, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                size_t errlen)
{
        FILE *f = fopen(path, "rb");
        char *text = NULL, *img = NULL, *sub = NULL;
        struct stat st;
        int r;

        if (!f) {
                int e = errno;
                if (e == ENOENT)
                        snprintf(err, errlen, "not found: %s", path);
                else
                        snprintf(err, errlen, "%s: %s", path, strerror(e));
                return -e;
        }
        text = malloc(1 << 20);
        size_t len = text ? fread(text, 1, 1 << 20, f) : 0;
        fclose(f);
        if (!text)
                return -ENOMEM;
        img = replace_suffix(path, ".img");
        sub = replace_suffix(path, ".sub");
        if (!img || !sub) {
                r = -ENOMEM;
                goto out;
        }
        if (stat(sub, &st) < 0) {
                if (warn && warnlen)
                        snprintf(warn + strlen(warn), warnlen - strlen(warn),
                                 "%s: no %s: the subchannel is generated\n", path, sub);
                free(sub);
                sub = NULL;
        }
        r = rb_ccd_parse(path, text, len, img, sub, 0, l, warn, warnlen, err, errlen);
out:
        free(text);
        free(img);
        free(sub);
        return r;
}
