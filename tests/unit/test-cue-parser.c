/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Cue sheets: what the rippers write, and every kind of bad input giving
 * "file:line: reason". */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/cue-parser.h"

static int parse(const char *text, rb_cue_sheet_t *c, char *err, size_t errlen)
{
        return rb_cue_parse("t.cue", text, strlen(text), c, err, errlen);
}

static void expect_error(const char *text, const char *where, const char *what)
{
        rb_cue_sheet_t c;
        char err[512] = "";
        assert_int_equal(parse(text, &c, err, sizeof err), -EINVAL);
        if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, what))
                fail_msg("got \"%s\", want \"%s…%s\"", err, where, what);
}

static void test_full_sheet(void **state)
{
        rb_cue_sheet_t c;
        char err[512] = "";
        const char *text = "\xEF\xBB\xBFREM GENRE Rock\r\n"
                           "CATALOG 0123456789012\r\n"
                           "PERFORMER \"Some Band\"\r\n"
                           "TITLE \"An Album\"\r\n"
                           "FILE \"disc.bin\" BINARY\r\n"
                           "  TRACK 01 MODE1/2352\r\n"
                           "    INDEX 01 00:00:00\r\n"
                           "  TRACK 02 AUDIO\r\n"
                           "    TITLE \"Song\"\r\n"
                           "    FLAGS DCP PRE\r\n"
                           "    ISRC US-ABC-26-00001\r\n"
                           "    PREGAP 00:02:00\r\n"
                           "    INDEX 01 10:00:00\r\n"
                           "    INDEX 02 11:00:00\r\n"
                           "    POSTGAP 00:01:00\r\n";
        assert_int_equal(parse(text, &c, err, sizeof err), 0);
        assert_int_equal(c.track_count, 2);
        assert_string_equal(c.mcn, "0123456789012");
        assert_int_equal(c.tracks[0].mode, RB_TRACK_MODE1);
        assert_int_equal(c.tracks[0].format, RB_FMT_RAW_SECTOR);
        assert_int_equal(c.tracks[1].flags, RB_CTL_COPY_PERMITTED | RB_CTL_PREEMPHASIS);
        assert_string_equal(c.tracks[1].isrc, "USABC2600001");
        assert_int_equal(c.tracks[1].pregap, 150);
        assert_int_equal(c.tracks[1].postgap, 75);
        assert_int_equal(c.tracks[1].indexes[0].frames, 45000);
        assert_int_equal(c.tracks[1].indexes[1].number, 2);
        assert_string_equal(rb_cdtext_get(&c.cdtext, 0, RB_CDTEXT_TITLE, 0), "An Album");
        assert_string_equal(rb_cdtext_get(&c.cdtext, 0, RB_CDTEXT_TITLE, 2), "Song");
        assert_string_equal(rb_cdtext_get(&c.cdtext, 0, RB_CDTEXT_PERFORMER, 0), "Some Band");
        /* REM GENRE: the CD-Text genre, code from the list, text as written. */
        assert_int_equal(rb_cdtext_block_get(&c.cdtext, 0)->genre, 0x17);
        assert_string_equal(rb_cdtext_get(&c.cdtext, 0, RB_CDTEXT_GENRE, 0), "Rock");
        rb_cue_sheet_free(&c);
}

static void test_rem_lines(void **state)
{
        rb_cue_sheet_t c;
        char err[512] = "";
        /* Any REM is taken, however many words or quotes; REM GENRE outside
         * the list gets "Not Defined" and its text; a track's REM GENRE has
         * no pack. */
        const char *text = "REM COMMENT \"one\" two \"three four five six seven eight nine\n"
                           "REM GENRE Hip Hop\n"
                           "FILE \"a.wav\" WAVE\n"
                           "  TRACK 01 AUDIO\n"
                           "    REM GENRE \"Jazz\"\n"
                           "    INDEX 01 00:00:00\n";
        assert_int_equal(parse(text, &c, err, sizeof err), 0);
        assert_int_equal(rb_cdtext_block_get(&c.cdtext, 0)->genre, 0x0D);
        assert_string_equal(rb_cdtext_get(&c.cdtext, 0, RB_CDTEXT_GENRE, 0), "Hip Hop");
        rb_cue_sheet_free(&c);
        assert_int_equal(parse("REM GENRE \"Vaporwave\"\nFILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n"
                               "    INDEX 01 00:00:00\n",
                               &c, err, sizeof err),
                         0);
        assert_int_equal(rb_cdtext_block_get(&c.cdtext, 0)->genre, RB_CDTEXT_GENRE_NOT_DEFINED);
        assert_string_equal(rb_cdtext_get(&c.cdtext, 0, RB_CDTEXT_GENRE, 0), "Vaporwave");
        rb_cue_sheet_free(&c);
}

static void test_errors(void **state)
{
        expect_error("INDEX 01 00:00:00\n", "t.cue:1:", "INDEX before any TRACK");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:75\n",
                     "t.cue:3:", "frames < 75");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:60:00\n",
                     "t.cue:3:", "seconds must be < 60");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 1:2\n",
                     "t.cue:3:", "is not mm:ss:ff");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:10:00\n"
                     "TRACK 02 AUDIO\nINDEX 01 00:05:00\n",
                     "t.cue:5:", "overlaps track 01");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:10:00\nINDEX 02 00:09:00\n",
                     "t.cue:4:", "is not after INDEX 01");
        expect_error("TRACK 01 AUDIO\n", "t.cue:1:", "TRACK before any FILE");
        expect_error("FILE \"a.ape\" APE\n", "t.cue:1:", "FILE type \"APE\" is not supported");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 00 00:00:00\n",
                     "t.cue:2:", "no INDEX 01");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nTRACK 02 AUDIO\n",
                     "t.cue:3:", "has no INDEX");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nISRC XX\n", "t.cue:3:", "ISRC");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nFROB 1\n",
                     "t.cue:3:", "unknown command");
        expect_error("FILE \"a.wav WAVE\n", "t.cue:1:", "unterminated");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 01 CDI/2352\n", "t.cue:2:", "not supported");
        expect_error("FILE \"a.wav\" WAVE\nTRACK 03 AUDIO\nINDEX 01 00:00:00\nTRACK 05 AUDIO\n",
                     "t.cue:4:", "go up by one");
        expect_error("", "t.cue:0:", "no TRACK");
}

static void test_hundred_tracks(void **state)
{
        char text[20000];
        size_t n = (size_t)snprintf(text, sizeof text, "FILE \"a.bin\" BINARY\n");
        for (int i = 1; i <= 100; i++)
                n +=
                    (size_t)snprintf(text + n, sizeof text - n,
                                     "TRACK %02d AUDIO\nINDEX 01 %02d:00:00\n", i > 99 ? 99 : i, i);
        expect_error(text, "t.cue:", "");
        rb_cue_sheet_t c;
        char err[512];
        assert_int_equal(parse(text, &c, err, sizeof err), -EINVAL);
        assert_non_null(strstr(err, "t.cue:200:"));
}

/* EAC "gaps appended": track 02's INDEX 00 sits at the end of the first file. */
static void test_gaps_appended_layout(void **state)
{
        rb_cue_sheet_t c;
        rb_layout_t l;
        char err[512] = "", warn[512] = "";
        const char *text = "FILE \"01.wav\" BINARY\n"
                           "TRACK 01 AUDIO\n"
                           "INDEX 00 00:00:00\n" /* hidden track one audio: 2 s */
                           "INDEX 01 00:02:00\n"
                           "TRACK 02 AUDIO\n"
                           "INDEX 00 00:08:00\n"
                           "FILE \"02.wav\" BINARY\n"
                           "INDEX 01 00:00:00\n";
        assert_int_equal(parse(text, &c, err, sizeof err), 0);
        rb_layout_init(&l);
        /* Each file: 10 s = 750 sectors of 2352 bytes. */
        assert_int_equal(
            rb_cue_to_layout(&c, ".", 750 * 2352, &l, warn, sizeof warn, err, sizeof err), 0);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        /* Track 1: 150 generated + 150 hidden from the file; 01 runs 00:02:00..00:08:00. */
        assert_int_equal(l.tracks[0].pause, 300);
        assert_int_equal(l.tracks[0].length, 450);
        assert_int_equal(l.tracks[0].start_lba, 150);
        /* Track 2: the last 2 s of file 1 as its pause, then all of file 2. */
        assert_int_equal(l.tracks[1].pause, 150);
        assert_int_equal(l.tracks[1].length, 750);
        assert_int_equal(l.tracks[1].segment_count, 2);
        assert_int_equal(l.tracks[1].segments[0].offset, 600 * 2352);
        assert_int_equal(l.tracks[1].segments[0].sectors, 150);
        assert_int_equal(l.tracks[1].segments[1].offset, 0);
        assert_int_equal(l.leadout_lba, 150 + 450 + 150 + 750);
        rb_layout_free(&l);
        rb_cue_sheet_free(&c);
}

static void test_index_beyond_file(void **state)
{
        rb_cue_sheet_t c;
        rb_layout_t l;
        char err[512] = "";
        const char *text = "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n"
                           "TRACK 02 AUDIO\nINDEX 01 20:00:00\n";
        assert_int_equal(parse(text, &c, err, sizeof err), 0);
        rb_layout_init(&l);
        assert_int_equal(rb_cue_to_layout(&c, ".", 1000 * 2352, &l, NULL, 0, err, sizeof err),
                         -EINVAL);
        assert_non_null(strstr(err, "t.cue:5: INDEX 01 is beyond the end of a.bin"));
        rb_layout_free(&l);
        rb_cue_sheet_free(&c);
}

static void test_missing_file(void **state)
{
        rb_cue_sheet_t c;
        rb_layout_t l;
        char err[512] = "";
        const char *text = "REM x\nFILE \"/nonexistent/rawburn-test.wav\" WAVE\nTRACK 01 AUDIO\n"
                           "INDEX 01 00:00:00\n";
        assert_int_equal(parse(text, &c, err, sizeof err), 0);
        rb_layout_init(&l);
        assert_true(rb_cue_to_layout(&c, ".", 0, &l, NULL, 0, err, sizeof err) < 0);
        assert_non_null(strstr(err,
                               "t.cue:2: not found: /nonexistent/rawburn-test.wav (looked for: "
                               "/nonexistent/rawburn-test.wav, ./rawburn-test.wav)"));
        rb_layout_free(&l);
        rb_cue_sheet_free(&c);
}

/* EAC "leave out" gaps: track 1's PREGAP is silence after the disc's 150-sector
 * pause, and the REM DISCID the ripper computed holds for that layout. */
static void test_track1_pregap_and_discid(void **state)
{
        rb_cue_sheet_t c;
        rb_layout_t l;
        char err[512] = "", warn[512] = "";
        /* Track starts at frames 182 (2 s) and 557 (7 s), lead-out 1007 (13 s):
         * checksum 2 + 7, 11 s, 2 tracks. */
        const char *text = "REM DISCID 09000B02\nFILE \"a.bin\" BINARY\nTRACK 01 AUDIO\n"
                           "PREGAP 00:00:32\nINDEX 01 00:00:00\nTRACK 02 AUDIO\n"
                           "INDEX 01 00:05:00\n";
        assert_int_equal(parse(text, &c, err, sizeof err), 0);
        rb_layout_init(&l);
        assert_int_equal(
            rb_cue_to_layout(&c, ".", 825 * 2352, &l, warn, sizeof warn, err, sizeof err), 0);
        assert_int_equal(l.tracks[0].pause, 182);
        assert_int_equal(l.tracks[0].length, 375);
        assert_string_equal(warn, "");
        rb_layout_free(&l);
        rb_cue_sheet_free(&c);

        /* Read as part of the pause, the same sheet's ID would be 08000A02. */
        text = "REM DISCID 08000A02\nFILE \"a.bin\" BINARY\nTRACK 01 AUDIO\n"
               "PREGAP 00:00:32\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nINDEX 01 00:05:00\n";
        assert_int_equal(parse(text, &c, err, sizeof err), 0);
        rb_layout_init(&l);
        assert_int_equal(
            rb_cue_to_layout(&c, ".", 825 * 2352, &l, warn, sizeof warn, err, sizeof err), 0);
        assert_non_null(strstr(warn, "t.cue:1: REM DISCID 08000A02, but this layout's freedb "
                                     "disc ID is 09000B02"));
        rb_layout_free(&l);
        rb_cue_sheet_free(&c);
}

/* What a later line overrides, and EAC's all-zero "none", is said with the line. */
static void test_overrides_said(void **state)
{
        rb_cue_sheet_t c;
        char err[512] = "";
        const char *text = "CATALOG 0123456789012\nCATALOG 0000000000000\nFILE \"a.bin\" "
                           "BINARY\nTRACK 01 AUDIO\nISRC USABC2600001\nISRC US-ABC-26-00002\n"
                           "INDEX 01 00:00:00\nTRACK 02 AUDIO\nISRC 000000000000\n"
                           "INDEX 01 00:05:00\n";
        assert_int_equal(parse(text, &c, err, sizeof err), 0);
        assert_string_equal(c.mcn, "");
        assert_string_equal(c.tracks[0].isrc, "USABC2600002");
        assert_string_equal(c.tracks[1].isrc, "");
        assert_string_equal(c.warnings,
                            "t.cue:2: a second CATALOG: 0000000000000 replaces 0123456789012\n"
                            "t.cue:2: CATALOG 0000000000000 means none: not burned\n"
                            "t.cue:6: a second ISRC for track 01: USABC2600002 replaces "
                            "USABC2600001\n"
                            "t.cue:9: ISRC 000000000000 means none: not burned\n");
        rb_cue_sheet_free(&c);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_full_sheet),
            cmocka_unit_test(test_rem_lines),
            cmocka_unit_test(test_errors),
            cmocka_unit_test(test_hundred_tracks),
            cmocka_unit_test(test_gaps_appended_layout),
            cmocka_unit_test(test_index_beyond_file),
            cmocka_unit_test(test_missing_file),
            cmocka_unit_test(test_track1_pregap_and_discid),
            cmocka_unit_test(test_overrides_said),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
