/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * CD-Text packs gathered from lead-in sectors. The lead-in repeats the whole
 * pack list cyclically; a pack is identified by its block (language, byte 3
 * bits 6-4) and sequence number (byte 2), unique within a block. The image
 * inspector, drivesim's TOC and rawburnd's check after a burn all read the
 * list this way.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rawburn/subchannel.h"

typedef struct rb_cdtext_collector {
        uint8_t packs[8][256][RB_CDTEXT_PACK_SIZE];
        bool seen[8][256];
        size_t count;        /* distinct good packs */
        unsigned crc_errors; /* packs (types 80h-8Fh) whose CRC did not match */
} rb_cdtext_collector_t;

void rb_cdtext_collector_init(rb_cdtext_collector_t *c);

/* The four packs of one lead-in sector's raw interleaved P-W: each good one
 * not seen yet is kept. */
void rb_cdtext_collector_add_sector(rb_cdtext_collector_t *c,
                                    const uint8_t sub[RB_SUBCHANNEL_SIZE]);

/* The packs in block and sequence order, count × 18 bytes, allocated (NULL
 * with *count 0 when none, or NULL with *count set on allocation failure). */
uint8_t *rb_cdtext_collector_list(const rb_cdtext_collector_t *c, size_t *count);
