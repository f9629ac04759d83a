/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cdrdao TOC files: layout from the keywords, and bad input as
 * "file:line: reason" (never a hang: a NUL byte once looped for ever). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/toc-parser.h"

static int parse(const char *text, size_t len, rb_layout_t *l, char *err, size_t errlen)
{
        rb_layout_init(l);
        return rb_toc_parse("t.toc", text, len, ".", 100u * 1000 * 2352, l, NULL, 0, err, errlen);
}

static void test_layout(void **state)
{
        rb_layout_t l;
        char err[512] = "";
        const char *text = "CD_DA\n"
                           "CATALOG \"4006381333931\"\n"
                           "TRACK AUDIO\n"
                           "COPY\n"
                           "ISRC \"USABC2600001\"\n"
                           "CD_TEXT { LANGUAGE 0 { TITLE \"Caf\\351\" } }\n"
                           "FILE \"a.raw\" 0 00:10:00\n"
                           "INDEX 00:05:00\n"
                           "TRACK AUDIO\n"
                           "PRE_EMPHASIS\n"
                           "SILENCE 00:01:00\n"
                           "FILE \"a.raw\" 00:10:00 00:20:00\n"
                           "START 00:03:00\n"
                           "TRACK MODE1\n"
                           "PREGAP 00:02:00\n"
                           "DATAFILE \"d.iso\" #2048 00:05:00\n";
        assert_int_equal(parse(text, strlen(text), &l, err, sizeof err), 0);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        assert_string_equal(l.mcn, "4006381333931");
        assert_int_equal(l.track_count, 3);
        /* Track 1: the implied 2 s, then 10 s of a.raw with index 2 at 5 s. */
        assert_int_equal(l.tracks[0].pause, 150);
        assert_int_equal(l.tracks[0].length, 750);
        assert_int_equal(l.tracks[0].flags, RB_CTL_COPY_PERMITTED);
        assert_int_equal(l.tracks[0].index_count, 2);
        assert_int_equal(l.tracks[0].index_start[2], 375);
        assert_string_equal(l.tracks[0].isrc, "USABC2600001");
        /* Raw samples in a TOC are big-endian. */
        assert_int_equal(l.files[0].order, RB_BIG_ENDIAN);
        /* Track 2: 1 s silence + 20 s from a.raw at 10 s; START at 3 s. */
        assert_int_equal(l.tracks[1].pause, 225);
        assert_int_equal(l.tracks[1].length, 75 + 1500 - 225);
        assert_int_equal(l.tracks[1].segments[1].offset, 750 * 2352);
        /* Track 3: PREGAP 2 s, then 5 s of 2048-byte sectors from byte 2048. */
        assert_int_equal(l.tracks[2].pause, 150);
        assert_int_equal(l.tracks[2].length, 375);
        assert_int_equal(l.tracks[2].segments[1].offset, 2048);
        assert_int_equal(l.tracks[2].segments[1].format, RB_FMT_MODE1);
        /* \351 (octal) is é in ISO-8859-1, the block's character code: it
         * comes out as UTF-8. */
        assert_string_equal(rb_cdtext_get(&l.cdtext, 0, RB_CDTEXT_TITLE, 1), "Caf\xc3\xa9");
        rb_layout_free(&l);
}

/* CD_TEXT in several languages, as cdrdao read-toc writes it (octal escapes in
 * the block's character code, SIZE_INFO, binary GENRE) and as cdrdao 1.2.5
 * does (ENCODING_MS_JIS, UTF-8). */
static void test_cdtext_languages(void **state)
{
        rb_layout_t l;
        char err[512] = "", warn[512] = "";
        const char *text =
            "CD_DA\n"
            "CD_TEXT {\n"
            "  LANGUAGE_MAP {\n    0: 9\n    1 : JA\n    2:FR\n  }\n"
            "  LANGUAGE 0 {\n    TITLE \"Caf\\351\"\n    GENRE { 0, 23, 82, 111, 99, 107,  0}\n"
            "    SIZE_INFO { 0, 1, 1 }\n  }\n"
            "  LANGUAGE 1 {\n    ENCODING_MS_JIS\n    TITLE \"\\202\\263\\202\\255\"\n"
            "    PERFORMER \"山田\"\n  }\n"
            "  LANGUAGE 3 { TITLE \"not mapped\" }\n"
            "}\n"
            "TRACK AUDIO\n"
            "CD_TEXT { LANGUAGE 0 { TITLE \"One\" ISRC \"\" } LANGUAGE 2 { TITLE \"Un\" } }\n"
            "FILE \"a.raw\" 0 00:10:00\n";
        rb_layout_init(&l);
        assert_int_equal(rb_toc_parse("t.toc", text, strlen(text), ".", 100u * 1000 * 2352, &l,
                                      warn, sizeof warn, err, sizeof err),
                         0);
        assert_string_equal(rb_cdtext_get(&l.cdtext, 0, RB_CDTEXT_TITLE, 0), "Café");
        assert_string_equal(rb_cdtext_get(&l.cdtext, 0, RB_CDTEXT_TITLE, 1), "One");
        assert_null(rb_cdtext_get(&l.cdtext, 0, RB_CDTEXT_UPC_ISRC, 1)); /* "" sets nothing */
        assert_int_equal(rb_cdtext_block_get(&l.cdtext, 0)->genre, 0x17);
        assert_string_equal(rb_cdtext_get(&l.cdtext, 0, RB_CDTEXT_GENRE, 0), "Rock");
        assert_int_equal(rb_cdtext_block_get(&l.cdtext, 0)->language, 9);
        assert_string_equal(rb_cdtext_get(&l.cdtext, 1, RB_CDTEXT_TITLE, 0), "さく");
        assert_string_equal(rb_cdtext_get(&l.cdtext, 1, RB_CDTEXT_PERFORMER, 0), "山田");
        assert_int_equal(rb_cdtext_block_get(&l.cdtext, 1)->charset, RB_CDTEXT_CHARSET_MS_JIS);
        assert_int_equal(rb_cdtext_block_get(&l.cdtext, 1)->language, 0x69);
        assert_string_equal(rb_cdtext_get(&l.cdtext, 2, RB_CDTEXT_TITLE, 1), "Un");
        assert_int_equal(rb_cdtext_block_get(&l.cdtext, 2)->language, 0x0F);
        assert_null(rb_cdtext_block_get(&l.cdtext, 3));
        if (!strstr(warn, "t.toc:18: CD-Text language 3 is not in the LANGUAGE_MAP"))
                fail_msg("%s", warn);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        assert_true(l.cdtext_pack_count > 9);
        rb_layout_free(&l);
}

static void expect_error(const char *text, size_t len, const char *where, const char *what)
{
        rb_layout_t l;
        char err[512] = "";
        assert_true(parse(text, len, &l, err, sizeof err) < 0);
        if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, what))
                fail_msg("got \"%s\", want \"%s…%s\"", err, where, what);
        rb_layout_free(&l);
}

static void test_errors(void **state)
{
        static const char nul[] = "CD_DA\nCD_TEXT {\n\0 }";
        expect_error(nul, sizeof nul - 1, "t.toc:3:", "NUL");
        expect_error("TRACK AUDIO\nFROB\n", 17, "t.toc:2:", "unknown keyword \"FROB\"");
        expect_error("CD_DA\nFROB\n", 11, "t.toc:2:", "before the first TRACK");
        expect_error("CATALOG \"123\"\n", 14, "t.toc:1:", "13 digits");
        const char *t1 = "TRACK AUDIO\nFILE \"a\" 0 00:10:00\nINDEX 00:05:00\nINDEX 00:04:00\n";
        expect_error(t1, strlen(t1), "t.toc:4:", "not after");
        const char *t2 = "TRACK AUDIO\nFILE \"a\" 0 00:10:00\nSTART\nSTART 00:01:00\n";
        expect_error(t2, strlen(t2), "t.toc:4:", "second START");
        const char *t3 = "TRACK AUDIO\nFILE \"a\" 0 00:10:75\n";
        expect_error(t3, strlen(t3), "t.toc:2:", "frames < 75");
        const char *t4 = "TRACK MODE1 RW_RAW\n";
        expect_error(t4, strlen(t4), "t.toc:1:", "RW_RAW sub-channel data is taken for AUDIO");
        const char *t5 = "TRACK AUDIO\nFILE \"a\" 0 99:00:00\n";
        expect_error(t5, strlen(t5), "t.toc:2:", "holds");
        const char *t6 = "CD_TEXT { LANGUAGE 0 { TITLE \"x }";
        expect_error(t6, strlen(t6), "t.toc:1:", "unterminated string");
        expect_error("", 0, "t.toc:1:", "no TRACK");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_layout),
            cmocka_unit_test(test_cdtext_languages),
            cmocka_unit_test(test_errors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
