/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CD-Text pack building and reading. The expected packs are written out by
 * hand from the pack rules of MMC Annex J as libburn's doc/cdtext.txt
 * summarises them (reference/mmc-raw.md §4.5): strings NUL-terminated (two
 * NULs in double-byte blocks) and run together per pack type, byte 1 = track
 * of the pack's first character, byte 2 = sequence number counted per block,
 * byte 3 = double-byte flag, block and that character's position in its
 * string, and three 8Fh size-information packs closing each block. MS-JIS
 * bytes are those of the Shift-JIS tables (さ = 82B3, Ａ = 8260).
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

#include "rawburn/cdtext.h"

static int build(const rb_cdtext_t *t, unsigned first, unsigned last, rb_cdtext_tab_t tab,
                 uint8_t **packs, size_t *n, unsigned *lossy, char *warn, size_t warnlen)
{
        rb_cdtext_build_opts_t opts = {.tab = tab};
        char err[256] = "";
        if (warn && warnlen)
                warn[0] = 0;
        return rb_cdtext_build(t, first, last, &opts, packs, n, lossy, warn, warnlen, err,
                               sizeof err);
}

static void test_packs_by_hand(void **state)
{
        rb_cdtext_t t = {0};
        uint8_t *packs;
        size_t n;
        unsigned lossy = 99;

        assert_int_equal(rb_cdtext_set(&t, RB_CDTEXT_TITLE, 0, "AB"), 0);
        assert_int_equal(rb_cdtext_set(&t, RB_CDTEXT_TITLE, 1, "C"), 0);
        assert_int_equal(rb_cdtext_set(&t, RB_CDTEXT_TITLE, 2, "DEFGHIJKLMNOP"), 0);
        assert_int_equal(build(&t, 1, 2, RB_CDTEXT_TAB_AUTO, &packs, &n, &lossy, NULL, 0), 0);
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
        assert_int_equal(rb_cdtext_check(packs, n, NULL, 0), 0);
        free(packs);
        rb_cdtext_clear(&t);
}

static void test_latin1_and_round_trip(void **state)
{
        rb_cdtext_t t = {0}, back = {0};
        uint8_t *packs;
        size_t n;
        unsigned lossy = 0, bad = 0;
        char warn[512];

        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 0, "Première");
        rb_cdtext_set(&t, RB_CDTEXT_PERFORMER, 0, "Björk");
        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 1, "Ωmega"); /* Greek: no Latin-1, no Japanese */
        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 2, "Zwei");
        rb_cdtext_set(&t, RB_CDTEXT_MESSAGE, 2, "5 €"); /* no Latin form: '?' */
        assert_int_equal(build(&t, 1, 2, RB_CDTEXT_TAB_AUTO, &packs, &n, &lossy, warn, sizeof warn),
                         0);
        assert_int_equal(lossy, 1);
        /* The warnings name the block, its character code, the track and field. */
        assert_non_null(strstr(warn, "warning: CD-Text block 0 (English, ISO-8859-1) cannot hold "
                                     "all of the text: transliterated track 01 TITLE \"Ωmega\" "
                                     "as \"Omega\"\n"));
        assert_non_null(strstr(warn, "1 characters it cannot hold became '?' (in track 02 "
                                     "MESSAGE)"));
        /* è is one byte E8h in the pack. */
        assert_int_equal(packs[4 + 5], 0xE8);
        assert_int_equal(rb_cdtext_parse(packs, n, &back, &bad), 0);
        assert_int_equal(bad, 0);
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_TITLE, 0), "Première");
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_TITLE, 1), "Omega");
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_MESSAGE, 2), "5 ?");
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_TITLE, 2), "Zwei");
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_PERFORMER, 0), "Björk");
        assert_null(rb_cdtext_get(&back, 0, RB_CDTEXT_PERFORMER, 1));
        assert_int_equal(rb_cdtext_block_get(&back, 0)->language, RB_CDTEXT_LANGUAGE_ENGLISH);
        assert_int_equal(rb_cdtext_block_get(&back, 0)->charset, RB_CDTEXT_CHARSET_ISO8859_1);
        packs[5] ^= 1;
        assert_int_equal(rb_cdtext_parse(packs, n, &back, &bad), 0);
        assert_int_equal(bad, 1);
        free(packs);
        rb_cdtext_clear(&t);
        rb_cdtext_clear(&back);
}

static void test_ms_jis(void **state)
{
        rb_cdtext_t t = {0}, back = {0};
        uint8_t *packs;
        size_t n;
        unsigned lossy = 0;

        /* Japanese script and no language given: MS-JIS, language Japanese. */
        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 0, "さくら");
        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 1, "AB");
        rb_cdtext_set(&t, RB_CDTEXT_UPC_ISRC, 1, "JPABC0000001");
        assert_int_equal(build(&t, 1, 1, RB_CDTEXT_TAB_AUTO, &packs, &n, &lossy, NULL, 0), 0);
        assert_int_equal(lossy, 0);
        /* さくら\0\0 Ａ Ｂ \0\0: 12 bytes, one pack, double-byte flag set. */
        static const uint8_t title[16] = {0x80, 0x00, 0x00, 0x80, 0x82, 0xB3, 0x82, 0xAD,
                                          0x82, 0xE7, 0,    0,    0x82, 0x60, 0x82, 0x61};
        assert_memory_equal(packs, title, 16);
        /* The terminator of track 1's title opens the next pack: track 1, 2 characters before. */
        static const uint8_t title2[6] = {0x80, 0x01, 0x01, 0x82, 0, 0};
        assert_memory_equal(packs + 18, title2, 6);
        /* ISRCs are single-byte ASCII even in an MS-JIS block: no double-byte flag. */
        assert_int_equal(packs[36], 0x8E);
        assert_int_equal(packs[36 + 3], 0x00);
        const uint8_t *size0 = packs + 18 * (n - 3);
        assert_int_equal(size0[4], RB_CDTEXT_CHARSET_MS_JIS);
        assert_int_equal(packs[18 * (n - 1) + 4 + 4], RB_CDTEXT_LANGUAGE_JAPANESE);
        assert_int_equal(rb_cdtext_check(packs, n, NULL, 0), 0);
        assert_int_equal(rb_cdtext_parse(packs, n, &back, NULL), 0);
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_TITLE, 0), "さくら");
        /* ASCII goes full-width in a double-byte block, and comes back so. */
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_TITLE, 1), "ＡＢ");
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_UPC_ISRC, 1), "JPABC0000001");
        assert_int_equal(rb_cdtext_block_get(&back, 0)->charset, RB_CDTEXT_CHARSET_MS_JIS);
        free(packs);
        /* A character Shift-JIS lacks: ？ and a warning. */
        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 1, "A\xF0\x9F\x8E\xB5"); /* 🎵 */
        char warn[256];
        assert_int_equal(build(&t, 1, 1, RB_CDTEXT_TAB_AUTO, &packs, &n, &lossy, warn, sizeof warn),
                         0);
        assert_int_equal(lossy, 1);
        assert_non_null(strstr(warn, "block 0 (Japanese, MS-JIS)"));
        assert_non_null(strstr(warn, "track 01 TITLE"));
        assert_int_equal(rb_cdtext_parse(packs, n, &back, NULL), 0);
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_TITLE, 1), "Ａ？");
        free(packs);
        rb_cdtext_clear(&t);
        rb_cdtext_clear(&back);
}

static void test_two_blocks(void **state)
{
        rb_cdtext_t t = {0}, back = {0};
        uint8_t *packs;
        size_t n;

        rb_cdtext_set_block(&t, 0, RB_CDTEXT_TITLE, 0, "Summer");
        rb_cdtext_set_block(&t, 0, RB_CDTEXT_TITLE, 1, "Rain");
        rb_cdtext_set_block(&t, 1, RB_CDTEXT_TITLE, 0, "Été");
        rb_cdtext_set_block(&t, 1, RB_CDTEXT_TITLE, 1, "Pluie");
        rb_cdtext_block(&t, 1)->language = RB_CDTEXT_LANGUAGE_FRENCH;
        assert_int_equal(rb_cdtext_block_count(&t), 2);
        assert_int_equal(build(&t, 1, 1, RB_CDTEXT_TAB_AUTO, &packs, &n, NULL, NULL, 0), 0);
        /* Block 0: 1 title pack + 3 size packs; block 1 the same, numbered from 0 again. */
        assert_int_equal(n, 8);
        assert_int_equal(packs[18 * 4 + 2], 0);
        assert_int_equal(packs[18 * 4 + 3], 0x10);
        for (int k = 0; k < 2; k++) {
                const uint8_t *s1 = packs + 18 * (4 * k + 2), *s2 = packs + 18 * (4 * k + 3);
                /* Both blocks' last sequence numbers (3, 3) and languages (09h, 0Fh). */
                assert_int_equal(s1[4 + 8], 3);
                assert_int_equal(s1[4 + 9], 3);
                assert_int_equal(s2[4 + 4], 0x09);
                assert_int_equal(s2[4 + 5], 0x0F);
        }
        char why[256];
        assert_int_equal(rb_cdtext_check(packs, n, why, sizeof why), 0);
        assert_int_equal(rb_cdtext_parse(packs, n, &back, NULL), 0);
        assert_string_equal(rb_cdtext_get(&back, 1, RB_CDTEXT_TITLE, 0), "Été");
        assert_string_equal(rb_cdtext_get(&back, 1, RB_CDTEXT_TITLE, 1), "Pluie");
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_TITLE, 1), "Rain");
        assert_int_equal(rb_cdtext_block_get(&back, 1)->language, RB_CDTEXT_LANGUAGE_FRENCH);
        /* A wrong count in the size information is found. */
        packs[18 * 1 + 4 + 4] = 2;
        rb_cdtext_pack_set_crc(packs + 18 * 1);
        assert_int_equal(rb_cdtext_check(packs, n, why, sizeof why), 1);
        assert_non_null(strstr(why, "block 0: size information gives 2 packs of type 80h"));
        free(packs);
        /* A block after a gap is refused. */
        rb_cdtext_clear(&t);
        rb_cdtext_set_block(&t, 1, RB_CDTEXT_TITLE, 0, "x");
        assert_int_equal(build(&t, 1, 1, RB_CDTEXT_TAB_AUTO, &packs, &n, NULL, NULL, 0), -EINVAL);
        rb_cdtext_clear(&t);
        rb_cdtext_clear(&back);
}

static void test_tab_and_limit(void **state)
{
        rb_cdtext_t t = {0}, back = {0};
        uint8_t *packs;
        size_t n;

        rb_cdtext_set(&t, RB_CDTEXT_PERFORMER, 0, "Band");
        rb_cdtext_set(&t, RB_CDTEXT_PERFORMER, 1, "Singer");
        rb_cdtext_set(&t, RB_CDTEXT_PERFORMER, 2, "Singer");
        /* AUTO: it fits, so no TAB. */
        assert_int_equal(build(&t, 1, 2, RB_CDTEXT_TAB_AUTO, &packs, &n, NULL, NULL, 0), 0);
        assert_null(memchr(packs + 4, '\t', 12));
        free(packs);
        /* ALWAYS: track 2 repeats track 1 as a TAB. */
        assert_int_equal(build(&t, 1, 2, RB_CDTEXT_TAB_ALWAYS, &packs, &n, NULL, NULL, 0), 0);
        static const uint8_t p0[16] = {0x81, 0,   0,   0,   'B', 'a', 'n', 'd',
                                       0,    'S', 'i', 'n', 'g', 'e', 'r', 0};
        assert_memory_equal(packs, p0, 16);
        assert_int_equal(packs[18 + 1], 2);
        assert_int_equal(packs[18 + 4], '\t');
        assert_int_equal(packs[18 + 5], 0);
        assert_int_equal(rb_cdtext_parse(packs, n, &back, NULL), 0);
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_PERFORMER, 2), "Singer");
        free(packs);
        rb_cdtext_clear(&t);

        /* 99 tracks with the same 40-character performer: over 256 packs
         * without TAB, so AUTO writes TABs; NEVER fails with the reason. */
        char s[64];
        for (unsigned i = 0; i <= 99; i++) {
                snprintf(s, sizeof s, "T%02u", i);
                rb_cdtext_set(&t, RB_CDTEXT_TITLE, i, s);
                rb_cdtext_set(&t, RB_CDTEXT_PERFORMER, i,
                              "The Same Performer On Every Single Track");
        }
        char err[256] = "";
        rb_cdtext_build_opts_t never = {.tab = RB_CDTEXT_TAB_NEVER};
        assert_int_equal(
            rb_cdtext_build(&t, 1, 99, &never, &packs, &n, NULL, NULL, 0, err, sizeof err), -E2BIG);
        assert_non_null(strstr(err, "CD-Text block 0 (English) needs more than the 256 packs"));
        assert_int_equal(build(&t, 1, 99, RB_CDTEXT_TAB_AUTO, &packs, &n, NULL, NULL, 0), 0);
        assert_true(n <= 256);
        assert_int_equal(rb_cdtext_parse(packs, n, &back, NULL), 0);
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_PERFORMER, 99),
                            "The Same Performer On Every Single Track");
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_TITLE, 57), "T57");
        free(packs);
        /* Different performers too: no way to fit. */
        for (unsigned i = 1; i <= 99; i++) {
                snprintf(s, sizeof s, "Performer number %02u with a long name, too", i);
                rb_cdtext_set(&t, RB_CDTEXT_PERFORMER, i, s);
        }
        assert_int_equal(build(&t, 1, 99, RB_CDTEXT_TAB_AUTO, &packs, &n, NULL, NULL, 0), -E2BIG);
        rb_cdtext_clear(&t);
        rb_cdtext_clear(&back);
}

static void test_genre_and_names(void **state)
{
        rb_cdtext_t t = {0}, back = {0};
        uint8_t *packs;
        size_t n;

        assert_int_equal(rb_cdtext_genre_from_name("Rock"), 0x17);
        assert_int_equal(rb_cdtext_genre_from_name("rhythm & blues"), 0x18);
        assert_int_equal(rb_cdtext_genre_from_name("0x001b"), 0x1B);
        assert_int_equal(rb_cdtext_genre_from_name("Vaporwave"), -1);
        assert_int_equal(rb_cdtext_language_from_name("EN"), 0x09);
        assert_int_equal(rb_cdtext_language_from_name("Japanese"), 0x69);
        assert_int_equal(rb_cdtext_language_from_name("de"), 0x08);
        assert_int_equal(rb_cdtext_language_from_name("105"), 0x69);
        assert_int_equal(rb_cdtext_language_from_name("Klingon"), -1);

        rb_cdtext_block(&t, 0)->genre = 0x17;
        rb_cdtext_set(&t, RB_CDTEXT_GENRE, 0, "Rock");
        rb_cdtext_set(&t, RB_CDTEXT_DISC_ID, 0, "XY12345");
        assert_int_equal(build(&t, 1, 3, RB_CDTEXT_TAB_AUTO, &packs, &n, NULL, NULL, 0), 0);
        static const uint8_t disc_id[16] = {0x86, 0, 0, 0, 'X', 'Y', '1', '2', '3', '4', '5', 0};
        static const uint8_t genre[16] = {0x87, 0, 1, 0, 0x00, 0x17, 'R', 'o', 'c', 'k', 0};
        assert_memory_equal(packs, disc_id, 16);
        assert_memory_equal(packs + 18, genre, 16);
        assert_int_equal(n, 5);
        assert_int_equal(rb_cdtext_parse(packs, n, &back, NULL), 0);
        assert_int_equal(rb_cdtext_block_get(&back, 0)->genre, 0x17);
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_GENRE, 0), "Rock");
        assert_string_equal(rb_cdtext_get(&back, 0, RB_CDTEXT_DISC_ID, 0), "XY12345");
        free(packs);
        rb_cdtext_clear(&t);
        rb_cdtext_clear(&back);
}

/* Sony's TOC example (libburn doc/cdtext.txt): 14 tracks, lead-out 63:02:18. */
static void test_toc_info(void **state)
{
        rb_cdtext_t t = {0};
        rb_cdtext_toc_t toc = {.first = 1, .last = 14, .leadout = {63, 2, 18}};
        static const rb_msf_t starts[15] = {
            {0, 0, 0},  {0, 2, 0},  {4, 11, 25}, {8, 2, 50},   {11, 47, 62},
            {15, 0, 0}, {20, 0, 0}, {25, 0, 0},  {30, 0, 0},   {35, 0, 0},
            {40, 0, 0}, {45, 0, 0}, {50, 0, 0},  {53, 24, 25}, {57, 3, 25},
        };
        memcpy(toc.start, starts, sizeof starts);
        rb_cdtext_build_opts_t opts = {.toc = &toc};
        uint8_t *packs;
        size_t n;
        char err[128];

        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 0, "T");
        assert_int_equal(
            rb_cdtext_build(&t, 1, 14, &opts, &packs, &n, NULL, NULL, 0, err, sizeof err), 0);
        /* Titles: "T" + 14 empty strings = 16 bytes, 2 packs; then 88h. */
        const uint8_t *p = packs + 18 * 2;
        static const uint8_t first[16] = {0x88, 0x00, 0x02, 0x00, 0x01, 0x0e, 0x00, 0x3f,
                                          0x02, 0x12, 0,    0,    0,    0,    0,    0};
        static const uint8_t second[16] = {0x88, 0x01, 0x03, 0x00, 0x00, 0x02, 0x00, 0x04,
                                           0x0b, 0x19, 0x08, 0x02, 0x32, 0x0b, 0x2f, 0x3e};
        static const uint8_t last[16] = {0x88, 0x0d, 0x06, 0x00, 0x35, 0x18, 0x19, 0x39,
                                         0x03, 0x19, 0,    0,    0,    0,    0,    0};
        assert_memory_equal(p, first, 16);
        assert_memory_equal(p + 18, second, 16);
        assert_memory_equal(p + 18 * 4, last, 16);
        assert_int_equal(packs[18 * (n - 2) + 4], 5); /* five 88h packs (info byte 12) */
        assert_int_equal(rb_cdtext_check(packs, n, NULL, 0), 0);
        free(packs);
        rb_cdtext_clear(&t);
}

static void test_parse_garbage(void **state)
{
        uint8_t packs[18 * 64];
        rb_cdtext_t t = {0};
        unsigned seed = 1;
        for (int round = 0; round < 200; round++) {
                for (size_t i = 0; i < sizeof packs; i++) {
                        seed = seed * 1103515245u + 12345u;
                        packs[i] = (uint8_t)(seed >> 16);
                }
                for (int i = 0; i < 64; i++) {
                        packs[18 * i] |= 0x80;
                        rb_cdtext_pack_set_crc(packs + 18 * i);
                }
                assert_int_equal(rb_cdtext_parse(packs, 64, &t, NULL), 0);
                (void)rb_cdtext_check(packs, 64, NULL, 0);
        }
        rb_cdtext_clear(&t);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_packs_by_hand), cmocka_unit_test(test_latin1_and_round_trip),
            cmocka_unit_test(test_ms_jis),        cmocka_unit_test(test_two_blocks),
            cmocka_unit_test(test_tab_and_limit), cmocka_unit_test(test_genre_and_names),
            cmocka_unit_test(test_toc_info),      cmocka_unit_test(test_parse_garbage),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
