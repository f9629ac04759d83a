/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * One sector read back from the disc (READ CD through rawburnd's ReadMedia:
 * 2352 bytes of main channel, then 96 bytes of raw interleaved P-W) against
 * the sector that was sent in the burn's stream, in the stream's sector
 * type: 3 raw P-W (2448 bytes), 2 cooked P-W (2448 bytes: P and Q
 * interleaved, R-W as de-interleaved packs the drive interleaves itself),
 * 1 PQ only (2368 bytes: 16 bytes of PQ). What is compared is what the
 * drive must give back as it was sent: the main channel and the Q channel
 * always, R-W only for sector type 3 (a drive writing cooked R-W adds its
 * own interleave and parity; PQ-only sectors have none). P is not compared:
 * it is one flag per sector that drives may regenerate. A data sector (one
 * with the sync pattern) is sent scrambled, as RAW writing wants it, and
 * READ CD returns it descrambled: either form of it matches.
 */

#include <stddef.h>
#include <stdint.h>

#define SECTOR_READ_SIZE 2448 /* what ReadMedia writes per sector */

enum {
        SECTOR_DIFF_MAIN = 1 << 0,
        SECTOR_DIFF_Q = 1 << 1,
        SECTOR_DIFF_RW = 1 << 2,
};

/* Bytes per sector of a stream of this sector type (1, 2, 3); 0 for others. */
size_t sector_stream_size(int32_t sector_type);

/* SECTOR_DIFF_* bits of what differs; 0 when the sector read back as sent. */
unsigned sector_compare(const uint8_t read[SECTOR_READ_SIZE], const uint8_t *sent,
                        int32_t sector_type);

/* "main channel", "main channel and Q subchannel", … for a mask of bits. */
const char *sector_diff_text(unsigned mask, char *buf, size_t size);
