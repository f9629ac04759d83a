/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sony CD-Text input sheets, version 0.7T (v07t.h). */
#include "rawburn/v07t.h"

#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LINE 4096

typedef struct sheet_line {
        unsigned no;
        char *key, *value; /* point into the copy of the text */
} sheet_line_t;

typedef struct ctx {
        const char *name;
        char *err;
        size_t errlen;
} ctx_t;

#define perr(c, line, ...) rb__fail_at((c)->err, (c)->errlen, (c)->name, line, __VA_ARGS__)

static bool valid_utf8(const char *str)
{
        const uint8_t *s = (const uint8_t *)str;
        while (*s) {
                int n = *s < 0x80             ? 0
                        : (*s & 0xE0) == 0xC0 ? 1
                        : (*s & 0xF0) == 0xE0 ? 2
                        : (*s & 0xF8) == 0xF0 ? 3
                                              : -1;
                if (n < 0 || (n == 1 && *s < 0xC2))
                        return false;
                s++;
                for (int i = 0; i < n; i++, s++)
                        if ((*s & 0xC0) != 0x80)
                                return false;
        }
        return true;
}

/* A value in the sheet's code to UTF-8 (malloc'd). NULL on a bad byte. */
static char *value_to_utf8(const char *v, bool utf8, int charset)
{
        if (utf8)
                return strdup(v);
        if (charset == RB_CDTEXT_CHARSET_MS_JIS) {
                iconv_t cd = iconv_open("UTF-8", "CP932");
                if (cd == (iconv_t)-1)
                        return NULL;
                size_t il = strlen(v), ol = il * 3 + 1;
                char *out = malloc(ol + 1), *ip = (char *)v, *op = out;
                if (out && iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
                        free(out);
                        out = NULL;
                }
                if (out)
                        *op = 0;
                iconv_close(cd);
                return out;
        }
        char *out = malloc(strlen(v) * 2 + 1), *o = out;
        if (!out)
                return NULL;
        for (const uint8_t *s = (const uint8_t *)v; *s; s++) {
                if (*s < 0x80) {
                        *o++ = (char)*s;
                } else {
                        *o++ = (char)(0xC0 | *s >> 6);
                        *o++ = (char)(0x80 | (*s & 0x3F));
                }
        }
        *o = 0;
        return out;
}

static int hex_byte(const char *s)
{
        char *end;
        if (strncasecmp(s, "0x", 2) != 0 || !isxdigit((unsigned char)s[2]))
                return -1;
        unsigned long v = strtoul(s + 2, &end, 16);
        return *end || v > 0xFF ? -1 : (int)v;
}

static int text_code(const char *v)
{
        int x = hex_byte(v);
        if (x >= 0)
                return x;
        if (strstr(v, "8859"))
                return RB_CDTEXT_CHARSET_ISO8859_1;
        if (strcasestr(v, "ASCII"))
                return RB_CDTEXT_CHARSET_ASCII;
        if (strcasestr(v, "JIS"))
                return RB_CDTEXT_CHARSET_MS_JIS;
        return -1;
}

/* "Genre Code": a name, 0xNNNN, or 0xNN 0xNN. */
static int genre_code(const char *v)
{
        int hi, lo;
        char a[8], b[8];
        if (sscanf(v, "%7s %7s", a, b) == 2 && (hi = hex_byte(a)) >= 0 && (lo = hex_byte(b)) >= 0)
                return hi << 8 | lo;
        return rb_cdtext_genre_from_name(v);
}

static const struct {
        const char *name;
        rb_cdtext_field_t field;
} disc_keys[] = {
    {"Album Title", RB_CDTEXT_TITLE},         {"0x80", RB_CDTEXT_TITLE},
    {"Artist Name", RB_CDTEXT_PERFORMER},     {"0x81", RB_CDTEXT_PERFORMER},
    {"Songwriter", RB_CDTEXT_SONGWRITER},     {"0x82", RB_CDTEXT_SONGWRITER},
    {"Composer", RB_CDTEXT_COMPOSER},         {"0x83", RB_CDTEXT_COMPOSER},
    {"Arranger", RB_CDTEXT_ARRANGER},         {"0x84", RB_CDTEXT_ARRANGER},
    {"Album Message", RB_CDTEXT_MESSAGE},     {"0x85", RB_CDTEXT_MESSAGE},
    {"Catalog Number", RB_CDTEXT_DISC_ID},    {"0x86", RB_CDTEXT_DISC_ID},
    {"Closed Information", RB_CDTEXT_CLOSED}, {"0x8d", RB_CDTEXT_CLOSED},
    {"UPC / EAN", RB_CDTEXT_UPC_ISRC},        {"0x8e", RB_CDTEXT_UPC_ISRC},
};

static const struct {
        const char *name;
        rb_cdtext_field_t field;
} track_keys[] = {
    {"Title", RB_CDTEXT_TITLE},           {"0x80", RB_CDTEXT_TITLE},
    {"Artist", RB_CDTEXT_PERFORMER},      {"0x81", RB_CDTEXT_PERFORMER},
    {"Songwriter", RB_CDTEXT_SONGWRITER}, {"0x82", RB_CDTEXT_SONGWRITER},
    {"Composer", RB_CDTEXT_COMPOSER},     {"0x83", RB_CDTEXT_COMPOSER},
    {"Arranger", RB_CDTEXT_ARRANGER},     {"0x84", RB_CDTEXT_ARRANGER},
    {"Message", RB_CDTEXT_MESSAGE},       {"0x85", RB_CDTEXT_MESSAGE},
    {"ISRC", RB_CDTEXT_UPC_ISRC},         {"0x8e", RB_CDTEXT_UPC_ISRC},
};

/* "Track NN rest" or "ISRC NN": the number and the rest (NULL for ISRC). */
static bool track_key(const char *key, unsigned *no, const char **rest)
{
        const char *s;
        bool isrc = false;
        if (strncasecmp(key, "Track", 5) == 0 && isspace((unsigned char)key[5]))
                s = key + 5;
        else if (strncasecmp(key, "ISRC", 4) == 0 && isspace((unsigned char)key[4])) {
                s = key + 4;
                isrc = true;
        } else
                return false;
        while (isspace((unsigned char)*s))
                s++;
        if (!isdigit((unsigned char)*s))
                return false;
        unsigned long n = strtoul(s, (char **)&s, 10);
        if (n > 999)
                return false;
        *no = (unsigned)n;
        while (isspace((unsigned char)*s))
                s++;
        if (isrc) {
                if (*s)
                        return false;
                *rest = "ISRC";
        } else {
                *rest = s;
        }
        return true;
}

/* One sheet: lines [0, n) into block k. */
static int apply_sheet(const ctx_t *c, const sheet_line_t *l, size_t n, unsigned tracks,
                       rb_cdtext_t *t, unsigned k)
{
        int charset = RB_CDTEXT_CHARSET_AUTO;
        unsigned first_tno = 1, code_line = 0;
        bool utf8 = true;
        int r;

        /* First the settings that decide how the rest reads. */
        for (size_t i = 0; i < n; i++) {
                if (!valid_utf8(l[i].value))
                        utf8 = false;
                if (strcasecmp(l[i].key, "Text Code") == 0) {
                        int x = text_code(l[i].value);
                        if (x != RB_CDTEXT_CHARSET_ISO8859_1 && x != RB_CDTEXT_CHARSET_ASCII &&
                            x != RB_CDTEXT_CHARSET_MS_JIS)
                                return perr(c, l[i].no,
                                            "Text Code \"%s\": 8859, ASCII or MS-JIS (0x00, "
                                            "0x01, 0x80)",
                                            l[i].value);
                        if (code_line && x != charset)
                                return perr(c, l[i].no,
                                            "a second Text Code, different from line %u's",
                                            code_line);
                        charset = x;
                        code_line = l[i].no;
                } else if (strcasecmp(l[i].key, "First Track Number") == 0) {
                        char *end;
                        unsigned long v = strtoul(l[i].value, &end, 10);
                        if (*end || v < 1 || v > 99)
                                return perr(c, l[i].no, "First Track Number \"%s\" is not 1..99",
                                            l[i].value);
                        first_tno = (unsigned)v;
                }
        }
        rb_cdtext_block_t *b = rb_cdtext_block(t, k);
        if (!b)
                return -ENOMEM;
        b->charset = charset;
        char *genre_text = NULL;
        bool genre_seen = false;
        for (size_t i = 0; i < n; i++) {
                const char *key = l[i].key, *v = l[i].value;
                unsigned line = l[i].no, tno;
                const char *rest;
                int field = -1;
                if (!*v) /* empty content attaches nothing */
                        continue;
                if (strcasecmp(key, "Text Code") == 0 ||
                    strcasecmp(key, "First Track Number") == 0 || strcasecmp(key, "Remarks") == 0 ||
                    strcasecmp(key, "Input Sheet Version") == 0 ||
                    strncasecmp(key, "Disc Information", 16) == 0)
                        continue;
                if (strcasecmp(key, "Last Track Number") == 0) {
                        char *end;
                        unsigned long x = strtoul(v, &end, 10);
                        if (*end || x < first_tno || x > 99)
                                return perr(c, line, "Last Track Number \"%s\" is not %u..99", v,
                                            first_tno);
                        continue;
                }
                if (strcasecmp(key, "Language Code") == 0) {
                        int x = rb_cdtext_language_from_name(v);
                        if (x < 0)
                                return perr(c, line,
                                            "Language Code \"%s\": a language name (English, "
                                            "Japanese, …) or 0xNN",
                                            v);
                        b->language = x;
                        continue;
                }
                if (strcasecmp(key, "Text Data Copy Protection") == 0) {
                        int x = hex_byte(v);
                        if (x < 0 && strcasecmp(v, "ON") == 0)
                                x = 3;
                        else if (x < 0 && strcasecmp(v, "OFF") == 0)
                                x = 0;
                        if (x < 0)
                                return perr(c, line,
                                            "Text Data Copy Protection \"%s\": ON, OFF or 0xNN", v);
                        b->copyright = x == 3;
                        continue;
                }
                if (strcasecmp(key, "Genre Code") == 0) {
                        int x = genre_code(v);
                        if (x < 0)
                                return perr(c, line,
                                            "Genre Code \"%s\" is not in the list (Rock Music, "
                                            "Classical, …) nor 0xNNNN",
                                            v);
                        b->genre = x;
                        genre_seen = true;
                        continue;
                }
                if (strcasecmp(key, "Genre Information") == 0) {
                        genre_text = (char *)v;
                        continue;
                }
                for (size_t d = 0; d < sizeof disc_keys / sizeof disc_keys[0]; d++)
                        if (strcasecmp(key, disc_keys[d].name) == 0)
                                field = (int)disc_keys[d].field;
                unsigned track = 0;
                if (field < 0 && track_key(key, &tno, &rest)) {
                        for (size_t d = 0; d < sizeof track_keys / sizeof track_keys[0]; d++)
                                if (strcasecmp(rest, track_keys[d].name) == 0)
                                        field = (int)track_keys[d].field;
                        if (field < 0)
                                return perr(c, line, "unknown track purpose specifier \"%s\"",
                                            rest);
                        if (tno < first_tno || tno - first_tno + 1 > 99 ||
                            (tracks && tno - first_tno + 1 > tracks))
                                return perr(c, line, "track %u: the disc has tracks %u to %u here",
                                            tno, first_tno, first_tno + (tracks ? tracks : 99) - 1);
                        track = tno - first_tno + 1;
                } else if (field < 0) {
                        return perr(c, line, "unknown purpose specifier \"%s\"", key);
                }
                char *u = value_to_utf8(v, utf8, charset);
                if (!u)
                        return perr(c, line, "\"%s\" is not valid %s", v,
                                    rb_cdtext_charset_name(charset == RB_CDTEXT_CHARSET_AUTO
                                                               ? RB_CDTEXT_CHARSET_ISO8859_1
                                                               : charset));
                r = rb_cdtext_set_block(t, k, (rb_cdtext_field_t)field, track, u);
                free(u);
                if (r < 0)
                        return r;
        }
        if (genre_text && !genre_seen)
                b->genre = RB_CDTEXT_GENRE_NOT_DEFINED;
        if (genre_text) {
                char *u = value_to_utf8(genre_text, utf8, RB_CDTEXT_CHARSET_ISO8859_1);
                if (!u)
                        return -ENOMEM;
                r = rb_cdtext_set_block(t, k, RB_CDTEXT_GENRE, 0, u);
                free(u);
                if (r < 0)
                        return r;
        }
        return 0;
}

int rb_v07t_parse(const char *name, const char *text, size_t len, unsigned tracks, rb_cdtext_t *t,
                  unsigned *block, char *err, size_t errlen)
{
        ctx_t c = {name, err, errlen};
        char *copy = malloc(len + 1);
        sheet_line_t *lines = NULL;
        size_t n = 0, cap = 0;
        unsigned no = 0;
        int r = 0;

        if (!copy)
                return -ENOMEM;
        memcpy(copy, text, len);
        copy[len] = 0;
        size_t pos = len >= 3 && memcmp(copy, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        while (pos < len) {
                char *s = copy + pos, *end = s;
                while ((size_t)(end - copy) < len && *end != '\n')
                        end++;
                pos = (size_t)(end - copy) + 1;
                *end = 0;
                no++;
                if (strlen(s) != (size_t)(end - s)) {
                        r = perr(&c, no, "NUL byte in the text");
                        goto out;
                }
                if (end - s >= MAX_LINE) {
                        r = perr(&c, no, "line longer than %d bytes", MAX_LINE - 1);
                        goto out;
                }
                char *e = end;
                while (e > s && isspace((unsigned char)e[-1]))
                        *--e = 0;
                char *k = s;
                while (isspace((unsigned char)*k))
                        k++;
                if (!*k)
                        continue;
                char *eq = strchr(k, '=');
                if (!eq) {
                        r = perr(&c, no, "expected \"purpose specifier = content\"");
                        goto out;
                }
                char *v = eq + 1;
                while (*v == ' ' || *v == '\t')
                        v++;
                while (eq > k && isspace((unsigned char)eq[-1]))
                        eq--;
                *eq = 0;
                if (n == cap) {
                        cap = cap ? cap * 2 : 64;
                        sheet_line_t *nl = realloc(lines, cap * sizeof *nl);
                        if (!nl) {
                                r = -ENOMEM;
                                goto out;
                        }
                        lines = nl;
                }
                lines[n++] = (sheet_line_t){no, k, v};
        }
        if (n == 0) {
                r = perr(&c, no ? no : 1, "no CD-Text in the sheet");
                goto out;
        }
        /* "Input Sheet Version = 0.7T" first: each such line starts a sheet. */
        bool multi = strcasecmp(lines[0].key, "Input Sheet Version") == 0;
        size_t from = 0;
        for (size_t i = 0; i <= n && r == 0; i++) {
                if (i < n && strcasecmp(lines[i].key, "Input Sheet Version") == 0 &&
                    strcasecmp(lines[i].value, "0.7T") != 0) {
                        r = perr(&c, lines[i].no, "Input Sheet Version \"%s\", not 0.7T",
                                 lines[i].value);
                        break;
                }
                bool boundary = i == n || (multi && i > 0 &&
                                           strcasecmp(lines[i].key, "Input Sheet Version") == 0);
                if (!boundary)
                        continue;
                if (*block >= RB_CDTEXT_MAX_BLOCKS) {
                        r = perr(&c, lines[from].no, "more than 8 CD-Text blocks (languages)");
                        break;
                }
                r = apply_sheet(&c, lines + from, i - from, tracks, t, *block);
                if (r < 0)
                        break;
                (*block)++;
                from = i;
        }
out:
        free(lines);
        free(copy);
        return r;
}

int rb_v07t_load(const char *path, unsigned tracks, rb_cdtext_t *t, unsigned *block, char *err,
                 size_t errlen)
{
        FILE *f = fopen(path, "rb");
        if (!f) {
                int e = errno;
                if (e == ENOENT)
                        snprintf(err, errlen, "not found: %s", path);
                else
                        snprintf(err, errlen, "%s: %s", path, strerror(e));
                return -e;
        }
        size_t cap = 1 << 20;
        char *text = malloc(cap);
        size_t len = text ? fread(text, 1, cap, f) : 0;
        bool more = text && fgetc(f) != EOF;
        fclose(f);
        if (!text)
                return -ENOMEM;
        if (more) {
                free(text);
                snprintf(err, errlen, "%s: too large for a CD-Text input sheet", path);
                return -EFBIG;
        }
        int r = rb_v07t_parse(path, text, len, tracks, t, block, err, errlen);
        free(text);
        return r;
}
