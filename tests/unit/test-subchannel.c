/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* P-W layouts from MMC's Data Block Type descriptions: raw interleaved has P in
 * bit 7 and Q in bit 6 of each byte, Q byte k in bytes 8k..8k+7, MSB first.
 * The CD-Text symbol vector is libburn doc/cookbook.txt's worked example. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "rawburn/subchannel.h"

static void test_q_bit_layout(void **state)
{
        uint8_t q[12] = {0x41, 0x80};
        uint8_t raw[96] = {0};

        rb_subchannel_put(raw, RB_CH_Q, q);
        /* 0x41 = 0100 0001: bits 1 and 7 of the first eight bytes. */
        static const uint8_t first[16] = {0, 0x40, 0, 0, 0, 0, 0, 0x40, 0x40, 0, 0, 0, 0, 0, 0, 0};
        assert_memory_equal(raw, first, 16);
        for (int i = 16; i < 96; i++)
                assert_int_equal(raw[i], 0);

        uint8_t back[12];
        rb_subchannel_get(raw, RB_CH_Q, back);
        assert_memory_equal(back, q, 12);
}

static void test_p_flag(void **state)
{
        uint8_t raw[96];

        memset(raw, 0x3f, sizeof raw);
        assert_false(rb_subchannel_get_p(raw));
        rb_subchannel_set_p(raw, true);
        for (int i = 0; i < 96; i++)
                assert_int_equal(raw[i], 0xbf);
        assert_true(rb_subchannel_get_p(raw));
        raw[0] &= 0x7f; /* one damaged bit does not flip the flag */
        assert_true(rb_subchannel_get_p(raw));
}

static void test_pack_unpack(void **state)
{
        uint8_t packed[96], raw[96], again[96];

        for (int i = 0; i < 96; i++)
                packed[i] = (uint8_t)(i * 37 + 11);
        rb_subchannel_unpack(packed, raw);
        rb_subchannel_pack(raw, again);
        assert_memory_equal(packed, again, 96);

        /* W channel byte 0 = 0xFF sets bit 0 of raw bytes 0..7 only. */
        memset(packed, 0, sizeof packed);
        packed[RB_CH_W * 12] = 0xff;
        rb_subchannel_unpack(packed, raw);
        for (int i = 0; i < 96; i++)
                assert_int_equal(raw[i], i < 8 ? 0x01 : 0x00);
}

static void test_pq16(void **state)
{
        uint8_t q[12] = {0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0xAB, 0xCD};
        uint8_t pq[16], raw[96], back[16];

        rb_pq16_build(q, true, pq);
        assert_memory_equal(pq, q, 12);
        assert_int_equal(pq[12] | pq[13] | pq[14], 0);
        assert_int_equal(pq[15], 0x80);

        rb_pq16_to_raw(pq, raw);
        for (int i = 0; i < 96; i++)
                assert_int_equal(raw[i] & 0x3f, 0); /* R-W generated as zero */
        assert_true(rb_subchannel_get_p(raw));
        rb_pq16_from_raw(raw, back);
        assert_memory_equal(back, pq, 16);
}

static void test_cdtext_symbols(void **state)
{
        uint8_t packs[72] = {0x8F, 0x00, 0x2A, 0x00, 0x01, 0x01};
        uint8_t sym[96], back[72];
        static const uint8_t expect[8] = {0x23, 0x30, 0x00, 0x2A, 0x00, 0x00, 0x04, 0x01};

        rb_cdtext_packs_to_rw(packs, sym);
        assert_memory_equal(sym, expect, 8);
        for (int i = 0; i < 96; i++)
                assert_true(sym[i] < 64);
        rb_cdtext_packs_from_rw(sym, back);
        assert_memory_equal(back, packs, 72);

        uint8_t pack[18] = {0x80, 0x00, 0x00, 0x00, 'H', 'e', 'l', 'l', 'o'};
        rb_cdtext_pack_set_crc(pack);
        assert_true(rb_cdtext_pack_crc_ok(pack));
        pack[5] ^= 0x20;
        assert_false(rb_cdtext_pack_crc_ok(pack));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_q_bit_layout), cmocka_unit_test(test_p_flag),
                cmocka_unit_test(test_pack_unpack),  cmocka_unit_test(test_pq16),
                cmocka_unit_test(test_cdtext_symbols),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
