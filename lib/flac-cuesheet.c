/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The FLAC CUESHEET metadata block as a cue sheet (layout in flac-cuesheet.h). */
#include "rawburn/flac-cuesheet.h"

#include "internal.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAC_MARKER        "fLaC"
#define BLOCK_CUESHEET     5
#define CUESHEET_HEAD      (128 + 8 + 259 + 1)
#define CUESHEET_TRACK     36
#define CUESHEET_INDEX     12
#define CD_LEADOUT_TRACK   170
#define SAMPLES_PER_SECTOR 588
#define METADATA_MAX       (16u << 20) /* more is not a FLAC header */

/* Every message names the block that is wrong: "x.flac: CUESHEET: …". */
#define cuesheet_fail(err, errlen, name, ...)                                                      \
        rb__fail_in(err, errlen, -EINVAL, name, "CUESHEET: " __VA_ARGS__)

static uint64_t be(const uint8_t *p, unsigned n)
{
        uint64_t v = 0;
        for (unsigned i = 0; i < n; i++)
                v = v << 8 | p[i];
        return v;
}

/* Finds the CUESHEET block body; false when there is none. */
static bool find_block(const uint8_t *data, size_t len, const uint8_t **body, size_t *blen)
{
        size_t at = 4;
        if (len < 4 || memcmp(data, FLAC_MARKER, 4) != 0)
                return false;
        while (at + 4 <= len) {
                uint8_t head = data[at];
                size_t n = (size_t)be(data + at + 1, 3);
                at += 4;
                if (n > len - at)
                        return false;
                if ((head & 0x7f) == BLOCK_CUESHEET) {
                        *body = data + at;
                        *blen = n;
                        return true;
                }
                at += n;
                if (head & 0x80)
                        break;
        }
        return false;
}

static int parse_body(const char *name, const uint8_t *b, size_t n, rb_cue_sheet_t *c, char *err,
                      size_t errlen)
{
        if (n < CUESHEET_HEAD)
                return cuesheet_fail(err, errlen, name, "block of %zu bytes is too short", n);
        char mcn[129];
        memcpy(mcn, b, 128);
        mcn[128] = 0;
        if (!(b[136] & 0x80))
                return cuesheet_fail(err, errlen, name, "not a CD cue sheet (the CD flag is off)");
        if (mcn[0]) {
                if (strlen(mcn) != RB_MCN_DIGITS || strspn(mcn, "0123456789") != RB_MCN_DIGITS)
                        return cuesheet_fail(err, errlen, name,
                                             "catalog number \"%.128s\" is not 13 digits", mcn);
                memcpy(c->mcn, mcn, RB_MCN_DIGITS + 1);
        }
        unsigned count = b[CUESHEET_HEAD - 1];
        size_t at = CUESHEET_HEAD;
        bool leadout = false;
        for (unsigned k = 0; k < count; k++) {
                if (n - at < CUESHEET_TRACK)
                        return cuesheet_fail(err, errlen, name, "track %u is cut short", k + 1);
                const uint8_t *t = b + at;
                uint64_t offset = be(t, 8);
                unsigned number = t[8];
                unsigned nindex = t[35];
                at += CUESHEET_TRACK;
                if (n - at < (size_t)nindex * CUESHEET_INDEX)
                        return cuesheet_fail(err, errlen, name, "indexes of track %u are cut short",
                                             number);
                if (number == CD_LEADOUT_TRACK) {
                        leadout = true;
                        at += (size_t)nindex * CUESHEET_INDEX;
                        continue;
                }
                if (leadout)
                        return cuesheet_fail(err, errlen, name, "track %u after the lead-out",
                                             number);
                if (number < 1 || number > 99 || c->track_count == 99)
                        return cuesheet_fail(err, errlen, name, "track number %u", number);
                if (c->track_count && number != c->tracks[c->track_count - 1].number + 1u)
                        return cuesheet_fail(err, errlen, name,
                                             "track %u after track %u: numbers must go up by one",
                                             number, c->tracks[c->track_count - 1].number);
                if (t[21] & 0x80)
                        return cuesheet_fail(
                            err, errlen, name,
                            "track %u is marked non-audio; a FLAC file holds audio only", number);
                if (nindex < 1 || nindex > RB_MAX_INDEX + 1)
                        return cuesheet_fail(err, errlen, name, "track %u has %u indexes", number,
                                             nindex);
                rb_cue_track_t *ct = &c->tracks[c->track_count++];
                memset(ct, 0, sizeof *ct);
                ct->number = (uint8_t)number;
                ct->mode = RB_TRACK_AUDIO;
                ct->format = RB_FMT_AUDIO;
                if (t[21] & 0x40)
                        ct->flags |= RB_CTL_PREEMPHASIS;
                if (t[9]) {
                        memcpy(ct->isrc, t + 9, RB_ISRC_CHARS);
                        ct->isrc[RB_ISRC_CHARS] = 0;
                }
                for (unsigned x = 0; x < nindex; x++) {
                        const uint8_t *ix = b + at;
                        uint64_t samples = offset + be(ix, 8);
                        at += CUESHEET_INDEX;
                        if (samples % SAMPLES_PER_SECTOR)
                                return cuesheet_fail(
                                    err, errlen, name,
                                    "track %u index %u is at sample %llu, not on a "
                                    "sector boundary (588 samples)",
                                    number, ix[8], (unsigned long long)samples);
                        if (samples / SAMPLES_PER_SECTOR > UINT32_MAX)
                                return cuesheet_fail(err, errlen, name,
                                                     "track %u index %u is beyond any CD", number,
                                                     ix[8]);
                        unsigned want =
                            x == 0 ? (ix[8] == 0 ? 0u : 1u) : ct->indexes[x - 1].number + 1u;
                        if (ix[8] != want)
                                return cuesheet_fail(err, errlen, name,
                                                     "track %u: index %u where %u was due", number,
                                                     ix[8], want);
                        ct->indexes[x] =
                            (rb_cue_index_t){.number = ix[8],
                                             .file = 0,
                                             .frames = (uint32_t)(samples / SAMPLES_PER_SECTOR)};
                }
                ct->index_count = nindex;
                if (ct->indexes[0].number == 0 && nindex < 2)
                        return cuesheet_fail(err, errlen, name, "track %u has no index 1", number);
        }
        if (c->track_count == 0)
                return cuesheet_fail(err, errlen, name, "no tracks");
        return 0;
}

int rb_flac_cuesheet_parse(const char *name, const char *file_name, const uint8_t *data, size_t len,
                           rb_cue_sheet_t *c, char *err, size_t errlen)
{
        const uint8_t *body;
        size_t blen;

        memset(c, 0, sizeof *c);
        if (!find_block(data, len, &body, &blen))
                return -ENOENT;
        c->name = strdup(name);
        c->files = calloc(1, sizeof *c->files);
        if (!c->name || !c->files || !(c->files[0].name = strdup(file_name))) {
                rb_cue_sheet_free(c);
                return -ENOMEM;
        }
        c->files[0].type = RB_CUE_FLAC;
        c->file_count = 1;
        int r = parse_body(name, body, blen, c, err, errlen);
        if (r < 0)
                rb_cue_sheet_free(c);
        return r;
}

/* Reads the metadata blocks only (the audio after them is not needed). */
static int read_metadata(FILE *f, uint8_t **out, size_t *len)
{
        size_t cap = 4096, n = 0;
        uint8_t *buf = malloc(cap);
        if (!buf)
                return -ENOMEM;
        if (fread(buf, 1, 4, f) != 4 || memcmp(buf, FLAC_MARKER, 4) != 0) {
                free(buf);
                return -ENOENT;
        }
        n = 4;
        for (;;) {
                uint8_t head[4];
                if (fread(head, 1, 4, f) != 4)
                        break;
                size_t blen = (size_t)be(head + 1, 3);
                if (n + 4 + blen > METADATA_MAX)
                        break;
                if (n + 4 + blen > cap) {
                        cap = (n + 4 + blen) * 2;
                        uint8_t *nb = realloc(buf, cap);
                        if (!nb) {
                                free(buf);
                                return -ENOMEM;
                        }
                        buf = nb;
                }
                memcpy(buf + n, head, 4);
                size_t got = fread(buf + n + 4, 1, blen, f);
                n += 4 + got;
                if (got != blen || head[0] & 0x80)
                        break;
        }
        *out = buf;
        *len = n;
        return 0;
}

int rb_flac_cuesheet_load(const char *path, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                          size_t errlen)
{
        FILE *f = fopen(path, "rb");
        uint8_t *meta = NULL;
        size_t len = 0;
        rb_cue_sheet_t sheet;
        int r;

        if (!f)
                return -ENOENT; /* the file-list path reports it */
        r = read_metadata(f, &meta, &len);
        fclose(f);
        if (r < 0)
                return r;
        char *dir = strdup(path);
        if (!dir) {
                free(meta);
                return -ENOMEM;
        }
        char *slash = strrchr(dir, '/');
        const char *base = slash ? slash + 1 : path;
        if (slash)
                *slash = 0;
        else
                strcpy(dir, ".");
        r = rb_flac_cuesheet_parse(path, slash ? path + (slash - dir) + 1 : base, meta, len, &sheet,
                                   err, errlen);
        free(meta);
        if (r == 0) {
                r = rb_cue_to_layout(&sheet, dir, 0, l, warn, warnlen, err, errlen);
                rb_cue_sheet_free(&sheet);
        }
        free(dir);
        return r;
}
