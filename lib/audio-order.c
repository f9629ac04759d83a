/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/audio-order.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define PROBE_BYTES (64 * 1024)
/* How much rougher the chosen order must be to be called suspect; music
 * read the right way round is typically 100× smoother than swapped. */
#define SUSPECT_RATIO 8.0

static int16_t sample(const uint8_t *p, bool big_endian)
{
        return (int16_t)(big_endian ? (p[0] << 8 | p[1]) : (p[1] << 8 | p[0]));
}

static double roughness(const uint8_t *buf, size_t len, bool big_endian)
{
        double e = 0;
        /* Left and right separately: frames are 4 bytes. */
        for (size_t i = 4; i + 4 <= len; i += 2) {
                double d = (double)sample(buf + i, big_endian) - sample(buf + i - 4, big_endian);
                e += d * d;
        }
        return e;
}

int rb_audio_order_suspect(const rb_layout_t *l, const rb_track_t *t, double *ratio)
{
        if (ratio)
                *ratio = 0;
        if (t->mode != RB_TRACK_AUDIO)
                return 0;
        const rb_segment_t *seg = NULL;
        for (size_t i = 0; i < t->segment_count && !seg; i++)
                if (t->segments[i].file >= 0 && t->segments[i].format == RB_FMT_AUDIO &&
                    l->files[t->segments[i].file].kind == RB_FILE_RAW)
                        seg = &t->segments[i];
        if (!seg)
                return 0;
        const rb_source_file_t *f = &l->files[seg->file];
        uint64_t span = (uint64_t)seg->sectors * 2352;
        if (span > f->size - seg->offset)
                span = f->size - seg->offset;
        uint64_t start = seg->offset + (span > PROBE_BYTES ? (span - PROBE_BYTES) / 2 : 0);
        start -= (start - seg->offset) % 4; /* whole stereo frames */
        size_t want = span < PROBE_BYTES ? (size_t)span : PROBE_BYTES;

        uint8_t *buf = malloc(PROBE_BYTES);
        if (!buf)
                return -ENOMEM;
        int fd = open(f->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                free(buf);
                return -errno;
        }
        ssize_t n = pread(fd, buf, want, (off_t)start);
        int saved = errno;
        close(fd);
        if (n < 0) {
                free(buf);
                return -saved;
        }
        bool big = (f->order == RB_BIG_ENDIAN) != t->swap_audio;
        double used = roughness(buf, (size_t)n, big), other = roughness(buf, (size_t)n, !big);
        free(buf);
        if (used == 0 || other == 0)
                return 0; /* digital silence, or constant: nothing to judge */
        if (ratio)
                *ratio = used / other;
        return used > SUSPECT_RATIO * other;
}
