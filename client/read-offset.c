/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "read-offset.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rawburn/msf.h"
#include "rawburn/subq.h"

#define SECTOR 2448
#define MAIN   2352
#define SAMPLE 4 /* 16-bit stereo */

static off_t main_offset(int32_t lba)
{
        return (off_t)(lba - RB_IMAGE_START_LBA) * SECTOR;
}

/* len bytes of the run's PCM stream from byte pos into buf (zeros outside
 * the run [first, end)). */
static int stream_read(int fd, int32_t first, int32_t end, int64_t pos, uint8_t *buf, size_t len)
{
        while (len > 0) {
                int64_t sector = pos >= 0 ? pos / MAIN : (pos - MAIN + 1) / MAIN;
                size_t in = (size_t)(pos - sector * MAIN);
                size_t n = MAIN - in < len ? MAIN - in : len;

                if (sector < 0 || first + sector >= end) {
                        memset(buf, 0, n);
                } else if (pread(fd, buf, n, main_offset(first + (int32_t)sector) + (off_t)in) !=
                           (ssize_t)n) {
                        return -EIO;
                }
                buf += n;
                pos += (int64_t)n;
                len -= n;
        }
        return 0;
}

/* One run of audio sectors: a positive shift reads ahead of what it writes
 * (sectors in order), a negative one behind (in reverse), so nothing is read
 * after it was moved. */
static int shift_run(int fd, int32_t first, int32_t end, int32_t offset)
{
        int64_t shift = (int64_t)offset * SAMPLE;
        int32_t count = end - first;
        uint8_t buf[MAIN];

        for (int32_t k = 0; k < count; k++) {
                int32_t i = offset > 0 ? k : count - 1 - k;
                int r = stream_read(fd, first, end, (int64_t)i * MAIN + shift, buf, sizeof buf);

                if (r < 0)
                        return r;
                if (pwrite(fd, buf, sizeof buf, main_offset(first + i)) != (ssize_t)sizeof buf)
                        return -errno;
        }
        return 0;
}

int read_offset_apply(int fd, const rb_disc_toc_t *toc, int32_t offset, char *err, size_t errlen)
{
        if (offset < -READ_OFFSET_MAX || offset > READ_OFFSET_MAX) {
                snprintf(err, errlen, "a read offset of %d samples is beyond ±%d (2 s)", offset,
                         READ_OFFSET_MAX);
                return -EINVAL;
        }
        for (unsigned i = 0; offset && i < toc->track_count;) {
                if (toc->tracks[i].control & RB_CTL_DATA) {
                        i++;
                        continue;
                }
                /* A run of audio tracks: from the first one's start (LBA 0
                 * for track 1, its hidden audio included) to the next data
                 * track or the lead-out. */
                int32_t first = i == 0 ? 0 : toc->tracks[i].start_lba;
                while (i < toc->track_count && !(toc->tracks[i].control & RB_CTL_DATA))
                        i++;
                int32_t end = i < toc->track_count ? toc->tracks[i].start_lba : toc->leadout_lba;
                int r = shift_run(fd, first, end, offset);
                if (r < 0) {
                        snprintf(err, errlen, "moving the audio by the read offset: %s",
                                 strerror(-r));
                        return r;
                }
        }
        return 0;
}
