/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * CD-Text (MMC Annex J; reference/mmc-raw.md §4.5): text for the disc
 * (track 0) and each track, turned into 18-byte packs with the three 8Fh
 * size-information packs and CRCs, and read back from packs.
 *
 * One block (block 0), character code ISO-8859-1 (00h), language English
 * (09h). Strings are given and returned in UTF-8; characters Latin-1 cannot
 * hold become '?' and are counted.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rawburn/subchannel.h"

/* Pack types 80h..8Eh that carry text, in pack-type order. */
typedef enum rb_cdtext_field {
        RB_CDTEXT_TITLE,      /* 80h */
        RB_CDTEXT_PERFORMER,  /* 81h */
        RB_CDTEXT_SONGWRITER, /* 82h */
        RB_CDTEXT_COMPOSER,   /* 83h */
        RB_CDTEXT_ARRANGER,   /* 84h */
        RB_CDTEXT_MESSAGE,    /* 85h */
        RB_CDTEXT_DISC_ID,    /* 86h */
        RB_CDTEXT_UPC_ISRC,   /* 8Eh: UPC/EAN for the disc, ISRC for tracks */
        RB_CDTEXT_FIELD_COUNT,
} rb_cdtext_field_t;

#define RB_CDTEXT_MAX_PACKS         256 /* the sequence number is one byte per block */
#define RB_CDTEXT_CHARSET_ISO8859_1 0x00
#define RB_CDTEXT_LANGUAGE_ENGLISH  0x09

typedef struct rb_cdtext {
        /* text[field][track]: track 0 is the disc; NULL when absent (owned). */
        char *text[RB_CDTEXT_FIELD_COUNT][100];
        uint8_t charset;  /* from the size info when parsed */
        uint8_t language; /* block 0 language code */
} rb_cdtext_t;

/* Pack type byte of a field. */
uint8_t rb_cdtext_pack_type(rb_cdtext_field_t f);
const char *rb_cdtext_field_name(rb_cdtext_field_t f);
/* Field of a cue/TOC keyword such as "TITLE" or "PERFORMER"; -EINVAL if none. */
int rb_cdtext_field_from_keyword(const char *keyword);

/* Sets (copies) one string; NULL clears it. Returns 0 or -ENOMEM. */
int rb_cdtext_set(rb_cdtext_t *t, rb_cdtext_field_t f, unsigned track, const char *utf8);
void rb_cdtext_clear(rb_cdtext_t *t);
/* True when some string is set. */
bool rb_cdtext_any(const rb_cdtext_t *t);

/*
 * Builds the packs for tracks first..last into a new array (*packs, 18 bytes
 * each, *count of them, size info included, CRCs set). *lossy counts the
 * characters replaced by '?'. Returns 0, -E2BIG past 256 packs, -ENOMEM.
 */
/* The fields whose text ISO-8859-1 cannot hold (they become '?'):
 * "track 02 TITLE, disc PERFORMER" into buf. Returns how many. */
size_t rb_cdtext_lossy_fields(const rb_cdtext_t *t, char *buf, size_t len);

int rb_cdtext_build(const rb_cdtext_t *t, unsigned first, unsigned last, uint8_t **packs,
                    size_t *count, unsigned *lossy);

/*
 * Reads block 0 of a pack list (CRC-bad packs are skipped and counted in
 * *bad_crc when given) into t (cleared first). Returns 0 or -ENOMEM.
 */
int rb_cdtext_parse(const uint8_t *packs, size_t count, rb_cdtext_t *t, unsigned *bad_crc);
