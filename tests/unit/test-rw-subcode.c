/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Program-area R-W packs (CD+G). The vectors are derived by hand from the
 * Red Book definition, not from the code under test:
 *  - GF(64) with x^6 + x + 1, alpha = x (0x02), so alpha^6 = alpha + 1 = 0x03.
 *  - Q-parity: Hq = [1 1 1 1; a^3 a^2 a 1]. For symbols 0-1 = (1, 0):
 *    s2 + s3 = 1 and a*s2 + s3 = a^3, so (1 + a) s2 = 1 + a^3 and
 *    s2 = 1 + a + a^2 = 0x07, s3 = a + a^2 = 0x06.
 *  - P-parity: the generator (x+1)(x+a)(x+a^2)(x+a^3) expands to
 *    x^4 + 0x0F x^3 + 0x36 x^2 + 0x3B x + 0x03; a pack whose only non-zero
 *    symbol is symbol 19 (= x^4 after the shift) has the low four
 *    coefficients as P-parity: 0F 36 3B 03.
 *  - Interleave (mmc-raw.md §4.5): swaps 1<->18, 2<->5, 3<->23, then a delay
 *    of (on-disc column & 7) packs.
 * Every pack the encoder makes is also checked against the parity-check
 * matrix evaluated here with a log table built independently.
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

#include "rawburn/rw-subcode.h"

/* alpha^i by repeated multiplication with x, reducing x^6 to x + 1. */
static uint8_t alpha_pow[63];

static void build_alpha(void)
{
        uint8_t v = 1;
        for (int i = 0; i < 63; i++) {
                alpha_pow[i] = v;
                v = (uint8_t)(v << 1);
                if (v & 0x40)
                        v = (uint8_t)((v & 0x3f) ^ 0x03);
        }
}

static int alpha_log(uint8_t v)
{
        for (int i = 0; i < 63; i++)
                if (alpha_pow[i] == v)
                        return i;
        return -1;
}

static uint8_t mul(uint8_t a, uint8_t b)
{
        if (!a || !b)
                return 0;
        return alpha_pow[(alpha_log(a) + alpha_log(b)) % 63];
}

/* Hp row k: sum of s_i * a^(k*(23-i)); Hq likewise over 4 symbols. */
static bool check_matrix_ok(const uint8_t *s, int n, int rows)
{
        for (int k = 0; k < rows; k++) {
                uint8_t sum = 0;
                for (int i = 0; i < n; i++)
                        sum ^= mul(s[i], alpha_pow[(k * (n - 1 - i)) % 63]);
                if (sum)
                        return false;
        }
        return true;
}

static void test_gf64(void **state)
{
        (void)state;
        build_alpha();
        assert_int_equal(alpha_pow[6], 0x03);
        for (unsigned a = 0; a < 64; a++)
                for (unsigned b = 0; b < 64; b++)
                        assert_int_equal(rb_gf64_mul((uint8_t)a, (uint8_t)b),
                                         mul((uint8_t)a, (uint8_t)b));
}

static void test_hand_vectors(void **state)
{
        (void)state;
        uint8_t pack[24] = {1, 0};
        rb_rw_pack_set_parity(pack);
        assert_int_equal(pack[2], 0x07);
        assert_int_equal(pack[3], 0x06);

        uint8_t only19[24] = {0};
        only19[19] = 1;
        rb_rw_pack_set_parity(only19);
        static const uint8_t p[4] = {0x0F, 0x36, 0x3B, 0x03};
        assert_memory_equal(only19 + 20, p, 4);
        assert_int_equal(only19[2], 0);
        assert_int_equal(only19[3], 0);
}

static void test_parity_against_check_matrix(void **state)
{
        (void)state;
        build_alpha();
        srand(3);
        for (int n = 0; n < 2000; n++) {
                uint8_t pack[24];
                for (int i = 0; i < 24; i++)
                        pack[i] = (uint8_t)(rand() & 0x3f);
                rb_rw_pack_set_parity(pack);
                assert_true(check_matrix_ok(pack, 4, 2));
                assert_true(check_matrix_ok(pack, 24, 4));
                assert_true(rb_rw_pack_q_ok(pack));
                assert_true(rb_rw_pack_p_ok(pack));
                /* Any single wrong symbol breaks P (distance 5). */
                int at = rand() % 24;
                pack[at] ^= (uint8_t)(1 + rand() % 63);
                assert_false(rb_rw_pack_p_ok(pack));
                assert_false(check_matrix_ok(pack, 24, 4));
        }
}

/* Where logical symbol `col` of pack 0 lands: (raw pack, raw column). */
static void test_interleave_positions(void **state)
{
        (void)state;
        static const struct {
                unsigned col, raw_pack, raw_col;
        } expect[] = {
            {0, 0, 0},  {1, 2, 18}, {18, 1, 1}, {2, 5, 5}, {5, 2, 2},   {3, 7, 23},
            {23, 3, 3}, {4, 4, 4},  {7, 7, 7},  {8, 0, 8}, {19, 3, 19}, {20, 4, 20},
        };
        for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
                rb_rw_encoder_t e;
                rb_rw_encoder_init(&e);
                uint8_t packs[96] = {0}, zero[96] = {0}, raw[3][96];
                packs[expect[i].col] = 0x2a;
                rb_rw_encode_sector(&e, packs, false, raw[0]);
                rb_rw_encode_sector(&e, zero, false, raw[1]);
                rb_rw_encode_sector(&e, zero, false, raw[2]);
                size_t at = expect[i].raw_pack * 24 + expect[i].raw_col;
                for (size_t k = 0; k < 3 * 96; k++)
                        assert_int_equal(raw[k / 96][k % 96], k == at ? 0x2a : 0);
                assert_int_equal(rb_rw_interleaved_offset(0, expect[i].col), at);
        }
}

static void test_round_trip(void **state)
{
        (void)state;
        enum { SECTORS = 40 };
        static uint8_t logical[SECTORS + 2][96];
        rb_rw_encoder_t e;
        rb_rw_decoder_t d;
        rb_rw_encoder_init(&e);
        rb_rw_decoder_init(&d);
        srand(8);
        for (int s = 0; s < SECTORS; s++)
                for (int i = 0; i < 96; i++)
                        logical[s][i] = (uint8_t)(rand() & 0x3f);
        /* A .cdg pack stores bits 7-6 as junk sometimes: they must not leak. */
        logical[0][5] |= 0xc0;

        int out_sector = 0;
        for (int s = 0; s < SECTORS + 2; s++) {
                uint8_t raw[96], back[96];
                rb_rw_encode_sector(&e, logical[s], true, raw);
                for (int i = 0; i < 96; i++)
                        assert_int_equal(raw[i] & 0xc0, 0);
                if (rb_rw_decode_sector(&d, raw, back)) {
                        for (int j = 0; j < 4; j++) {
                                uint8_t *pk = back + 24 * j;
                                assert_true(rb_rw_pack_q_ok(pk));
                                assert_true(rb_rw_pack_p_ok(pk));
                                assert_true(check_matrix_ok(pk, 24, 4));
                                /* Data symbols come back; parity was added. */
                                assert_int_equal(pk[0], logical[out_sector][24 * j] & 0x3f);
                                assert_int_equal(pk[1], logical[out_sector][24 * j + 1] & 0x3f);
                                for (int i = 4; i < 20; i++)
                                        assert_int_equal(pk[i],
                                                         logical[out_sector][24 * j + i] & 0x3f);
                        }
                        out_sector++;
                }
        }
        assert_int_equal(out_sector, SECTORS);
}

int main(void)
{
        build_alpha();
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_gf64),
            cmocka_unit_test(test_hand_vectors),
            cmocka_unit_test(test_parity_against_check_matrix),
            cmocka_unit_test(test_interleave_positions),
            cmocka_unit_test(test_round_trip),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
