/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * EDC/ECC of data sectors.
 *  - EDC: the check value of "CRC-32/CD-ROM-EDC" in Greg Cook's catalogue of
 *    parametrised CRC algorithms (width 32, poly 0x8001801b, init 0,
 *    reflected in and out, xorout 0, check("123456789") = 0x6ec2edc4).
 *  - RSPC: every P and Q codeword must lie in the code ECMA-130 Annex A
 *    defines by its check matrices H_P and H_Q. The syndromes are computed
 *    here with a plain shift-and-add GF(2^8) multiplication straight from
 *    those matrices, sharing nothing with lib/edc-ecc.c.
 *  - Sector layouts: ECMA-130 §14 (Mode 1) and CD-ROM XA (Mode 2 Form 1/2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/edc-ecc.h"

static uint8_t gmul(uint8_t a, uint8_t b)
{
        uint8_t r = 0;
        while (b) {
                if (b & 1)
                        r ^= a;
                a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1D : 0)); /* x^8+x^4+x^3+x^2+1 */
                b >>= 1;
        }
        return r;
}

static uint8_t gpow(unsigned e)
{
        uint8_t r = 1;
        while (e--)
                r = gmul(r, 2);
        return r;
}

/* Annex A: S(n) is the 16-bit word n of bytes 12.. (1170 words); the
 * MSB and LSB planes are separate codes. */
static uint8_t plane_byte(const uint8_t *s, unsigned word, int plane)
{
        return s[12 + 2 * word + (unsigned)plane];
}

static bool syndromes_zero(const uint8_t *s)
{
        for (int plane = 0; plane < 2; plane++) {
                /* P: V_P = S(43*Mp + Np), Mp = 0..25, check rows 1 and alpha^(25-Mp). */
                for (unsigned np = 0; np < 43; np++) {
                        uint8_t s0 = 0, s1 = 0;
                        for (unsigned mp = 0; mp < 26; mp++) {
                                uint8_t v = plane_byte(s, 43 * mp + np, plane);
                                s0 ^= v;
                                s1 ^= gmul(gpow(25 - mp), v);
                        }
                        if (s0 || s1)
                                return false;
                }
                /* Q: V_Q = S((44*Mq + 43*Nq) mod 1118) for Mq < 43, then S(1118+Nq), S(1144+Nq). */
                for (unsigned nq = 0; nq < 26; nq++) {
                        uint8_t s0 = 0, s1 = 0;
                        for (unsigned mq = 0; mq < 45; mq++) {
                                unsigned w = mq < 43 ? (44 * mq + 43 * nq) % 1118
                                                     : (mq == 43 ? 1118 + nq : 1144 + nq);
                                uint8_t v = plane_byte(s, w, plane);
                                s0 ^= v;
                                s1 ^= gmul(gpow(44 - mq), v);
                        }
                        if (s0 || s1)
                                return false;
                }
        }
        return true;
}

static uint32_t le32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_edc_catalogue_check(void **state)
{
        assert_int_equal(rb_edc_compute((const uint8_t *)"123456789", 9), 0x6EC2EDC4u);
        assert_int_equal(rb_edc_compute((const uint8_t *)"", 0), 0);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
        for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                p[i] = (uint8_t)(seed >> 16);
        }
}

static void test_mode1_layout(void **state)
{
        uint8_t data[2048], s[RB_SECTOR_SIZE];
        static const uint8_t sync[12] = {0,    0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0xff, 0};

        fill(data, sizeof data, 1);
        rb_sector_encode_mode1(s, 16, data); /* LBA 16 = 00:02:16, the ISO 9660 PVD */
        assert_memory_equal(s, sync, 12);
        assert_int_equal(s[12], 0x00);
        assert_int_equal(s[13], 0x02);
        assert_int_equal(s[14], 0x16);
        assert_int_equal(s[15], 0x01);
        assert_memory_equal(s + 16, data, 2048);
        assert_int_equal(le32(s + 2064), rb_edc_compute(s, 2064));
        for (int i = 2068; i < 2076; i++)
                assert_int_equal(s[i], 0);
        assert_true(syndromes_zero(s));
        assert_int_equal(rb_sector_verify(s), RB_SECTOR_OK);
        s[100] ^= 0x01;
        assert_int_not_equal(rb_sector_verify(s), RB_SECTOR_OK);
        assert_false(syndromes_zero(s));
}

static void test_mode1_leadin_header(void **state)
{
        uint8_t data[2048] = {0}, s[RB_SECTOR_SIZE];

        rb_sector_encode_mode1(s, -151, data); /* 99:59:74 */
        assert_int_equal(s[12], 0x99);
        assert_int_equal(s[13], 0x59);
        assert_int_equal(s[14], 0x74);
        assert_true(syndromes_zero(s));
}

static void test_mode1_parity_covers_header(void **state)
{
        uint8_t data[2048] = {0}, a[RB_SECTOR_SIZE], b[RB_SECTOR_SIZE];

        rb_sector_encode_mode1(a, 0, data);
        rb_sector_encode_mode1(b, 1, data);
        /* Different headers give different EDC and parity. */
        assert_memory_not_equal(a + 2064, b + 2064, 4);
        assert_memory_not_equal(a + 2076, b + 2076, 276);
}

static void test_mode2_form1(void **state)
{
        uint8_t data[2336] = {0}, s[RB_SECTOR_SIZE];

        fill(data + 8, 2048, 7);
        data[2] = data[6] = 0x08; /* submode: data, Form 1 */
        rb_sector_encode_mode2_xa(s, 1000, data);
        assert_int_equal(s[15], 2);
        assert_memory_equal(s + 16, data, 8);
        assert_int_equal(le32(s + 2072), rb_edc_compute(s + 16, 2056));
        /* The XA rule: parity as if the header were zero. */
        assert_false(syndromes_zero(s));
        uint8_t z[RB_SECTOR_SIZE];
        memcpy(z, s, sizeof z);
        memset(z + 12, 0, 4);
        assert_true(syndromes_zero(z));
        assert_int_equal(rb_sector_verify(s), RB_SECTOR_OK);
}

static void test_mode2_form2(void **state)
{
        uint8_t data[2336] = {0}, s[RB_SECTOR_SIZE];

        fill(data + 8, 2324, 9);
        data[2] = data[6] = RB_XA_SUBMODE_FORM2;
        rb_sector_encode_mode2_xa(s, 5, data);
        assert_int_equal(le32(s + 2348), rb_edc_compute(s + 16, 2332));
        assert_int_equal(rb_sector_verify(s), RB_SECTOR_OK);
        s[2000] ^= 0x80;
        assert_int_equal(rb_sector_verify(s), RB_SECTOR_EDC_BAD);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_edc_catalogue_check),
            cmocka_unit_test(test_mode1_layout),
            cmocka_unit_test(test_mode1_leadin_header),
            cmocka_unit_test(test_mode1_parity_covers_header),
            cmocka_unit_test(test_mode2_form1),
            cmocka_unit_test(test_mode2_form2),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
