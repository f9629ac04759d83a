/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The first 16 bytes of the ECMA-130 Annex B scrambler sequence as libburn's
 * table ecma_130_annex_b lists them (reference/mmc-raw.md §1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "rawburn/scramble.h"

static void test_annex_b_sequence(void **state)
{
        static const uint8_t expect[16] = {0x01, 0x80, 0x00, 0x60, 0x00, 0x28, 0x00, 0x1E,
                                           0x80, 0x08, 0x60, 0x06, 0xA8, 0x02, 0xFE, 0x81};
        uint8_t sector[RB_SECTOR_SIZE] = {0};

        rb_scramble_sector(sector);
        for (int i = 0; i < 12; i++)
                assert_int_equal(sector[i], 0); /* the sync area is left alone */
        assert_memory_equal(sector + 12, expect, sizeof expect);
}

static void test_twice_restores(void **state)
{
        uint8_t sector[RB_SECTOR_SIZE], copy[RB_SECTOR_SIZE];

        for (size_t i = 0; i < sizeof sector; i++)
                sector[i] = (uint8_t)(i * 7);
        memcpy(copy, sector, sizeof copy);
        rb_scramble_sector(sector);
        assert_memory_not_equal(sector, copy, sizeof copy);
        rb_scramble_sector(sector);
        assert_memory_equal(sector, copy, sizeof copy);
}

static void test_sync(void **state)
{
        uint8_t sector[RB_SECTOR_SIZE] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
                                          0xff, 0xff, 0xff, 0xff, 0xff, 0x00};

        assert_true(rb_sector_has_sync(sector));
        sector[11] = 0x01;
        assert_false(rb_sector_has_sync(sector));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_annex_b_sequence),
                cmocka_unit_test(test_twice_restores),
                cmocka_unit_test(test_sync),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
