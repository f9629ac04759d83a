/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CD-Text packs from the model (cdtext.h). Per block, in pack-type order:
 * the strings of each type present (disc, then every track; NUL-terminated,
 * two NULs in a double-byte block), run together 12 bytes to a pack; the
 * genre (87h: two code bytes, then ASCII text); the TOC (88h) when asked;
 * then three size-information packs (8Fh) that describe every block.
 * Header bytes (libburn doc/cdtext.txt, MMC Annex J): 0 type, 1 track of the
 * pack's first character, 2 sequence number counted per block from 0, 3 bit 7
 * double-byte, bits 6-4 block, bits 3-0 characters of the current string
 * already in earlier packs (15: 15 or more).
 */
#include "rawburn/cdtext.h"
#include "rawburn/text-translit.h"

#include "internal.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAYLOAD         12
#define SIZE_INFO_PACKS 3
#define TAB             0x09

/* ---- characters ---- */

/* The next code point of a UTF-8 string; malformed bytes give 0xFFFD. */
static uint32_t next_cp(const uint8_t **s)
{
        const uint8_t *p = *s;
        uint32_t cp;
        int extra;

        if (*p < 0x80) {
                *s = p + 1;
                return *p;
        }
        if ((*p & 0xE0) == 0xC0) {
                cp = *p & 0x1F;
                extra = 1;
        } else if ((*p & 0xF0) == 0xE0) {
                cp = *p & 0x0F;
                extra = 2;
        } else if ((*p & 0xF8) == 0xF0) {
                cp = *p & 0x07;
                extra = 3;
        } else {
                *s = p + 1;
                return 0xFFFD;
        }
        p++;
        for (int i = 0; i < extra; i++, p++) {
                if ((*p & 0xC0) != 0x80) {
                        *s = p;
                        return 0xFFFD;
                }
                cp = cp << 6 | (*p & 0x3F);
        }
        *s = p;
        return cp;
}

static bool is_japanese(uint32_t cp)
{
        return (cp >= 0x3000 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
               (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

typedef struct encoder {
        iconv_t cp932; /* UTF-8 -> CP932, opened when first needed */
        bool cp932_open;
        rb_translit_t *to_latin1, *to_ascii; /* opened when first needed */
} encoder_t;

static bool holds(int charset, uint32_t cp)
{
        uint32_t max = charset == RB_CDTEXT_CHARSET_ASCII ? 0x7E : 0xFF;
        /* Control characters would read as TAB repeats or string ends. */
        return !(cp < 0x20 || cp > max || (cp >= 0x7F && cp < 0xA0));
}

/* utf8 with what a single-byte charset cannot hold transliterated, or NULL
 * when it holds all of it (*r: 0 or a negative errno). */
static char *transliterate(encoder_t *e, int charset, const char *utf8, int *r)
{
        const uint8_t *s = (const uint8_t *)utf8;
        bool all = true;
        char *out = NULL;

        *r = 0;
        while (*s && all)
                all = holds(charset, next_cp(&s));
        if (all)
                return NULL;
        bool latin1 = charset != RB_CDTEXT_CHARSET_ASCII;
        rb_translit_t **t = latin1 ? &e->to_latin1 : &e->to_ascii;
        if (!*t && (*r = rb_translit_new(latin1, t)) < 0)
                return NULL;
        if ((*r = rb_translit(*t, utf8, &out)) < 0)
                return NULL;
        if (strcmp(out, utf8) == 0) {
                /* Nothing had a Latin form: the '?'s will be said instead. */
                free(out);
                return NULL;
        }
        return out;
}

/* One code point as a two-byte MS-JIS character; false when it has none. */
static bool to_ms_jis(encoder_t *e, uint32_t cp, uint8_t out[2])
{
        char in[4], buf[8];

        /* Double-byte text is read two bytes at a time (libcdio does), so
         * ASCII goes in its full-width form, as Japanese CD-Text writes it. */
        if (cp == 0x20)
                cp = 0x3000;
        else if (cp > 0x20 && cp < 0x7F)
                cp = 0xFF01 + (cp - 0x21);
        if (cp < 0x80 || cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return false;
        size_t n = cp < 0x800 ? 2 : 3;
        if (n == 2) {
                in[0] = (char)(0xC0 | cp >> 6);
                in[1] = (char)(0x80 | (cp & 0x3F));
        } else {
                in[0] = (char)(0xE0 | cp >> 12);
                in[1] = (char)(0x80 | (cp >> 6 & 0x3F));
                in[2] = (char)(0x80 | (cp & 0x3F));
        }
        if (!e->cp932_open) {
                e->cp932 = iconv_open("CP932", "UTF-8");
                if (e->cp932 == (iconv_t)-1)
                        return false;
                e->cp932_open = true;
        }
        char *ip = in, *op = buf;
        size_t il = n, ol = sizeof buf;
        iconv(e->cp932, NULL, NULL, NULL, NULL);
        if (iconv(e->cp932, &ip, &il, &op, &ol) == (size_t)-1 || op - buf != 2)
                return false;
        out[0] = (uint8_t)buf[0];
        out[1] = (uint8_t)buf[1];
        return out[0] != 0 && out[1] != 0;
}

/* A string in a character code, NUL(s) included. *lost counts replaced
 * characters. Returns the length or -ENOMEM. */
static long encode(encoder_t *e, int charset, const char *utf8, uint8_t **out, unsigned *lost)
{
        size_t cap = strlen(utf8) * 2 + 2, n = 0;
        uint8_t *buf = malloc(cap);
        const uint8_t *s = (const uint8_t *)utf8;

        if (!buf)
                return -ENOMEM;
        while (*s) {
                uint32_t cp = next_cp(&s);
                if (charset == RB_CDTEXT_CHARSET_MS_JIS) {
                        if (!to_ms_jis(e, cp, buf + n)) {
                                buf[n] = 0x81; /* ？ */
                                buf[n + 1] = 0x48;
                                (*lost)++;
                        }
                        n += 2;
                        continue;
                }
                if (!holds(charset, cp)) {
                        cp = '?';
                        (*lost)++;
                }
                buf[n++] = (uint8_t)cp;
        }
        buf[n++] = 0;
        if (charset == RB_CDTEXT_CHARSET_MS_JIS)
                buf[n++] = 0;
        *out = buf;
        return (long)n;
}

/* The character code a field is written in within a block. */
static int field_charset(rb_cdtext_field_t f, int block_charset)
{
        switch (f) {
        case RB_CDTEXT_DISC_ID:
        case RB_CDTEXT_GENRE:
        case RB_CDTEXT_UPC_ISRC:
                return RB_CDTEXT_CHARSET_ASCII;
        case RB_CDTEXT_CLOSED:
                return RB_CDTEXT_CHARSET_ISO8859_1;
        default:
                return block_charset;
        }
}

static int choose_charset(const rb_cdtext_block_t *b, unsigned first, unsigned last)
{
        if (b->charset != RB_CDTEXT_CHARSET_AUTO)
                return b->charset;
        if (b->language == RB_CDTEXT_LANGUAGE_JAPANESE)
                return RB_CDTEXT_CHARSET_MS_JIS;
        bool latin1 = true, japanese = false;
        for (int f = RB_CDTEXT_TITLE; f <= RB_CDTEXT_MESSAGE; f++)
                for (unsigned i = 0; i <= last; i = i ? i + 1 : first) {
                        const uint8_t *s = (const uint8_t *)b->text[f][i];
                        while (s && *s) {
                                uint32_t cp = next_cp(&s);
                                latin1 = latin1 && cp <= 0xFF;
                                japanese = japanese || is_japanese(cp);
                        }
                }
        return !latin1 && japanese ? RB_CDTEXT_CHARSET_MS_JIS : RB_CDTEXT_CHARSET_ISO8859_1;
}

/* ---- packs ---- */

typedef struct pack_stream {
        uint8_t *packs; /* the block's packs, RB_CDTEXT_MAX_PACKS room */
        size_t count;
        uint8_t block;
        uint8_t type;
        bool dbcc;
        uint8_t payload[PAYLOAD];
        size_t fill;
        uint8_t track_of_first; /* track of the payload's first byte */
        unsigned chars_before;  /* characters of that string in earlier packs */
        bool started;
        unsigned type_counts[16];
} pack_stream_t;

static int emit(pack_stream_t *b)
{
        if (b->count >= RB_CDTEXT_MAX_PACKS - SIZE_INFO_PACKS)
                return -E2BIG;
        uint8_t *p = b->packs + b->count * RB_CDTEXT_PACK_SIZE;
        p[0] = b->type;
        p[1] = b->track_of_first;
        p[2] = (uint8_t)b->count;
        p[3] = (uint8_t)((b->dbcc ? 0x80 : 0) | b->block << 4 |
                         (b->chars_before > 15 ? 15 : b->chars_before));
        memcpy(p + 4, b->payload, PAYLOAD);
        rb_cdtext_pack_set_crc(p);
        b->count++;
        b->type_counts[b->type & 0x0F]++;
        b->fill = 0;
        b->started = false;
        memset(b->payload, 0, PAYLOAD);
        return 0;
}

/* Appends one record of a track (terminator included) to the current type. */
static int add_record(pack_stream_t *b, uint8_t track, const uint8_t *s, size_t len, bool dbcc)
{
        unsigned width = dbcc ? 2 : 1;
        for (size_t i = 0; i < len; i++) {
                if (!b->started) {
                        b->track_of_first = track;
                        b->chars_before = (unsigned)(i / width);
                        b->started = true;
                }
                b->payload[b->fill++] = s[i];
                if (b->fill == PAYLOAD) {
                        int r = emit(b);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int finish_type(pack_stream_t *b)
{
        return b->fill ? emit(b) : 0;
}

typedef struct block_result {
        uint8_t *packs;
        size_t count; /* size information included */
        unsigned type_counts[16];
        int charset, language;
        bool copyright;
        unsigned lost;
        char where[768];
        unsigned transliterated;
        char translit[1024]; /* field "was" as "is", … */
} block_result_t;

static void note_translit(block_result_t *res, unsigned track, rb_cdtext_field_t f, const char *was,
                          const char *is)
{
        size_t used = strlen(res->translit);
        char one[400];
        char field[32];
        if (track)
                snprintf(field, sizeof field, "track %02u %s", track, rb_cdtext_field_name(f));
        else
                snprintf(field, sizeof field, "disc %s", rb_cdtext_field_name(f));
        snprintf(one, sizeof one, "%s%s \"%.120s\" as \"%.120s\"", used ? ", " : "", field, was,
                 is);
        res->transliterated++;
        if (used + strlen(one) + 1 < sizeof res->translit)
                memcpy(res->translit + used, one, strlen(one) + 1);
}

static void note_lost(block_result_t *res, unsigned track, rb_cdtext_field_t f)
{
        size_t used = strlen(res->where);
        char one[48];
        if (track)
                snprintf(one, sizeof one, "%strack %02u %s", used ? ", " : "", track,
                         rb_cdtext_field_name(f));
        else
                snprintf(one, sizeof one, "%sdisc %s", used ? ", " : "", rb_cdtext_field_name(f));
        if (used + strlen(one) + 1 < sizeof res->where)
                memcpy(res->where + used, one, strlen(one) + 1);
}

/* One field's records: the disc's, then every track's (disc-only: the disc's). */
static int add_field(encoder_t *e, pack_stream_t *b, const rb_cdtext_block_t *blk,
                     rb_cdtext_field_t f, unsigned first, unsigned last, bool tab,
                     block_result_t *res)
{
        bool disc_only = rb_cdtext_field_disc_only(f);
        bool present = f == RB_CDTEXT_GENRE && blk->genre != RB_CDTEXT_GENRE_NONE;
        uint8_t *prev = NULL;
        long prev_len = 0;
        int r = 0;

        for (unsigned i = 0; i <= last; i = i ? i + 1 : first)
                if (blk->text[f][i] && !(disc_only && i))
                        present = true;
        if (!present)
                return 0;
        int cs = field_charset(f, res->charset);
        b->type = rb_cdtext_pack_type(f);
        b->dbcc = cs == RB_CDTEXT_CHARSET_MS_JIS;
        for (unsigned i = 0; i <= last && r == 0; i = i ? i + 1 : first) {
                uint8_t *s = NULL;
                unsigned lost = 0;
                const char *text = blk->text[f][i] ? blk->text[f][i] : "";
                char *latin = NULL;
                if (cs != RB_CDTEXT_CHARSET_MS_JIS) {
                        latin = transliterate(e, cs, text, &r);
                        if (r < 0)
                                break;
                        if (latin)
                                note_translit(res, i, f, text, latin);
                }
                long n = encode(e, cs, latin ? latin : text, &s, &lost);
                free(latin);
                if (n < 0) {
                        r = (int)n;
                        break;
                }
                if (lost) {
                        res->lost += lost;
                        note_lost(res, i, f);
                }
                if (f == RB_CDTEXT_GENRE) {
                        /* Two bytes of genre code (big-endian), then the text. */
                        uint8_t *g = malloc((size_t)n + 2);
                        if (!g) {
                                free(s);
                                r = -ENOMEM;
                                break;
                        }
                        int code = blk->genre != RB_CDTEXT_GENRE_NONE ? blk->genre
                                                                      : RB_CDTEXT_GENRE_NOT_DEFINED;
                        g[0] = (uint8_t)(code >> 8);
                        g[1] = (uint8_t)code;
                        memcpy(g + 2, s, (size_t)n);
                        free(s);
                        s = g;
                        n += 2;
                }
                size_t terminator = b->dbcc ? 2 : 1;
                if (tab && i > first && prev && n == prev_len && (size_t)n > terminator &&
                    memcmp(s, prev, (size_t)n) == 0) {
                        /* The same as the previous track's: a TAB (two in double-byte). */
                        static const uint8_t tab1[] = {TAB, 0}, tab2[] = {TAB, TAB, 0, 0};
                        r = add_record(b, (uint8_t)i, b->dbcc ? tab2 : tab1, b->dbcc ? 4 : 2,
                                       b->dbcc);
                        free(s);
                } else {
                        r = add_record(b, (uint8_t)i, s, (size_t)n, b->dbcc);
                        free(prev);
                        prev = s;
                        prev_len = n;
                }
                if (disc_only)
                        break;
        }
        free(prev);
        return r < 0 ? r : finish_type(b);
}

/* TOC_INFO (88h): first track, last track, 0, lead-out minutes, seconds,
 * frames; then the track starts, 4 to a pack, whose track byte is the first
 * of its tracks (binary MSF, absolute time; libburn doc/cdtext.txt gives
 * Sony's example). */
static int add_toc_info(pack_stream_t *b, const rb_cdtext_toc_t *toc, unsigned first, unsigned last)
{
        uint8_t rec[6] = {(uint8_t)first, (uint8_t)last,  0,
                          toc->leadout.m, toc->leadout.s, toc->leadout.f};
        int r;

        b->type = RB_CDTEXT_TYPE_TOC_INFO;
        b->dbcc = false;
        if ((r = add_record(b, 0, rec, sizeof rec, false)) < 0 || (r = finish_type(b)) < 0)
                return r;
        for (unsigned t = first; t <= last; t++) {
                const rb_msf_t *m = &toc->start[t];
                uint8_t msf[3] = {m->m, m->s, m->f};
                if ((t - first) % 4 == 0 && (r = finish_type(b)) < 0)
                        return r;
                if ((r = add_record(b, (uint8_t)t, msf, sizeof msf, false)) < 0)
                        return r;
                /* A pack holds four starts: close it at the fourth. */
                if ((t - first) % 4 == 3 && (r = finish_type(b)) < 0)
                        return r;
        }
        return finish_type(b);
}

static int build_block(encoder_t *e, const rb_cdtext_block_t *blk, unsigned k, unsigned first,
                       unsigned last, const rb_cdtext_build_opts_t *opts, bool tab,
                       block_result_t *res)
{
        pack_stream_t b = {.block = (uint8_t)k};
        bool toc_done = !opts || !opts->toc;
        int r = 0;

        memset(res, 0, sizeof *res);
        res->charset = choose_charset(blk, first, last);
        res->language = blk->language != RB_CDTEXT_LANGUAGE_AUTO   ? blk->language
                        : res->charset == RB_CDTEXT_CHARSET_MS_JIS ? RB_CDTEXT_LANGUAGE_JAPANESE
                                                                   : RB_CDTEXT_LANGUAGE_ENGLISH;
        res->copyright = blk->copyright;
        b.packs = calloc(RB_CDTEXT_MAX_PACKS, RB_CDTEXT_PACK_SIZE);
        if (!b.packs)
                return -ENOMEM;
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT && r == 0; f++) {
                if (!toc_done && rb_cdtext_pack_type((rb_cdtext_field_t)f) > 0x88) {
                        r = add_toc_info(&b, opts->toc, first, last);
                        toc_done = true;
                        if (r < 0)
                                break;
                }
                r = add_field(e, &b, blk, (rb_cdtext_field_t)f, first, last, tab, res);
        }
        if (r == 0 && !toc_done)
                r = add_toc_info(&b, opts->toc, first, last);
        if (r < 0) {
                free(b.packs);
                return r;
        }
        res->packs = b.packs;
        res->count = b.count;
        memcpy(res->type_counts, b.type_counts, sizeof res->type_counts);
        return 0;
}

/* Size information: 36 bytes in three packs (track bytes 0, 1, 2): character
 * code, first and last track, copyright, packs of each type 80h-8Fh in this
 * block, the last sequence number of blocks 0-7, their language codes. */
static void size_info(block_result_t *res, unsigned k, unsigned first, unsigned last,
                      const block_result_t *all, unsigned nblocks)
{
        uint8_t info[36] = {0};

        info[0] = (uint8_t)res->charset;
        info[1] = (uint8_t)first;
        info[2] = (uint8_t)last;
        info[3] = res->copyright ? 0x03 : 0x00;
        for (int i = 0; i < 16; i++)
                info[4 + i] = (uint8_t)res->type_counts[i];
        info[4 + 15] = SIZE_INFO_PACKS;
        for (unsigned j = 0; j < nblocks; j++) {
                info[20 + j] = (uint8_t)(all[j].count + SIZE_INFO_PACKS - 1);
                info[28 + j] = (uint8_t)all[j].language;
        }
        for (int i = 0; i < SIZE_INFO_PACKS; i++) {
                uint8_t *p = res->packs + (res->count + i) * RB_CDTEXT_PACK_SIZE;
                p[0] = RB_CDTEXT_TYPE_SIZE_INFO;
                p[1] = (uint8_t)i;
                p[2] = (uint8_t)(res->count + i);
                p[3] = (uint8_t)(k << 4);
                memcpy(p + 4, info + PAYLOAD * i, PAYLOAD);
                rb_cdtext_pack_set_crc(p);
        }
}

int rb_cdtext_build(const rb_cdtext_t *t, unsigned first, unsigned last,
                    const rb_cdtext_build_opts_t *opts, uint8_t **packs, size_t *count,
                    unsigned *lossy, char *warn, size_t warnlen, char *err, size_t errlen)
{
        block_result_t res[RB_CDTEXT_MAX_BLOCKS];
        encoder_t e = {0};
        unsigned nblocks = rb_cdtext_block_count(t), lost = 0;
        rb_cdtext_tab_t tab = opts ? opts->tab : RB_CDTEXT_TAB_AUTO;
        size_t total = 0;
        int r = 0;

        memset(res, 0, sizeof res);
        if (first < 1 || last > 99 || first > last)
                return rb__fail(err, errlen, -EINVAL, "CD-Text: tracks %u..%u", first, last);
        for (unsigned k = nblocks; k < RB_CDTEXT_MAX_BLOCKS; k++)
                if (rb_cdtext_block_has_text(t->blocks[k]))
                        return rb__fail(err, errlen, -EINVAL,
                                        "CD-Text block %u has text but block %u has none: blocks "
                                        "(languages) are numbered from 0 without a gap",
                                        k, nblocks);
        if (nblocks == 0)
                return rb__fail(err, errlen, -EINVAL, "CD-Text: no text");
        for (unsigned k = 0; k < nblocks; k++) {
                r = build_block(&e, t->blocks[k], k, first, last, opts, tab == RB_CDTEXT_TAB_ALWAYS,
                                &res[k]);
                if (r == -E2BIG && tab == RB_CDTEXT_TAB_AUTO)
                        r = build_block(&e, t->blocks[k], k, first, last, opts, true, &res[k]);
                if (r == -E2BIG) {
                        r = rb__fail(
                            err, errlen, r,
                            "CD-Text block %u (%s) needs more than the %d packs a block holds "
                            "(%d of text, 3 of size information)%s: shorten its text",
                            k, rb_cdtext_language_name(res[k].language), RB_CDTEXT_MAX_PACKS,
                            RB_CDTEXT_MAX_TEXT_PACKS,
                            tab == RB_CDTEXT_TAB_NEVER ? "" : ", even with repeats written as TAB");
                        goto out;
                }
                if (r < 0) {
                        r = rb__fail(err, errlen, r, "CD-Text: %s", strerror(-r));
                        goto out;
                }
                total += res[k].count + SIZE_INFO_PACKS;
        }
        *packs = malloc(total * RB_CDTEXT_PACK_SIZE);
        if (!*packs) {
                r = -ENOMEM;
                goto out;
        }
        size_t n = 0;
        for (unsigned k = 0; k < nblocks; k++) {
                size_info(&res[k], k, first, last, res, nblocks);
                memcpy(*packs + n * RB_CDTEXT_PACK_SIZE, res[k].packs,
                       (res[k].count + SIZE_INFO_PACKS) * RB_CDTEXT_PACK_SIZE);
                n += res[k].count + SIZE_INFO_PACKS;
                if (res[k].transliterated)
                        rb__append(
                            warn, warnlen,
                            "warning: CD-Text block %u (%s, %s) cannot hold all of the text: "
                            "transliterated %s\n",
                            k, rb_cdtext_language_name(res[k].language),
                            rb_cdtext_charset_name(res[k].charset), res[k].translit);
                if (res[k].lost) {
                        lost += res[k].lost;
                        rb__append(
                            warn, warnlen,
                            "warning: CD-Text block %u (%s, %s): %u characters it cannot hold "
                            "became '%s' (in %s)\n",
                            k, rb_cdtext_language_name(res[k].language),
                            rb_cdtext_charset_name(res[k].charset), res[k].lost,
                            res[k].charset == RB_CDTEXT_CHARSET_MS_JIS ? "？" : "?", res[k].where);
                }
        }
        *count = n;
        if (lossy)
                *lossy = lost;
out:
        for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++)
                free(res[k].packs);
        if (e.cp932_open)
                iconv_close(e.cp932);
        rb_translit_free(e.to_latin1);
        rb_translit_free(e.to_ascii);
        return r;
}
