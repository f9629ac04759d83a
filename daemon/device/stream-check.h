/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What the daemon checks in a caller's stream before it touches the disc:
 * that its first sector carries lead-in Q subchannel (a TOC entry with a
 * good CRC) in the layout of the requested sector type, and where its TOC
 * puts the lead-out. Pure functions on sector bytes (unit-tested with images
 * the library builds).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rawburn/msf.h>

/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE: bytes per sector, 0 if invalid. */
size_t stream_sector_size(int sector_type);

/* The 12 Q bytes of one sector in the layout of sector_type. */
void stream_sector_q(const uint8_t *sector, int sector_type, uint8_t q[12]);

/* One point of the lead-in's TOC as its Q carries it. */
typedef struct stream_toc_point {
        bool seen;
        uint8_t control;
        rb_msf_t p; /* PMIN:PSEC:PFRAME */
} stream_toc_point;

typedef struct stream_leadin {
        int first_track, last_track;
        uint8_t disc_type; /* A0's PSEC */
        bool has_leadout;
        int32_t leadout_lba;          /* A2 */
        stream_toc_point tracks[100]; /* 1..99 */
        stream_toc_point a0, a1, a2;
        unsigned sectors_seen;
} stream_leadin;

/*
 * sectors: count consecutive sectors of the stream starting with the first
 * one written (at the media's lead-in start), get(i) returns sector i.
 * Returns 0, or -EBADMSG with why in detail: no lead-in Q in the first
 * sector, or no lead-out point (A2) among the first sectors.
 */
typedef const uint8_t *(*stream_sector_fn)(void *userdata, int64_t i);
int stream_check_leadin(stream_sector_fn get, void *userdata, int64_t sectors, int sector_type,
                        stream_leadin *out, char *detail, size_t detail_size);

/* Sectors to look at for the TOC: every entry is repeated 3 times and the
 * TOC of 99 tracks is 102 entries long. */
#define STREAM_LEADIN_SCAN 320
