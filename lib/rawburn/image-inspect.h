/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The inspector: decodes a raw DAO image of any sector type from its
 * subchannel alone (it does not trust any side file): the lead-in TOC,
 * CD-Text packs, tracks, pauses and indexes, MCN and ISRC, lead-out, Q CRC
 * errors, and the EDC/ECC of data sectors (descrambled first). What it found
 * comes back as an rb_inspect_t; showing it is the program's business
 * (rawburnctl image inspect prints it as text or JSON).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rawburn/cdtext.h"
#include "rawburn/image-layout.h"

/* How a track's R-W packs look: none, as recorded (interleaved, with
 * parity), or de-interleaved without (cooked). */
typedef enum rb_rw_form { RB_RW_NONE, RB_RW_INTERLEAVED, RB_RW_DEINTERLEAVED } rb_rw_form_t;

typedef struct rb_inspect_track {
        uint8_t number;
        uint8_t control;
        int32_t pause_lba; /* first index-0 sector, or INT32_MIN without a pause */
        int32_t start_lba; /* index 1, INT32_MIN if never seen */
        int32_t end_lba;   /* last sector */
        uint8_t index_count;
        int32_t index_lba[RB_MAX_INDEX + 1]; /* INT32_MIN when absent */
        char isrc[RB_ISRC_CHARS + 1];
        uint32_t isrc_count;
        uint8_t data_mode; /* 0 audio/unknown, 1, 2 from the header */
        uint64_t data_sectors, data_errors;
        /* Program-area R-W packs that are not all zero, read both ways:
         * de-interleaved with parity checked ("raw"), and as they stand
         * ("cooked"). cdg: mode 1 item 1 (CD+G). */
        uint64_t rw_raw_packs, rw_raw_parity_errors, rw_raw_cdg;
        uint64_t rw_cooked_packs, rw_cooked_cdg;
} rb_inspect_track_t;

typedef struct rb_inspect {
        rb_sector_type_t sector_type; /* RB_SECTOR_RAW stands for both 2448-byte types */
        size_t sector_size;
        int32_t first_lba;
        uint64_t sectors;
        uint64_t trailing_bytes;           /* a partial sector at the end */
        int32_t leadin_first, leadin_last; /* INT32_MIN when no lead-in Q seen */
        rb_toc_entry_t toc[102];
        size_t toc_count;
        uint64_t toc_conflicts;
        rb_inspect_track_t tracks[99];
        unsigned track_count;
        int32_t leadout_lba; /* INT32_MIN when absent */
        uint64_t leadout_sectors;
        char mcn[RB_MCN_DIGITS + 1];
        uint64_t mcn_count;
        uint64_t q_crc_errors, q_bad_fields, q_address_errors;
        int32_t first_q_crc_error;
        size_t cdtext_packs;
        uint8_t *cdtext_pack_list; /* the cdtext_packs distinct packs, by block and sequence */
        unsigned cdtext_crc_errors;
        rb_cdtext_t cdtext;
        char warnings[2048];
} rb_inspect_t;

/* sector type 0: from the size (2448 or 2368 per sector; Q CRCs decide when
 * both divide it). first_lba: the LBA of the first sector (RB_IMAGE_START_LBA
 * for a WriteMedia image). */
int rb_image_inspect_fd(int fd, rb_sector_type_t type, int32_t first_lba, rb_inspect_t *out,
                        char *err, size_t errlen);
int rb_image_inspect_buffer(const uint8_t *data, size_t len, rb_sector_type_t type,
                            int32_t first_lba, rb_inspect_t *out, char *err, size_t errlen);
void rb_inspect_free(rb_inspect_t *in);
rb_rw_form_t rb_inspect_track_rw_form(const rb_inspect_track_t *t);
/* CD+G packs of a track in the form it has. */
uint64_t rb_inspect_track_cdg_packs(const rb_inspect_track_t *t);
