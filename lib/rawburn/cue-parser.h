/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Cue sheets (CDRWIN syntax as rippers write it) into a layout. Two steps,
 * so that the syntax can be checked (and fuzzed) without touching files:
 * rb_cue_parse() reads the text into an rb_cue_sheet_t; rb_cue_to_layout()
 * finds the files, measures them and places tracks, pauses and indexes.
 * Errors read "file:line: reason".
 */

#include <stddef.h>
#include <stdint.h>

#include "rawburn/cdtext.h"
#include "rawburn/image-layout.h"

typedef enum rb_cue_file_type {
        RB_CUE_BINARY,   /* raw, audio little-endian */
        RB_CUE_MOTOROLA, /* raw, audio big-endian */
        RB_CUE_WAVE,     /* anything libsndfile reads: WAV, FLAC, AIFF, Ogg, MP3 */
        RB_CUE_FLAC,
        RB_CUE_AIFF,
        RB_CUE_MP3, /* decoded by libsndfile too */
} rb_cue_file_type_t;

typedef struct rb_cue_file {
        char *name;
        rb_cue_file_type_t type;
        unsigned line;
} rb_cue_file_t;

typedef struct rb_cue_index {
        uint8_t number;
        int file;        /* rb_cue_sheet_t.files index */
        uint32_t frames; /* position in the file, in sectors */
        unsigned line;
} rb_cue_index_t;

typedef struct rb_cue_track {
        uint8_t number;
        rb_track_mode_t mode;
        rb_data_format_t format;
        uint8_t flags;
        char isrc[RB_ISRC_CHARS + 1];
        uint32_t pregap, postgap; /* generated silence, sectors */
        rb_cue_index_t indexes[RB_MAX_INDEX + 1];
        unsigned index_count;
        unsigned line;
} rb_cue_track_t;

typedef struct rb_cue_sheet {
        char *name; /* for messages */
        rb_cue_file_t *files;
        size_t file_count;
        rb_cue_track_t tracks[99];
        unsigned track_count;
        char mcn[RB_MCN_DIGITS + 1];
        char *cdtextfile; /* binary CD-Text packs (cdrdao/EAC .cdt, wodim cdtext.dat) */
        unsigned cdtextfile_line;
        rb_cdtext_t cdtext;
        /* REM DISCID (freedb) as the ripper computed it; line 0: none. */
        uint32_t discid;
        unsigned discid_line;
        /* What the parser overrode or dropped, "name:line: what" a line
         * each (NULL: nothing); rb_cue_to_layout() passes it on. */
        char *warnings;
} rb_cue_sheet_t;

void rb_cue_sheet_free(rb_cue_sheet_t *c);

/* Parses text (UTF-8, BOM allowed; lines end in LF, CRLF or CR). name is used
 * in messages. */
int rb_cue_parse(const char *name, const char *text, size_t len, rb_cue_sheet_t *c, char *err,
                 size_t errlen);

/*
 * Builds the layout (which must be initialised and empty) from a sheet:
 * file names relative to basedir (found case-insensitively when the exact
 * name is missing). assume_size != 0 skips opening the files and takes that
 * size for each (fuzzing, dry checks). Warnings go to warn (may be NULL),
 * one per line.
 */
int rb_cue_to_layout(const rb_cue_sheet_t *c, const char *basedir, uint64_t assume_size,
                     rb_layout_t *l, char *warn, size_t warnlen, char *err, size_t errlen);

/* Both steps for a file on disk. */
int rb_cue_load(const char *path, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                size_t errlen);
/* The same with the sheet's character set given (an iconv name, e.g.
 * CP1252, SHIFT_JIS, UTF-8), or NULL to detect it (text-charset.h). */
int rb_cue_load_charset(const char *path, const char *charset, rb_layout_t *l, char *warn,
                        size_t warnlen, char *err, size_t errlen);
