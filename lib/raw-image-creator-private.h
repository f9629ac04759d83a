/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The image creator's own state, shared by raw-image-creator.c (IMAPI2's
 * members) and raw-image-disc.c (rawburn's: a whole disc loaded from a cue
 * sheet, TOC, .ccd or file list, the first LBA, the write offset). Never
 * installed.
 */

#include <pthread.h>

#include "internal.h"
#include "rawburn/raw-image-creator.h"

#define GAP_SECTORS        150 /* the standard pause, and track 1's */
#define MIN_TRACK_SECTORS  300 /* AddTrack: at least 4 seconds */
#define MIN_PREGAP_SECTORS 150 /* AddSpecialPregap: at least 2 seconds */
#define MIN_INDEX_SECTORS  10  /* each index at least ten sectors long */
#define RESULT_PIPE_SIZE   (1 << 20)
#define ERROR_TEXT_SIZE    1024

/* A stream given to the creator: a regular file or a memfd, owned. */
typedef struct stream {
        int fd;
        uint64_t bytes;
        uint32_t sectors; /* of the type it was given as, the last one maybe partial */
} stream_t;

struct rb_raw_image_track_info {
        rb_raw_image_creator_t *creator;
        unsigned index; /* 1-based */
        rb_cd_sector_type_t type;
        stream_t data;
        char isrc[RB_ISRC_CHARS + 1];
        rb_cd_copy_setting_t copy;
        bool preemphasis;
        int32_t indexes[RB_MAX_INDEX]; /* offsets from index 1, ascending, [0] = 0 */
        unsigned index_count;
        /* A loaded disc's track: its pause and length as the sheet gives
         * them (data is unused). */
        uint32_t disc_pause, disc_length;
};

/* What the thread writing a result stream shares with the creator. */
typedef struct result {
        pthread_mutex_t lock;
        pthread_cond_t cond;
        unsigned refs;
        bool done;
        int status;
        char err[ERROR_TEXT_SIZE];
        rb_layout_t layout;
        int fd; /* the pipe's write end */
} result_t;

struct rb_raw_image_creator {
        rb_raw_image_track_info_t tracks[99];
        unsigned track_count;
        stream_t pregap; /* fd -1: none */
        stream_t rw;     /* fd -1: none */
        rb_sector_type_t image_type;
        int32_t leadout_limit;
        bool gapless; /* DisableGaplessAudio as IMAPI2 documents it: true = gapless */
        char mcn[RB_MCN_DIGITS + 1];
        int first_number;
        bool read_only;
        result_t *result;
        char error[ERROR_TEXT_SIZE];

        /* rawburn's settings beyond IMAPI2 (raw-image-disc.c). */
        int32_t first_lba;
        int32_t write_offset;
        /* A whole disc from rb_raw_image_creator_load(): layout holds its
         * tracks, files and CD-Text; the track infos mirror what IMAPI2 has
         * members for and are put back into it by lay_out. */
        bool loaded;
        int rw_file; /* loaded: the R-W stream's index in layout.files, or -1 */
        /* The disc as lay_out made it last: built from the streams anew, or
         * the loaded layout with the settings applied. model points to it,
         * or to the result's own copy once a result thread owns it. */
        rb_layout_t layout;
        rb_layout_t *model;
        rb_write_report_t report;
};

/* The text is a record of the call, not of the creator's state: getters that
 * take a const creator may still say why they failed. */
#define fail(cc, r, ...)                                                                           \
        rb__fail(((rb_raw_image_creator_t *)(cc))->error, sizeof(cc)->error, (r), __VA_ARGS__)

/* 0, or E_IMAPI_RAW_IMAGE_IS_READ_ONLY once a result was made. */
RB__PRIVATE int rb__creator_writable(const rb_raw_image_creator_t *c);
/* Lays the disc out into c->model (placed and checked, the settings
 * applied): 0 or the error, with its text in c->error. A read-only creator
 * keeps the layout its result was made from. */
RB__PRIVATE int rb__creator_lay_out(rb_raw_image_creator_t *c);

/* The UPC/EAN-13 check digit the 13th of these digits must be. */
RB__PRIVATE int rb__mcn_check_digit(const char digits[RB_MCN_DIGITS]);
