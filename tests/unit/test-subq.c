/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Q subchannel vectors. The A0 lead-in entry with its CRC E3 74 comes from the
 * TEST_CRC comment in cdrkit wodim/subchan.c (read from a real disc); the
 * others are laid out by hand from the Red Book field rules. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "rawburn/crc.h"
#include "rawburn/subq.h"

static void test_crc_real_disc_vector(void **state)
{
        static const uint8_t q[10] = {0x01, 0x00, 0xA0, 0x98, 0x06, 0x12, 0x00, 0x01, 0x00, 0x00};

        assert_int_equal((uint16_t)~rb_crc16_ccitt(q, sizeof q), 0xE374);
        /* CRC-16/XMODEM check value for "123456789" (same polynomial, init 0). */
        assert_int_equal(rb_crc16_ccitt((const uint8_t *)"123456789", 9), 0x31C3);
}

static void test_encode_leadin_a0(void **state)
{
        static const uint8_t expect[12] = {0x01, 0x00, 0xA0, 0x98, 0x06, 0x12,
                                           0x00, 0x01, 0x00, 0x00, 0xE3, 0x74};
        rb_subq_t q = {.kind = RB_SUBQ_LEADIN_TOC,
                       .toc = {.point = RB_Q_POINT_FIRST_TRACK,
                               .running = {98, 6, 12},
                               .p = {1, RB_DISC_TYPE_CDDA_CDROM, 0}}};
        uint8_t out[12];

        assert_int_equal(rb_subq_encode(&q, out), 0);
        assert_memory_equal(out, expect, 12);
        assert_true(rb_subq_crc_ok(out));

        rb_subq_t back;
        assert_int_equal(rb_subq_decode(out, &back), 0);
        assert_int_equal(back.kind, RB_SUBQ_LEADIN_TOC);
        assert_int_equal(back.toc.point, 0xA0);
        assert_int_equal(back.toc.running.m, 98);
        assert_int_equal(back.toc.p.m, 1);
}

static void test_position_and_leadout(void **state)
{
        /* Track 2, index 1, data + copy permitted, rel 00:01:02, abs 12:34:56. */
        rb_subq_t q = {.kind = RB_SUBQ_POSITION,
                       .control = RB_CTL_DATA | RB_CTL_COPY_PERMITTED,
                       .position = {.tno = 2, .index = 1, .rel = {0, 1, 2}, .abs = {12, 34, 56}}};
        uint8_t out[12];

        assert_int_equal(rb_subq_encode(&q, out), 0);
        static const uint8_t head[10] = {0x61, 0x02, 0x01, 0x00, 0x01, 0x02, 0x00, 0x12, 0x34, 0x56};
        assert_memory_equal(out, head, 10);
        assert_true(rb_subq_crc_ok(out));

        q.control = 0;
        q.position.tno = RB_Q_TNO_LEADOUT;
        assert_int_equal(rb_subq_encode(&q, out), 0);
        assert_int_equal(out[0], 0x01);
        assert_int_equal(out[1], 0xAA);
        rb_subq_t back;
        assert_int_equal(rb_subq_decode(out, &back), 0);
        assert_int_equal(back.kind, RB_SUBQ_POSITION);
        assert_int_equal(back.position.tno, 0xAA);
        assert_int_equal(back.position.abs.f, 56);
}

static void test_mcn(void **state)
{
        rb_subq_t q = {.kind = RB_SUBQ_MCN, .mcn = {.digits = "0123456789012", .aframe = 42}};
        static const uint8_t head[10] = {0x02, 0x01, 0x23, 0x45, 0x67, 0x89, 0x01, 0x20, 0x00, 0x42};
        uint8_t out[12];

        assert_int_equal(rb_subq_encode(&q, out), 0);
        assert_memory_equal(out, head, 10);
        rb_subq_t back;
        assert_int_equal(rb_subq_decode(out, &back), 0);
        assert_int_equal(back.kind, RB_SUBQ_MCN);
        assert_string_equal(back.mcn.digits, "0123456789012");
        assert_int_equal(back.mcn.aframe, 42);

        strcpy(q.mcn.digits, "01234567890A2");
        assert_int_equal(rb_subq_encode(&q, out), -EINVAL);
}

static void test_isrc(void **state)
{
        /* U=0x25 S=0x23 R=0x22 C=0x13 1=0x01 → 100101 100011 100010 010011 000001 00. */
        rb_subq_t q = {.kind = RB_SUBQ_ISRC, .isrc = {.code = "USRC17607839", .aframe = 7}};
        static const uint8_t head[10] = {0x03, 0x96, 0x38, 0x93, 0x04, 0x76, 0x07, 0x83, 0x90, 0x07};
        uint8_t out[12];

        assert_int_equal(rb_subq_encode(&q, out), 0);
        assert_memory_equal(out, head, 10);
        rb_subq_t back;
        assert_int_equal(rb_subq_decode(out, &back), 0);
        assert_int_equal(back.kind, RB_SUBQ_ISRC);
        assert_string_equal(back.isrc.code, "USRC17607839");

        strcpy(q.isrc.code, "us-RC1760783");
        assert_int_equal(rb_subq_encode(&q, out), -EINVAL);
        strcpy(q.isrc.code, "USRC1760783"); /* 11 characters */
        assert_int_equal(rb_subq_encode(&q, out), -EINVAL);
}

static void test_bad_input(void **state)
{
        uint8_t bad[12] = {0x01, 0x05, 0x01, 0x00, 0x7F, 0x00, 0x00, 0x00, 0x02, 0x00};
        rb_subq_t q;

        rb_subq_set_crc(bad);
        assert_int_equal(rb_subq_decode(bad, &q), -EBADMSG); /* 0x7F is no BCD second */
        bad[4] = 0x00;
        rb_subq_set_crc(bad);
        assert_int_equal(rb_subq_decode(bad, &q), 0);
        bad[11] ^= 1;
        assert_false(rb_subq_crc_ok(bad));

        rb_subq_t big = {.kind = RB_SUBQ_POSITION, .position = {.tno = 100, .index = 1}};
        uint8_t out[12];
        assert_int_equal(rb_subq_encode(&big, out), -EINVAL);
        big.position.tno = 1;
        big.position.rel = (rb_msf_t){0, 60, 0};
        assert_int_equal(rb_subq_encode(&big, out), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_crc_real_disc_vector),
                cmocka_unit_test(test_encode_leadin_a0),
                cmocka_unit_test(test_position_and_leadout),
                cmocka_unit_test(test_mcn),
                cmocka_unit_test(test_isrc),
                cmocka_unit_test(test_bad_input),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
