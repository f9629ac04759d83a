/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What is recorded on a disc: DAO-96 sectors (2352 bytes of main channel and
 * 96 bytes of raw interleaved P-W) addressed by LBA, kept in a file (a memfd
 * when no state dir is given), and the table of contents derived from the
 * lead-in Q subchannel once the session is finished.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DS_MAIN_SIZE       2352
#define DS_SUB_SIZE        96
#define DS_RAW_SECTOR_SIZE (DS_MAIN_SIZE + DS_SUB_SIZE)

typedef struct ds_disc ds_disc;

typedef struct ds_toc_track {
        uint8_t number;       /* 1..99 */
        uint8_t control;      /* Q CONTROL nibble */
        uint8_t mode;         /* 0 audio, 1 Mode 1, 2 Mode 2 (from the first sector's header) */
        int32_t start;        /* LBA of index 01 */
        int32_t pregap_start; /* LBA of index 00 (== start when there is none) */
        char isrc[13];        /* "" when none was recorded */
} ds_toc_track;

typedef struct ds_toc {
        bool valid; /* the lead-in carried a TOC (A0, A1, A2 and the tracks) */
        uint8_t first_track, last_track;
        uint8_t disc_type; /* A0 PSEC: 0, 10 or 20 (decoded from BCD) */
        int32_t leadout_start;
        unsigned n_tracks;
        ds_toc_track tracks[99];
        char mcn[14];    /* "" when none was recorded */
        uint8_t *cdtext; /* CD-Text packs from the lead-in R-W, 18 bytes each; NULL if none */
        size_t cdtext_len;
} ds_toc;

enum ds_disc_state {
        DS_DISC_BLANK,      /* nothing recorded */
        DS_DISC_INCOMPLETE, /* writing began and did not finish (a spoilt CD-R until blanked) */
        DS_DISC_COMPLETE,   /* finished: lead-in, program area and lead-out recorded */
};

/* A blank disc whose recordable area runs from first_lba (the ATIP lead-in start) to end_lba
 * (exclusive: the last possible lead-out start plus room for the lead-out). */
int ds_disc_new_blank(int32_t first_lba, int32_t end_lba, ds_disc **ret);
void ds_disc_free(ds_disc *disc);

enum ds_disc_state ds_disc_get_state(const ds_disc *disc);
int32_t ds_disc_first_lba(const ds_disc *disc);
/* One past the last sector recorded (first_lba when blank). */
int32_t ds_disc_recorded_end(const ds_disc *disc);

/* Records one sector; sectors must come in LBA order (the writer checks). */
int ds_disc_write(ds_disc *disc, int32_t lba, const uint8_t main[DS_MAIN_SIZE],
                  const uint8_t sub[DS_SUB_SIZE]);
/* Records n consecutive sectors from lba, each DS_RAW_SECTOR_SIZE bytes (main channel then
 * raw P-W) in raw[]: one write for the lot, which is what a 52x burn needs. */
int ds_disc_write_run(ds_disc *disc, int32_t lba, uint32_t n, const uint8_t *raw);
/* Reads one recorded sector; -ENODATA where nothing was recorded. Either buffer may be NULL. */
int ds_disc_read(const ds_disc *disc, int32_t lba, uint8_t main[DS_MAIN_SIZE],
                 uint8_t sub[DS_SUB_SIZE]);

/* Damages the main channel of count recorded sectors from lba (bytes 16-2351 inverted:
 * sync and header stay, so the sector keeps its type and READ CD returns other data; the
 * subchannel, and with it the TOC, is untouched). -ERANGE outside what was recorded,
 * -EROFS on a disc served from an image file. For read-back verification tests. */
int ds_disc_corrupt(ds_disc *disc, int32_t lba, int32_t count);

/* Marks the disc incomplete (writing began) or complete; completing derives the TOC. */
void ds_disc_set_incomplete(ds_disc *disc);
int ds_disc_complete(ds_disc *disc);

/* Back to blank (CD-RW BLANK). */
void ds_disc_erase(ds_disc *disc);

/* The TOC of a complete disc; toc->valid is false otherwise. */
const ds_toc *ds_disc_get_toc(const ds_disc *disc);

/* A finished disc read-only from a DAO-96 image file (2448-byte sectors, raw P-W). The first
 * sector's LBA comes from the absolute time in the Q of a program-area or lead-out sector, so
 * images starting at 95:00:00, at the ATIP lead-in or at LBA 0 all work. -EBADMSG when no
 * sector carries a position Q. The TOC is derived as for a burn. */
int ds_disc_open_image(const char *path, ds_disc **ret);
/* Fills a blank disc from a DAO-96 image file whose first sector is first_lba (persistence). */
int ds_disc_import(ds_disc *disc, const char *path, int32_t first_lba);

/* One sector's 12 bytes of Q from raw interleaved P-W, and whether its CRC holds. */
bool ds_sub_q(const uint8_t sub[DS_SUB_SIZE], uint8_t q[12]);
