/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * CD-Text (MMC Annex J; reference/mmc-raw.md §4.5; libburn doc/cdtext.txt,
 * the summary of Sony's specification): text for the disc (track 0) and each
 * track in up to 8 blocks, one per language, turned into 18-byte packs with
 * CRCs and three 8Fh size-information packs per block, and read back.
 *
 * Text is given and returned in UTF-8. Each block is encoded in its own
 * character code: ISO-8859-1, 7-bit ASCII or MS-JIS (Shift-JIS as Windows
 * writes it, CP932, every character two bytes). A block whose character code
 * is not given takes MS-JIS when its language is Japanese or when its text
 * has Japanese script that ISO-8859-1 cannot hold, else ISO-8859-1.
 * Characters a block cannot hold become '?' (full-width '？' in MS-JIS) and
 * are reported, naming the block, track and field.
 *
 * The encoder (cdtext-encode.c) and decoder (cdtext-decode.c) share this
 * model (cdtext.c).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rawburn/msf.h"
#include "rawburn/subchannel.h"

/* The pack types that carry strings, in pack-type order. */
typedef enum rb_cdtext_field {
        RB_CDTEXT_TITLE,      /* 80h, block's character code */
        RB_CDTEXT_PERFORMER,  /* 81h */
        RB_CDTEXT_SONGWRITER, /* 82h */
        RB_CDTEXT_COMPOSER,   /* 83h */
        RB_CDTEXT_ARRANGER,   /* 84h */
        RB_CDTEXT_MESSAGE,    /* 85h */
        RB_CDTEXT_DISC_ID,    /* 86h, disc only, ASCII (catalogue number) */
        RB_CDTEXT_GENRE,      /* 87h, disc only: the text after the genre code, ASCII */
        RB_CDTEXT_CLOSED,     /* 8Dh, disc only, ISO-8859-1, not shown by players */
        RB_CDTEXT_UPC_ISRC,   /* 8Eh, ASCII: UPC/EAN for the disc, ISRC for tracks */
        RB_CDTEXT_FIELD_COUNT,
} rb_cdtext_field_t;

#define RB_CDTEXT_MAX_BLOCKS 8
/* Per block: the sequence number is one byte; 3 of them are size information. */
#define RB_CDTEXT_MAX_PACKS      256
#define RB_CDTEXT_MAX_TEXT_PACKS 253
#define RB_CDTEXT_TYPE_GENRE     0x87
#define RB_CDTEXT_TYPE_TOC_INFO  0x88
#define RB_CDTEXT_TYPE_SIZE_INFO 0x8F

/* Character codes of a block (size information byte 0). */
#define RB_CDTEXT_CHARSET_ISO8859_1 0x00
#define RB_CDTEXT_CHARSET_ASCII     0x01
#define RB_CDTEXT_CHARSET_MS_JIS    0x80
#define RB_CDTEXT_CHARSET_AUTO      (-1)

/* Language codes (EBU Tech 3264 appendix 3) used by name in the code. */
#define RB_CDTEXT_LANGUAGE_UNKNOWN  0x00
#define RB_CDTEXT_LANGUAGE_GERMAN   0x08
#define RB_CDTEXT_LANGUAGE_ENGLISH  0x09
#define RB_CDTEXT_LANGUAGE_FRENCH   0x0F
#define RB_CDTEXT_LANGUAGE_JAPANESE 0x69
#define RB_CDTEXT_LANGUAGE_AUTO     (-1)

/* Genre codes 0000h..001Bh (pack 87h); -1: no genre pack. */
#define RB_CDTEXT_GENRE_NOT_USED    0x0000
#define RB_CDTEXT_GENRE_NOT_DEFINED 0x0001
#define RB_CDTEXT_GENRE_NONE        (-1)

typedef struct rb_cdtext_block {
        int charset;    /* RB_CDTEXT_CHARSET_*, or AUTO */
        int language;   /* a language code, or AUTO (English; Japanese for MS-JIS) */
        int genre;      /* genre code, or RB_CDTEXT_GENRE_NONE */
        bool copyright; /* size information byte 3 = 03h ("Text Data Copy Protection") */
        /* text[field][track], track 0 = disc; NULL when absent (owned). */
        char *text[RB_CDTEXT_FIELD_COUNT][100];
} rb_cdtext_block_t;

typedef struct rb_cdtext {
        rb_cdtext_block_t *blocks[RB_CDTEXT_MAX_BLOCKS]; /* NULL: no block */
} rb_cdtext_t;

/* ---- model (cdtext.c) ---- */

uint8_t rb_cdtext_pack_type(rb_cdtext_field_t f);
/* TITLE, PERFORMER, …, UPC_EAN (the cdrdao TOC keyword) */
const char *rb_cdtext_field_name(rb_cdtext_field_t f);
/* Field of a cue/TOC keyword such as "TITLE", "UPC_EAN", "ISRC"; -EINVAL if none. */
int rb_cdtext_field_from_keyword(const char *keyword);
/* Field of a pack type; -1 if it carries no string. */
int rb_cdtext_field_of_type(uint8_t type);
/* Fields that belong to the disc only (DISC_ID, GENRE, CLOSED). */
bool rb_cdtext_field_disc_only(rb_cdtext_field_t f);

/* The block, created empty (charset and language AUTO, no genre) if absent;
 * NULL for a block number >= 8 or without memory. */
rb_cdtext_block_t *rb_cdtext_block(rb_cdtext_t *t, unsigned block);
/* The block or NULL. */
const rb_cdtext_block_t *rb_cdtext_block_get(const rb_cdtext_t *t, unsigned block);
/* Sets (copies) one string of block 0; NULL clears it. 0, -EINVAL, -ENOMEM. */
int rb_cdtext_set(rb_cdtext_t *t, rb_cdtext_field_t f, unsigned track, const char *utf8);
int rb_cdtext_set_block(rb_cdtext_t *t, unsigned block, rb_cdtext_field_t f, unsigned track,
                        const char *utf8);
/* The string or NULL. */
const char *rb_cdtext_get(const rb_cdtext_t *t, unsigned block, rb_cdtext_field_t f,
                          unsigned track);
void rb_cdtext_clear(rb_cdtext_t *t);
/* True when the block (may be NULL) has a string or a genre. */
bool rb_cdtext_block_has_text(const rb_cdtext_block_t *b);
/* True when some block has a string or a genre. */
bool rb_cdtext_any(const rb_cdtext_t *t);
/* Number of blocks 0..n-1 present (blocks after a gap are not counted). */
unsigned rb_cdtext_block_count(const rb_cdtext_t *t);
/* Copies what src has and dst has not (strings, genre; a block's charset and
 * language when dst's are AUTO), block by block. 0 or -ENOMEM. */
int rb_cdtext_merge(rb_cdtext_t *dst, const rb_cdtext_t *src);

/* Genre code of a name: the Sony list ("Rock Music", "Rhythm & Blues", …),
 * case-insensitive, a few common short forms ("Rock", "Pop", "R&B",
 * "Hip-Hop", "Soundtrack" is not one), or "0xNNNN". -1 when unknown. */
int rb_cdtext_genre_from_name(const char *name);
const char *rb_cdtext_genre_name(int code); /* "?" past the list */
/* Language code of "English", "Japanese" … (the EBU names), an ISO 639-1
 * code ("en", "ja", "de", cdrdao's "EN"), a number or "0xNN". -1 unknown. */
int rb_cdtext_language_from_name(const char *name);
const char *rb_cdtext_language_name(int code);   /* "Unknown" when not in the list */
const char *rb_cdtext_charset_name(int charset); /* ISO-8859-1, ASCII, MS-JIS */

/* ---- packs (cdtext-encode.c) ---- */

typedef enum rb_cdtext_tab {
        RB_CDTEXT_TAB_AUTO,   /* TAB for a repeated track string only when a block
                               * would not fit otherwise (readers such as libcdio
                               * and cdrdao 1.2.4 show the TAB instead of expanding it) */
        RB_CDTEXT_TAB_ALWAYS, /* every repeat */
        RB_CDTEXT_TAB_NEVER,
} rb_cdtext_tab_t;

/* The disc's TOC for the TOC_INFO packs (88h): absolute MSF of each track
 * start (index 1) and of the lead-out. */
typedef struct rb_cdtext_toc {
        uint8_t first, last;
        rb_msf_t start[100];
        rb_msf_t leadout;
} rb_cdtext_toc_t;

typedef struct rb_cdtext_build_opts {
        rb_cdtext_tab_t tab;
        const rb_cdtext_toc_t *toc; /* non-NULL: add TOC_INFO packs to every block */
} rb_cdtext_build_opts_t;

/*
 * Builds the packs of every block for tracks first..last into a new array
 * (*packs, 18 bytes each, *count of them; block 0 first, each block's size
 * information last; CRCs set). Strings a block has for some track are
 * written for all (empty where missing). warn (may be NULL) receives one
 * line per block that could not hold some characters, naming them
 * ("track 02 TITLE, disc PERFORMER"); *lossy (may be NULL) counts them.
 * Returns 0, -E2BIG when a block needs more than 256 packs, -EINVAL (blocks
 * not numbered from 0 without a gap, bad tracks), -ENOMEM; err says which.
 */
int rb_cdtext_build(const rb_cdtext_t *t, unsigned first, unsigned last,
                    const rb_cdtext_build_opts_t *opts, uint8_t **packs, size_t *count,
                    unsigned *lossy, char *warn, size_t warnlen, char *err, size_t errlen);

/* ---- packs back to text (cdtext-decode.c) ---- */

/*
 * Reads every block of a pack list (packs with a bad CRC are skipped and
 * counted in *bad_crc when given) into t (cleared first): strings converted
 * from the block's character code to UTF-8, TAB repeats expanded, the genre
 * code, language, character code and copyright flag from the size
 * information. Returns 0 or -ENOMEM.
 */
int rb_cdtext_parse(const uint8_t *packs, size_t count, rb_cdtext_t *t, unsigned *bad_crc);

/*
 * Checks a pack list as a drive would see it: per block, sequence numbers
 * from 0 without gaps, three size-information packs whose pack counts,
 * last sequence numbers and track range match the packs. Returns the number
 * of problems, described in buf ("; "-separated).
 */
unsigned rb_cdtext_check(const uint8_t *packs, size_t count, char *buf, size_t len);
