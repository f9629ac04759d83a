/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The image creator's own members (raw-image-disc.c): a whole disc loaded
 * from a cue sheet, TOC or file list, IMAPI2's members working on it, the
 * first LBA, the write offset, the layout to edit, and their errors. The
 * image of a loaded disc is compared byte for byte with what the layout
 * path makes of the same sheet.
 */
#include <errno.h>
#include <fcntl.h>
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

#include "rawburn/cue-parser.h"
#include "rawburn/image-writer.h"
#include "rawburn/raw-image-creator.h"

#define SECTOR 2352

static char dir[] = "/tmp/rawburn-disc-XXXXXX";

/* dir/name holding `sectors` sectors of audio, each byte from its place. */
static void write_bin(const char *name, uint32_t sectors, uint8_t seed)
{
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        for (size_t i = 0; i < (size_t)sectors * SECTOR; i++)
                fputc((int)((i * 7 + i / SECTOR + seed) & 0xff), f);
        assert_int_equal(fclose(f), 0);
}

static void write_text(const char *name, const char *text)
{
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        assert_int_equal(fclose(f), 0);
}

static const char *in_dir(const char *name)
{
        static char path[4][128];
        static unsigned next;
        char *p = path[next++ % 4];
        snprintf(p, sizeof path[0], "%s/%s", dir, name);
        return p;
}

static int setup(void **state)
{
        (void)state;
        if (!mkdtemp(dir))
                return -1;
        /* Two tracks in one file: track 2's pause is in the file, track 1
         * has an index 2, track 2 an ISRC, copy permission and pre-emphasis. */
        write_bin("album.bin", 1500, 1);
        write_text("album.cue", "CATALOG 4006381333931\n"
                                "FILE \"album.bin\" BINARY\n"
                                "  TRACK 01 AUDIO\n"
                                "    INDEX 01 00:00:00\n"
                                "    INDEX 02 00:04:00\n"
                                "  TRACK 02 AUDIO\n"
                                "    FLAGS DCP PRE\n"
                                "    ISRC USABC2600001\n"
                                "    INDEX 00 00:10:00\n"
                                "    INDEX 01 00:12:00\n");
        write_text("badmcn.cue", "CATALOG 1234567890120\n"
                                 "FILE \"album.bin\" BINARY\n"
                                 "  TRACK 01 AUDIO\n"
                                 "    INDEX 01 00:00:00\n");
        write_text("missing.cue", "FILE \"nowhere.bin\" BINARY\n"
                                  "  TRACK 01 AUDIO\n"
                                  "    INDEX 01 00:00:00\n");
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        char cmd[160];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

static rb_raw_image_creator_t *creator(void)
{
        rb_raw_image_creator_t *c = NULL;
        assert_int_equal(rb_raw_image_creator_new(&c), 0);
        return c;
}

static rb_raw_image_creator_t *loaded(const char *sheet, char *warn, size_t warnlen)
{
        rb_raw_image_creator_t *c = creator();
        const char *paths[] = {in_dir(sheet)};
        assert_int_equal(rb_raw_image_creator_load(c, paths, 1, NULL, warn, warnlen), 0);
        return c;
}

static rb_raw_image_track_info_t *info(rb_raw_image_creator_t *c, int index)
{
        rb_raw_image_track_info_t *t = NULL;
        assert_int_equal(rb_raw_image_creator_get_track_info(c, index, &t), 0);
        return t;
}

/* The whole of a descriptor, mapped for comparing. */
static uint8_t *map_all(int fd, size_t *size)
{
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        *size = (size_t)st.st_size;
        void *p = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
        assert_true(p != MAP_FAILED);
        return p;
}

static void test_path_is_sheet(void **state)
{
        (void)state;
        assert_true(rb_raw_image_path_is_sheet("a/b.cue"));
        assert_true(rb_raw_image_path_is_sheet("B.TOC"));
        assert_true(rb_raw_image_path_is_sheet("x.ccd"));
        assert_false(rb_raw_image_path_is_sheet("x.wav"));
        assert_false(rb_raw_image_path_is_sheet("cue"));
}

/* What the sheet says, through IMAPI2's getters. */
static void test_load_cue(void **state)
{
        (void)state;
        char warn[512] = "";
        rb_raw_image_creator_t *c = loaded("album.cue", warn, sizeof warn);
        int32_t offsets[RB_MAX_INDEX], lba = 0;

        assert_true(rb_raw_image_creator_is_loaded(c));
        assert_string_equal(warn, "");
        assert_int_equal(rb_raw_image_creator_get_number_of_existing_tracks(c), 2);
        assert_int_equal(rb_raw_image_creator_get_starting_track_number(c), 1);
        assert_string_equal(rb_raw_image_creator_get_media_catalog_number(c), "4006381333931");

        rb_raw_image_track_info_t *t1 = info(c, 1), *t2 = info(c, 2);
        assert_int_equal(rb_raw_image_track_info_get_starting_lba(t1), 0);
        assert_int_equal(rb_raw_image_track_info_get_sector_count(t1), 750); /* to 00:10:00 */
        assert_int_equal(rb_raw_image_track_info_get_starting_lba(t2), 900);
        assert_int_equal(rb_raw_image_track_info_get_sector_count(t2), 600);
        assert_int_equal(rb_raw_image_track_info_get_track_number(t2), 2);
        assert_int_equal(rb_raw_image_track_info_get_sector_type(t2), RB_CD_SECTOR_AUDIO);
        assert_int_equal(rb_raw_image_track_info_get_track_indexes(t1, offsets), 2);
        assert_int_equal(offsets[1], 300);
        assert_string_equal(rb_raw_image_track_info_get_isrc(t1), "");
        assert_string_equal(rb_raw_image_track_info_get_isrc(t2), "USABC2600001");
        assert_int_equal(rb_raw_image_track_info_get_digital_audio_copy_setting(t1),
                         RB_CD_COPY_PROHIBITED);
        assert_int_equal(rb_raw_image_track_info_get_digital_audio_copy_setting(t2),
                         RB_CD_COPY_PERMITTED);
        assert_true(rb_raw_image_track_info_get_audio_has_preemphasis(t2));
        assert_int_equal(rb_raw_image_creator_get_start_of_leadout(c, &lba), 0);
        assert_int_equal(lba, 1500);
        assert_int_equal(rb_raw_image_creator_get_last_used_user_sector_in_image(c, &lba), 0);
        assert_int_equal(lba, 1499);

        rb_toc_entry_t toc[RB_RAW_IMAGE_TOC_MAX];
        size_t n = 0;
        assert_int_equal(rb_raw_image_creator_get_expected_table_of_contents(c, toc, &n), 0);
        assert_int_equal(n, 5); /* 2 tracks, A0, A1, A2 */
        assert_int_equal(toc[1].point, 2);
        assert_int_equal(toc[1].p.s, 14); /* 00:12:00 + 2 s */
        assert_int_equal(toc[4].point, 0xa2);
        assert_int_equal(toc[4].p.s, 22); /* 1500 sectors = 20 s, + 2 */
        rb_raw_image_creator_free(c);
}

/* IMAPI2's setters change a loaded disc: the layout and the image follow. */
static void test_load_then_change(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = loaded("album.cue", NULL, 0);
        rb_raw_image_track_info_t *t1 = info(c, 1), *t2 = info(c, 2);

        assert_int_equal(rb_raw_image_track_info_set_isrc(t1, "GB-AAA-26-00042"), 0);
        assert_int_equal(
            rb_raw_image_track_info_set_digital_audio_copy_setting(t2, RB_CD_COPY_SCMS), 0);
        assert_int_equal(rb_raw_image_track_info_set_audio_has_preemphasis(t2, false), 0);
        assert_int_equal(rb_raw_image_track_info_add_track_index(t2, 100), 0);
        assert_int_equal(rb_raw_image_track_info_clear_track_index(t1, 300), 0);
        /* IMAPI2's rules hold on a loaded disc: the track's end is 600 sectors on. */
        assert_int_equal(rb_raw_image_track_info_add_track_index(t2, 595),
                         -RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX);
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, NULL), 0);
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_COOKED), 0);

        const rb_layout_t *l = rb_raw_image_creator_get_layout(c);
        assert_non_null(l);
        assert_string_equal(l->tracks[0].isrc, "GBAAA2600042");
        assert_int_equal(l->tracks[0].index_count, 1);
        assert_true(l->tracks[1].scms);
        assert_int_equal(l->tracks[1].flags & (RB_CTL_COPY_PERMITTED | RB_CTL_PREEMPHASIS), 0);
        assert_int_equal(l->tracks[1].index_count, 2);
        assert_int_equal(l->tracks[1].index_start[2], 100);
        assert_string_equal(l->mcn, "");
        assert_int_equal(l->sector_type, RB_SECTOR_COOKED);
        assert_int_equal(l->tracks[1].start_lba, 900);
        rb_raw_image_creator_free(c);
}

/* Unchanged, a loaded disc's image is the layout path's, byte for byte. */
static void test_result_equals_layout(void **state)
{
        (void)state;
        char err[256], warn[256] = "";
        size_t a_size = 0, b_size = 0;

        rb_raw_image_creator_t *c = loaded("album.cue", NULL, 0);
        int a = memfd_create("creator", MFD_CLOEXEC);
        assert_int_equal(rb_raw_image_creator_write_result_image(c, a, NULL, NULL), 0);
        rb_write_report_t report = {.offset_dropped_samples = 1};
        assert_int_equal(rb_raw_image_creator_get_write_report(c, &report), 0);
        assert_int_equal(report.offset_dropped_samples, 0);
        rb_raw_image_creator_free(c);

        rb_layout_t l;
        rb_layout_init(&l);
        assert_int_equal(rb_cue_load(in_dir("album.cue"), &l, warn, sizeof warn, err, sizeof err),
                         0);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        int b = memfd_create("layout", MFD_CLOEXEC);
        assert_int_equal(rb_image_write(&l, b, NULL, NULL, err, sizeof err), 0);
        rb_layout_free(&l);

        uint8_t *pa = map_all(a, &a_size), *pb = map_all(b, &b_size);
        assert_int_equal(a_size, b_size);
        assert_int_equal(a_size, (size_t)(22650 + 1500 + 6750) * 2448);
        assert_memory_equal(pa, pb, a_size);
        munmap(pa, a_size);
        munmap(pb, b_size);
        close(a);
        close(b);
}

/* The result stream of a loaded disc outlives its creator. */
static void test_result_stream(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = loaded("album.cue", NULL, 0);
        int fd = -1;
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_PQ_ONLY), 0);
        assert_int_equal(rb_raw_image_creator_create_result_image(c, &fd), 0);
        /* Read-only now; the getters still answer from the result's layout. */
        assert_null(rb_raw_image_creator_edit_layout(c));
        assert_int_equal(rb_raw_image_track_info_get_starting_lba(info(c, 2)), 900);
        const rb_layout_t *l = rb_raw_image_creator_get_layout(c);
        assert_non_null(l);
        assert_int_equal(l->leadout_lba, 1500);
        rb_write_report_t report;
        assert_int_equal(rb_raw_image_creator_get_write_report(c, &report), -EINVAL);
        rb_raw_image_creator_free(c);

        uint8_t buf[65536];
        ssize_t n;
        uint64_t total = 0;
        while ((n = read(fd, buf, sizeof buf)) > 0)
                total += (uint64_t)n;
        assert_int_equal(n, 0);
        assert_int_equal(total, (uint64_t)(22650 + 1500 + 6750) * 2368);
        close(fd);
}

static void test_load_errors(void **state)
{
        (void)state;
        char warn[512] = "";
        const char *album[] = {in_dir("album.cue")}, *missing[] = {in_dir("missing.cue")};

        /* A source that cannot be read: the file named. */
        rb_raw_image_creator_t *c = creator();
        assert_int_equal(rb_raw_image_creator_load(c, missing, 1, NULL, NULL, 0), -ENOENT);
        assert_non_null(strstr(rb_raw_image_creator_last_error(c), "nowhere.bin"));
        assert_false(rb_raw_image_creator_is_loaded(c));
        assert_int_equal(rb_raw_image_creator_load(c, album, 0, NULL, NULL, 0), -EINVAL);
        /* A failed load leaves the creator as it was: it can load again. */
        assert_int_equal(rb_raw_image_creator_load(c, album, 1, NULL, NULL, 0), 0);
        /* Loaded: no second disc, no added tracks, the pauses are the sheet's. */
        assert_int_equal(rb_raw_image_creator_load(c, album, 1, NULL, NULL, 0),
                         -RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED);
        int fd = memfd_create("track", MFD_CLOEXEC);
        assert_int_equal(ftruncate(fd, 300 * SECTOR), 0);
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, NULL),
                         -RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED);
        assert_int_equal(rb_raw_image_creator_add_special_pregap(c, fd),
                         -RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED);
        assert_int_equal(rb_raw_image_creator_set_disable_gapless_audio(c, true), -EINVAL);
        assert_int_equal(rb_raw_image_creator_set_starting_track_number(c, 3),
                         -RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED);
        /* The lead-out limit against the loaded disc's length. */
        assert_int_equal(rb_raw_image_creator_set_start_of_leadout_limit(c, 1499),
                         -RB_E_RAW_IMAGE_INSUFFICIENT_SPACE);
        rb_raw_image_creator_free(c);

        /* Tracks added first, or a starting number: no load. */
        c = creator();
        assert_int_equal(rb_raw_image_creator_add_track(c, RB_CD_SECTOR_AUDIO, fd, NULL), 0);
        assert_int_equal(rb_raw_image_creator_load(c, album, 1, NULL, NULL, 0),
                         -RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED);
        /* A creator of added tracks has no layout to edit, but one to read. */
        assert_null(rb_raw_image_creator_edit_layout(c));
        const rb_layout_t *l = rb_raw_image_creator_get_layout(c);
        assert_non_null(l);
        assert_int_equal(l->track_count, 1);
        rb_raw_image_creator_free(c);
        c = creator();
        assert_int_equal(rb_raw_image_creator_set_starting_track_number(c, 5), 0);
        assert_int_equal(rb_raw_image_creator_load(c, album, 1, NULL, NULL, 0), -EINVAL);
        assert_null(rb_raw_image_creator_get_layout(c)); /* no tracks */
        assert_int_equal(rb_raw_image_creator_get_number_of_existing_tracks(c), 0);
        rb_raw_image_creator_free(c);
        close(fd);

        /* A catalog number whose check digit is wrong is kept, and said. */
        c = loaded("badmcn.cue", warn, sizeof warn);
        assert_non_null(strstr(warn, "1234567890120"));
        assert_non_null(strstr(warn, "check digit should be 8"));
        assert_string_equal(rb_raw_image_creator_get_media_catalog_number(c), "1234567890120");
        /* ... while setting one follows IMAPI2's rule. */
        assert_int_equal(rb_raw_image_creator_set_media_catalog_number(c, "1234567890120"),
                         -EINVAL);
        rb_raw_image_creator_free(c);
}

static void test_first_lba(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = creator();

        assert_int_equal(rb_raw_image_creator_get_first_lba(c), RB_IMAGE_START_LBA);
        assert_int_equal(rb_raw_image_creator_set_first_lba(c, -150), -EINVAL);
        assert_int_equal(rb_raw_image_creator_set_first_lba(c, RB_LBA_MIN - 1), -EINVAL);
        assert_non_null(strstr(rb_raw_image_creator_last_error(c), "lead-in"));
        assert_int_equal(rb_raw_image_creator_set_first_lba(c, -1000), 0);
        assert_int_equal(rb_raw_image_creator_get_first_lba(c), -1000);
        const char *album[] = {in_dir("album.cue")};
        assert_int_equal(rb_raw_image_creator_load(c, album, 1, NULL, NULL, 0), 0);
        int out = memfd_create("out", MFD_CLOEXEC);
        assert_int_equal(rb_raw_image_creator_write_result_image(c, out, NULL, NULL), 0);
        struct stat st;
        assert_int_equal(fstat(out, &st), 0);
        assert_int_equal(st.st_size, (off_t)(1000 + 1500 + 6750) * 2448);
        assert_int_equal(rb_raw_image_creator_set_first_lba(c, -2000),
                         -RB_E_RAW_IMAGE_IS_READ_ONLY);
        close(out);
        rb_raw_image_creator_free(c);
}

/* The write offset moves the audio: the image differs from the unshifted
 * one by exactly that many samples (-30: sent 30 samples late). */
static void test_write_offset(void **state)
{
        (void)state;
        int fd[2];
        uint8_t *map[2];
        size_t size[2];

        for (int i = 0; i < 2; i++) {
                rb_raw_image_creator_t *c = loaded("album.cue", NULL, 0);
                assert_int_equal(rb_raw_image_creator_get_write_offset(c), 0);
                assert_int_equal(rb_raw_image_creator_set_write_offset(c, 88201), -EINVAL);
                assert_int_equal(rb_raw_image_creator_set_write_offset(c, -88201), -EINVAL);
                assert_int_equal(rb_raw_image_creator_set_write_offset(c, i ? -30 : 0), 0);
                assert_int_equal(rb_raw_image_creator_get_layout(c)->write_offset, i ? -30 : 0);
                fd[i] = memfd_create("out", MFD_CLOEXEC);
                assert_int_equal(rb_raw_image_creator_write_result_image(c, fd[i], NULL, NULL), 0);
                rb_write_report_t report;
                assert_int_equal(rb_raw_image_creator_get_write_report(c, &report), 0);
                /* -30: the audio goes 30 samples late, its last 30 past the last
                 * audio sector into the lead-out, off the disc. */
                assert_int_equal(report.offset_dropped_samples, i ? 30 : 0);
                rb_raw_image_creator_free(c);
                map[i] = map_all(fd[i], &size[i]);
        }
        assert_int_equal(size[0], size[1]);
        /* Sector LBA 10's main channel: 30 samples (120 bytes) late. */
        size_t at = (size_t)(22650 + 10) * 2448;
        assert_memory_equal(map[1] + at + 120, map[0] + at, SECTOR - 120);
        assert_memory_not_equal(map[1] + at, map[0] + at, SECTOR);
        for (int i = 0; i < 2; i++) {
                munmap(map[i], size[i]);
                close(fd[i]);
        }
}

/* CD-Text through the layout a loaded disc lends. */
static void test_edit_layout(void **state)
{
        (void)state;
        rb_raw_image_creator_t *c = loaded("album.cue", NULL, 0);
        rb_layout_t *l = rb_raw_image_creator_edit_layout(c);
        assert_non_null(l);
        assert_int_equal(rb_cdtext_set(&l->cdtext, RB_CDTEXT_TITLE, 0, "Album"), 0);
        l->tracks[1].swap_audio = true;
        const rb_layout_t *done = rb_raw_image_creator_get_layout(c);
        assert_non_null(done);
        assert_true(done->cdtext_pack_count > 0);
        /* CD-Text needs R-W: PQ only is refused when the disc is laid out. */
        assert_int_equal(rb_raw_image_creator_set_resulting_image_type(c, RB_SECTOR_PQ_ONLY), 0);
        assert_null(rb_raw_image_creator_get_layout(c));
        assert_non_null(strstr(rb_raw_image_creator_last_error(c), "CD-Text"));
        rb_raw_image_creator_free(c);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_path_is_sheet),    cmocka_unit_test(test_load_cue),
            cmocka_unit_test(test_load_then_change), cmocka_unit_test(test_result_equals_layout),
            cmocka_unit_test(test_result_stream),    cmocka_unit_test(test_load_errors),
            cmocka_unit_test(test_first_lba),        cmocka_unit_test(test_write_offset),
            cmocka_unit_test(test_edit_layout),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
