/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Cue sheet code pages. Byte values from the code page tables: CP1252
 * E8h = è, 92h = ’ (U+2019); Shift-JIS 82 A0 = あ (U+3042), 83 65 = テ
 * (U+30C6), 93 FA 96 7B = 日本; UTF-8 from Unicode.
 */
/* cmocka.h needs these first */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include <errno.h>

#include "rawburn/text-charset.h"

static void expect(const char *in, const char *charset, const char *want, const char *want_used)
{
        char *out = NULL, err[256] = "";
        size_t n = 0;
        char used[64] = "";
        assert_int_equal(
            rb_text_to_utf8(in, strlen(in), charset, &out, &n, used, sizeof used, err, sizeof err),
            0);
        assert_string_equal(out, want);
        assert_int_equal(n, strlen(want));
        assert_string_equal(used, want_used);
        free(out);
}

static void test_detect(void **state)
{
        (void)state;
        expect("TITLE \"Premi\xc3\xa8re\"\r\n", NULL, "TITLE \"Premi\xc3\xa8re\"\r\n", "UTF-8");
        expect("\xef\xbb\xbfTITLE \"x\"\n", NULL, "TITLE \"x\"\n", "UTF-8");
        expect("TITLE \"Premi\xe8re\"\nPERFORMER \"Don\x92t\"\n", NULL,
               "TITLE \"Premi\xc3\xa8re\"\nPERFORMER \"Don\xe2\x80\x99t\"\n", "CP1252");
        expect("TITLE \"\x82\xa0\x83\x65\"\n", NULL, "TITLE \"\xe3\x81\x82\xe3\x83\x86\"\n",
               "SHIFT_JIS");
        /* Kanji only, no kana: not enough evidence for Shift-JIS... */
        expect("TITLE \"\x93\xfa\x96\x7b\"\n", NULL,
               "TITLE \"\xe2\x80\x9c\xc3\xba\xe2\x80\x93{\"\n", "CP1252");
        /* ...unless the user says so. */
        expect("TITLE \"\x93\xfa\x96\x7b\"\n", "SHIFT_JIS", "TITLE \"\xe6\x97\xa5\xe6\x9c\xac\"\n",
               "SHIFT_JIS");
        expect("plain ASCII\n", NULL, "plain ASCII\n", "UTF-8");
}

static void expect_n(const char *in, size_t len, const char *want, const char *want_used)
{
        char *out = NULL, err[256] = "", used[64] = "";
        size_t n = 0;
        assert_int_equal(
            rb_text_to_utf8(in, len, NULL, &out, &n, used, sizeof used, err, sizeof err), 0);
        assert_string_equal(out, want);
        assert_string_equal(used, want_used);
        free(out);
}

static void test_utf16_and_detector(void **state)
{
        (void)state;
        /* With a byte-order mark, and by the NUL of every other byte without. */
        expect_n("\xff\xfeT\0I\0 \0\xe9\0\n\0", 12, "TI \xc3\xa9\n", "UTF-16LE");
        expect_n("\xfe\xff\0T\0I\0 \0\xe9\0\n", 12, "TI \xc3\xa9\n", "UTF-16BE");
        expect_n("T\0I\0T\0L\0E\0\n\0", 12, "TITLE\n", "UTF-16LE");
        expect_n("\0T\0I\0T\0L\0E\0\n", 12, "TITLE\n", "UTF-16BE");
        /* Cyrillic CP1251 is no longer read as CP1252 ("Ñóïåð ãðóïïà"). */
        const char *cp1251 = "PERFORMER \"\xd1\xf3\xef\xe5\xf0 \xe3\xf0\xf3\xef\xef\xe0\"\n"
                             "TITLE \"\xc7\xe2\xe5\xe7\xe4\xe0 \xef\xee \xe8\xec\xe5\xed\xe8 "
                             "\xd1\xee\xeb\xed\xf6\xe5\"\n";
        expect(cp1251, NULL, "PERFORMER \"Супер группа\"\nTITLE \"Звезда по имени Солнце\"\n",
               "CP1251");
}

static void test_errors(void **state)
{
        (void)state;
        char *out = NULL, err[256] = "";
        size_t n;
        char used[64];
        /* 81h is unassigned in CP1252: the line is named. */
        const char *bad = "REM\nTITLE \"\x81\"\n";
        assert_int_equal(
            rb_text_to_utf8(bad, strlen(bad), NULL, &out, &n, used, sizeof used, err, sizeof err),
            -EILSEQ);
        assert_string_equal(err, "line 2: byte 81 is not valid CP1252");
        assert_int_equal(rb_text_to_utf8("x", 1, "NO-SUCH-CHARSET", &out, &n, used, sizeof used,
                                         err, sizeof err),
                         -EINVAL);
        assert_non_null(strstr(err, "NO-SUCH-CHARSET"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_detect),
            cmocka_unit_test(test_utf16_and_detector),
            cmocka_unit_test(test_errors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
