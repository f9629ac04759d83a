/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The raw image creator (IRawCDImageCreator): every public function with
 * its IMAPI2 errors, the placement it computes, and the images it makes,
 * read back by the inspector and compared byte for byte with the image the
 * layout path makes from the same input.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/edc-ecc.h"
#include "rawburn/image-inspect.h"
#include "rawburn/raw-image-creator.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"

#define IMAGE_START      RB_IMAGE_START_LBA
#define LEADIN_SECTORS   (-150 - IMAGE_START)
#define RAW_SECTOR_BYTES 2448

/* A memfd of `sectors` sectors of `size` bytes, each byte from its position
 * and seed (so that every sector differs), plus `extra` bytes. */
static int stream_fd(uint32_t sectors, size_t size, uint8_t seed, size_t extra)
{
        size_t len = sectors * size + extra;
        uint8_t *buf = malloc(len);
        assert_non_null(buf);
        for (size_t i = 0; i < len; i++)
                buf[i] = (uint8_t)(i / size * 7 + i + seed);
        int fd = memfd_create("test-stream", MFD_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, buf, len), (ssize_t)len);
        free(buf);
        return fd;
}

static int audio_fd(uint32_t sectors, uint8_t seed)
{
        return stream_fd(sectors, 2352, seed, 0);
}

typedef struct feeder {
        int fd, src;
} feeder_t;

static void *feed(void *arg)
{
        feeder_t *f = arg;
        uint8_t buf[65536];
        ssize_t n;
        off_t at = 0;
        while ((n = pread(f->src, buf, sizeof buf, at)) > 0) {
                assert_int_equal(write(f->fd, buf, (size_t)n), n);
                at += n;
        }
        close(f->fd);
        return NULL;
}

/* The same bytes through a pipe, fed by a thread; *thread to join. */
static int pipe_of(int src, pthread_t *thread, feeder_t *f)
{
        int p[2];
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        *f = (feeder_t){.fd = p[1], .src = src};
        assert_int_equal(pthread_create(thread, NULL, feed, f), 0);
        return p[0];
}

static rb_raw_image_creator_t *creator(void)
{
        rb_raw_image_creator_t *c = NULL;
        assert_int_equal(rb_raw_image_creator_new(&c), 0);
        assert_non_null(c);
        return c;
}

static int add_audio(rb_raw_image_creator_t *c, uint32_t sectors, uint8_t seed)
{
        int fd = audio_fd(sectors, seed), index = 0;
        int r = rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, &index);
        close(fd);
        return r < 0 ? r : index;
}

static rb_raw_image_track_info_t *info(rb_raw_image_creator_t *c, int index)
{
        rb_raw_image_track_info_t *t = NULL;
        assert_int_equal(rb_raw_image_creator_get_track_info(c, index, &t), 0);
        return t;
}

/* The result stream read to its end into a memfd. */
static int read_result(rb_raw_image_creator_t *c, uint64_t *size)
{
        int in = -1;
        assert_int_equal(rb_raw_image_creator_create_result_image(c, &in), 0);
        int out = memfd_create("test-image", MFD_CLOEXEC);
        assert_true(out >= 0);
        uint8_t buf[65536];
        ssize_t n;
        *size = 0;
        while ((n = read(in, buf, sizeof buf)) > 0) {
                assert_int_equal(write(out, buf, (size_t)n), n);
                *size += (uint64_t)n;
        }
        assert_int_equal(n, 0);
        close(in);
        assert_int_equal(rb_raw_image_creator_wait_result(c), 0);
        return out;
}

static void copy_fd(int from, int to)
{
        uint8_t buf[65536];
        ssize_t n;
        off_t at = 0;
        while ((n = pread(from, buf, sizeof buf, at)) > 0) {
                assert_int_equal(write(to, buf, (size_t)n), n);
                at += n;
        }
        assert_int_equal(n, 0);
}

static void read_sector(int fd, int32_t lba, size_t ssize, uint8_t *sector)
{
        assert_int_equal(pread(fd, sector, ssize, (off_t)(lba - IMAGE_START) * (off_t)ssize),
                         (ssize_t)ssize);
}

/* ---- errors ---- */

static void test_errors(void **state)
{
        (void)state;
        static const struct {
                int r;
                uint32_t hresult;
                const char *name;
        } cases[] = {
            {0, 0, "S_OK"},
            {-RB_E_RAW_IMAGE_IS_READ_ONLY, 0x80AA0A00u, "E_IMAPI_RAW_IMAGE_IS_READ_ONLY"},
            {-RB_E_RAW_IMAGE_TOO_MANY_TRACKS, 0x80AA0A01u, "E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS"},
            {-RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED, 0x80AA0A02u,
             "E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED"},
            {-RB_E_RAW_IMAGE_NO_TRACKS, 0x80AA0A03u, "E_IMAPI_RAW_IMAGE_NO_TRACKS"},
            {-RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED, 0x80AA0A04u,
             "E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED"},
            {-RB_E_RAW_IMAGE_INSUFFICIENT_SPACE, 0x80AA0A05u,
             "E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE"},
            {-RB_E_RAW_IMAGE_TOO_MANY_TRACK_INDEXES, 0x80AA0A06u,
             "E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES"},
            {-RB_E_RAW_IMAGE_TRACK_INDEX_NOT_FOUND, 0x80AA0A07u,
             "E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND"},
            {RB_S_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS, 0x00AA0A08u,
             "S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS"},
            {-RB_E_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED, 0x80AA0A09u,
             "E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED"},
            {-RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, 0x80AA0A0Au,
             "E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX"},
            {-ENOMEM, 0x8007000Eu, "E_OUTOFMEMORY"},
            {-EINVAL, 0x80070057u, "E_INVALIDARG"},
            {-ERANGE, 0x80070057u, "E_INVALIDARG"},
            {-EIO, 0x80004005u, "E_FAIL"},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                assert_int_equal(rb_raw_image_error_hresult(cases[i].r), cases[i].hresult);
                assert_string_equal(rb_raw_image_error_name(cases[i].r), cases[i].name);
                assert_non_null(rb_raw_image_error_message(cases[i].r));
        }
        /* Never mistaken for an errno. */
        assert_true(-RB_E_RAW_IMAGE_IS_READ_ONLY < -4095);
        assert_string_equal(rb_raw_image_error_message(-RB_E_RAW_IMAGE_TRACK_INDEX_NOT_FOUND),
                            "The specified LBA offset is not in the list of track indexes.");
        assert_string_equal(rb_raw_image_error_message(-EIO), strerror(EIO));
        /* The codes are not errors with the wrong sign. */
        assert_string_equal(rb_raw_image_error_name(RB_E_RAW_IMAGE_NO_TRACKS), "S_OK");
}

/* ---- the creator's properties ---- */

static void test_defaults(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        int32_t lba = 0;

        assert_int_equal(rb_raw_image_creator_get_resulting_image_type(c), RB_SECTOR_RAW);
        assert_int_equal(rb_raw_image_creator_get_start_of_leadout_limit(c), 398099);
        assert_false(rb_raw_image_creator_get_disable_gapless_audio(c));
        assert_string_equal(rb_raw_image_creator_get_media_catalog_number(c), "");
        assert_int_equal(rb_raw_image_creator_get_starting_track_number(c), 1);
        assert_int_equal(rb_raw_image_creator_get_number_of_existing_tracks(c), 0);
        assert_string_equal(rb_raw_image_creator_last_error(c), "");
        assert_int_equal(rb_raw_image_creator_get_start_of_leadout(c, &lba),
                         -RB_E_RAW_IMAGE_NO_TRACKS);
        assert_string_equal(rb_raw_image_creator_last_error(c),
                            "Tracks must be added to the image before using this function.");
        assert_int_equal(rb_raw_image_creator_get_last_used_user_sector_in_image(c, &lba),
                         -RB_E_RAW_IMAGE_NO_TRACKS);
        rb_raw_image_creator_free(c);
        rb_raw_image_creator_free(NULL);
}

static void test_add_track(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        int32_t lba = 0;

        assert_int_equal(add_audio(c, 300, 1), 1);
        assert_int_equal(add_audio(c, 1000, 2), 2);
        assert_int_equal(rb_raw_image_creator_get_number_of_existing_tracks(c), 2);
        /* 150 + 300 + 150 gap + 1000 */
        assert_int_equal(rb_raw_image_creator_get_start_of_leadout(c, &lba), 0);
        assert_int_equal(lba, 1450);
        assert_int_equal(rb_raw_image_creator_get_last_used_user_sector_in_image(c, &lba), 0);
        assert_int_equal(lba, 1449);

        /* A pipe is read to its end now; a last partial sector counts. */
        int src = stream_fd(400, 2352, 3, 100);
        pthread_t thread;
        feeder_t f;
        int fd = pipe_of(src, &thread, &f), index = 0;
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, &index), 0);
        pthread_join(thread, NULL);
        close(fd);
        close(src);
        assert_int_equal(index, 3);
        assert_int_equal(rb_raw_image_track_info_get_sector_count(info(c, 3)), 401);

        /* Shorter than 4 s, no stream, unsupported types, types that do not mix. */
        assert_int_equal(add_audio(c, 299, 4), -EINVAL);
        assert_non_null(strstr(rb_raw_image_creator_last_error(c), "at least 300"));
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, -1, NULL), -EBADF);
        fd = stream_fd(300, 2336, 5, 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE_ZERO, fd, NULL),
                         -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
        assert_int_equal(rb_raw_image_creator_add_track(c, (rb_cd_sector_type_t)42, fd, NULL),
                         -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE2FORM0, fd, NULL),
                         -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
        close(fd);
        assert_int_equal(rb_raw_image_creator_get_number_of_existing_tracks(c), 3);
        rb_raw_image_creator_free(c);

        /* Mode 2 types mix with each other, not with Mode 1. */
        c = creator();
        fd = stream_fd(300, 2048, 6, 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE2FORM1, fd, NULL), 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE1, fd, NULL),
                         -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
        close(fd);
        fd = stream_fd(300, 2352, 7, 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE2FORM2RAW, fd, NULL),
                         0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, NULL),
                         -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
        close(fd);
        rb_raw_image_creator_free(c);
}

static void test_too_many_tracks(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        int fd = audio_fd(300, 1), index = 0;

        for (int i = 1; i <= 99; i++) {
                assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, &index),
                                 0);
                assert_int_equal(index, i);
        }
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, &index),
                         -RB_E_RAW_IMAGE_TOO_MANY_TRACKS);
        rb_raw_image_creator_free(c);

        /* Starting at 98: two tracks. */
        c = creator();
        assert_int_equal(rb_raw_image_creator_set_starting_track_number(c, 98), 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, NULL), 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, NULL), 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, NULL),
                         -RB_E_RAW_IMAGE_TOO_MANY_TRACKS);
        assert_int_equal(rb_raw_image_track_info_get_track_number(info(c, 2)), 99);
        close(fd);
        rb_raw_image_creator_free(c);
}

static void test_leadout_limit(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();

        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 0), -EINVAL);
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 398100), -EINVAL);
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 398099), 0);
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 1000), 0);
        assert_int_equal(rb_raw_image_creator_get_start_of_leadout_limit(c), 1000);
        assert_int_equal(add_audio(c, 600, 1), 1);
        /* 600 + 150 + 300 > 1000 */
        assert_int_equal(add_audio(c, 300, 2), -RB_E_RAW_IMAGE_INSUFFICIENT_SPACE);
        assert_int_equal(rb_raw_image_creator_get_number_of_existing_tracks(c), 1);
        assert_int_equal(add_audio(c, 250, 3), -EINVAL);
        /* Exactly at the limit fits. */
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 1050), 0);
        assert_int_equal(add_audio(c, 300, 2), 2);
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 1049),
                         -RB_E_RAW_IMAGE_INSUFFICIENT_SPACE);
        assert_int_equal(rb_raw_image_creator_get_start_of_leadout_limit(c), 1050);
        rb_raw_image_creator_free(c);
}

static void test_gapless(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        int32_t lba = 0;

        assert_int_equal(add_audio(c, 1000, 1), 1);
        assert_int_equal(add_audio(c, 800, 2), 2);
        assert_int_equal(add_audio(c, 600, 3), 3);
        /* IMAPI2's default: 2-second gaps. */
        assert_int_equal(rb_raw_image_track_info_get_starting_lba(info(c, 2)), 1150);
        assert_int_equal(rb_raw_image_track_info_get_starting_lba(info(c, 3)), 2100);
        assert_int_equal(rb_raw_image_creator_get_start_of_leadout(c, &lba), 0);
        assert_int_equal(lba, 2700);
        /* Gapless: the last 150 sectors of a track become the next one's pregap. */
        assert_int_equal(rb_raw_image_creator_set_disable_gapless_audio(c, true), 0);
        assert_true(rb_raw_image_creator_get_disable_gapless_audio(c));
        assert_int_equal(rb_raw_image_track_info_get_starting_lba(info(c, 2)), 1000);
        assert_int_equal(rb_raw_image_track_info_get_sector_count(info(c, 1)), 850);
        assert_int_equal(rb_raw_image_track_info_get_sector_count(info(c, 2)), 650);
        assert_int_equal(rb_raw_image_track_info_get_sector_count(info(c, 3)), 600);
        assert_int_equal(rb_raw_image_creator_get_start_of_leadout(c, &lba), 0);
        assert_int_equal(lba, 2400);

        /* Gaps again would not fit under a limit set meanwhile. */
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 2400), 0);
        assert_int_equal(rb_raw_image_creator_set_disable_gapless_audio(c, false),
                         -RB_E_RAW_IMAGE_INSUFFICIENT_SPACE);
        assert_true(rb_raw_image_creator_get_disable_gapless_audio(c));
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 398099), 0);
        assert_int_equal(rb_raw_image_creator_set_disable_gapless_audio(c, false), 0);

        /* An index near the end of track 1 would lose its ten sectors. */
        assert_int_equal(rb_raw_image_track_info_add_track_index(info(c, 1), 900), 0);
        assert_int_equal(rb_raw_image_creator_set_disable_gapless_audio(c, true),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
        assert_false(rb_raw_image_creator_get_disable_gapless_audio(c));
        rb_raw_image_creator_free(c);

        /* ... and so would a track added after it, gapless. */
        c = creator();
        assert_int_equal(rb_raw_image_creator_set_disable_gapless_audio(c, true), 0);
        assert_int_equal(add_audio(c, 1000, 1), 1);
        assert_int_equal(rb_raw_image_track_info_add_track_index(info(c, 1), 900), 0);
        assert_int_equal(add_audio(c, 300, 2),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
        assert_int_equal(rb_raw_image_creator_get_number_of_existing_tracks(c), 1);
        rb_raw_image_creator_free(c);
}

static void test_media_catalog_number(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();

        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, "0123456789012"), 0);
        assert_string_equal(rb_raw_image_creator_get_media_catalog_number(c), "0123456789012");
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, NULL), 0);
        assert_string_equal(rb_raw_image_creator_get_media_catalog_number(c), "");
        /* Leading zeros may be left out (IMAPI2's own example). */
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, "123456789012"), 0);
        assert_string_equal(rb_raw_image_creator_get_media_catalog_number(c), "0123456789012");
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, "4006381333931"), 0);
        /* The check digit. */
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, "4006381333932"),
                         -EINVAL);
        assert_non_null(strstr(rb_raw_image_creator_last_error(c), "check digit is 1"));
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, "12345678901234"),
                         -EINVAL);
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, "40063813339-1"),
                         -EINVAL);
        assert_string_equal(rb_raw_image_creator_get_media_catalog_number(c), "4006381333931");
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, ""), 0);
        assert_string_equal(rb_raw_image_creator_get_media_catalog_number(c), "");
        rb_raw_image_creator_free(c);
}

static void test_starting_track_number(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();

        assert_int_equal(rb_raw_image_creator_set_starting_track_number(c, 0), -EINVAL);
        assert_int_equal(rb_raw_image_creator_set_starting_track_number(c, 100), -EINVAL);
        assert_int_equal(rb_raw_image_creator_set_starting_track_number(c, 5), 0);
        assert_int_equal(rb_raw_image_creator_get_starting_track_number(c), 5);
        /* Not 1: audio only. */
        int fd = stream_fd(300, 2048, 1, 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE1, fd, NULL),
                         -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
        close(fd);
        assert_int_equal(add_audio(c, 300, 1), 1);
        assert_int_equal(rb_raw_image_track_info_get_track_number(info(c, 1)), 5);
        assert_int_equal(rb_raw_image_creator_set_starting_track_number(c, 1),
                         -RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED);
        rb_toc_entry_t toc[RB_RAW_IMAGE_TOC_MAX];
        size_t n = 0;
        assert_int_equal(rb_raw_image_creator_get_expected_table_of_contents(c, toc, &n), 0);
        assert_int_equal(n, 4);
        assert_int_equal(toc[0].point, 5);
        assert_int_equal(toc[1].p.m, 5); /* A0: first track */
        assert_int_equal(toc[2].p.m, 5); /* A1: last track */
        rb_raw_image_creator_free(c);
}

static void test_special_pregap(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        int fd = audio_fd(149, 9);

        assert_int_equal(rb_raw_image_creator_add_special_pregap(c, fd), -EINVAL);
        close(fd);
        fd = audio_fd(450, 9);
        assert_int_equal(rb_raw_image_creator_add_special_pregap(c, fd), 0);
        close(fd);
        /* It implies an audio CD. */
        fd = stream_fd(300, 2048, 1, 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE1, fd, NULL),
                         -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
        close(fd);
        assert_int_equal(add_audio(c, 300, 1), 1);
        /* Track 1 starts after the hidden audio: -150 + 450. */
        assert_int_equal(rb_raw_image_track_info_get_starting_lba(info(c, 1)), 300);
        fd = audio_fd(150, 9);
        assert_int_equal(rb_raw_image_creator_add_special_pregap(c, fd),
                         -RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED);
        close(fd);
        rb_raw_image_creator_free(c);

        /* No room for the shortest track after it. */
        c = creator();
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 600), 0);
        fd = audio_fd(451, 9);
        assert_int_equal(rb_raw_image_creator_add_special_pregap(c, fd),
                         -RB_E_RAW_IMAGE_INSUFFICIENT_SPACE);
        close(fd);
        rb_raw_image_creator_free(c);
}

static void test_resulting_image_type(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();

        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_COOKED), 0);
        assert_int_equal(rb_raw_image_creator_get_resulting_image_type(c), RB_SECTOR_COOKED);
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, (rb_sector_type_t)0),
                         -EINVAL);
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, (rb_sector_type_t)4),
                         -EINVAL);
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_PQ_ONLY), 0);
        /* PQ only has no R-W to carry the generator's subcode. */
        int fd = stream_fd(10, 96, 0, 0);
        assert_int_equal(rb_raw_image_creator_add_subcode_rw_generator(c, fd),
                         -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_RAW), 0);
        assert_int_equal(rb_raw_image_creator_add_subcode_rw_generator(c, fd), 0);
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_PQ_ONLY),
                         -RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
        assert_int_equal(rb_raw_image_creator_get_resulting_image_type(c), RB_SECTOR_RAW);
        close(fd);
        rb_raw_image_creator_free(c);
}

static void test_track_info(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        rb_raw_image_track_info_t *t = NULL;

        assert_int_equal(rb_raw_image_creator_get_track_info(c, 1, &t), -EINVAL);
        assert_int_equal(add_audio(c, 500, 1), 1);
        assert_int_equal(rb_raw_image_creator_get_track_info(c, 0, &t), -EINVAL);
        assert_int_equal(rb_raw_image_creator_get_track_info(c, 2, &t), -EINVAL);
        t = info(c, 1);
        assert_int_equal(rb_raw_image_track_info_get_starting_lba(t), 0);
        assert_int_equal(rb_raw_image_track_info_get_sector_count(t), 500);
        assert_int_equal(rb_raw_image_track_info_get_track_number(t), 1);
        assert_int_equal(rb_raw_image_track_info_get_sector_type(t), RB_CD_SECTOR_AUDIO);

        /* ISRC: dashes optional, letters in either case. */
        assert_string_equal(rb_raw_image_track_info_get_isrc(t), "");
        assert_int_equal(rb_raw_image_track_info_set_isrc(t, "us-k7y-98-12345"), 0);
        assert_string_equal(rb_raw_image_track_info_get_isrc(t), "USK7Y9812345");
        assert_int_equal(rb_raw_image_track_info_set_isrc(t, "USK7Y9812345"), 0);
        assert_int_equal(rb_raw_image_track_info_set_isrc(t, "USK7Y981234"), -EINVAL);
        assert_int_equal(rb_raw_image_track_info_set_isrc(t, "USK7Y98123456"), -EINVAL);
        assert_int_equal(rb_raw_image_track_info_set_isrc(t, "USK7YA812345"), -EINVAL);
        assert_int_equal(rb_raw_image_track_info_set_isrc(t, "US K7Y9812345"), -EINVAL);
        assert_string_equal(rb_raw_image_track_info_get_isrc(t), "USK7Y9812345");
        assert_int_equal(rb_raw_image_track_info_set_isrc(t, NULL), 0);
        assert_string_equal(rb_raw_image_track_info_get_isrc(t), "");

        assert_int_equal(rb_raw_image_track_info_get_digital_audio_copy_setting(t),
                         RB_CD_COPY_PROHIBITED);
        assert_int_equal(rb_raw_image_track_info_set_digital_audio_copy_setting(t, RB_CD_COPY_SCMS),
                         0);
        assert_int_equal(rb_raw_image_track_info_get_digital_audio_copy_setting(t),
                         RB_CD_COPY_SCMS);
        assert_int_equal(
            rb_raw_image_track_info_set_digital_audio_copy_setting(t, (rb_cd_copy_setting_t)3),
            -EINVAL);
        assert_false(rb_raw_image_track_info_get_audio_has_preemphasis(t));
        assert_int_equal(rb_raw_image_track_info_set_audio_has_preemphasis(t, true), 0);
        assert_true(rb_raw_image_track_info_get_audio_has_preemphasis(t));
        rb_raw_image_creator_free(c);

        /* The audio properties are for audio tracks. */
        c = creator();
        int fd = stream_fd(300, 2048, 1, 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE1, fd, NULL), 0);
        close(fd);
        t = info(c, 1);
        assert_int_equal(rb_raw_image_track_info_get_sector_type(t), RB_CD_SECTOR_MODE1);
        assert_int_equal(rb_raw_image_track_info_set_isrc(t, "USK7Y9812345"), -EINVAL);
        assert_int_equal(
            rb_raw_image_track_info_set_digital_audio_copy_setting(t, RB_CD_COPY_PERMITTED),
            -EINVAL);
        assert_int_equal(rb_raw_image_track_info_set_audio_has_preemphasis(t, true), -EINVAL);
        rb_raw_image_creator_free(c);
}

static void test_track_indexes(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        int32_t offsets[RB_MAX_INDEX];

        assert_int_equal(add_audio(c, 1200, 1), 1);
        rb_raw_image_track_info_t *t = info(c, 1);
        assert_int_equal(rb_raw_image_track_info_get_track_indexes(t, offsets), 1);
        assert_int_equal(offsets[0], 0);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 0),
                         RB_S_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 500), 0);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 500),
                         RB_S_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 200), 0);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, -1), -EINVAL);
        /* Ten sectors apart, and ten before the end. */
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 9),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 491),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 509),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 1191),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 5000),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 1190), 0);
        assert_int_equal(rb_raw_image_track_info_get_track_indexes(t, offsets), 4);
        assert_int_equal(offsets[1], 200);
        assert_int_equal(offsets[2], 500);
        assert_int_equal(offsets[3], 1190);

        assert_int_equal(rb_raw_image_track_info_clear_track_index(t, 0),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED);
        assert_int_equal(rb_raw_image_track_info_clear_track_index(t, 300),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_NOT_FOUND);
        assert_int_equal(rb_raw_image_track_info_clear_track_index(t, 200), 0);
        assert_int_equal(rb_raw_image_track_info_clear_track_index(t, 1190), 0);
        assert_int_equal(rb_raw_image_track_info_get_track_indexes(t, offsets), 2);
        assert_int_equal(offsets[1], 500);
        assert_int_equal(rb_raw_image_track_info_clear_track_index(t, 500), 0);

        /* 99 indexes at most: index 1 and 98 more. */
        for (int32_t o = 10; o <= 980; o += 10)
                assert_int_equal(rb_raw_image_track_info_add_track_index(t, o), 0);
        assert_int_equal(rb_raw_image_track_info_get_track_indexes(t, offsets), 99);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 1000),
                         -RB_E_RAW_IMAGE_TOO_MANY_TRACK_INDEXES);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 980),
                         RB_S_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS);
        rb_raw_image_creator_free(c);
}

/* ---- the result ---- */

static void test_read_only(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        int fd = -1;

        assert_int_equal(rb_raw_image_creator_create_result_image(c, &fd),
                         -RB_E_RAW_IMAGE_NO_TRACKS);
        assert_int_equal(rb_raw_image_creator_write_result_image(c, 1, NULL, NULL),
                         -RB_E_RAW_IMAGE_NO_TRACKS);
        assert_int_equal(rb_raw_image_creator_wait_result(c), -EINVAL);
        assert_int_equal(add_audio(c, 1000, 1), 1);
        rb_raw_image_track_info_t *t = info(c, 1);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 100), 0);
        assert_int_equal(rb_raw_image_creator_create_result_image(c, &fd), 0);
        /* The reader leaves early: the writer sees EPIPE, not a signal. */
        uint8_t buf[4096];
        assert_int_equal(read(fd, buf, sizeof buf), (ssize_t)sizeof buf);
        close(fd);
        assert_int_equal(rb_raw_image_creator_wait_result(c), -EPIPE);
        assert_non_null(strstr(rb_raw_image_creator_last_error(c), "writing the image"));

        int ro = -RB_E_RAW_IMAGE_IS_READ_ONLY;
        int in = audio_fd(300, 2), rw = stream_fd(1, 96, 0, 0);
        assert_int_equal(rb_raw_image_creator_create_result_image(c, &fd), ro);
        assert_string_equal(
            rb_raw_image_creator_last_error(c),
            "The image has become read-only from a call to CreateResultImage().  The object "
            "can no longer be modified.");
        assert_int_equal(rb_raw_image_creator_write_result_image(c, 1, NULL, NULL), ro);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, in, NULL), ro);
        assert_int_equal(rb_raw_image_creator_add_special_pregap(c, in), ro);
        assert_int_equal(rb_raw_image_creator_add_subcode_rw_generator(c, rw), ro);
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_RAW), ro);
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 398099), ro);
        assert_int_equal(rb_raw_image_creator_set_disable_gapless_audio(c, true), ro);
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, ""), ro);
        assert_int_equal(rb_raw_image_creator_set_starting_track_number(c, 1), ro);
        assert_int_equal(rb_raw_image_track_info_set_isrc(t, ""), ro);
        assert_int_equal(
            rb_raw_image_track_info_set_digital_audio_copy_setting(t, RB_CD_COPY_PERMITTED), ro);
        assert_int_equal(rb_raw_image_track_info_set_audio_has_preemphasis(t, true), ro);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t, 500), ro);
        assert_int_equal(rb_raw_image_track_info_clear_track_index(t, 100), ro);
        /* What can be read still can. */
        int32_t lba = 0;
        assert_int_equal(rb_raw_image_creator_get_start_of_leadout(c, &lba), 0);
        assert_int_equal(lba, 1000);
        assert_int_equal(rb_raw_image_track_info_get_sector_count(t), 1000);
        close(in);
        close(rw);
        rb_raw_image_creator_free(c);
}

/* Two audio tracks with gaps, an index, MCN, ISRC, copy and pre-emphasis:
 * the image the creator streams equals the one the layout makes from the
 * same bytes, and the inspector reads it back as set. */
static void test_result_equals_layout(void **state)
{
        (void)state;
        char dir[] = "/tmp/rawburn-creator-XXXXXX", path[2][64], err[256];
        int src[2] = {audio_fd(700, 1), stream_fd(400, 2352, 2, 1000)};
        uint64_t size = 0;

        assert_non_null(mkdtemp(dir));
        rb_raw_image_creator_t *c = creator();
        for (int i = 0; i < 2; i++)
                assert_int_equal(
                    rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, src[i], NULL), 0);
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, "4006381333931"), 0);
        assert_int_equal(rb_raw_image_track_info_add_track_index(info(c, 1), 300), 0);
        assert_int_equal(rb_raw_image_track_info_set_digital_audio_copy_setting(
                             info(c, 1), RB_CD_COPY_PERMITTED),
                         0);
        assert_int_equal(rb_raw_image_track_info_set_isrc(info(c, 2), "USABC2600001"), 0);
        assert_int_equal(rb_raw_image_track_info_set_audio_has_preemphasis(info(c, 2), true), 0);
        rb_toc_entry_t toc[RB_RAW_IMAGE_TOC_MAX];
        size_t toc_count = 0;
        assert_int_equal(rb_raw_image_creator_get_expected_table_of_contents(c, toc, &toc_count),
                         0);
        int image = read_result(c, &size);
        rb_raw_image_creator_free(c);

        /* The same tracks through the layout, from files. */
        rb_layout_t l;
        rb_layout_init(&l);
        for (int i = 0; i < 2; i++) {
                snprintf(path[i], sizeof path[i], "%s/%d.pcm", dir, i);
                int out = open(path[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                assert_true(out >= 0);
                copy_fd(src[i], out);
                close(out);
                int f =
                    rb_layout_add_file(&l, path[i], RB_FILE_RAW, RB_LITTLE_ENDIAN, err, sizeof err);
                assert_int_equal(f, i);
                rb_track_t *t = rb_layout_add_track(&l, RB_TRACK_AUDIO);
                t->pause = 150;
                t->length = i == 0 ? 700 : 401;
                rb_segment_t pause = {.file = -1, .sectors = 150, .format = RB_FMT_AUDIO};
                rb_segment_t body = {.file = f,
                                     .sectors = t->length,
                                     .format = RB_FMT_AUDIO,
                                     .short_last = i == 0 ? 0 : 1000};
                assert_int_equal(rb_track_add_segment(t, &pause), 0);
                assert_int_equal(rb_track_add_segment(t, &body), 0);
        }
        strcpy(l.mcn, "4006381333931");
        l.tracks[0].index_count = 2;
        l.tracks[0].index_start[2] = 300;
        l.tracks[0].flags = RB_CTL_COPY_PERMITTED;
        strcpy(l.tracks[1].isrc, "USABC2600001");
        l.tracks[1].flags = RB_CTL_PREEMPHASIS;
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        assert_int_equal(size, rb_layout_image_sectors(&l) * RAW_SECTOR_BYTES);
        rb_toc_entry_t ltoc[102];
        assert_int_equal(rb_layout_toc(&l, ltoc), toc_count);
        assert_memory_equal(ltoc, toc, toc_count * sizeof toc[0]);
        int expected = memfd_create("expected", MFD_CLOEXEC);
        assert_int_equal(rb_image_write(&l, expected, NULL, NULL, err, sizeof err), 0);
        rb_layout_free(&l);

        uint8_t *a = malloc(1 << 20), *b = malloc(1 << 20);
        for (off_t at = 0; at < (off_t)size; at += 1 << 20) {
                ssize_t n = pread(image, a, 1 << 20, at);
                assert_true(n > 0);
                assert_int_equal(pread(expected, b, 1 << 20, at), n);
                assert_memory_equal(a, b, (size_t)n);
        }
        free(a);
        free(b);
        close(expected);

        rb_inspect_t in;
        assert_int_equal(lseek(image, 0, SEEK_SET), 0); /* the inspector reads from here */
        assert_int_equal(
            rb_image_inspect_fd(image, RB_SECTOR_RAW, IMAGE_START, &in, err, sizeof err), 0);
        assert_int_equal(in.track_count, 2);
        assert_int_equal(in.tracks[0].start_lba, 0);
        assert_int_equal(in.tracks[0].index_lba[2], 300);
        assert_int_equal(in.tracks[0].control, RB_CTL_COPY_PERMITTED);
        assert_int_equal(in.tracks[1].pause_lba, 700);
        assert_int_equal(in.tracks[1].start_lba, 850);
        assert_int_equal(in.tracks[1].control, RB_CTL_PREEMPHASIS);
        assert_string_equal(in.tracks[1].isrc, "USABC2600001");
        assert_string_equal(in.mcn, "4006381333931");
        assert_int_equal(in.leadout_lba, 1251);
        assert_int_equal(in.q_crc_errors, 0);
        rb_inspect_free(&in);
        close(image);
        for (int i = 0; i < 2; i++) {
                unlink(path[i]);
                close(src[i]);
        }
        rmdir(dir);
}

/* Gapless: track 2's pregap carries the last 150 sectors of track 1's
 * stream; the special pregap's audio sits before track 1; SCMS alternates
 * the copy bit. */
static void test_result_gapless_pregap(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        int pregap = audio_fd(200, 7), one = audio_fd(600, 1), two = audio_fd(300, 2);
        uint8_t got[RAW_SECTOR_BYTES], want[2352];
        uint64_t size = 0;
        char err[256];

        assert_int_equal(rb_raw_image_creator_add_special_pregap(c, pregap), 0);
        assert_int_equal(rb_raw_image_creator_set_disable_gapless_audio(c, true), 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, one, NULL), 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, two, NULL), 0);
        assert_int_equal(
            rb_raw_image_track_info_set_digital_audio_copy_setting(info(c, 2), RB_CD_COPY_SCMS), 0);
        int image = read_result(c, &size);
        rb_raw_image_creator_free(c);

        /* Pregap sector 0 at LBA -150, track 1 at 50 (= -150 + 200). */
        read_sector(image, -150, RAW_SECTOR_BYTES, got);
        assert_int_equal(pread(pregap, want, sizeof want, 0), (ssize_t)sizeof want);
        assert_memory_equal(got, want, sizeof want);
        read_sector(image, 50, RAW_SECTOR_BYTES, got);
        assert_int_equal(pread(one, want, sizeof want, 0), (ssize_t)sizeof want);
        assert_memory_equal(got, want, sizeof want);
        /* Track 1 is 450 sectors long; its sector 450 opens track 2's pregap. */
        read_sector(image, 500, RAW_SECTOR_BYTES, got);
        assert_int_equal(pread(one, want, sizeof want, 450 * 2352), (ssize_t)sizeof want);
        assert_memory_equal(got, want, sizeof want);
        read_sector(image, 650, RAW_SECTOR_BYTES, got);
        assert_int_equal(pread(two, want, sizeof want, 0), (ssize_t)sizeof want);
        assert_memory_equal(got, want, sizeof want);

        rb_inspect_t in;
        assert_int_equal(lseek(image, 0, SEEK_SET), 0); /* the inspector reads from here */
        assert_int_equal(
            rb_image_inspect_fd(image, RB_SECTOR_RAW, IMAGE_START, &in, err, sizeof err), 0);
        assert_int_equal(in.track_count, 2);
        assert_int_equal(in.tracks[0].start_lba, 50);
        assert_int_equal(in.tracks[1].pause_lba, 500);
        assert_int_equal(in.tracks[1].start_lba, 650);
        assert_int_equal(in.leadout_lba, 950);
        rb_inspect_free(&in);

        /* SCMS: the copy bit of track 2's Q flips every 4 frames (counted from
         * 00:00:00, LBA -150). */
        unsigned set = 0;
        for (int32_t lba = 650; lba < 658; lba++) {
                uint8_t q[12];
                read_sector(image, lba, RAW_SECTOR_BYTES, got);
                rb_subchannel_get(got + 2352, RB_CH_Q, q);
                if ((q[0] >> 4) & RB_CTL_COPY_PERMITTED)
                        set |= 1u << (lba - 650);
        }
        assert_int_equal(set, 0xF0); /* frames 800..803 from 00:00:00 clear, 804..807 set */
        close(image);
        close(pregap);
        close(one);
        close(two);
}

/* Data: Mode 1 from 2048-byte sectors, and the same sectors given as
 * recorded (MODE1RAW, scrambled) make the same image; in cooked form with
 * an R-W generator, every sector carries the generator's bits. */
static void test_result_data(void **state)
{
        (void)state;
        int user = stream_fd(300, 2048, 3, 0);
        uint64_t size = 0, size2 = 0;
        char err[256];

        rb_raw_image_creator_t *c = creator();
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE1, user, NULL), 0);
        int image = read_result(c, &size);
        rb_raw_image_creator_free(c);

        rb_inspect_t in;
        assert_int_equal(lseek(image, 0, SEEK_SET), 0); /* the inspector reads from here */
        assert_int_equal(
            rb_image_inspect_fd(image, RB_SECTOR_RAW, IMAGE_START, &in, err, sizeof err), 0);
        assert_int_equal(in.track_count, 1);
        assert_int_equal(in.tracks[0].data_mode, 1);
        assert_int_equal(in.tracks[0].data_sectors, 300);
        assert_int_equal(in.tracks[0].data_errors, 0);
        rb_inspect_free(&in);

        /* The program area's main channel as recorded. */
        int raw = memfd_create("raw", MFD_CLOEXEC);
        uint8_t sector[RAW_SECTOR_BYTES];
        for (int32_t lba = 0; lba < 300; lba++) {
                read_sector(image, lba, RAW_SECTOR_BYTES, sector);
                assert_int_equal(write(raw, sector, 2352), 2352);
        }
        c = creator();
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE1RAW, raw, NULL), 0);
        int image2 = read_result(c, &size2);
        rb_raw_image_creator_free(c);
        assert_int_equal(size, size2);
        uint8_t *a = malloc(1 << 20), *b = malloc(1 << 20);
        for (off_t at = 0; at < (off_t)size; at += 1 << 20) {
                ssize_t n = pread(image, a, 1 << 20, at);
                assert_int_equal(pread(image2, b, 1 << 20, at), n);
                assert_memory_equal(a, b, (size_t)n);
        }
        free(a);
        free(b);
        close(image2);

        /* R-W from a generator: 96 bytes for each of the image's sectors. */
        uint32_t sectors = (uint32_t)(size / RAW_SECTOR_BYTES);
        int rw = stream_fd(sectors, 96, 5, 0);
        int rw_short = stream_fd(sectors - 1, 96, 5, 0);
        c = creator();
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_MODE1, user, NULL), 0);
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_COOKED), 0);
        assert_int_equal(rb_raw_image_creator_add_subcode_rw_generator(c, rw_short), 0);
        int fd = -1;
        assert_int_equal(rb_raw_image_creator_create_result_image(c, &fd), -EINVAL);
        assert_non_null(strstr(rb_raw_image_creator_last_error(c), "R-W subcode"));
        assert_int_equal(rb_raw_image_creator_add_subcode_rw_generator(c, rw), 0);
        int image3 = read_result(c, &size2);
        rb_raw_image_creator_free(c);
        assert_int_equal(size2, size);
        static const int32_t probe[] = {IMAGE_START, -151, -150, 0, 299, 300, 300 + 6749};
        for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
                uint8_t given[96], plain[RAW_SECTOR_BYTES];
                read_sector(image3, probe[i], RAW_SECTOR_BYTES, sector);
                read_sector(image, probe[i], RAW_SECTOR_BYTES, plain);
                assert_int_equal(
                    pread(rw, given, sizeof given, (off_t)(probe[i] - IMAGE_START) * 96), 96);
                assert_memory_equal(sector, plain, 2352);
                for (int k = 0; k < 96; k++) {
                        assert_int_equal(sector[2352 + k] & 0x3F, given[k] & 0x3F);
                        assert_int_equal(sector[2352 + k] & 0xC0, plain[2352 + k] & 0xC0);
                }
        }
        close(image3);
        close(image);
        close(raw);
        close(rw);
        close(rw_short);
        close(user);
}

static void test_write_result_image(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();
        uint64_t sectors = 0;

        assert_int_equal(add_audio(c, 300, 1), 1);
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_PQ_ONLY), 0);
        int out = memfd_create("out", MFD_CLOEXEC);
        assert_int_equal(rb_raw_image_creator_write_result_image(c, out, NULL, NULL), 0);
        struct stat st;
        assert_int_equal(fstat(out, &st), 0);
        sectors = LEADIN_SECTORS + 150 + 300 + 6750;
        assert_int_equal((uint64_t)st.st_size, sectors * 2368);
        assert_int_equal(rb_raw_image_creator_write_result_image(c, out, NULL, NULL),
                         -RB_E_RAW_IMAGE_IS_READ_ONLY);
        close(out);
        rb_raw_image_creator_free(c);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_errors),
            cmocka_unit_test(test_defaults),
            cmocka_unit_test(test_add_track),
            cmocka_unit_test(test_too_many_tracks),
            cmocka_unit_test(test_leadout_limit),
            cmocka_unit_test(test_gapless),
            cmocka_unit_test(test_media_catalog_number),
            cmocka_unit_test(test_starting_track_number),
            cmocka_unit_test(test_special_pregap),
            cmocka_unit_test(test_resulting_image_type),
            cmocka_unit_test(test_track_info),
            cmocka_unit_test(test_track_indexes),
            cmocka_unit_test(test_read_only),
            cmocka_unit_test(test_result_equals_layout),
            cmocka_unit_test(test_result_gapless_pregap),
            cmocka_unit_test(test_result_data),
            cmocka_unit_test(test_write_result_image),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
