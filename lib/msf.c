/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/msf.h"

#include <errno.h>

bool rb_msf_valid(rb_msf_t msf)
{
        return msf.m < 100 && msf.s < 60 && msf.f < RB_FRAMES_PER_SECOND;
}

uint32_t rb_msf_to_frames(rb_msf_t msf)
{
        return (uint32_t)msf.m * RB_FRAMES_PER_MINUTE + (uint32_t)msf.s * RB_FRAMES_PER_SECOND +
               msf.f;
}

rb_msf_t rb_frames_to_msf(uint32_t frames)
{
        return (rb_msf_t){
                .m = (uint8_t)(frames / RB_FRAMES_PER_MINUTE),
                .s = (uint8_t)(frames / RB_FRAMES_PER_SECOND % 60),
                .f = (uint8_t)(frames % RB_FRAMES_PER_SECOND),
        };
}

int32_t rb_msf_to_lba(rb_msf_t msf)
{
        int32_t frames = (int32_t)rb_msf_to_frames(msf);

        /* Minutes 90..99 wrap round to the lead-in before 00:00:00. */
        if (msf.m >= 90)
                return frames - RB_LEADIN_MSF_OFFSET;
        return frames - RB_MSF_OFFSET;
}

int rb_lba_to_msf(int32_t lba, rb_msf_t *ret)
{
        if (lba < RB_LBA_MIN || lba > RB_LBA_MAX)
                return -ERANGE;
        if (lba < -RB_MSF_OFFSET)
                *ret = rb_frames_to_msf((uint32_t)(lba + RB_LEADIN_MSF_OFFSET));
        else
                *ret = rb_frames_to_msf((uint32_t)(lba + RB_MSF_OFFSET));
        return 0;
}

uint8_t rb_bcd_encode(uint8_t v)
{
        return (uint8_t)(((v / 10) << 4) | (v % 10));
}

int rb_bcd_decode(uint8_t bcd)
{
        if ((bcd >> 4) > 9 || (bcd & 0x0f) > 9)
                return -EINVAL;
        return (bcd >> 4) * 10 + (bcd & 0x0f);
}
