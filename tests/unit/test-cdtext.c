/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CD-Text pack building. The expected packs are written out by hand from
 * the pack rules of MMC Annex J as libburn's doc/cdtext.txt summarises them
 * (reference/mmc-raw.md §4.5): strings NUL-terminated and run together per
 * pack type, byte 1 = track of the pack's first character, byte 2 = the
 * sequence number, byte 3 = that character's position in its string, and
 * three 8Fh size-information packs closing the block.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/cdtext.h"

static void test_packs_by_hand(void **state)
{
        rb_cdtext_t t = {0};
        uint8_t *packs;
        size_t n;
        unsigned lossy = 99;

        assert_int_equal(rb_cdtext_set(&t, RB_CDTEXT_TITLE, 0, "AB"), 0);
        assert_int_equal(rb_cdtext_set(&t, RB_CDTEXT_TITLE, 1, "C"), 0);
        assert_int_equal(rb_cdtext_set(&t, RB_CDTEXT_TITLE, 2, "DEFGHIJKLMNOP"), 0);
        assert_int_equal(rb_cdtext_build(&t, 1, 2, &packs, &n, &lossy), 0);
        assert_int_equal(n, 5);
        assert_int_equal(lossy, 0);

        static const uint8_t expect[5][16] = {
            {0x80, 0x00, 0x00, 0x00, 'A', 'B', 0, 'C', 0, 'D', 'E', 'F', 'G', 'H', 'I', 'J'},
            {0x80, 0x02, 0x01, 0x07, 'K', 'L', 'M', 'N', 'O', 'P', 0, 0, 0, 0, 0, 0},
            /* charset 00 (ISO-8859-1), tracks 1..2, flags 0, counts of 80h.. */
            {0x8F, 0x00, 0x02, 0x00, 0x00, 0x01, 0x02, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0},
            /* ..counts up to 8Fh = 3, then the last sequence number of block 0 = 4 */
            {0x8F, 0x01, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x04, 0, 0, 0},
            /* language code of block 0: 09h English */
            {0x8F, 0x02, 0x04, 0x00, 0, 0, 0, 0, 0x09, 0, 0, 0, 0, 0, 0, 0},
        };
        for (size_t i = 0; i < n; i++) {
                assert_memory_equal(packs + 18 * i, expect[i], 16);
                assert_true(rb_cdtext_pack_crc_ok(packs + 18 * i));
        }
        free(packs);
        rb_cdtext_clear(&t);
}

static void test_latin1_and_round_trip(void **state)
{
        rb_cdtext_t t = {0}, back = {0};
        uint8_t *packs;
        size_t n;
        unsigned lossy = 0, bad = 0;

        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 0, "Première");
        rb_cdtext_set(&t, RB_CDTEXT_PERFORMER, 0, "Björk");
        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 1, "日本");
        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 2, "Zwei");
        assert_int_equal(rb_cdtext_build(&t, 1, 2, &packs, &n, &lossy), 0);
        assert_int_equal(lossy, 2); /* two characters outside ISO-8859-1 */
        /* é is one byte E9h in the pack. */
        assert_int_equal(packs[4 + 5], 0xE8);
        assert_int_equal(rb_cdtext_parse(packs, n, &back, &bad), 0);
        assert_int_equal(bad, 0);
        assert_string_equal(back.text[RB_CDTEXT_TITLE][0], "Première");
        assert_string_equal(back.text[RB_CDTEXT_TITLE][1], "??");
        assert_string_equal(back.text[RB_CDTEXT_TITLE][2], "Zwei");
        assert_string_equal(back.text[RB_CDTEXT_PERFORMER][0], "Björk");
        assert_null(back.text[RB_CDTEXT_PERFORMER][1]);
        assert_int_equal(back.language, RB_CDTEXT_LANGUAGE_ENGLISH);
        packs[5] ^= 1;
        rb_cdtext_clear(&back);
        assert_int_equal(rb_cdtext_parse(packs, n, &back, &bad), 0);
        assert_int_equal(bad, 1);
        free(packs);
        rb_cdtext_clear(&t);
        rb_cdtext_clear(&back);
}

static void test_too_many_packs(void **state)
{
        rb_cdtext_t t = {0};
        uint8_t *packs = NULL;
        size_t n;
        char s[150];

        memset(s, 'x', sizeof s - 1);
        s[sizeof s - 1] = 0;
        for (unsigned i = 1; i <= 99; i++) {
                rb_cdtext_set(&t, RB_CDTEXT_TITLE, i, s);
                rb_cdtext_set(&t, RB_CDTEXT_PERFORMER, i, s);
        }
        assert_int_equal(rb_cdtext_build(&t, 1, 99, &packs, &n, NULL), -E2BIG);
        assert_null(packs);
        rb_cdtext_clear(&t);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_packs_by_hand),
            cmocka_unit_test(test_latin1_and_round_trip),
            cmocka_unit_test(test_too_many_packs),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
