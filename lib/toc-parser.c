/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/toc-parser.h"

#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rawburn/cdtext.h"
#include "rawburn/source-path.h"

#define TOKEN_MAX 1024

typedef enum tok_kind { T_END, T_WORD, T_STRING, T_LBRACE, T_RBRACE, T_COLON } tok_kind_t;

typedef struct toc_parser {
        const char *name, *text, *basedir;
        size_t len, pos;
        unsigned line, tok_line;
        tok_kind_t kind;
        char tok[TOKEN_MAX];
        bool peeked;
        rb_layout_t *l;
        uint64_t assume_size;
        char *warn, *err;
        size_t warnlen, errlen;
        rb_track_t *track;
        uint32_t track_sectors; /* sectors in the current track so far */
        bool start_seen;
        rb_data_format_t format; /* how the current track's data is stored */
        unsigned index_line[RB_MAX_INDEX + 1];
        /* CD_TEXT: language code of each block from LANGUAGE_MAP (-1: not
         * mapped), and the character code its strings' bytes are in. */
        int language[RB_CDTEXT_MAX_BLOCKS];
        int encoding[RB_CDTEXT_MAX_BLOCKS];
        bool language_map;
        bool unmapped_warned[RB_CDTEXT_MAX_BLOCKS];
        iconv_t cp932;
} toc_parser_t;

/* An error at the token just read. */
#define perr(p, ...) rb__fail_at((p)->err, (p)->errlen, (p)->name, (p)->tok_line, __VA_ARGS__)
/* An error at an earlier line: the FILE statement whose file is checked after its times. */
#define perr_at(p, line, ...) rb__fail_at((p)->err, (p)->errlen, (p)->name, line, __VA_ARGS__)

/* Reads the next token; -EINVAL on a bad string. */
static int next(toc_parser_t *p)
{
        if (p->peeked) {
                p->peeked = false;
                return 0;
        }
        for (;;) {
                while (p->pos < p->len && isspace((unsigned char)p->text[p->pos])) {
                        if (p->text[p->pos] == '\n')
                                p->line++;
                        p->pos++;
                }
                if (p->pos + 1 < p->len && p->text[p->pos] == '/' && p->text[p->pos + 1] == '/') {
                        while (p->pos < p->len && p->text[p->pos] != '\n')
                                p->pos++;
                        continue;
                }
                break;
        }
        p->tok_line = p->line;
        p->tok[0] = 0;
        if (p->pos >= p->len) {
                p->kind = T_END;
                return 0;
        }
        char c = p->text[p->pos];
        if (c == 0)
                return perr(p, "NUL byte in the text");
        if (c == '{' || c == '}' || c == ':') {
                p->kind = c == '{' ? T_LBRACE : c == '}' ? T_RBRACE : T_COLON;
                p->tok[0] = c;
                p->tok[1] = 0;
                p->pos++;
                return 0;
        }
        size_t n = 0;
        if (c == '"') {
                p->pos++;
                while (p->pos < p->len && p->text[p->pos] != '"') {
                        char ch = p->text[p->pos++];
                        if (ch == '\n')
                                return perr(p, "newline inside a string");
                        if (ch == '\\' && p->pos < p->len) {
                                ch = p->text[p->pos++];
                                if (ch >= '0' && ch <= '7') { /* \ooo octal, as cdrdao writes */
                                        int v = ch - '0';
                                        for (int k = 0;
                                             k < 2 && p->pos < p->len && p->text[p->pos] >= '0' &&
                                             p->text[p->pos] <= '7';
                                             k++)
                                                v = v * 8 + (p->text[p->pos++] - '0');
                                        ch = (char)v;
                                }
                        }
                        if (n + 1 >= sizeof p->tok)
                                return perr(p, "string too long");
                        p->tok[n++] = ch;
                }
                if (p->pos >= p->len)
                        return perr(p, "unterminated string");
                p->pos++;
                p->tok[n] = 0;
                p->kind = T_STRING;
                return 0;
        }
        while (p->pos < p->len && !isspace((unsigned char)p->text[p->pos]) &&
               p->text[p->pos] != 0 && !strchr("{}\"", p->text[p->pos]) &&
               !(p->text[p->pos] == ':' && n == 0)) {
                /* A colon inside a word is part of an MSF time ("01:02:03"). */
                if (n + 1 >= sizeof p->tok)
                        return perr(p, "word too long");
                p->tok[n++] = p->text[p->pos++];
        }
        p->tok[n] = 0;
        p->kind = T_WORD;
        return 0;
}

static bool is(const toc_parser_t *p, const char *word)
{
        return p->kind == T_WORD && strcmp(p->tok, word) == 0;
}

/* An MSF "mm:ss:ff" or a plain number of samples (samples_ok) or sectors. */
static int parse_time(toc_parser_t *p, bool samples, uint64_t *bytes, uint32_t *sectors)
{
        unsigned m, s, f;
        char tail;
        if (p->kind != T_WORD)
                return perr(p, "expected a time, got \"%s\"", p->tok);
        if (sscanf(p->tok, "%u:%u:%u%c", &m, &s, &f, &tail) == 3) {
                if (m > 99 || s > 59 || f > 74)
                        return perr(p, "\"%s\": seconds must be < 60 and frames < 75", p->tok);
                uint32_t frames = (m * 60 + s) * 75 + f;
                if (sectors)
                        *sectors = frames;
                if (bytes)
                        *bytes = (uint64_t)frames * 2352;
                return 0;
        }
        char *end;
        errno = 0;
        unsigned long long v = strtoull(p->tok, &end, 10);
        if (*end || errno || !isdigit((unsigned char)p->tok[0]) || v > 400000ull * 588)
                return perr(p, "\"%s\" is neither mm:ss:ff nor a sample count", p->tok);
        if (!samples)
                return perr(p, "\"%s\": a length must be mm:ss:ff here", p->tok);
        if (bytes)
                *bytes = v * 4;
        if (sectors)
                *sectors = (uint32_t)((v + 587) / 588);
        return 0;
}

static void warnf(toc_parser_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_file(toc_parser_t *p, const char *fname, bool sound, rb_byte_order_t order)
{
        char path[4096];
        if (fname[0] == '/' || !p->basedir)
                snprintf(path, sizeof path, "%s", fname);
        else
                snprintf(path, sizeof path, "%s/%s", p->basedir, fname);
        if (!p->assume_size) {
                char *found = NULL, note[1024] = "", ferr[2048] = "";
                int r = rb_source_path_find(p->basedir, fname, &found, note, sizeof note, ferr,
                                            sizeof ferr);
                if (r == -ENOENT)
                        return perr(p, "%s", ferr);
                if (r < 0)
                        return r;
                if (note[0])
                        warnf(p, "%s", note);
                snprintf(path, sizeof path, "%s", found);
                free(found);
        } else {
                rb_source_file_t *f = realloc(p->l->files, (p->l->file_count + 1) * sizeof *f);
                if (!f)
                        return -ENOMEM;
                p->l->files = f;
                f[p->l->file_count] = (rb_source_file_t){.path = strdup(path),
                                                         .kind = RB_FILE_RAW,
                                                         .order = order,
                                                         .size = p->assume_size,
                                                         .format = strdup("assumed")};
                if (!f[p->l->file_count].path || !f[p->l->file_count].format) {
                        free(f[p->l->file_count].path);
                        free(f[p->l->file_count].format);
                        return -ENOMEM;
                }
                return (int)p->l->file_count++;
        }
        char ferr[2048];
        int r = rb_layout_add_file(p->l, path, sound ? RB_FILE_SNDFILE : RB_FILE_RAW, order, ferr,
                                   sizeof ferr);
        if (r < 0)
                return perr(p, "%s", ferr);
        return r;
}

static int add_segment(toc_parser_t *p, const rb_segment_t *seg)
{
        int r = rb_track_add_segment(p->track, seg);
        if (r < 0)
                return r;
        p->track_sectors += seg->sectors;
        return 0;
}

/* FILE/AUDIOFILE "name" [#offset] start [length]  or  DATAFILE "name" [#offset] [length] */
static int cmd_file(toc_parser_t *p, bool data, rb_data_format_t format)
{
        int r;
        if ((r = next(p)) < 0)
                return r;
        if (p->kind != T_STRING)
                return perr(p, "expected a file name in quotes");
        /* Errors about the file name its line, not the line of a token read ahead. */
        unsigned file_line = p->tok_line;
        char fname[TOKEN_MAX];
        snprintf(fname, sizeof fname, "%s", p->tok);
        uint64_t offset = 0, start = 0, length = 0;
        bool have_length = false, swap = false;
        if ((r = next(p)) < 0)
                return r;
        if (p->kind == T_WORD && p->tok[0] == '#') {
                char *end;
                errno = 0;
                offset = strtoull(p->tok + 1, &end, 10);
                if (*end || errno)
                        return perr(p, "bad byte offset \"%s\"", p->tok);
                if ((r = next(p)) < 0)
                        return r;
        }
        if (is(p, "SWAP")) {
                swap = true;
                if ((r = next(p)) < 0)
                        return r;
        }
        if (!data) {
                if ((r = parse_time(p, true, &start, NULL)) < 0)
                        return r;
                if ((r = next(p)) < 0)
                        return r;
        }
        size_t ss = rb_data_format_size(format);
        if (p->kind == T_WORD && (isdigit((unsigned char)p->tok[0]))) {
                uint32_t sectors;
                if ((r = parse_time(p, !data, &length, &sectors)) < 0)
                        return r;
                /* A DATAFILE length counts sectors of the track's format. */
                if (data)
                        length = (uint64_t)sectors * ss;
                have_length = true;
        } else {
                p->peeked = true;
        }
        bool sound =
            !data && (rb_path_has_suffix(fname, ".wav") || rb_path_has_suffix(fname, ".flac") ||
                      rb_path_has_suffix(fname, ".aiff") || rb_path_has_suffix(fname, ".aif") ||
                      rb_path_has_suffix(fname, ".mp3") || rb_path_has_suffix(fname, ".ogg") ||
                      rb_path_has_suffix(fname, ".oga") || rb_path_has_suffix(fname, ".opus"));
        if (format == RB_FMT_AUDIO_RW || format == RB_FMT_AUDIO_RW_RAW) {
                /* Times count sectors of 2352 + 96 bytes in an RW file. */
                if (sound)
                        return perr_at(p, file_line,
                                       "%s: RW sub-channel data needs a raw file, not a sound file",
                                       fname);
                if (start % 2352 || length % 2352)
                        return perr_at(p, file_line,
                                       "%s: times in an RW track must be whole sectors", fname);
                start = start / 2352 * ss;
                length = length / 2352 * ss;
        }
        /* cdrdao reads raw audio as big-endian samples unless SWAP. */
        unsigned ahead_line = p->tok_line;
        p->tok_line = file_line;
        int f = add_file(p, fname, sound, swap ? RB_LITTLE_ENDIAN : RB_BIG_ENDIAN);
        p->tok_line = ahead_line;
        if (f < 0)
                return f;
        uint64_t from = offset + start;
        uint64_t size = p->l->files[f].size;
        if (from > size)
                return perr_at(p, file_line, "%s: starts beyond its end", fname);
        /* As in cdrdao, a length of 00:00:00 means to the end of the file. */
        if (!have_length || length == 0)
                length = size - from;
        if (from + length > size)
                return perr_at(p, file_line, "%s: holds %llu bytes, %llu wanted from byte %llu",
                               fname, (unsigned long long)size, (unsigned long long)length,
                               (unsigned long long)from);
        if (length == 0)
                return perr_at(p, file_line, "%s: no data", fname);
        rb_segment_t seg = {.file = f,
                            .offset = from,
                            .sectors = (uint32_t)((length + ss - 1) / ss),
                            .format = format,
                            .short_last = (uint32_t)(length % ss)};
        return add_segment(p, &seg);
}

static void warnf(toc_parser_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(toc_parser_t *p, const char *fmt, ...)
{
        va_list ap;
        rb__append(p->warn, p->warnlen, "%s:%u: ", p->name, p->tok_line);
        va_start(ap, fmt);
        rb__vwarn(p->warn, p->warnlen, fmt, ap);
        va_end(ap);
}

static bool valid_utf8(const uint8_t *s, size_t n)
{
        for (size_t i = 0; i < n;) {
                int extra = s[i] < 0x80                             ? 0
                            : (s[i] & 0xE0) == 0xC0 && s[i] >= 0xC2 ? 1
                            : (s[i] & 0xF0) == 0xE0                 ? 2
                            : (s[i] & 0xF8) == 0xF0                 ? 3
                                                                    : -1;
                if (extra < 0 || i + (size_t)extra >= n + (extra ? 0 : 1))
                        return false;
                for (int k = 1; k <= extra; k++)
                        if ((s[i + (size_t)k] & 0xC0) != 0x80)
                                return false;
                i += (size_t)extra + 1;
        }
        return true;
}

/* A CD_TEXT string: UTF-8 as it stands when it is valid UTF-8; otherwise
 * its bytes (octal escapes, as cdrdao read-toc writes them) are in the
 * block's character code. Returns a malloc'd UTF-8 string or NULL. */
static char *cdtext_string(toc_parser_t *p, unsigned block, const char *s)
{
        size_t n = strlen(s);
        if (valid_utf8((const uint8_t *)s, n))
                return strdup(s);
        if (p->encoding[block] == RB_CDTEXT_CHARSET_MS_JIS) {
                if (p->cp932 == (iconv_t)-1 &&
                    (p->cp932 = iconv_open("UTF-8", "CP932")) == (iconv_t)-1)
                        return NULL;
                char *out = malloc(n * 3 + 1), *ip = (char *)s, *op = out;
                size_t il = n, ol = n * 3;
                iconv(p->cp932, NULL, NULL, NULL, NULL);
                if (out && iconv(p->cp932, &ip, &il, &op, &ol) == (size_t)-1) {
                        free(out);
                        return NULL;
                }
                if (out)
                        *op = 0;
                return out;
        }
        char *out = malloc(n * 2 + 1), *o = out;
        for (const uint8_t *c = (const uint8_t *)s; out && *c; c++) {
                if (*c < 0x80) {
                        *o++ = (char)*c;
                } else {
                        *o++ = (char)(0xC0 | *c >> 6);
                        *o++ = (char)(0x80 | (*c & 0x3F));
                }
        }
        if (out)
                *o = 0;
        return out;
}

/* { 0, 10, 255, … }: the brace is read; up to max bytes into buf. */
static int binary_value(toc_parser_t *p, uint8_t *buf, size_t max, size_t *len)
{
        int r;
        *len = 0;
        for (;;) {
                if ((r = next(p)) < 0)
                        return r;
                if (p->kind == T_RBRACE)
                        return 0;
                if (p->kind != T_WORD)
                        return perr(p, "binary CD-Text data: expected numbers 0..255, got \"%s\"",
                                    p->tok);
                char *save = NULL;
                for (char *w = strtok_r(p->tok, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                        char *end;
                        unsigned long v = strtoul(w, &end, 0);
                        if (*end || !isdigit((unsigned char)*w) || v > 255)
                                return perr(p, "binary CD-Text data: \"%s\" is not 0..255", w);
                        if (*len < max)
                                buf[(*len)++] = (uint8_t)v;
                }
        }
}

/* LANGUAGE_MAP { 0 : EN  1 : 105 … } */
static int language_map(toc_parser_t *p)
{
        int r;
        if ((r = next(p)) < 0)
                return r;
        if (p->kind != T_LBRACE)
                return perr(p, "expected { after LANGUAGE_MAP");
        p->language_map = true;
        for (;;) {
                if ((r = next(p)) < 0)
                        return r;
                if (p->kind == T_RBRACE)
                        return 0;
                char *end, rest[64] = "";
                unsigned long n = strtoul(p->tok, &end, 10);
                if (p->kind == T_WORD && *end == ':') /* "0:EN" is one word */
                        snprintf(rest, sizeof rest, "%.63s", end + 1);
                else if (p->kind != T_WORD || *end)
                        end = p->tok;
                if (!isdigit((unsigned char)p->tok[0]) || n > 7 || end == p->tok)
                        return perr(p, "LANGUAGE_MAP: \"%s\" is not a language number 0..7",
                                    p->tok);
                if (*end != ':') {
                        if ((r = next(p)) < 0)
                                return r;
                        if (p->kind != T_COLON)
                                return perr(p, "LANGUAGE_MAP: expected \":\" after %lu", n);
                }
                if (!rest[0]) {
                        if ((r = next(p)) < 0)
                                return r;
                        if (p->kind != T_WORD)
                                return perr(p, "LANGUAGE_MAP: expected a language after %lu:", n);
                        snprintf(rest, sizeof rest, "%.63s", p->tok);
                }
                int code = rb_cdtext_language_from_name(rest);
                if (code < 0)
                        return perr(p,
                                    "LANGUAGE_MAP: unknown language \"%s\" (EN, JA, DE, a "
                                    "name or a code 0..255)",
                                    rest);
                p->language[n] = code;
                if (code == RB_CDTEXT_LANGUAGE_JAPANESE && p->encoding[n] == RB_CDTEXT_CHARSET_AUTO)
                        p->encoding[n] = RB_CDTEXT_CHARSET_MS_JIS;
                rb_cdtext_block_t *b = rb_cdtext_block(&p->l->cdtext, (unsigned)n);
                if (!b)
                        return -ENOMEM;
                b->language = code;
        }
}

/* LANGUAGE n { [ENCODING_…] ITEM value … } of the disc (track 0) or a track. */
static int language_block(toc_parser_t *p, unsigned track)
{
        int r;
        if ((r = next(p)) < 0)
                return r;
        char *end;
        unsigned long n = strtoul(p->tok, &end, 10);
        if (p->kind != T_WORD || *end || !isdigit((unsigned char)p->tok[0]) || n > 7)
                return perr(p, "LANGUAGE: \"%s\" is not a language number 0..7", p->tok);
        unsigned block = (unsigned)n;
        bool ignored = p->language_map && p->language[block] < 0;
        if (ignored && !p->unmapped_warned[block]) {
                warnf(p,
                      "CD-Text language %u is not in the LANGUAGE_MAP: its text is ignored "
                      "(as cdrdao does)",
                      block);
                p->unmapped_warned[block] = true;
        }
        if ((r = next(p)) < 0)
                return r;
        if (p->kind != T_LBRACE)
                return perr(p, "expected { after LANGUAGE %u", block);
        for (;;) {
                if ((r = next(p)) < 0)
                        return r;
                if (p->kind == T_RBRACE)
                        return 0;
                if (p->kind != T_WORD)
                        return perr(p, "expected a CD-Text item, got \"%s\"", p->tok);
                static const struct {
                        const char *name;
                        int charset;
                } encodings[] = {{"ENCODING_ISO_8859_1", RB_CDTEXT_CHARSET_ISO8859_1},
                                 {"ENCODING_ASCII", RB_CDTEXT_CHARSET_ASCII},
                                 {"ENCODING_MS_JIS", RB_CDTEXT_CHARSET_MS_JIS}};
                bool is_encoding = false;
                for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
                        if (is(p, encodings[i].name)) {
                                is_encoding = true;
                                p->encoding[block] = encodings[i].charset;
                                rb_cdtext_block_t *b = rb_cdtext_block(&p->l->cdtext, block);
                                if (!b)
                                        return -ENOMEM;
                                b->charset = encodings[i].charset;
                        }
                if (is_encoding)
                        continue;
                if (is(p, "ENCODING_KOREAN") || is(p, "ENCODING_MANDARIN"))
                        return perr(p,
                                    "%s: only ISO-8859-1, ASCII and MS-JIS are CD-Text "
                                    "character codes rawburn writes",
                                    p->tok);
                char key[64];
                snprintf(key, sizeof key, "%.63s", p->tok);
                int field = rb_cdtext_field_from_keyword(key);
                bool known = field >= 0 || strcmp(key, "TOC_INFO1") == 0 ||
                             strcmp(key, "TOC_INFO2") == 0 || strcmp(key, "SIZE_INFO") == 0 ||
                             strncmp(key, "RESERVED", 8) == 0;
                if (!known)
                        return perr(p, "unknown CD-Text item \"%s\"", key);
                if ((r = next(p)) < 0)
                        return r;
                uint8_t bin[4096];
                size_t blen = 0;
                char *text = NULL;
                if (p->kind == T_LBRACE) {
                        if ((r = binary_value(p, bin, sizeof bin - 1, &blen)) < 0)
                                return r;
                } else if (p->kind != T_STRING) {
                        return perr(p, "%s needs a string or { binary data }", key);
                }
                if (ignored || track > 99)
                        continue;
                if (strcmp(key, "TOC_INFO1") == 0) {
                        /* Made again from the disc's TOC, which is what it must hold. */
                        p->l->cdtext_toc_info = true;
                        continue;
                }
                if (field < 0)
                        continue; /* SIZE_INFO is recomputed; the rest has no meaning yet */
                if (field == RB_CDTEXT_GENRE) {
                        rb_cdtext_block_t *b = rb_cdtext_block(&p->l->cdtext, block);
                        if (!b)
                                return -ENOMEM;
                        if (p->kind == T_STRING) {
                                /* A genre name, or anything else as its text. */
                                int code = rb_cdtext_genre_from_name(p->tok);
                                b->genre = code >= 0 ? code : RB_CDTEXT_GENRE_NOT_DEFINED;
                                text = cdtext_string(p, block, p->tok);
                        } else {
                                if (blen < 2)
                                        return perr(p, "GENRE needs two bytes of genre code");
                                b->genre = bin[0] << 8 | bin[1];
                                bin[blen] = 0;
                                text = strdup((const char *)bin + 2);
                        }
                } else if (p->kind == T_STRING) {
                        text = cdtext_string(p, block, p->tok);
                } else {
                        bin[blen] = 0;
                        text = cdtext_string(p, block, (const char *)bin);
                }
                if (!text)
                        return perr(p, "%s: not valid text in the block's character code", key);
                if (rb_cdtext_field_disc_only((rb_cdtext_field_t)field) && track) {
                        free(text);
                        warnf(p, "%s belongs to the disc's CD_TEXT, not a track's: ignored", key);
                        continue;
                }
                r = *text || field == RB_CDTEXT_GENRE
                        ? rb_cdtext_set_block(&p->l->cdtext, block, (rb_cdtext_field_t)field, track,
                                              text)
                        : 0;
                free(text);
                if (r < 0)
                        return r;
        }
}

static int cdtext_block(toc_parser_t *p, unsigned track)
{
        int r;
        /* CD_TEXT { LANGUAGE_MAP { … } LANGUAGE n { KEY "value" … } … } */
        if ((r = next(p)) < 0)
                return r;
        if (p->kind != T_LBRACE)
                return perr(p, "expected { after CD_TEXT");
        for (;;) {
                if ((r = next(p)) < 0)
                        return r;
                if (p->kind == T_RBRACE)
                        return 0;
                if (p->kind == T_END)
                        return perr(p, "CD_TEXT block not closed");
                if (is(p, "LANGUAGE_MAP")) {
                        if (track)
                                return perr(p, "LANGUAGE_MAP belongs to the disc's CD_TEXT");
                        if ((r = language_map(p)) < 0)
                                return r;
                } else if (is(p, "LANGUAGE")) {
                        if ((r = language_block(p, track)) < 0)
                                return r;
                } else {
                        return perr(p, "expected LANGUAGE_MAP or LANGUAGE in CD_TEXT, got \"%s\"",
                                    p->tok);
                }
        }
}

static int finish_track(toc_parser_t *p)
{
        rb_track_t *t = p->track;
        if (!t)
                return 0;
        if (p->track_sectors <= t->pause)
                return perr(p, "track %u has no data after its START", t->number);
        t->length = p->track_sectors - t->pause;
        if (t == &p->l->tracks[0]) {
                /* cdrdao's track 1 leaves out the disc's first 2 s pause. */
                rb_segment_t gap = {.file = -1, .sectors = 150, .format = RB_FMT_AUDIO};
                int r = rb_track_add_segment(t, &gap);
                if (r < 0)
                        return r;
                memmove(t->segments + 1, t->segments, (t->segment_count - 1) * sizeof *t->segments);
                t->segments[0] = gap;
                t->pause += 150;
        }
        for (unsigned x = 2; x <= t->index_count; x++)
                if (t->index_start[x] >= t->length && (p->tok_line = p->index_line[x]))
                        return perr(p, "track %u: INDEX beyond the end of the track", t->number);
        return 0;
}

static int parse(toc_parser_t *p)
{
        int r;
        for (;;) {
                if ((r = next(p)) < 0)
                        return r;
                if (p->kind == T_END)
                        break;
                if (p->kind != T_WORD)
                        return perr(p, "unexpected \"%s\"", p->tok);
                /* The session format is the lead-in's disc type (A0 PSEC), as
                 * the TOC says, whatever the track modes. */
                if (is(p, "CD_DA") || is(p, "CD_ROM")) {
                        p->l->disc_type_given = 0x00;
                        continue;
                }
                if (is(p, "CD_ROM_XA")) {
                        p->l->disc_type_given = 0x20;
                        continue;
                }
                if (is(p, "CD_I")) {
                        p->l->disc_type_given = 0x10;
                        continue;
                }
                if (is(p, "CATALOG")) {
                        if ((r = next(p)) < 0)
                                return r;
                        if (p->kind != T_STRING || strlen(p->tok) != RB_MCN_DIGITS ||
                            strspn(p->tok, "0123456789") != RB_MCN_DIGITS)
                                return perr(p, "CATALOG needs 13 digits in quotes");
                        if (p->l->mcn[0])
                                warnf(p, "a second CATALOG: %s replaces %s", p->tok, p->l->mcn);
                        if (strspn(p->tok, "0") == RB_MCN_DIGITS) {
                                warnf(p, "CATALOG %s means none: not burned", p->tok);
                                p->l->mcn[0] = 0;
                                continue;
                        }
                        memcpy(p->l->mcn, p->tok, RB_MCN_DIGITS + 1);
                        continue;
                }
                if (is(p, "CD_TEXT")) {
                        if ((r = cdtext_block(p, p->track ? p->track->number : 0)) < 0)
                                return r;
                        continue;
                }
                if (is(p, "TRACK")) {
                        if ((r = finish_track(p)) < 0)
                                return r;
                        if ((r = next(p)) < 0)
                                return r;
                        /* The sizes of a DATAFILE's sectors as cdrdao reads them;
                         * read-toc writes MODE2_FORM_MIX for CD-ROM XA tracks. */
                        static const struct {
                                const char *name;
                                rb_track_mode_t mode;
                                rb_data_format_t format;
                        } modes[] = {
                            {"AUDIO", RB_TRACK_AUDIO, RB_FMT_AUDIO},
                            {"MODE1", RB_TRACK_MODE1, RB_FMT_MODE1},
                            {"MODE1_RAW", RB_TRACK_MODE1, RB_FMT_RAW_SECTOR},
                            {"MODE2", RB_TRACK_MODE2, RB_FMT_MODE2_FORMLESS},
                            {"MODE2_FORM1", RB_TRACK_MODE2, RB_FMT_MODE2_FORM1},
                            {"MODE2_FORM2", RB_TRACK_MODE2, RB_FMT_MODE2_FORM2},
                            {"MODE2_FORM_MIX", RB_TRACK_MODE2, RB_FMT_MODE2},
                            {"MODE2_RAW", RB_TRACK_MODE2, RB_FMT_RAW_SECTOR},
                        };
                        int m = -1;
                        for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
                                if (is(p, modes[i].name))
                                        m = (int)i;
                        if (m < 0)
                                return perr(p,
                                            "track mode \"%s\" is not supported (AUDIO, MODE1, "
                                            "MODE1_RAW, MODE2, MODE2_FORM1, MODE2_FORM2, "
                                            "MODE2_FORM_MIX, MODE2_RAW)",
                                            p->tok);
                        if ((r = next(p)) < 0)
                                return r;
                        /* RW: 96 bytes of de-interleaved R-W packs after each
                         * sector in the file (READ CD sub-channel 100b, a
                         * .cdg's layout). RW_RAW (interleaved) is not taken. */
                        bool rw = false, rw_raw = false;
                        if (is(p, "RW_RAW")) {
                                if (modes[m].mode != RB_TRACK_AUDIO)
                                        return perr(p, "RW_RAW sub-channel data is taken for AUDIO "
                                                       "tracks only");
                                rw = rw_raw = true;
                        } else if (is(p, "RW")) {
                                if (modes[m].mode != RB_TRACK_AUDIO)
                                        return perr(p, "RW sub-channel data is taken for AUDIO "
                                                       "tracks only");
                                rw = true;
                        } else {
                                p->peeked = true;
                        }
                        p->track = rb_layout_add_track(p->l, modes[m].mode);
                        if (!p->track)
                                return perr(p, "more than 99 tracks");
                        p->track_sectors = 0;
                        p->start_seen = false;
                        p->format = rw_raw ? RB_FMT_AUDIO_RW_RAW
                                    : rw   ? RB_FMT_AUDIO_RW
                                           : modes[m].format;
                        continue;
                }
                if (!p->track)
                        return perr(p, "\"%s\" before the first TRACK", p->tok);
                rb_track_t *t = p->track;
                rb_data_format_t format = p->format;
                if (is(p, "COPY")) {
                        t->flags |= RB_CTL_COPY_PERMITTED;
                } else if (is(p, "PRE_EMPHASIS")) {
                        t->flags |= RB_CTL_PREEMPHASIS;
                } else if (is(p, "FOUR_CHANNEL_AUDIO")) {
                        t->flags |= RB_CTL_FOUR_CHANNEL;
                } else if (is(p, "TWO_CHANNEL_AUDIO")) {
                        t->flags &= (uint8_t)~RB_CTL_FOUR_CHANNEL;
                } else if (is(p, "NO")) {
                        if ((r = next(p)) < 0)
                                return r;
                        if (is(p, "COPY"))
                                t->flags &= (uint8_t)~RB_CTL_COPY_PERMITTED;
                        else if (is(p, "PRE_EMPHASIS"))
                                t->flags &= (uint8_t)~RB_CTL_PREEMPHASIS;
                        else
                                return perr(p, "NO %s?", p->tok);
                } else if (is(p, "ISRC")) {
                        if ((r = next(p)) < 0)
                                return r;
                        if (p->kind != T_STRING || strlen(p->tok) != RB_ISRC_CHARS)
                                return perr(p, "ISRC needs 12 characters in quotes");
                        if (t->isrc[0])
                                warnf(p, "a second ISRC for track %02u: %s replaces %s", t->number,
                                      p->tok, t->isrc);
                        if (strspn(p->tok, "0") == RB_ISRC_CHARS) {
                                warnf(p, "ISRC %s means none: not burned", p->tok);
                                t->isrc[0] = 0;
                        } else {
                                memcpy(t->isrc, p->tok, RB_ISRC_CHARS + 1);
                        }
                } else if (is(p, "SILENCE") || is(p, "ZERO") || is(p, "PREGAP")) {
                        bool pregap = is(p, "PREGAP");
                        uint32_t n;
                        if ((r = next(p)) < 0)
                                return r;
                        /* ZERO may name a data mode first: ZERO MODE1 00:02:00 */
                        if (p->kind == T_WORD && !isdigit((unsigned char)p->tok[0]))
                                if ((r = next(p)) < 0)
                                        return r;
                        if ((r = parse_time(p, true, NULL, &n)) < 0)
                                return r;
                        rb_segment_t gap = {.file = -1, .sectors = n, .format = format};
                        if ((r = add_segment(p, &gap)) < 0)
                                return r;
                        if (pregap) {
                                if (p->start_seen)
                                        return perr(p, "PREGAP after START");
                                t->pause = p->track_sectors;
                                p->start_seen = true;
                        }
                } else if (is(p, "FILE") || is(p, "AUDIOFILE")) {
                        if ((r = cmd_file(p, false, format)) < 0)
                                return r;
                } else if (is(p, "DATAFILE")) {
                        if ((r = cmd_file(p, true, format)) < 0)
                                return r;
                } else if (is(p, "START")) {
                        if (p->start_seen)
                                return perr(p, "a second START or PREGAP");
                        p->start_seen = true;
                        if ((r = next(p)) < 0)
                                return r;
                        uint32_t n = p->track_sectors;
                        if (p->kind == T_WORD && isdigit((unsigned char)p->tok[0])) {
                                if ((r = parse_time(p, false, NULL, &n)) < 0)
                                        return r;
                        } else {
                                p->peeked = true;
                        }
                        t->pause = n;
                } else if (is(p, "INDEX")) {
                        uint32_t n;
                        if ((r = next(p)) < 0 || (r = parse_time(p, false, NULL, &n)) < 0)
                                return r;
                        if (t->index_count >= RB_MAX_INDEX)
                                return perr(p, "more than 99 indexes");
                        if (n == 0 || (t->index_count >= 2 && n <= t->index_start[t->index_count]))
                                return perr(p, "INDEX %s is not after the previous index", p->tok);
                        t->index_count++;
                        t->index_start[t->index_count] = n;
                        p->index_line[t->index_count] = p->tok_line;
                } else {
                        return perr(p, "unknown keyword \"%s\"", p->tok);
                }
        }
        if (!p->track)
                return perr(p, "no TRACK");
        return finish_track(p);
}

int rb_toc_parse(const char *name, const char *text, size_t len, const char *basedir,
                 uint64_t assume_size, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                 size_t errlen)
{
        toc_parser_t p = {.name = name,
                          .cp932 = (iconv_t)-1,
                          .text = text,
                          .len = len,
                          .basedir = basedir,
                          .line = 1,
                          .l = l,
                          .assume_size = assume_size,
                          .warn = warn,
                          .warnlen = warnlen,
                          .err = err,
                          .errlen = errlen};
        for (int k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                p.language[k] = -1;
                p.encoding[k] = RB_CDTEXT_CHARSET_AUTO;
        }
        int r = parse(&p);
        if (p.cp932 != (iconv_t)-1)
                iconv_close(p.cp932);
        return r;
}

int rb_toc_load(const char *path, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                size_t errlen)
{
        FILE *f = fopen(path, "rb");
        if (!f) {
                snprintf(err, errlen, "%s: %s", path, strerror(errno));
                return -errno;
        }
        char *text = malloc(1 << 20);
        size_t len = text ? fread(text, 1, 1 << 20, f) : 0;
        fclose(f);
        if (!text)
                return -ENOMEM;
        char *dir = strdup(path);
        if (!dir) {
                free(text);
                return -ENOMEM;
        }
        char *slash = strrchr(dir, '/');
        if (slash)
                *slash = 0;
        else
                strcpy(dir, ".");
        int r = rb_toc_parse(path, text, len, dir, 0, l, warn, warnlen, err, errlen);
        free(dir);
        free(text);
        return r;
}
