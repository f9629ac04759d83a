/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rawburn-bus.h"
#include "rawburn/msf.h"

const char *media_type_name(int32_t type)
{
        static const char *const names[] = {
            "unknown",
            "CD-ROM",
            "CD-R",
            "CD-RW",
            "DVD-ROM",
            "DVD-RAM",
            "DVD+R",
            "DVD+RW",
            "DVD+R DL",
            "DVD-R",
            "DVD-RW",
            "DVD-R DL",
            "random-access disc",
            "DVD+RW DL",
            "HD DVD-ROM",
            "HD DVD-R",
            "HD DVD-RAM",
            "BD-ROM",
            "BD-R",
            "BD-RE",
        };
        if (type >= 0 && (size_t)type < sizeof names / sizeof names[0])
                return names[type];
        return "unknown";
}

const char *sector_type_name(int32_t type)
{
        switch (type) {
        case RAWBURN_SECTOR_PQ_ONLY:
                return "pq";
        case RAWBURN_SECTOR_IS_COOKED:
                return "cooked";
        case RAWBURN_SECTOR_IS_RAW:
                return "raw";
        default:
                return "?";
        }
}

int32_t sector_type_from_name(const char *name)
{
        if (strcasecmp(name, "pq") == 0 || strcmp(name, "1") == 0)
                return RAWBURN_SECTOR_PQ_ONLY;
        if (strcasecmp(name, "cooked") == 0 || strcmp(name, "2") == 0)
                return RAWBURN_SECTOR_IS_COOKED;
        if (strcasecmp(name, "raw") == 0 || strcmp(name, "3") == 0)
                return RAWBURN_SECTOR_IS_RAW;
        return -1;
}

const char *write_action_name(int32_t action)
{
        switch (action) {
        case RAWBURN_WRITE_ACTION_PREPARING:
                return "preparing";
        case RAWBURN_WRITE_ACTION_WRITING:
                return "writing";
        case RAWBURN_WRITE_ACTION_FINISHING:
                return "finishing";
        default:
                return "waiting";
        }
}

char *format_msf(int32_t lba, char *buf, size_t size)
{
        rb_msf_t m;
        if (rb_lba_to_msf(lba, &m) < 0)
                snprintf(buf, size, "?");
        else
                snprintf(buf, size, "%02u:%02u:%02u", m.m, m.s, m.f);
        return buf;
}

char *format_duration(int32_t seconds, char *buf, size_t size)
{
        if (seconds < 0)
                snprintf(buf, size, "--:--");
        else if (seconds >= 3600)
                snprintf(buf, size, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                         seconds % 60);
        else
                snprintf(buf, size, "%d:%02d", seconds / 60, seconds % 60);
        return buf;
}

char *format_speed(double sectors_per_second, char *buf, size_t size)
{
        double x = sectors_per_second / RB_FRAMES_PER_SECOND;
        if (fabs(x - round(x)) < 0.05)
                snprintf(buf, size, "%.0f×", round(x));
        else
                snprintf(buf, size, "%.1f×", x);
        return buf;
}

char *format_capacity(int32_t leadout, char *buf, size_t size)
{
        /* The program area runs from LBA 0 to the lead-out: that many
         * sectors of 1/75 s of audio, or of 2048 bytes of Mode 1 data. */
        int32_t sectors = leadout > 0 ? leadout : 0;
        int32_t seconds = sectors / RB_FRAMES_PER_SECOND;
        snprintf(buf, size, "%d:%02d of audio, %.1f MiB of data", seconds / 60, seconds % 60,
                 sectors * 2048.0 / (1024 * 1024));
        return buf;
}
