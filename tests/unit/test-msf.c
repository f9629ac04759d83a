/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MSF/LBA vectors from the MMC rule (LBA = frames - 150, or - 450150 for M >= 90)
 * and from reference/mmc-raw.md §1 (97:26:66 = -11634, 95:00:00 = -22650). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "rawburn/msf.h"

static void assert_msf(rb_msf_t msf, int m, int s, int f)
{
        assert_int_equal(msf.m, m);
        assert_int_equal(msf.s, s);
        assert_int_equal(msf.f, f);
}

static void test_program_area(void **state)
{
        assert_int_equal(rb_msf_to_lba((rb_msf_t){0, 2, 0}), 0);
        assert_int_equal(rb_msf_to_lba((rb_msf_t){0, 0, 0}), -150);
        assert_int_equal(rb_msf_to_lba((rb_msf_t){1, 0, 0}), 4350);
        assert_int_equal(rb_msf_to_lba((rb_msf_t){79, 59, 74}), 359849);
        assert_int_equal(rb_msf_to_lba((rb_msf_t){89, 59, 74}), 404849);
}

static void test_leadin(void **state)
{
        assert_int_equal(rb_msf_to_lba((rb_msf_t){95, 0, 0}), -22650);
        assert_int_equal(rb_msf_to_lba((rb_msf_t){97, 26, 66}), -11634);
        assert_int_equal(rb_msf_to_lba((rb_msf_t){99, 59, 74}), -151);
        assert_int_equal(rb_msf_to_lba((rb_msf_t){90, 0, 0}), -45150);
        assert_int_equal(RB_IMAGE_START_LBA, -22650);
}

static void test_lba_to_msf(void **state)
{
        rb_msf_t msf;

        assert_int_equal(rb_lba_to_msf(0, &msf), 0);
        assert_msf(msf, 0, 2, 0);
        assert_int_equal(rb_lba_to_msf(-150, &msf), 0);
        assert_msf(msf, 0, 0, 0);
        assert_int_equal(rb_lba_to_msf(-1, &msf), 0);
        assert_msf(msf, 0, 1, 74);
        assert_int_equal(rb_lba_to_msf(-151, &msf), 0);
        assert_msf(msf, 99, 59, 74);
        assert_int_equal(rb_lba_to_msf(-22650, &msf), 0);
        assert_msf(msf, 95, 0, 0);
        assert_int_equal(rb_lba_to_msf(-11634, &msf), 0);
        assert_msf(msf, 97, 26, 66);
        assert_int_equal(rb_lba_to_msf(359849, &msf), 0);
        assert_msf(msf, 79, 59, 74);
}

static void test_out_of_range(void **state)
{
        rb_msf_t msf = {1, 2, 3};

        assert_int_equal(rb_lba_to_msf(-45151, &msf), -ERANGE);
        assert_int_equal(rb_lba_to_msf(404850, &msf), -ERANGE);
        assert_msf(msf, 1, 2, 3); /* untouched on error */
        assert_false(rb_msf_valid((rb_msf_t){0, 60, 0}));
        assert_false(rb_msf_valid((rb_msf_t){0, 0, 75}));
        assert_false(rb_msf_valid((rb_msf_t){100, 0, 0}));
        assert_true(rb_msf_valid((rb_msf_t){99, 59, 74}));
}

static void test_round_trip(void **state)
{
        for (int32_t lba = RB_LBA_MIN; lba <= RB_LBA_MAX; lba += 7) {
                rb_msf_t msf;
                assert_int_equal(rb_lba_to_msf(lba, &msf), 0);
                assert_true(rb_msf_valid(msf));
                assert_int_equal(rb_msf_to_lba(msf), lba);
        }
}

static void test_frames_and_bcd(void **state)
{
        assert_msf(rb_frames_to_msf(4500 + 75 + 1), 1, 1, 1);
        assert_int_equal(rb_msf_to_frames((rb_msf_t){74, 0, 0}), 333000);
        assert_int_equal(rb_bcd_encode(0), 0x00);
        assert_int_equal(rb_bcd_encode(59), 0x59);
        assert_int_equal(rb_bcd_encode(99), 0x99);
        assert_int_equal(rb_bcd_decode(0x74), 74);
        assert_int_equal(rb_bcd_decode(0x7A), -EINVAL);
        assert_int_equal(rb_bcd_decode(0xA0), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_program_area), cmocka_unit_test(test_leadin),
                cmocka_unit_test(test_lba_to_msf),   cmocka_unit_test(test_out_of_range),
                cmocka_unit_test(test_round_trip),   cmocka_unit_test(test_frames_and_bcd),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
