/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Building a RAW DAO-96 burn with lib/ functions, sector by sector, the way cdrdao and wodim
 * lay it out (mmc-raw.md §3.2, §4): the lead-in from the ATIP start to −151 with the TOC in
 * Q (A0, A1, A2 and the tracks, each point three times, the list cycled; running time from
 * 00:00:00 as cdrdao) and CD-Text packs in R-W; the pregap(s) with INDEX 00 counting down to
 * 00:00:00 and P = 1; the tracks (audio PCM, or Mode 1 sectors scrambled as hosts send them);
 * MCN/ISRC Q frames; the lead-out with TNO AA.
 *
 * The block functions need no drive: front-end tests can use them to write images or feed
 * cdrdao-like streams; bh_burn() sends them to a drive model through sim-helpers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim-helpers.h"

#define BH_MAX_TRACKS 8

typedef struct bh_track {
        bool data;        /* Mode 1 data (scrambled) instead of audio */
        unsigned pregap;  /* INDEX 00 sectors before it; track 1 needs 150 */
        unsigned length;  /* INDEX 01 sectors */
        const char *isrc; /* 12 characters, or NULL */
} bh_track;

typedef struct bh_disc {
        int32_t leadin_start; /* the ATIP lead-in start, e.g. -11634 for 97:26:66 */
        unsigned n_tracks;
        bh_track tracks[BH_MAX_TRACKS];
        unsigned leadout;      /* lead-out sectors: 6750 on real burns, fewer in tests */
        const char *mcn;       /* 13 digits, or NULL */
        const uint8_t *cdtext; /* CD-Text packs, 18 bytes each, CRC set; NULL for none */
        size_t cdtext_packs;   /* a multiple of 4 (whole sectors) */
} bh_disc;

/* A disc of one audio track of length sectors after the 150-sector pregap. */
bh_disc bh_simple_audio(int32_t leadin_start, unsigned length, unsigned leadout);

int32_t bh_track_start(const bh_disc *disc, unsigned i); /* LBA of INDEX 01 of tracks[i] */
int32_t bh_pregap_start(const bh_disc *disc, unsigned i);
int32_t bh_leadout_start(const bh_disc *disc);
int32_t bh_end(const bh_disc *disc); /* one past the last lead-out sector */

/* The test patterns: audio PCM and Mode 1 user data, different in every sector. */
void bh_audio_pattern(int32_t lba, uint8_t main[2352]);
void bh_data_pattern(int32_t lba, uint8_t user[2048]);

/* What the disc carries at lba: 2352 main-channel bytes as the host sends them (data
 * scrambled) and the 96 bytes of raw interleaved P-W. */
void bh_main(const bh_disc *disc, int32_t lba, uint8_t main[2352]);
void bh_sub(const bh_disc *disc, int32_t lba, uint8_t raw[96]);
/* The Q (12 bytes, CRC set) at lba. */
void bh_q(const bh_disc *disc, int32_t lba, uint8_t q[12]);

/* Bytes per WRITE block for a Data Block Type (1: 2368, 2 and 3: 2448). */
size_t bh_block_size(unsigned dbt);
/* One WRITE block for lba in DBT 1, 2 (P/Q in bits 7/6, R-W de-interleaved) or 3. */
void bh_block(const bh_disc *disc, int32_t lba, unsigned dbt, uint8_t *out);

/* Writes the disc from first_lba to its end as a DAO-96 image file. Returns 0 or -errno. */
int bh_write_image(const bh_disc *disc, int32_t first_lba, const char *path);

/* Sets page 05h as a MODE SELECT would: RAW, the DBT, Test Write and BUFE. */
void bh_set_raw(sim *s, unsigned dbt, bool test_write, bool bufe);
/* One WRITE(10) of n blocks of the disc from lba. Returns the SCSI status. */
int bh_write(sim *s, const bh_disc *disc, int32_t lba, unsigned n, unsigned dbt);
/* Writes lba..end in chunks of per_write blocks; stops at the first failure, returning its
 * status (sense in s->cmd); 0 when all went through. Advances the fake clock by each
 * WRITE's completion delay, as the front end would make the host wait. */
int bh_write_range(sim *s, const bh_disc *disc, int32_t lba, int32_t end, unsigned per_write,
                   unsigned dbt);
/* The whole burn (set RAW first) and SYNCHRONIZE CACHE without IMMED. Returns the status. */
int bh_burn(sim *s, const bh_disc *disc, unsigned dbt);
