/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sony input sheets (.v07t): cdrskin's example sheet (libburn
 * doc/cdtext.txt), several sheets in one file, byte content in the sheet's
 * Text Code, and errors that name the line.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/v07t.h"

static const char nightcats[] = "Input Sheet Version = 0.7T\n"
                                "Text Code           = 8859\n"
                                "Language Code       = English\n"
                                "Album Title         = Joyful Nights\n"
                                "Artist Name         = United Cat Orchestra\n"
                                "Songwriter          = Various Songwriters\n"
                                "Album Message       = For all our fans\n"
                                "Catalog Number      = 1234567890\n"
                                "Genre Code          = Classical\n"
                                "Genre Information   = Feline classic music\n"
                                "Closed Information  = This is not to be shown by CD players\n"
                                "UPC / EAN           = 1234567890123\n"
                                "Text Data Copy Protection = OFF\n"
                                "First Track Number  = 1\n"
                                "Last Track Number   = 2\n"
                                "Track 01 Title      =  Song of Joy\n"
                                "Track 01 Artist     =  Felix and The Purrs\n"
                                "ISRC 01             =  XYBLG1101234\n"
                                "Track 02 Title      =  Humpty Dumpty\r\n"
                                "Track 02 Message    =  \n"
                                "Remarks             =  nothing\n";

static void test_nightcats(void **state)
{
        rb_cdtext_t t = {0};
        unsigned block = 0;
        char err[256] = "";

        assert_int_equal(
            rb_v07t_parse("n.v07t", nightcats, strlen(nightcats), 2, &t, &block, err, sizeof err),
            0);
        assert_int_equal(block, 1);
        const rb_cdtext_block_t *b = rb_cdtext_block_get(&t, 0);
        assert_non_null(b);
        assert_int_equal(b->charset, RB_CDTEXT_CHARSET_ISO8859_1);
        assert_int_equal(b->language, RB_CDTEXT_LANGUAGE_ENGLISH);
        assert_int_equal(b->genre, 0x05);
        assert_false(b->copyright);
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_TITLE, 0), "Joyful Nights");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_PERFORMER, 0), "United Cat Orchestra");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_MESSAGE, 0), "For all our fans");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_DISC_ID, 0), "1234567890");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_GENRE, 0), "Feline classic music");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_CLOSED, 0),
                            "This is not to be shown by CD players");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_UPC_ISRC, 0), "1234567890123");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_TITLE, 1), "Song of Joy");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_UPC_ISRC, 1), "XYBLG1101234");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_TITLE, 2), "Humpty Dumpty");
        assert_null(rb_cdtext_get(&t, 0, RB_CDTEXT_MESSAGE, 2)); /* empty: nothing */
        rb_cdtext_clear(&t);
}

static void test_two_sheets_and_bytes(void **state)
{
        /* A Latin-1 sheet (byte E9 = é) and an MS-JIS one (Shift-JIS bytes). */
        static const char text[] = "Input Sheet Version = 0.7T\n"
                                   "Text Code = 8859\n"
                                   "Album Title = Caf\xe9\n"
                                   "Track 05 Title = Un\n"
                                   "First Track Number = 5\n"
                                   "Input Sheet Version = 0.7T\n"
                                   "Text Code = MS-JIS\n"
                                   "Language Code = Japanese\n"
                                   "Album Title = \x82\xb3\x82\xad\x82\xe7\n"
                                   "Track 01 0x80 = \x88\xea\n";
        rb_cdtext_t t = {0};
        unsigned block = 0;
        char err[256] = "";

        assert_int_equal(
            rb_v07t_parse("two.v07t", text, sizeof text - 1, 1, &t, &block, err, sizeof err), 0);
        assert_int_equal(block, 2);
        /* First Track Number 5 is the disc's track 1. */
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_TITLE, 0), "Café");
        assert_string_equal(rb_cdtext_get(&t, 0, RB_CDTEXT_TITLE, 1), "Un");
        assert_string_equal(rb_cdtext_get(&t, 1, RB_CDTEXT_TITLE, 0), "さくら");
        assert_string_equal(rb_cdtext_get(&t, 1, RB_CDTEXT_TITLE, 1), "一");
        assert_int_equal(rb_cdtext_block_get(&t, 1)->charset, RB_CDTEXT_CHARSET_MS_JIS);
        assert_int_equal(rb_cdtext_block_get(&t, 1)->language, RB_CDTEXT_LANGUAGE_JAPANESE);
        rb_cdtext_clear(&t);
}

static void expect_error(const char *text, unsigned tracks, const char *want)
{
        rb_cdtext_t t = {0};
        unsigned block = 0;
        char err[256] = "";
        assert_true(
            rb_v07t_parse("e.v07t", text, strlen(text), tracks, &t, &block, err, sizeof err) < 0);
        if (strncmp(err, want, strlen(want)) != 0)
                fail_msg("got \"%s\", want \"%s…\"", err, want);
        rb_cdtext_clear(&t);
}

static void test_errors(void **state)
{
        expect_error("Album Title = x\nno equals sign\n", 0,
                     "e.v07t:2: expected \"purpose specifier = content\"");
        expect_error("Album Title = x\nFrobnicate = 1\n", 0,
                     "e.v07t:2: unknown purpose specifier \"Frobnicate\"");
        expect_error("Track 03 Title = x\n", 2, "e.v07t:1: track 3: the disc has tracks 1 to 2");
        expect_error("Track 01 Colour = x\n", 2,
                     "e.v07t:1: unknown track purpose specifier \"Colour\"");
        expect_error("Genre Code = Vaporwave\n", 0, "e.v07t:1: Genre Code \"Vaporwave\"");
        expect_error("Language Code = Klingon\n", 0, "e.v07t:1: Language Code \"Klingon\"");
        expect_error("Text Code = EBCDIC\n", 0, "e.v07t:1: Text Code \"EBCDIC\"");
        expect_error("Text Code = MS-JIS\nAlbum Title = \x82\n", 0,
                     "e.v07t:2: \"\x82\" is not valid MS-JIS");
        expect_error("Input Sheet Version = 0.8\n", 0, "e.v07t:1: Input Sheet Version \"0.8\"");
        expect_error("", 0, "e.v07t:1: no CD-Text");
        static const char nul[] = "Album Title = a\0b\n";
        rb_cdtext_t t = {0};
        unsigned block = 0;
        char err[256] = "";
        assert_int_equal(
            rb_v07t_parse("e.v07t", nul, sizeof nul - 1, 0, &t, &block, err, sizeof err), -EINVAL);
        assert_string_equal(err, "e.v07t:1: NUL byte in the text");
        /* Nine sheets: one too many. */
        char many[9 * 64] = "";
        for (int i = 0; i < 9; i++)
                strcat(many, "Input Sheet Version = 0.7T\nAlbum Title = x\n");
        expect_error(many, 0, "e.v07t:17: more than 8 CD-Text blocks");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_nightcats),
            cmocka_unit_test(test_two_sheets_and_bytes),
            cmocka_unit_test(test_errors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
