/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "stream-check.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rawburn/subchannel.h>
#include <rawburn/subq.h>

#define MAIN_CHANNEL 2352

size_t stream_sector_size(int sector_type)
{
        switch (sector_type) {
        case 1:
                return MAIN_CHANNEL + RB_PQ16_SIZE;
        case 2:
        case 3:
                return MAIN_CHANNEL + RB_SUBCHANNEL_SIZE;
        default:
                return 0;
        }
}

void stream_sector_q(const uint8_t *sector, int sector_type, uint8_t q[12])
{
        const uint8_t *sub = sector + MAIN_CHANNEL;

        if (sector_type == 1)
                memcpy(q, sub, RB_Q_SIZE); /* PQ16: Q first, then P in byte 15 */
        else
                /* Raw and cooked P-W differ in R-W only: P and Q sit in bits 7
                 * and 6 of each byte in both. */
                rb_subchannel_get(sub, RB_CH_Q, q);
}

static const char *type_name(int sector_type)
{
        return sector_type == 1   ? "PQ only (2368 bytes)"
               : sector_type == 2 ? "cooked P-W (2448 bytes)"
                                  : "raw P-W (2448 bytes)";
}

/* A0, A1, A2 and a point for every track between them. */
static bool leadin_complete(const stream_leadin *l)
{
        if (!l->a0.seen || !l->a1.seen || !l->a2.seen || l->first_track < 1 || l->last_track > 99 ||
            l->last_track < l->first_track)
                return false;
        for (int t = l->first_track; t <= l->last_track; t++)
                if (!l->tracks[t].seen)
                        return false;
        return true;
}

int stream_check_leadin(stream_sector_fn get, void *userdata, int64_t sectors, int sector_type,
                        stream_leadin *out, char *detail, size_t detail_size)
{
        uint8_t q[RB_Q_SIZE];
        rb_subq_t d;
        int64_t scan = sectors < STREAM_LEADIN_SCAN ? sectors : STREAM_LEADIN_SCAN;

        memset(out, 0, sizeof *out);
        if (sectors <= 0) {
                snprintf(detail, detail_size, "the stream holds no sector to write");
                return -EBADMSG;
        }
        stream_sector_q(get(userdata, 0), sector_type, q);
        if (!rb_subq_crc_ok(q) || rb_subq_decode(q, &d) < 0 || d.kind != RB_SUBQ_LEADIN_TOC) {
                snprintf(detail, detail_size,
                         "the first sector to be written (the media's lead-in start) has no "
                         "lead-in Q subchannel as %s sectors carry it: is this a DAO-96 image "
                         "starting at the given address, and of that sector type?",
                         type_name(sector_type));
                return -EBADMSG;
        }
        for (int64_t i = 0; i < scan; i++) {
                stream_sector_q(get(userdata, i), sector_type, q);
                out->sectors_seen = (unsigned)(i + 1);
                if (!rb_subq_crc_ok(q) || rb_subq_decode(q, &d) < 0 || d.kind != RB_SUBQ_LEADIN_TOC)
                        continue;
                stream_toc_point *pt = NULL;

                switch (d.toc.point) {
                case RB_Q_POINT_FIRST_TRACK:
                        out->first_track = d.toc.p.m;
                        out->disc_type = d.toc.p.s;
                        pt = &out->a0;
                        break;
                case RB_Q_POINT_LAST_TRACK:
                        out->last_track = d.toc.p.m;
                        pt = &out->a1;
                        break;
                case RB_Q_POINT_LEADOUT:
                        if (rb_msf_valid(d.toc.p)) {
                                out->has_leadout = true;
                                out->leadout_lba = rb_msf_to_lba(d.toc.p);
                        }
                        pt = &out->a2;
                        break;
                default:
                        if (d.toc.point >= 1 && d.toc.point <= 99)
                                pt = &out->tracks[d.toc.point];
                        break;
                }
                if (pt && !pt->seen)
                        *pt = (stream_toc_point){true, d.control, d.toc.p};
                if (leadin_complete(out))
                        return 0;
        }
        if (!out->has_leadout) {
                snprintf(detail, detail_size,
                         "the lead-in's table of contents has no lead-out point (A2) in its "
                         "first %lld sectors",
                         (long long)scan);
                return -EBADMSG;
        }
        return 0;
}
