/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/cue-parser.h"
#include "rawburn/cdtext-file.h"
#include "rawburn/freedb-discid.h"
#include "rawburn/rw-subcode.h"
#include "rawburn/source-path.h"
#include "rawburn/text-charset.h"

#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_TOKENS 8
#define MAX_LINE   4096

typedef struct parser {
        rb_cue_sheet_t *c;
        const char *name;
        unsigned line;
        rb_cue_track_t *track; /* current TRACK, NULL before the first */
        int file;              /* current FILE, -1 before the first */
        char *err;
        size_t errlen;
} parser_t;

/* An error in the line being read. */
#define perr(p, ...) rb__fail_at((p)->err, (p)->errlen, (p)->name, (p)->line, __VA_ARGS__)

/* A warning about the current line, kept in the sheet. */
static int pwarn(parser_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int pwarn(parser_t *p, const char *fmt, ...)
{
        char msg[512], *all = NULL;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        if (asprintf(&all, "%s%s:%u: %s\n", p->c->warnings ? p->c->warnings : "", p->name, p->line,
                     msg) < 0)
                return -ENOMEM;
        free(p->c->warnings);
        p->c->warnings = all;
        return 0;
}

void rb_cue_sheet_free(rb_cue_sheet_t *c)
{
        for (size_t i = 0; i < c->file_count; i++)
                free(c->files[i].name);
        free(c->files);
        free(c->name);
        free(c->cdtextfile);
        free(c->warnings);
        rb_cdtext_clear(&c->cdtext);
        memset(c, 0, sizeof *c);
}

/* Splits a line into words; "quoted strings" keep their spaces. */
static int tokenize(parser_t *p, char *line, char **tok, int *count)
{
        int n = 0;
        char *s = line;

        for (;;) {
                while (*s == ' ' || *s == '\t')
                        s++;
                if (!*s)
                        break;
                if (n == MAX_TOKENS)
                        return perr(p, "too many words");
                if (*s == '"') {
                        tok[n++] = ++s;
                        char *end = strchr(s, '"');
                        if (!end)
                                return perr(p, "unterminated quoted string");
                        *end = 0;
                        s = end + 1;
                } else {
                        tok[n++] = s;
                        while (*s && *s != ' ' && *s != '\t')
                                s++;
                        if (*s)
                                *s++ = 0;
                }
        }
        *count = n;
        return 0;
}

/* mm:ss:ff with ss < 60 and ff < 75; minutes up to 99. */
static int parse_msf(parser_t *p, const char *s, uint32_t *frames)
{
        unsigned m, sec, f;
        char tail;

        if (sscanf(s, "%u:%u:%u%c", &m, &sec, &f, &tail) != 3 ||
            strspn(s, "0123456789:") != strlen(s))
                return perr(p, "\"%s\" is not mm:ss:ff", s);
        if (m > 99 || sec > 59 || f > 74)
                return perr(p, "\"%s\": seconds must be < 60 and frames < 75 (minutes <= 99)", s);
        *frames = (m * 60 + sec) * 75 + f;
        return 0;
}

static int parse_number(parser_t *p, const char *s, unsigned lo, unsigned hi, unsigned *v)
{
        char *end;
        errno = 0;
        unsigned long n = strtoul(s, &end, 10);
        if (!*s || *end || errno || n < lo || n > hi || !isdigit((unsigned char)*s))
                return perr(p, "\"%s\" is not a number from %u to %u", s, lo, hi);
        *v = (unsigned)n;
        return 0;
}

static int cmd_file(parser_t *p, char **tok, int n)
{
        static const struct {
                const char *name;
                rb_cue_file_type_t type;
        } types[] = {{"BINARY", RB_CUE_BINARY}, {"MOTOROLA", RB_CUE_MOTOROLA},
                     {"WAVE", RB_CUE_WAVE},     {"FLAC", RB_CUE_FLAC},
                     {"AIFF", RB_CUE_AIFF},     {"MP3", RB_CUE_MP3}};
        if (n != 3)
                return perr(p, "FILE needs a name and a type");
        int type = -1;
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
                if (strcasecmp(tok[2], types[i].name) == 0)
                        type = (int)types[i].type;
        if (type < 0)
                return perr(p,
                            "FILE type \"%s\" is not supported (BINARY, MOTOROLA, WAVE, FLAC, "
                            "AIFF, MP3)",
                            tok[2]);
        if (!*tok[1])
                return perr(p, "FILE with an empty name");
        rb_cue_file_t *f = realloc(p->c->files, (p->c->file_count + 1) * sizeof *f);
        if (!f)
                return -ENOMEM;
        p->c->files = f;
        f[p->c->file_count] = (rb_cue_file_t){strdup(tok[1]), (rb_cue_file_type_t)type, p->line};
        if (!f[p->c->file_count].name)
                return -ENOMEM;
        p->file = (int)p->c->file_count++;
        return 0;
}

static int cmd_track(parser_t *p, char **tok, int n)
{
        static const struct {
                const char *name;
                rb_track_mode_t mode;
                rb_data_format_t format;
        } modes[] = {
            {"AUDIO", RB_TRACK_AUDIO, RB_FMT_AUDIO},
            {"MODE1/2048", RB_TRACK_MODE1, RB_FMT_MODE1},
            {"MODE1/2352", RB_TRACK_MODE1, RB_FMT_RAW_SECTOR},
            {"MODE2/2336", RB_TRACK_MODE2, RB_FMT_MODE2},
            {"MODE2/2352", RB_TRACK_MODE2, RB_FMT_RAW_SECTOR},
            /* CD+G rips (Alcohol, PowerISO, cdrdao-based rippers): 2448-byte
             * sectors, 2352 of audio and 96 of de-interleaved R-W packs. */
            {"CDG", RB_TRACK_AUDIO, RB_FMT_AUDIO_RW},
        };
        unsigned number;
        int r;

        if (n != 3)
                return perr(p, "TRACK needs a number and a mode");
        if (p->file < 0)
                return perr(p, "TRACK before any FILE");
        if ((r = parse_number(p, tok[1], 1, 99, &number)) < 0)
                return r;
        if (p->c->track_count == 99)
                return perr(p, "more than 99 tracks");
        if (p->track && number != p->track->number + 1u)
                return perr(p, "TRACK %02u after TRACK %02u: numbers must go up by one", number,
                            p->track->number);
        if (p->track && p->track->index_count == 0)
                return perr(p, "TRACK %02u has no INDEX", p->track->number);
        int m = -1;
        for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
                if (strcasecmp(tok[2], modes[i].name) == 0)
                        m = (int)i;
        if (m < 0)
                return perr(p,
                            "track mode \"%s\" is not supported (AUDIO, MODE1/2048, MODE1/2352, "
                            "MODE2/2336, MODE2/2352, CDG)",
                            tok[2]);
        rb_cue_track_t *t = &p->c->tracks[p->c->track_count++];
        memset(t, 0, sizeof *t);
        t->number = (uint8_t)number;
        t->mode = modes[m].mode;
        t->format = modes[m].format;
        t->line = p->line;
        p->track = t;
        return 0;
}

static int cmd_index(parser_t *p, char **tok, int n)
{
        unsigned number;
        uint32_t frames;
        int r;

        if (n != 3)
                return perr(p, "INDEX needs a number and mm:ss:ff");
        if (!p->track)
                return perr(p, "INDEX before any TRACK");
        if ((r = parse_number(p, tok[1], 0, RB_MAX_INDEX, &number)) < 0 ||
            (r = parse_msf(p, tok[2], &frames)) < 0)
                return r;
        rb_cue_track_t *t = p->track;
        if (t->index_count) {
                const rb_cue_index_t *prev = &t->indexes[t->index_count - 1];
                if (number != prev->number + 1u)
                        return perr(p, "INDEX %02u after INDEX %02u: numbers must go up by one",
                                    number, prev->number);
                if (prev->file == p->file && frames <= prev->frames)
                        return perr(p, "INDEX %02u at %s is not after INDEX %02u", number, tok[2],
                                    prev->number);
        } else if (number > 1) {
                return perr(p, "the first INDEX of a track must be 00 or 01");
        }
        /* The index must also come after the previous track's last one. */
        if (t->index_count == 0 && p->c->track_count > 1) {
                const rb_cue_track_t *pt = &p->c->tracks[p->c->track_count - 2];
                const rb_cue_index_t *last = &pt->indexes[pt->index_count - 1];
                if (last->file == p->file && frames <= last->frames)
                        return perr(p, "INDEX %02u at %s overlaps track %02u", number, tok[2],
                                    pt->number);
        }
        t->indexes[t->index_count++] = (rb_cue_index_t){(uint8_t)number, p->file, frames, p->line};
        return 0;
}

static int cmd_gap(parser_t *p, char **tok, int n, bool pre)
{
        uint32_t frames;
        int r;

        if (n != 2)
                return perr(p, "%s needs mm:ss:ff", tok[0]);
        if (!p->track)
                return perr(p, "%s before any TRACK", tok[0]);
        if ((r = parse_msf(p, tok[1], &frames)) < 0)
                return r;
        if (pre) {
                if (p->track->index_count)
                        return perr(p, "PREGAP after INDEX");
                p->track->pregap = frames;
        } else {
                p->track->postgap = frames;
        }
        return 0;
}

static int cmd_flags(parser_t *p, char **tok, int n)
{
        if (!p->track)
                return perr(p, "FLAGS before any TRACK");
        for (int i = 1; i < n; i++) {
                if (strcasecmp(tok[i], "DCP") == 0)
                        p->track->flags |= RB_CTL_COPY_PERMITTED;
                else if (strcasecmp(tok[i], "4CH") == 0)
                        p->track->flags |= RB_CTL_FOUR_CHANNEL;
                else if (strcasecmp(tok[i], "PRE") == 0)
                        p->track->flags |= RB_CTL_PREEMPHASIS;
                else if (strcasecmp(tok[i], "SCMS") == 0)
                        continue; /* serial copy management lives in no Q bit we write */
                else
                        return perr(p, "unknown flag \"%s\" (DCP, 4CH, PRE, SCMS)", tok[i]);
        }
        return 0;
}

static int cmd_isrc(parser_t *p, char **tok, int n)
{
        if (n != 2)
                return perr(p, "ISRC needs one code");
        if (!p->track)
                return perr(p, "ISRC before any TRACK");
        /* Some rippers write ISRCs with dashes: CC-OOO-YY-SSSSS. */
        char code[RB_ISRC_CHARS + 1];
        if (!rb__isrc_normalize(tok[1], code))
                return perr(p, "ISRC \"%s\" is not " RB__ISRC_FORM, tok[1]);
        int r = 0;
        if (p->track->isrc[0])
                r = pwarn(p, "a second ISRC for track %02u: %s replaces %s", p->track->number, code,
                          p->track->isrc);
        if (r == 0 && strspn(code, "0") == RB_ISRC_CHARS) {
                /* EAC writes all zeros for "none"; no such code is assigned. */
                p->track->isrc[0] = 0;
                return pwarn(p, "ISRC %s means none: not burned", code);
        }
        memcpy(p->track->isrc, code, sizeof code);
        return r;
}

static int cmd_catalog(parser_t *p, char **tok, int n)
{
        if (n != 2 || strlen(tok[1]) != RB_MCN_DIGITS ||
            strspn(tok[1], "0123456789") != RB_MCN_DIGITS)
                return perr(p, "CATALOG needs 13 digits");
        if (p->track)
                return perr(p, "CATALOG belongs before the first TRACK");
        int r = 0;
        if (p->c->mcn[0])
                r = pwarn(p, "a second CATALOG: %s replaces %s", tok[1], p->c->mcn);
        if (r == 0 && strspn(tok[1], "0") == RB_MCN_DIGITS) {
                /* EAC writes all zeros for "none"; no such UPC/EAN exists. */
                p->c->mcn[0] = 0;
                return pwarn(p, "CATALOG %s means none: not burned", tok[1]);
        }
        memcpy(p->c->mcn, tok[1], RB_MCN_DIGITS + 1);
        return r;
}

static int cmd_cdtext(parser_t *p, int field, char **tok, int n)
{
        if (n != 2)
                return perr(p, "%s needs one (quoted) text", tok[0]);
        if (strlen(tok[1]) > 159)
                return perr(p, "%s is longer than 159 bytes", tok[0]);
        unsigned track = p->track ? p->track->number : 0;
        return rb_cdtext_set(&p->c->cdtext, (rb_cdtext_field_t)field, track, tok[1]);
}

/* REM GENRE "Rock": a genre code when the name is one of the list's, and the
 * text as written. */
static int cmd_genre(parser_t *p, const char *text)
{
        if (!text[0])
                return 0;
        if (strlen(text) > 159)
                return perr(p, "REM GENRE is longer than 159 bytes");
        rb_cdtext_block_t *b = rb_cdtext_block(&p->c->cdtext, 0);
        if (!b)
                return -ENOMEM;
        int code = rb_cdtext_genre_from_name(text);
        b->genre = code >= 0 ? code : RB_CDTEXT_GENRE_NOT_DEFINED;
        return rb_cdtext_set(&p->c->cdtext, RB_CDTEXT_GENRE, 0, text);
}

/* REM DISCID 8A0B6F0C: kept to check the layout against; anything that is
 * not 8 hex digits is somebody's comment, as before. */
static int rem_discid(parser_t *p, const char *s)
{
        while (*s == ' ' || *s == '\t')
                s++;
        size_t n = strspn(s, "0123456789abcdefABCDEF");
        if (n != 8 || (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\r'))
                return 0;
        p->c->discid = (uint32_t)strtoul(s, NULL, 16);
        p->c->discid_line = p->line;
        return 0;
}

static int parse_line(parser_t *p, char *line)
{
        char *tok[MAX_TOKENS];
        int n, r;

        /* A REM line is a comment, except REM GENRE "…" (EAC, foobar2000) before
         * the first TRACK, which is the CD-Text genre; nothing in one can fail.
         * The other REMs (DATE, DISCID, COMMENT, …) have no place on a disc. */
        char *w = line;
        while (*w == ' ' || *w == '\t')
                w++;
        if (strncasecmp(w, "REM", 3) == 0 && (w[3] == 0 || w[3] == ' ' || w[3] == '\t')) {
                char *g = w + 3;
                while (*g == ' ' || *g == '\t')
                        g++;
                if (strncasecmp(g, "DISCID", 6) == 0 && (g[6] == ' ' || g[6] == '\t'))
                        return rem_discid(p, g + 6);
                if (strncasecmp(g, "GENRE", 5) != 0 || (g[5] != ' ' && g[5] != '\t'))
                        return 0;
                if (p->track)
                        return 0; /* a track's genre has no CD-Text pack */
                g += 5;
                while (*g == ' ' || *g == '\t')
                        g++;
                size_t len = strlen(g);
                while (len && (g[len - 1] == ' ' || g[len - 1] == '\t'))
                        g[--len] = 0;
                if (len >= 2 && g[0] == '"' && g[len - 1] == '"') {
                        g[len - 1] = 0;
                        g++;
                }
                return cmd_genre(p, g);
        }
        if ((r = tokenize(p, line, tok, &n)) < 0 || n == 0)
                return r;
        const char *cmd = tok[0];

        if (strcasecmp(cmd, "FILE") == 0)
                return cmd_file(p, tok, n);
        if (strcasecmp(cmd, "TRACK") == 0)
                return cmd_track(p, tok, n);
        if (strcasecmp(cmd, "INDEX") == 0)
                return cmd_index(p, tok, n);
        if (strcasecmp(cmd, "PREGAP") == 0)
                return cmd_gap(p, tok, n, true);
        if (strcasecmp(cmd, "POSTGAP") == 0)
                return cmd_gap(p, tok, n, false);
        if (strcasecmp(cmd, "FLAGS") == 0)
                return cmd_flags(p, tok, n);
        if (strcasecmp(cmd, "ISRC") == 0)
                return cmd_isrc(p, tok, n);
        if (strcasecmp(cmd, "CATALOG") == 0)
                return cmd_catalog(p, tok, n);
        if (strcasecmp(cmd, "CDTEXTFILE") == 0) {
                if (n != 2)
                        return perr(p, "CDTEXTFILE needs a file name");
                free(p->c->cdtextfile);
                p->c->cdtextfile = strdup(tok[1]);
                p->c->cdtextfile_line = p->line;
                return p->c->cdtextfile ? 0 : -ENOMEM;
        }
        int field = rb_cdtext_field_from_keyword(cmd);
        if (field >= 0 && strcasecmp(cmd, "ISRC") != 0)
                return cmd_cdtext(p, field, tok, n);
        return perr(p, "unknown command \"%s\"", cmd);
}

int rb_cue_parse(const char *name, const char *text, size_t len, rb_cue_sheet_t *c, char *err,
                 size_t errlen)
{
        parser_t p = {.c = c, .name = name, .file = -1, .err = err, .errlen = errlen};
        char line[MAX_LINE];
        size_t pos = 0;
        int r = 0;

        memset(c, 0, sizeof *c);
        c->name = strdup(name);
        if (!c->name)
                return -ENOMEM;
        if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
                pos = 3;
        while (pos < len && r == 0) {
                /* Lines end in LF, CRLF, or CR alone (classic Mac OS editors). */
                size_t end = pos;
                while (end < len && text[end] != '\n' && text[end] != '\r')
                        end++;
                size_t n = end - pos;
                p.line++;
                if (n >= sizeof line) {
                        r = perr(&p, "line longer than %zu bytes", sizeof line - 1);
                        break;
                }
                memcpy(line, text + pos, n);
                line[n] = 0;
                if (memchr(line, 0, n)) {
                        r = perr(&p, "NUL byte in the text");
                        break;
                }
                r = parse_line(&p, line);
                pos = end + (end + 1 < len && text[end] == '\r' && text[end + 1] == '\n' ? 2 : 1);
        }
        if (r == 0 && c->track_count == 0)
                r = perr(&p, "no TRACK");
        if (r == 0 && p.track && p.track->index_count == 0)
                r = perr(&p, "TRACK %02u has no INDEX", p.track->number);
        for (unsigned i = 0; r == 0 && i < c->track_count; i++) {
                const rb_cue_track_t *t = &c->tracks[i];
                if (t->index_count == 1 && t->indexes[0].number == 0) {
                        p.line = t->line;
                        r = perr(&p, "TRACK %02u has INDEX 00 but no INDEX 01", t->number);
                }
        }
        if (r < 0)
                rb_cue_sheet_free(c);
        return r;
}

/* ---- from the sheet to the layout ---- */

typedef struct file_info {
        int layout_file;
        size_t sector_size;
        uint64_t sectors; /* rounded up */
        uint64_t base;    /* first global sector */
        uint64_t size;
        int cdg_file; /* layout file of a .cdg next to an audio file, or -1 */
} file_info_t;

/*
 * A karaoke rip keeps the CD+G packs in a .cdg file beside the audio
 * (x.flac + x.cdg, x.mp3 + x.cdg): 96 bytes per sector, 4 de-interleaved
 * packs, aligned with the audio from its first sector. Taken when present,
 * and said so.
 */
static int find_cdg(const char *audio_path, rb_layout_t *l, int *cdg_file, char *warn,
                    size_t warnlen, char *err, size_t errlen)
{
        const char *dot = strrchr(audio_path, '.');
        size_t stem = dot && !strchr(dot, '/') ? (size_t)(dot - audio_path) : strlen(audio_path);
        char *name = NULL, *path = NULL;
        struct stat st;
        char ferr[512] = "";
        int r;

        if (asprintf(&name, "%.*s.cdg", (int)stem, audio_path) < 0)
                return -ENOMEM;
        r = rb_source_path_find(NULL, name, &path, NULL, 0, ferr, sizeof ferr);
        free(name);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
                free(path);
                return 0;
        }
        r = rb_layout_add_file(l, path, RB_FILE_RAW, RB_LITTLE_ENDIAN, ferr, sizeof ferr);
        if (r < 0) {
                snprintf(err, errlen, "%s: %s", path, ferr);
                free(path);
                return r;
        }
        rb__warn(warn, warnlen, "%s: CD+G packs taken from %s", audio_path, path);
        free(path);
        *cdg_file = r;
        return 0;
}

/* A file the sheet names at line: found (saying how when not as written)
 * or an error "sheet:line: not found: NAME (looked for: …)". */
static int locate(const rb_cue_sheet_t *c, const char *basedir, const char *name, unsigned line,
                  char **path, char *warn, size_t warnlen, char *err, size_t errlen)
{
        char note[1024] = "", ferr[2048] = "";
        int r = rb_source_path_find(basedir, name, path, note, sizeof note, ferr, sizeof ferr);
        if (r == -ENOENT)
                snprintf(err, errlen, "%s:%u: %s", c->name, line, ferr);
        else if (r == 0 && note[0])
                rb__warn(warn, warnlen, "%s:%u: %s", c->name, line, note);
        return r;
}

static int add_range(rb_layout_t *l, rb_track_t *t, const file_info_t *fi, size_t nfiles,
                     uint64_t from, uint64_t to, rb_data_format_t format)
{
        for (size_t f = 0; f < nfiles && from < to; f++) {
                uint64_t end = fi[f].base + fi[f].sectors;
                if (from >= end)
                        continue;
                uint64_t stop = to < end ? to : end;
                rb_segment_t seg = {
                    .file = fi[f].layout_file,
                    .offset = (from - fi[f].base) * fi[f].sector_size,
                    .sectors = (uint32_t)(stop - from),
                    .format = format,
                };
                if (fi[f].cdg_file >= 0) {
                        seg.has_rw = true;
                        seg.rw_file = fi[f].cdg_file;
                        seg.rw_offset = (from - fi[f].base) * RB_RW_SECTOR_SYMBOLS;
                }
                uint64_t rem = fi[f].size % fi[f].sector_size;
                if (stop == end && rem)
                        seg.short_last = (uint32_t)rem;
                int r = rb_track_add_segment(t, &seg);
                if (r < 0)
                        return r;
                from = stop;
        }
        return 0;
}

/*
 * CDTEXTFILE: binary CD-Text packs (cdtext-file.h). Without text lines in
 * the sheet they are burned as they are; with them, the file's text fills
 * what the sheet leaves out and the packs are made again.
 */
static int load_cdtextfile(const rb_cue_sheet_t *c, const char *basedir, rb_layout_t *l, char *warn,
                           size_t warnlen, char *err, size_t errlen)
{
        char *path = NULL;
        uint8_t *packs = NULL;
        size_t count = 0;
        char ferr[512] = "";
        rb_cdtext_t text = {0};
        int r;

        r = locate(c, basedir, c->cdtextfile, c->cdtextfile_line, &path, warn, warnlen, err,
                   errlen);
        if (r < 0)
                return r;
        r = rb_cdtext_file_load(path, &packs, &count, ferr, sizeof ferr);
        if (r < 0) {
                snprintf(err, errlen, "%s:%u: %s", c->name, c->cdtextfile_line, ferr);
                goto out;
        }
        if (!rb_cdtext_any(&l->cdtext)) {
                l->cdtext_given = packs;
                l->cdtext_given_count = count;
                packs = NULL;
                goto out;
        }
        if ((r = rb_cdtext_parse(packs, count, &text, NULL)) < 0 ||
            (r = rb_cdtext_merge(&l->cdtext, &text)) < 0)
                goto out;
        rb__warn(warn, warnlen,
                 "%s:%u: %s: its text fills what the sheet's TITLE, PERFORMER, … lines leave out; "
                 "the packs are made again",
                 c->name, c->cdtextfile_line, path);
out:
        rb_cdtext_clear(&text);
        free(packs);
        free(path);
        return r;
}

int rb_cue_to_layout(const rb_cue_sheet_t *c, const char *basedir, uint64_t assume_size,
                     rb_layout_t *l, char *warn, size_t warnlen, char *err, size_t errlen)
{
        file_info_t *fi = calloc(c->file_count + 1, sizeof *fi);
        uint64_t base = 0;
        int r = 0;

        if (!fi)
                return -ENOMEM;
        if (c->warnings)
                rb__warn(warn, warnlen, "%.*s", (int)strlen(c->warnings) - 1, c->warnings);
        for (size_t i = 0; i < c->file_count; i++) {
                const rb_cue_file_t *cf = &c->files[i];
                /* The sector size of a file is that of the first track in it. */
                fi[i].sector_size = 2352;
                for (unsigned k = 0; k < c->track_count; k++)
                        if (c->tracks[k].indexes[0].file == (int)i) {
                                fi[i].sector_size = rb_data_format_size(c->tracks[k].format);
                                break;
                        }
                for (unsigned k = 0; k < c->track_count; k++)
                        for (unsigned x = 0; x < c->tracks[k].index_count; x++)
                                if (c->tracks[k].indexes[x].file == (int)i &&
                                    rb_data_format_size(c->tracks[k].format) != fi[i].sector_size) {
                                        snprintf(err, errlen,
                                                 "%s:%u: %s mixes tracks of different sector "
                                                 "sizes",
                                                 c->name, c->tracks[k].line, cf->name);
                                        r = -EINVAL;
                                        goto out;
                                }
                bool sound = cf->type == RB_CUE_WAVE || cf->type == RB_CUE_FLAC ||
                             cf->type == RB_CUE_AIFF || cf->type == RB_CUE_MP3;
                if (assume_size) {
                        rb_source_file_t *nf = realloc(l->files, (l->file_count + 1) * sizeof *nf);
                        if (!nf) {
                                r = -ENOMEM;
                                goto out;
                        }
                        l->files = nf;
                        nf[l->file_count] = (rb_source_file_t){.path = strdup(cf->name),
                                                               .kind = RB_FILE_RAW,
                                                               .order = RB_LITTLE_ENDIAN,
                                                               .size = assume_size,
                                                               .format = strdup("assumed")};
                        if (!nf[l->file_count].path || !nf[l->file_count].format) {
                                free(nf[l->file_count].path);
                                free(nf[l->file_count].format);
                                r = -ENOMEM;
                                goto out;
                        }
                        r = (int)l->file_count++;
                        fi[i].cdg_file = -1;
                } else {
                        char *path = NULL;
                        char ferr[512] = "";
                        r = locate(c, basedir, cf->name, cf->line, &path, warn, warnlen, err,
                                   errlen);
                        if (r < 0)
                                goto out;
                        r = rb_layout_add_file(l, path, sound ? RB_FILE_SNDFILE : RB_FILE_RAW,
                                               cf->type == RB_CUE_MOTOROLA ? RB_BIG_ENDIAN
                                                                           : RB_LITTLE_ENDIAN,
                                               ferr, sizeof ferr);
                        if (r < 0) {
                                free(path);
                                snprintf(err, errlen, "%s:%u: %s", c->name, cf->line, ferr);
                                goto out;
                        }
                        fi[i].cdg_file = -1;
                        int cdg =
                            sound ? find_cdg(path, l, &fi[i].cdg_file, warn, warnlen, err, errlen)
                                  : 0;
                        free(path);
                        if (cdg < 0) {
                                r = cdg;
                                goto out;
                        }
                }
                fi[i].layout_file = r;
                r = fi[i].layout_file;
                fi[i].size = l->files[r].size;
                fi[i].sectors = (fi[i].size + fi[i].sector_size - 1) / fi[i].sector_size;
                fi[i].base = base;
                base += fi[i].sectors;
                r = 0;
                if (fi[i].size % fi[i].sector_size)
                        rb__warn(warn, warnlen,
                                 "%s:%u: %s is not a whole number of %zu-byte sectors: its last "
                                 "sector is padded with %llu zero bytes",
                                 c->name, cf->line, cf->name, fi[i].sector_size,
                                 (unsigned long long)(fi[i].sector_size -
                                                      fi[i].size % fi[i].sector_size));
        }

        for (unsigned k = 0; k < c->track_count; k++) {
                const rb_cue_track_t *ct = &c->tracks[k];
                uint64_t g[RB_MAX_INDEX + 1];
                for (unsigned x = 0; x < ct->index_count; x++) {
                        const rb_cue_index_t *ix = &ct->indexes[x];
                        g[x] = fi[ix->file].base + ix->frames;
                        if (ix->frames >= fi[ix->file].sectors) {
                                snprintf(err, errlen,
                                         "%s:%u: INDEX %02u is beyond the end of %s (%llu "
                                         "sectors)",
                                         c->name, ix->line, ix->number, c->files[ix->file].name,
                                         (unsigned long long)fi[ix->file].sectors);
                                r = -EINVAL;
                                goto out;
                        }
                        if (x && g[x] <= g[x - 1]) {
                                snprintf(err, errlen, "%s:%u: INDEX %02u is not after INDEX %02u",
                                         c->name, ix->line, ix->number, ix->number - 1);
                                r = -EINVAL;
                                goto out;
                        }
                }
                uint64_t end = base;
                if (k + 1 < c->track_count) {
                        const rb_cue_index_t *nx = &c->tracks[k + 1].indexes[0];
                        end = fi[nx->file].base + nx->frames;
                }
                unsigned one = ct->indexes[0].number == 0 ? 1 : 0;
                if (end <= g[ct->index_count - 1]) {
                        snprintf(err, errlen, "%s:%u: track %02u is empty or overlaps the next",
                                 c->name, ct->line, ct->number);
                        r = -EINVAL;
                        goto out;
                }
                if (k == 0 && g[0] > 0)
                        rb__warn(warn, warnlen,
                                 "%s:%u: the %llu sectors before INDEX %02u of track 01 belong to "
                                 "no track: not burned (an INDEX 00 at 00:00:00 would keep them as "
                                 "track 01's pregap)",
                                 c->name, ct->indexes[0].line, (unsigned long long)g[0],
                                 ct->indexes[0].number);
                rb_track_t *t = rb_layout_add_track(l, ct->mode);
                if (!t) {
                        r = -E2BIG;
                        goto out;
                }
                t->number = ct->number;
                t->flags = ct->flags;
                memcpy(t->isrc, ct->isrc, sizeof t->isrc);
                uint32_t silence = ct->pregap;
                if (k == 0) {
                        /* The disc's first 150 sectors are always a generated pause.
                         * A PREGAP on track 1 is silence added to it (rippers write
                         * one for a track 1 that starts after 00:02:00, and their
                         * DISCIDs count it), then a file's INDEX 00 audio follows. */
                        silence += 150;
                }
                uint64_t from_file_pause = one ? g[1] - g[0] : 0;
                t->pause = silence + (uint32_t)from_file_pause;
                t->length = (uint32_t)(end - g[one]) + ct->postgap;
                t->index_count = (uint8_t)(ct->index_count - one);
                for (unsigned x = one + 1; x < ct->index_count; x++)
                        t->index_start[x - one + 1] = (uint32_t)(g[x] - g[one]);
                rb_segment_t gap = {.file = -1, .sectors = silence, .format = ct->format};
                if ((r = rb_track_add_segment(t, &gap)) < 0 ||
                    (r = add_range(l, t, fi, c->file_count, g[0], end, ct->format)) < 0)
                        goto out;
                gap.sectors = ct->postgap;
                if ((r = rb_track_add_segment(t, &gap)) < 0)
                        goto out;
                if (ct->format == RB_FMT_AUDIO_RW)
                        for (unsigned x = 0; x < ct->index_count; x++)
                                if (l->files[fi[ct->indexes[x].file].layout_file].kind ==
                                    RB_FILE_SNDFILE) {
                                        snprintf(err, errlen,
                                                 "%s:%u: a CDG track needs a BINARY file of "
                                                 "2448-byte sectors (for WAVE/FLAC, put the "
                                                 ".cdg next to it)",
                                                 c->name, ct->line);
                                        r = -EINVAL;
                                        goto out;
                                }
                if (ct->mode != RB_TRACK_AUDIO)
                        for (unsigned x = 0; x < ct->index_count; x++)
                                if (l->files[fi[ct->indexes[x].file].layout_file].kind ==
                                    RB_FILE_SNDFILE) {
                                        snprintf(err, errlen,
                                                 "%s:%u: a data track cannot come from an audio "
                                                 "file",
                                                 c->name, ct->line);
                                        r = -EINVAL;
                                        goto out;
                                }
        }
        if (c->discid_line) {
                uint32_t id = rb_freedb_discid(l);
                if (id != c->discid)
                        rb__warn(warn, warnlen,
                                 "%s:%u: REM DISCID %08X, but this layout's freedb disc ID is "
                                 "%08X: the track starts differ from the ripper's (check PREGAP, "
                                 "INDEX and the file lengths)",
                                 c->name, c->discid_line, (unsigned)c->discid, (unsigned)id);
        }
        memcpy(l->mcn, c->mcn, sizeof l->mcn);
        if ((r = rb_cdtext_merge(&l->cdtext, &c->cdtext)) < 0)
                goto out;
        if (c->cdtextfile && !assume_size &&
            (r = load_cdtextfile(c, basedir, l, warn, warnlen, err, errlen)) < 0)
                goto out;
out:
        free(fi);
        return r;
}

int rb_cue_load(const char *path, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                size_t errlen)
{
        return rb_cue_load_charset(path, NULL, l, warn, warnlen, err, errlen);
}

int rb_cue_load_charset(const char *path, const char *charset, rb_layout_t *l, char *warn,
                        size_t warnlen, char *err, size_t errlen)
{
        FILE *f = fopen(path, "rb");
        rb_cue_sheet_t sheet;
        char *text = NULL, *dir = NULL;
        size_t len = 0, cap = 0;
        int r;

        if (!f) {
                snprintf(err, errlen, "%s: %s", path, strerror(errno));
                return -errno;
        }
        for (;;) {
                if (len + 4096 > cap) {
                        if (cap > (1u << 24)) {
                                fclose(f);
                                free(text);
                                snprintf(err, errlen, "%s: too large for a cue sheet", path);
                                return -EFBIG;
                        }
                        cap = cap ? cap * 2 : 65536;
                        char *n = realloc(text, cap);
                        if (!n) {
                                fclose(f);
                                free(text);
                                return -ENOMEM;
                        }
                        text = n;
                }
                size_t got = fread(text + len, 1, cap - len, f);
                len += got;
                if (got == 0)
                        break;
        }
        fclose(f);
        /* Rippers write the sheet in their system's code page: turn it into
         * UTF-8 first, saying which one was taken when it was not UTF-8. */
        char *utf8 = NULL, cerr[256] = "", used[64] = "";
        size_t utf8_len = 0;
        r = rb_text_to_utf8(text, len, charset, &utf8, &utf8_len, used, sizeof used, cerr,
                            sizeof cerr);
        free(text);
        if (r < 0) {
                snprintf(err, errlen, "%s: %s%s", path, cerr,
                         charset ? "" : " (give the sheet's character set with --cue-charset)");
                return r;
        }
        if (!charset && strcmp(used, "UTF-8") != 0)
                rb__warn(warn, warnlen,
                         "%s: not UTF-8, read as %s (--cue-charset NAME to choose another)", path,
                         used);
        r = rb_cue_parse(path, utf8, utf8_len, &sheet, err, errlen);
        free(utf8);
        if (r < 0)
                return r;
        dir = strdup(path);
        if (!dir) {
                rb_cue_sheet_free(&sheet);
                return -ENOMEM;
        }
        char *slash = strrchr(dir, '/');
        if (slash)
                *slash = 0;
        else
                strcpy(dir, ".");
        r = rb_cue_to_layout(&sheet, dir, 0, l, warn, warnlen, err, errlen);
        free(dir);
        rb_cue_sheet_free(&sheet);
        return r;
}
