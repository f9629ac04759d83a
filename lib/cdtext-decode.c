/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CD-Text packs back to the model (cdtext.h): packs grouped by block and
 * sorted by sequence number, the size information read first (character
 * code, first track, language, copyright), then per pack type the payloads
 * run together and cut into records at their terminator (one NUL, or two at
 * an even offset in double-byte packs), the records dealt to the disc and
 * the tracks in order. A record that is a TAB (two in double-byte text)
 * repeats the previous track's.
 */
#include "rawburn/cdtext.h"

#include "internal.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAYLOAD 12
#define TAB     0x09

typedef struct entry {
        const uint8_t *p;
        size_t index; /* input order, to keep the first of duplicates */
} entry_t;

static int by_block_seq(const void *a, const void *b)
{
        const entry_t *x = a, *y = b;
        int kx = x->p[3] >> 4 & 7, ky = y->p[3] >> 4 & 7;
        if (kx != ky)
                return kx - ky;
        if (x->p[2] != y->p[2])
                return x->p[2] - y->p[2];
        return x->index < y->index ? -1 : x->index > y->index;
}

/* Bytes in a character code to UTF-8 (malloc'd, NUL-terminated). */
static char *to_utf8(iconv_t *cp932, const uint8_t *s, size_t len, int charset)
{
        char *out = malloc(len * 3 + 4);
        size_t n = 0;

        if (!out)
                return NULL;
        if (charset != RB_CDTEXT_CHARSET_MS_JIS) {
                for (size_t i = 0; i < len; i++) {
                        if (s[i] < 0x80) {
                                out[n++] = (char)s[i];
                        } else {
                                out[n++] = (char)(0xC0 | s[i] >> 6);
                                out[n++] = (char)(0x80 | (s[i] & 0x3F));
                        }
                }
                out[n] = 0;
                return out;
        }
        if (*cp932 == (iconv_t)-1 && (*cp932 = iconv_open("UTF-8", "CP932")) == (iconv_t)-1) {
                free(out);
                return NULL;
        }
        /* Character by character, so that one bad pair costs one U+FFFD. */
        for (size_t i = 0; i < len;) {
                size_t w = s[i] >= 0x80 && i + 1 < len ? 2 : 1;
                char *ip = (char *)s + i, *op = out + n;
                size_t il = w, ol = 4;
                iconv(*cp932, NULL, NULL, NULL, NULL);
                if (iconv(*cp932, &ip, &il, &op, &ol) == (size_t)-1) {
                        memcpy(out + n, "\xEF\xBF\xBD", 3);
                        n += 3;
                } else {
                        n = (size_t)(op - out);
                }
                i += w;
        }
        out[n] = 0;
        return out;
}

typedef struct block_info {
        bool present;
        uint8_t size[36];
        bool have_size[3];
} block_info_t;

/* The records of one pack type of one block. */
static int read_type(rb_cdtext_t *t, unsigned k, uint8_t type, const entry_t *e, size_t n,
                     int charset, unsigned first, iconv_t *cp932)
{
        int f = rb_cdtext_field_of_type(type);
        uint8_t *stream = malloc(n * PAYLOAD + 2);
        size_t len = 0;
        bool dbcc = e[0].p[3] & 0x80;
        unsigned track = e[0].p[1];
        char *prev = NULL;
        int r = 0;

        if (!stream)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                memcpy(stream + len, e[i].p + 4, PAYLOAD);
                len += PAYLOAD;
        }
        /* Two zero bytes past the end end a last record that is cut off. */
        stream[len] = stream[len + 1] = 0;
        size_t pos = 0, width = dbcc ? 2 : 1;
        if (type == RB_CDTEXT_TYPE_GENRE && len >= 2) {
                rb_cdtext_block_t *b = rb_cdtext_block(t, k);
                if (!b) {
                        r = -ENOMEM;
                        goto out;
                }
                b->genre = stream[0] << 8 | stream[1];
                pos = 2;
                width = 1;
        }
        /* A first pack that continues a string from a lost pack: skip it. */
        if ((e[0].p[3] & 0x0F) != 0 && type != RB_CDTEXT_TYPE_GENRE) {
                while (pos < len && (stream[pos] || (width == 2 && stream[pos + 1])))
                        pos += width;
                pos += width;
                track = track == 0 ? first : track + 1;
        }
        int cs = f == RB_CDTEXT_GENRE || f == RB_CDTEXT_DISC_ID || f == RB_CDTEXT_UPC_ISRC
                     ? RB_CDTEXT_CHARSET_ASCII
                 : f == RB_CDTEXT_CLOSED ? RB_CDTEXT_CHARSET_ISO8859_1
                 : dbcc                  ? RB_CDTEXT_CHARSET_MS_JIS
                                         : charset;
        while (pos < len && track <= 99) {
                size_t end = pos;
                while (end < len && (stream[end] || (width == 2 && stream[end + 1])))
                        end += width;
                size_t rec = end - pos;
                char *utf8 = NULL;
                bool is_tab =
                    rec == width && stream[pos] == TAB && (width == 1 || stream[pos + 1] == TAB);
                if (is_tab && prev)
                        utf8 = strdup(prev);
                else if (rec)
                        utf8 = to_utf8(cp932, stream + pos, rec, cs);
                if (rec && !utf8) {
                        r = -ENOMEM;
                        goto out;
                }
                if (utf8) {
                        r = rb_cdtext_set_block(t, k, (rb_cdtext_field_t)f, track, utf8);
                        free(prev);
                        prev = utf8;
                        if (r < 0)
                                goto out;
                } else {
                        free(prev);
                        prev = NULL;
                }
                if (f >= 0 && rb_cdtext_field_disc_only((rb_cdtext_field_t)f))
                        break;
                pos = end + width;
                /* The disc's string is followed by the first track's. */
                track = track == 0 ? first : track + 1;
        }
out:
        free(prev);
        free(stream);
        return r;
}

int rb_cdtext_parse(const uint8_t *packs, size_t count, rb_cdtext_t *t, unsigned *bad_crc)
{
        block_info_t info[RB_CDTEXT_MAX_BLOCKS];
        entry_t *e = malloc((count + 1) * sizeof *e);
        iconv_t cp932 = (iconv_t)-1;
        size_t n = 0;
        int r = 0;

        rb_cdtext_clear(t);
        if (!e)
                return -ENOMEM;
        memset(info, 0, sizeof info);
        for (size_t i = 0; i < count; i++) {
                const uint8_t *p = packs + i * RB_CDTEXT_PACK_SIZE;
                if (p[0] < 0x80 || p[0] > 0x8F)
                        continue;
                if (!rb_cdtext_pack_crc_ok(p)) {
                        if (bad_crc)
                                (*bad_crc)++;
                        continue;
                }
                e[n++] = (entry_t){p, i};
        }
        qsort(e, n, sizeof *e, by_block_seq);
        /* Duplicates (the same block and sequence number): the first counts. */
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
                if (m == 0 || (e[m - 1].p[3] >> 4 & 7) != (e[i].p[3] >> 4 & 7) ||
                    e[m - 1].p[2] != e[i].p[2])
                        e[m++] = e[i];
        n = m;
        for (size_t i = 0; i < n; i++) {
                const uint8_t *p = e[i].p;
                block_info_t *b = &info[p[3] >> 4 & 7];
                b->present = true;
                if (p[0] == RB_CDTEXT_TYPE_SIZE_INFO && p[1] < 3) {
                        memcpy(b->size + PAYLOAD * p[1], p + 4, PAYLOAD);
                        b->have_size[p[1]] = true;
                }
        }
        for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS && r == 0; k++) {
                if (!info[k].present)
                        continue;
                rb_cdtext_block_t *b = rb_cdtext_block(t, k);
                if (!b) {
                        r = -ENOMEM;
                        break;
                }
                const uint8_t *sz = info[k].size;
                b->charset = info[k].have_size[0] ? sz[0] : RB_CDTEXT_CHARSET_ISO8859_1;
                b->copyright = info[k].have_size[0] && sz[3] == 0x03;
                b->language = info[k].have_size[2] ? sz[28 + k] : RB_CDTEXT_LANGUAGE_AUTO;
                unsigned first = info[k].have_size[0] && sz[1] >= 1 && sz[1] <= 99 ? sz[1] : 1;
                /* Each text type's packs, in sequence order, within the block. */
                for (size_t i = 0; i < n && r == 0;) {
                        if ((e[i].p[3] >> 4 & 7) != k) {
                                i++;
                                continue;
                        }
                        uint8_t type = e[i].p[0];
                        size_t j = i;
                        while (j < n && (e[j].p[3] >> 4 & 7) == k && e[j].p[0] == type)
                                j++;
                        if (rb_cdtext_field_of_type(type) >= 0)
                                r = read_type(t, k, type, e + i, j - i, b->charset, first, &cp932);
                        i = j;
                }
        }
        if (cp932 != (iconv_t)-1)
                iconv_close(cp932);
        free(e);
        return r;
}

static void note(char *buf, size_t len, unsigned *problems, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void note(char *buf, size_t len, unsigned *problems, const char *fmt, ...)
{
        (*problems)++;
        if (buf && len && buf[0])
                rb__append(buf, len, "; ");
        va_list ap;
        va_start(ap, fmt);
        rb__vappend(buf, len, fmt, ap);
        va_end(ap);
}

unsigned rb_cdtext_check(const uint8_t *packs, size_t count, char *buf, size_t len)
{
        unsigned counts[RB_CDTEXT_MAX_BLOCKS][16], seen[RB_CDTEXT_MAX_BLOCKS], problems = 0;
        int last_seq[RB_CDTEXT_MAX_BLOCKS];
        uint8_t size[RB_CDTEXT_MAX_BLOCKS][36];
        bool have[RB_CDTEXT_MAX_BLOCKS][3], seq[RB_CDTEXT_MAX_BLOCKS][256];

        if (buf && len)
                buf[0] = 0;
        memset(counts, 0, sizeof counts);
        memset(seen, 0, sizeof seen);
        memset(have, 0, sizeof have);
        memset(seq, 0, sizeof seq);
        for (int k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++)
                last_seq[k] = -1;
        for (size_t i = 0; i < count; i++) {
                const uint8_t *p = packs + i * RB_CDTEXT_PACK_SIZE;
                unsigned k = p[3] >> 4 & 7;
                if (p[0] < 0x80 || p[0] > 0x8F || !rb_cdtext_pack_crc_ok(p) || seq[k][p[2]])
                        continue;
                seq[k][p[2]] = true;
                seen[k]++;
                counts[k][p[0] & 0x0F]++;
                if (p[2] > last_seq[k])
                        last_seq[k] = p[2];
                if (p[0] == RB_CDTEXT_TYPE_SIZE_INFO && p[1] < 3) {
                        memcpy(size[k] + PAYLOAD * p[1], p + 4, PAYLOAD);
                        have[k][p[1]] = true;
                }
        }
        for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                if (!seen[k])
                        continue;
                if ((int)seen[k] != last_seq[k] + 1)
                        note(buf, len, &problems,
                             "block %u: %u packs but sequence numbers up to %d (some missing)", k,
                             seen[k], last_seq[k]);
                if (!have[k][0] || !have[k][1] || !have[k][2]) {
                        note(buf, len, &problems, "block %u: size information incomplete", k);
                        continue;
                }
                for (int t = 0; t < 16; t++)
                        if (size[k][4 + t] != counts[k][t])
                                note(buf, len, &problems,
                                     "block %u: size information gives %u packs of type %02Xh, "
                                     "there are %u",
                                     k, size[k][4 + t], 0x80 + t, counts[k][t]);
                for (unsigned j = 0; j < RB_CDTEXT_MAX_BLOCKS; j++) {
                        int want = seen[j] ? last_seq[j] : 0;
                        if (size[k][20 + j] != want)
                                note(buf, len, &problems,
                                     "block %u: size information gives %u as block %u's last "
                                     "sequence number, it is %d",
                                     k, size[k][20 + j], j, want);
                }
                if (size[k][1] < 1 || size[k][1] > size[k][2] || size[k][2] > 99)
                        note(buf, len, &problems, "block %u: tracks %u..%u", k, size[k][1],
                             size[k][2]);
                if (k > 0 && !seen[k - 1])
                        note(buf, len, &problems, "block %u follows no block %u", k, k - 1);
        }
        return problems;
}
