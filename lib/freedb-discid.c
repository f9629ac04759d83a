/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/freedb-discid.h"

static unsigned digit_sum(unsigned n)
{
        unsigned sum = 0;
        for (; n; n /= 10)
                sum += n % 10;
        return sum;
}

uint32_t rb_freedb_discid(const rb_layout_t *l)
{
        /* Positions in frames from MSF 00:00:00 (LBA + 150), as the CDDB
         * algorithm takes them from the TOC; seconds are whole (truncated)
         * separately for each track and for the lead-out. */
        uint64_t frames = 0, first = 0;
        unsigned checksum = 0;

        for (unsigned i = 0; i < l->track_count; i++) {
                frames += l->tracks[i].pause;
                if (i == 0)
                        first = frames;
                checksum += digit_sum((unsigned)(frames / 75));
                frames += l->tracks[i].length;
        }
        uint32_t seconds = (uint32_t)(frames / 75 - first / 75);
        return (uint32_t)(checksum % 255) << 24 | (seconds & 0xffff) << 8 | (l->track_count & 0xff);
}
