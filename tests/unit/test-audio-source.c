/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Ogg Opus read through the resampler: the length rule, and the same bytes
 * for a frame whether it is reached in order, by a seek forwards or by a
 * seek backwards (which starts the resampler again). The Opus file is
 * written here by libsndfile; tests/image/lossy-audio.sh checks opusenc's
 * against opusdec.
 */
/* cmocka.h needs these first */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rawburn/audio-resample.h"
#include "rawburn/audio-source.h"

#define FRAMES48 150007 /* 3.125 s at 48 kHz: 137818.93… at 44.1 kHz */

static void test_length_rule(void **state)
{
        (void)state;
        assert_int_equal(rb_resample_length(446400, 48000, 44100), 410130);
        assert_int_equal(rb_resample_length(FRAMES48, 48000, 44100), 137819);
        assert_int_equal(rb_resample_length(216007, 48000, 44100), 198456);
        assert_int_equal(rb_resample_length(80, 48000, 44100), 74); /* 73.5: halves up */
        assert_int_equal(rb_resample_length(0, 48000, 44100), 0);
        assert_int_equal(rb_resample_length(40000, 16000, 44100), 110250);
}

static void write_opus(const char *path)
{
        SF_INFO info = {
            .samplerate = 48000, .channels = 2, .format = SF_FORMAT_OGG | SF_FORMAT_OPUS};
        SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
        assert_non_null(sf);
        static float buf[FRAMES48 * 2];
        unsigned seed = 1;
        for (size_t i = 0; i < FRAMES48; i++) {
                seed = seed * 1103515245u + 12345u;
                float noise = (float)((seed >> 16) & 0x7fff) / 32768.0f - 0.5f;
                buf[2 * i] = 0.4f * sinf((float)i * 2.0f * (float)M_PI * 440.0f / 48000.0f);
                buf[2 * i + 1] = 0.3f * noise;
        }
        assert_int_equal(sf_writef_float(sf, buf, FRAMES48), FRAMES48);
        sf_close(sf);
}

static void test_opus_seek(void **state)
{
        (void)state;
        char path[] = "/tmp/rawburn-opus-XXXXXX", err[256] = "", format[128] = "";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
        write_opus(path);

        rb_audio_reader_t *r = NULL;
        uint64_t bytes = 0;
        assert_int_equal(rb_audio_open(path, &r, &bytes, format, sizeof format, err, sizeof err),
                         0);
        assert_true(rb_audio_is_lossy(r));
        assert_non_null(strstr(format, "resampled from 48000 Hz"));
        /* libsndfile's frame count is the written one (pre-skip and end
         * trimming honoured), so the length is the rule's. */
        assert_int_equal(bytes, rb_resample_length(FRAMES48, 48000, 44100) * 4);

        uint8_t *all = calloc(1, bytes), *part = calloc(1, bytes);
        assert_non_null(all);
        assert_non_null(part);
        for (uint64_t off = 0; off < bytes;) {
                size_t n = bytes - off < 2352 ? (size_t)(bytes - off) : 2352;
                assert_int_equal(rb_audio_read(r, off, all + off, n), n);
                off += n;
        }
        uint8_t extra[16];
        assert_int_equal(rb_audio_read(r, bytes, extra, sizeof extra), 0);
        uint64_t loud = 0;
        for (uint64_t i = 0; i < bytes; i++)
                loud += all[i] != 0;
        assert_true(loud > bytes / 2);

        /* Backwards (from the end), then forwards past the position. */
        uint64_t mid = 2352 * 25 + 4 * 7, late = 2352 * 200;
        assert_int_equal(rb_audio_read(r, mid, part, 2352 * 10), 2352 * 10);
        assert_memory_equal(part, all + mid, 2352 * 10);
        assert_int_equal(rb_audio_read(r, late, part, 2352), 2352);
        assert_memory_equal(part, all + late, 2352);
        rb_audio_close(r);

        /* A fresh reader asked first for the middle: a seek forwards. */
        assert_int_equal(rb_audio_open(path, &r, NULL, NULL, 0, err, sizeof err), 0);
        assert_int_equal(rb_audio_read(r, late, part, 2352 * 3), 2352 * 3);
        assert_memory_equal(part, all + late, 2352 * 3);
        rb_audio_close(r);

        free(all);
        free(part);
        unlink(path);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_length_rule),
            cmocka_unit_test(test_opus_seek),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
