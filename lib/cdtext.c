/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/cdtext.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
        uint8_t type;
        const char *name;
} fields[RB_CDTEXT_FIELD_COUNT] = {
    [RB_CDTEXT_TITLE] = {0x80, "TITLE"},           [RB_CDTEXT_PERFORMER] = {0x81, "PERFORMER"},
    [RB_CDTEXT_SONGWRITER] = {0x82, "SONGWRITER"}, [RB_CDTEXT_COMPOSER] = {0x83, "COMPOSER"},
    [RB_CDTEXT_ARRANGER] = {0x84, "ARRANGER"},     [RB_CDTEXT_MESSAGE] = {0x85, "MESSAGE"},
    [RB_CDTEXT_DISC_ID] = {0x86, "DISC_ID"},       [RB_CDTEXT_UPC_ISRC] = {0x8E, "UPC_EAN"},
};

#define SIZE_INFO_TYPE  0x8F
#define SIZE_INFO_PACKS 3
#define PAYLOAD         12

uint8_t rb_cdtext_pack_type(rb_cdtext_field_t f)
{
        return fields[f].type;
}

const char *rb_cdtext_field_name(rb_cdtext_field_t f)
{
        return fields[f].name;
}

int rb_cdtext_field_from_keyword(const char *keyword)
{
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                if (strcasecmp(keyword, fields[f].name) == 0)
                        return f;
        if (strcasecmp(keyword, "ISRC") == 0)
                return RB_CDTEXT_UPC_ISRC;
        return -EINVAL;
}

int rb_cdtext_set(rb_cdtext_t *t, rb_cdtext_field_t f, unsigned track, const char *utf8)
{
        char *copy = NULL;

        if (track > 99)
                return -EINVAL;
        if (utf8 && !(copy = strdup(utf8)))
                return -ENOMEM;
        free(t->text[f][track]);
        t->text[f][track] = copy;
        return 0;
}

void rb_cdtext_clear(rb_cdtext_t *t)
{
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                for (int i = 0; i < 100; i++) {
                        free(t->text[f][i]);
                        t->text[f][i] = NULL;
                }
}

bool rb_cdtext_any(const rb_cdtext_t *t)
{
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                for (int i = 0; i < 100; i++)
                        if (t->text[f][i])
                                return true;
        return false;
}

/* UTF-8 to ISO-8859-1; anything above U+00FF (or malformed) becomes '?'. */
static size_t utf8_to_latin1(const char *in, uint8_t *out, unsigned *lossy)
{
        const uint8_t *s = (const uint8_t *)in;
        size_t n = 0;

        while (*s) {
                uint32_t cp;
                int extra;
                if (*s < 0x80) {
                        cp = *s;
                        extra = 0;
                } else if ((*s & 0xE0) == 0xC0) {
                        cp = *s & 0x1F;
                        extra = 1;
                } else if ((*s & 0xF0) == 0xE0) {
                        cp = *s & 0x0F;
                        extra = 2;
                } else if ((*s & 0xF8) == 0xF0) {
                        cp = *s & 0x07;
                        extra = 3;
                } else {
                        cp = 0x110000;
                        extra = 0;
                }
                s++;
                for (int i = 0; i < extra; i++) {
                        if ((*s & 0xC0) != 0x80) {
                                cp = 0x110000;
                                break;
                        }
                        cp = cp << 6 | (*s++ & 0x3F);
                }
                if (cp > 0xFF) {
                        cp = '?';
                        (*lossy)++;
                }
                out[n++] = (uint8_t)cp;
        }
        return n;
}

static size_t latin1_to_utf8(const uint8_t *in, size_t len, char *out)
{
        size_t n = 0;
        for (size_t i = 0; i < len; i++) {
                if (in[i] < 0x80) {
                        out[n++] = (char)in[i];
                } else {
                        out[n++] = (char)(0xC0 | in[i] >> 6);
                        out[n++] = (char)(0x80 | (in[i] & 0x3F));
                }
        }
        out[n] = 0;
        return n;
}

struct pack_builder {
        uint8_t *packs;
        size_t count;
        uint8_t type;
        uint8_t payload[PAYLOAD];
        size_t fill;
        uint8_t track_of_first; /* track of the first character in the payload */
        unsigned pos_of_first;  /* its position inside that track's string */
        bool started;
};

static int emit_pack(struct pack_builder *b)
{
        if (b->count >= RB_CDTEXT_MAX_PACKS - SIZE_INFO_PACKS)
                return -E2BIG;
        uint8_t *p = b->packs + b->count * RB_CDTEXT_PACK_SIZE;
        p[0] = b->type;
        p[1] = b->track_of_first;
        p[2] = (uint8_t)b->count;
        p[3] = (uint8_t)(b->pos_of_first > 15 ? 15 : b->pos_of_first);
        memcpy(p + 4, b->payload, PAYLOAD);
        rb_cdtext_pack_set_crc(p);
        b->count++;
        b->fill = 0;
        b->started = false;
        memset(b->payload, 0, PAYLOAD);
        return 0;
}

/* Appends one string (terminator included) of a track to the pack stream. */
static int add_string(struct pack_builder *b, uint8_t track, const uint8_t *s, size_t len)
{
        for (size_t i = 0; i <= len; i++) {
                if (!b->started) {
                        b->track_of_first = track;
                        b->pos_of_first = (unsigned)i;
                        b->started = true;
                }
                b->payload[b->fill++] = i < len ? s[i] : 0;
                if (b->fill == PAYLOAD) {
                        int r = emit_pack(b);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int rb_cdtext_build(const rb_cdtext_t *t, unsigned first, unsigned last, uint8_t **packs,
                    size_t *count, unsigned *lossy)
{
        struct pack_builder b = {0};
        uint8_t type_counts[16] = {0};
        uint8_t buf[4 * 160 + 1];
        unsigned lost = 0;
        int r = 0;

        if (first < 1 || last > 99 || first > last)
                return -EINVAL;
        b.packs = calloc(RB_CDTEXT_MAX_PACKS, RB_CDTEXT_PACK_SIZE);
        if (!b.packs)
                return -ENOMEM;

        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++) {
                bool present = false;
                for (unsigned i = 0; i <= last; i++)
                        if ((i == 0 || i >= first) && t->text[f][i])
                                present = true;
                if (!present)
                        continue;
                size_t before = b.count;
                b.type = fields[f].type;
                for (unsigned i = 0; i <= last && r == 0; i = i ? i + 1 : first) {
                        const char *s = t->text[f][i] ? t->text[f][i] : "";
                        /* Truncate absurd strings rather than overflow the block. */
                        char clipped[160];
                        snprintf(clipped, sizeof clipped, "%s", s);
                        size_t n = utf8_to_latin1(clipped, buf, &lost);
                        r = add_string(&b, (uint8_t)i, buf, n);
                }
                if (r == 0 && b.fill)
                        r = emit_pack(&b);
                if (r < 0)
                        goto fail;
                type_counts[fields[f].type & 0x0F] = (uint8_t)(b.count - before);
        }

        /* Size information: three packs, 36 payload bytes (MMC Annex J). */
        uint8_t info[36] = {0};
        info[0] = RB_CDTEXT_CHARSET_ISO8859_1;
        info[1] = (uint8_t)first;
        info[2] = (uint8_t)last;
        info[3] = 0; /* no copyright flags */
        type_counts[0x0F] = SIZE_INFO_PACKS;
        memcpy(info + 4, type_counts, 16);
        info[20] = (uint8_t)(b.count + SIZE_INFO_PACKS - 1); /* last sequence number, block 0 */
        info[28] = RB_CDTEXT_LANGUAGE_ENGLISH;
        for (int i = 0; i < SIZE_INFO_PACKS; i++) {
                uint8_t *p = b.packs + b.count * RB_CDTEXT_PACK_SIZE;
                p[0] = SIZE_INFO_TYPE;
                p[1] = (uint8_t)i;
                p[2] = (uint8_t)b.count;
                p[3] = 0;
                memcpy(p + 4, info + 12 * i, PAYLOAD);
                rb_cdtext_pack_set_crc(p);
                b.count++;
        }
        *packs = b.packs;
        *count = b.count;
        if (lossy)
                *lossy = lost;
        return 0;
fail:
        free(b.packs);
        return r;
}

size_t rb_cdtext_lossy_fields(const rb_cdtext_t *t, char *buf, size_t len)
{
        uint8_t tmp[4 * 160 + 1];
        size_t found = 0, used = 0;

        if (len)
                buf[0] = 0;
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                for (unsigned i = 0; i < 100; i++) {
                        unsigned lost = 0;
                        char clipped[160];
                        if (!t->text[f][i])
                                continue;
                        snprintf(clipped, sizeof clipped, "%s", t->text[f][i]);
                        (void)utf8_to_latin1(clipped, tmp, &lost);
                        if (!lost)
                                continue;
                        found++;
                        char one[64];
                        if (i)
                                snprintf(one, sizeof one, "%strack %02u %s", found > 1 ? ", " : "",
                                         i, rb_cdtext_field_name((rb_cdtext_field_t)f));
                        else
                                snprintf(one, sizeof one, "%sdisc %s", found > 1 ? ", " : "",
                                         rb_cdtext_field_name((rb_cdtext_field_t)f));
                        size_t n = strlen(one);
                        if (len && used + n + 1 < len) {
                                memcpy(buf + used, one, n + 1);
                                used += n;
                        }
                }
        return found;
}

static int field_of_type(uint8_t type)
{
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                if (fields[f].type == type)
                        return f;
        return -1;
}

int rb_cdtext_parse(const uint8_t *packs, size_t count, rb_cdtext_t *t, unsigned *bad_crc)
{
        /* Per field: the concatenated payload bytes and the track of the first string. */
        uint8_t *stream[RB_CDTEXT_FIELD_COUNT] = {0};
        size_t len[RB_CDTEXT_FIELD_COUNT] = {0};
        int first_track[RB_CDTEXT_FIELD_COUNT];
        int r = 0;

        rb_cdtext_clear(t);
        t->charset = 0;
        t->language = 0;
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                first_track[f] = -1;
        /* The first track number comes from the size information. */
        int first = 1;
        for (size_t i = 0; i < count; i++) {
                const uint8_t *p = packs + i * RB_CDTEXT_PACK_SIZE;
                if (p[0] == SIZE_INFO_TYPE && p[1] == 0 && rb_cdtext_pack_crc_ok(p) && p[5] >= 1 &&
                    p[5] <= 99)
                        first = p[5];
        }

        for (size_t i = 0; i < count; i++) {
                const uint8_t *p = packs + i * RB_CDTEXT_PACK_SIZE;
                if (!rb_cdtext_pack_crc_ok(p)) {
                        if (bad_crc)
                                (*bad_crc)++;
                        continue;
                }
                if ((p[3] >> 4 & 7) != 0)
                        continue; /* other blocks (languages) are not read here */
                if (p[0] == SIZE_INFO_TYPE) {
                        if (p[1] == 0)
                                t->charset = p[4];
                        if (p[1] == 2)
                                t->language = p[4 + 4];
                        continue;
                }
                int f = field_of_type(p[0]);
                if (f < 0)
                        continue;
                if (!stream[f]) {
                        stream[f] = malloc(count * PAYLOAD + 1);
                        if (!stream[f]) {
                                r = -ENOMEM;
                                goto out;
                        }
                        /* A string that starts mid-pack belongs to p[1]; the
                         * stream starts at the first pack's first string. */
                        first_track[f] = p[1];
                }
                memcpy(stream[f] + len[f], p + 4, PAYLOAD);
                len[f] += PAYLOAD;
        }

        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++) {
                if (!stream[f])
                        continue;
                int track = first_track[f];
                size_t start = 0;
                for (size_t i = 0; i < len[f] && track <= 99; i++) {
                        if (stream[f][i] != 0)
                                continue;
                        if (i > start) {
                                char utf8[2 * 12 * RB_CDTEXT_MAX_PACKS + 1];
                                size_t n = i - start;
                                if (n > 12 * RB_CDTEXT_MAX_PACKS)
                                        n = 12 * RB_CDTEXT_MAX_PACKS;
                                latin1_to_utf8(stream[f] + start, n, utf8);
                                r = rb_cdtext_set(t, (rb_cdtext_field_t)f, (unsigned)track, utf8);
                                if (r < 0)
                                        goto out;
                        }
                        start = i + 1;
                        /* The disc string (0) is followed by the first track's. */
                        track = track == 0 ? first : track + 1;
                }
        }
out:
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                free(stream[f]);
        return r;
}
