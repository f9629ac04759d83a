/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How fast the image creator streams, against memcpy of the same bytes on
 * the same machine: an audio disc from a raw PCM file (little-endian, so no
 * swap) and a Mode 1 disc from 2048-byte sectors (EDC, ECC, scrambling),
 * both written to /dev/null. Sources are in the page cache (read once
 * before timing). Prints MB/s of image written and the ratio to memcpy.
 *   bench-creator [MINUTES]   (default 10 minutes of program area)
 * A figure, never a verdict.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rawburn/image-layout.h"
#include "rawburn/image-writer.h"

static double now_s(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int make_source(const char *path, size_t bytes)
{
        int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0)
                return -errno;
        static uint8_t chunk[1 << 16];
        for (size_t i = 0; i < sizeof chunk; i++)
                chunk[i] = (uint8_t)(i * 31 + (i >> 8));
        for (size_t done = 0; done < bytes;) {
                size_t n = bytes - done < sizeof chunk ? bytes - done : sizeof chunk;
                if (write(fd, chunk, n) != (ssize_t)n) {
                        close(fd);
                        return -EIO;
                }
                done += n;
        }
        close(fd);
        return 0;
}

static double run(const char *path, rb_track_mode_t mode, uint32_t sectors, uint64_t *bytes)
{
        rb_layout_t l;
        char err[512];
        rb_layout_init(&l);
        int f = rb_layout_add_file(&l, path, RB_FILE_RAW, RB_LITTLE_ENDIAN, err, sizeof err);
        rb_track_t *t = rb_layout_add_track(&l, mode);
        if (f < 0 || !t) {
                fprintf(stderr, "bench-creator: %s\n", err);
                exit(1);
        }
        t->pause = 150;
        t->length = sectors;
        rb_segment_t gap = {.file = -1,
                            .sectors = 150,
                            .format = mode == RB_TRACK_AUDIO ? RB_FMT_AUDIO : RB_FMT_MODE1};
        rb_segment_t body = gap;
        body.file = f;
        body.sectors = sectors;
        rb_track_add_segment(t, &gap);
        rb_track_add_segment(t, &body);
        if (rb_layout_finalize(&l, err, sizeof err) < 0) {
                fprintf(stderr, "bench-creator: %s\n", err);
                exit(1);
        }
        int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
        double t0 = now_s();
        if (rb_image_write(&l, fd, NULL, NULL, err, sizeof err) < 0) {
                fprintf(stderr, "bench-creator: %s\n", err);
                exit(1);
        }
        double dt = now_s() - t0;
        close(fd);
        *bytes = rb_layout_image_sectors(&l) * 2448;
        rb_layout_free(&l);
        return dt;
}

static double memcpy_rate(size_t total)
{
        /* The same volume through a 2448-byte-sector-sized working set that
         * does not fit the caches either: 64 MiB buffers. */
        size_t size = 64u << 20;
        uint8_t *a = malloc(size), *b = malloc(size);
        if (!a || !b)
                exit(1);
        memset(a, 1, size);
        memset(b, 2, size);
        double t0 = now_s();
        for (size_t done = 0; done < total; done += size)
                memcpy(b, a, size);
        double dt = now_s() - t0;
        volatile uint8_t sink = b[size / 2];
        (void)sink;
        free(a);
        free(b);
        return (double)total / dt / 1e6;
}

int main(int argc, char **argv)
{
        unsigned minutes = argc > 1 ? (unsigned)atoi(argv[1]) : 10;
        uint32_t sectors = minutes * 60 * 75;
        char audio[] = "/tmp/bench-creator-audio-XXXXXX",
             data[] = "/tmp/bench-creator-mode1-XXXXXX";
        int a = mkstemp(audio), d = mkstemp(data);
        if (a < 0 || d < 0)
                return 1;
        close(a);
        close(d);
        if (make_source(audio, (size_t)sectors * 2352) < 0 ||
            make_source(data, (size_t)sectors * 2048) < 0) {
                fprintf(stderr, "bench-creator: cannot write the sources in /tmp\n");
                return 1;
        }
        uint64_t bytes;
        run(audio, RB_TRACK_AUDIO, sectors, &bytes); /* warm the page cache */
        double ta = run(audio, RB_TRACK_AUDIO, sectors, &bytes);
        double audio_rate = (double)bytes / ta / 1e6;
        double tm = run(data, RB_TRACK_MODE1, sectors, &bytes);
        double mode1_rate = (double)bytes / tm / 1e6;
        double mem = memcpy_rate(bytes);
        unlink(audio);
        unlink(data);
        printf("image creator, %u min of program area + lead-in + lead-out, to /dev/null\n",
               minutes);
        printf("  memcpy          %8.0f MB/s\n", mem);
        printf("  audio (raw PCM) %8.0f MB/s  = %.0f %% of memcpy, %.0fx CD speed\n", audio_rate,
               100 * audio_rate / mem, audio_rate * 1e6 / (2448.0 * 75));
        printf("  Mode 1 (ISO)    %8.0f MB/s  = %.0f %% of memcpy, %.0fx CD speed\n", mode1_rate,
               100 * mode1_rate / mem, mode1_rate * 1e6 / (2448.0 * 75));
        return 0;
}
