/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sector-compare.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "rawburn-bus.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"

#define MAIN 2352

size_t sector_stream_size(int32_t sector_type)
{
        switch (sector_type) {
        case 1:
                return MAIN + RB_PQ16_SIZE;
        case 2:
        case 3:
                return MAIN + RB_SUBCHANNEL_SIZE;
        default:
                return 0;
        }
}

unsigned sector_compare(const uint8_t read[SECTOR_READ_SIZE], const uint8_t *sent,
                        int32_t sector_type)
{
        uint8_t q_read[RB_CHANNEL_BYTES], q_sent[RB_CHANNEL_BYTES];
        unsigned diff = 0;

        if (memcmp(read, sent, MAIN) != 0) {
                /* A data sector goes out scrambled (the host scrambles in RAW mode) and
                 * READ CD gives it back descrambled, as the drive reads its data track. */
                uint8_t plain[MAIN];
                bool same = false;
                if (rb_sector_has_sync(sent)) {
                        memcpy(plain, sent, MAIN);
                        rb_scramble_sector(plain);
                        same = memcmp(read, plain, MAIN) == 0;
                }
                if (!same)
                        diff |= SECTOR_DIFF_MAIN;
        }
        rb_subchannel_get(read + MAIN, RB_CH_Q, q_read);
        if (sector_type == RAWBURN_SECTOR_PQ_ONLY)
                memcpy(q_sent, sent + MAIN, RB_CHANNEL_BYTES); /* PQ16: Q first */
        else
                rb_subchannel_get(sent + MAIN, RB_CH_Q, q_sent);
        if (memcmp(q_read, q_sent, RB_CHANNEL_BYTES) != 0)
                diff |= SECTOR_DIFF_Q;
        if (sector_type == RAWBURN_SECTOR_IS_RAW) {
                uint8_t rw_read[96], rw_sent[96];
                rb_subchannel_get_rw(read + MAIN, rw_read);
                rb_subchannel_get_rw(sent + MAIN, rw_sent);
                if (memcmp(rw_read, rw_sent, sizeof rw_read) != 0)
                        diff |= SECTOR_DIFF_RW;
        }
        return diff;
}

const char *sector_diff_text(unsigned mask, char *buf, size_t size)
{
        const char *parts[3];
        size_t n = 0;
        if (mask & SECTOR_DIFF_MAIN)
                parts[n++] = "the main channel";
        if (mask & SECTOR_DIFF_Q)
                parts[n++] = "the Q subchannel";
        if (mask & SECTOR_DIFF_RW)
                parts[n++] = "the R-W subchannel";
        if (n == 0)
                snprintf(buf, size, "nothing");
        else if (n == 1)
                snprintf(buf, size, "%s", parts[0]);
        else if (n == 2)
                snprintf(buf, size, "%s and %s", parts[0], parts[1]);
        else
                snprintf(buf, size, "%s, %s and %s", parts[0], parts[1], parts[2]);
        return buf;
}
