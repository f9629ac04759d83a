/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The SPEC key modes=: drives that lack some write modes or Test Write. What GET
 * CONFIGURATION (features 002Dh, 002Eh), page 2Ah and MODE SELECT of page 05h say must
 * agree with the list, as hosts read the first and confirm with the last (mmc-raw.md §2.2,
 * §6.1). Expected values are written out per drive here, not derived from the model. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "sim-helpers.h"

static unsigned be16(const uint8_t *p)
{
        return (unsigned)p[0] << 8 | p[1];
}

/* Byte 4 of feature code (GET CONFIGURATION, RT 2), or -1 when the drive lacks it. */
static int feature_flags(sim *s, unsigned code)
{
        sim_in(s, CDB(0x46, 0x02, (uint8_t)(code >> 8), (uint8_t)code, 0, 0, 0, 0, 64, 0), 64);
        sim_assert_good(s);
        if (sim_transferred(s) < 8 + 5)
                return -1;
        assert_int_equal(be16(s->data + 8), code);
        return s->data[12];
}

/* Page 2Ah byte 3 (CD-R, CD-RW, Test Write). */
static uint8_t page2a_write_flags(sim *s)
{
        sim_in(s, CDB(0x5A, 0, 0x2A, 0, 0, 0, 0, 1, 0, 0), 256);
        sim_assert_good(s);
        assert_int_equal(s->data[8] & 0x3f, 0x2A);
        return s->data[8 + 3];
}

/* The current page 05h, as MODE SENSE(10) gives it (page bytes only). */
static void sense_page05(sim *s, uint8_t page[2 + 0x32])
{
        sim_in(s, CDB(0x5A, 0, 0x05, 0, 0, 0, 0, 1, 0, 0), 256);
        sim_assert_good(s);
        assert_int_equal(s->data[9], 0x32);
        memcpy(page, s->data + 8, 2 + 0x32);
}

/* MODE SELECT(10) of page 05h from zeros as libburn builds it. */
static int select_mode(sim *s, unsigned write_type, unsigned dbt, bool test)
{
        size_t len = 8 + 2 + 0x32;

        memset(s->data, 0, len);
        s->data[8] = 0x05;
        s->data[9] = 0x32;
        s->data[10] = (uint8_t)(write_type | (test ? 0x10 : 0));
        s->data[12] = (uint8_t)dbt;
        return sim_out(s, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, (uint8_t)len, 0), len);
}

static void assert_state_has(sim *s, const char *line)
{
        char *state = sim_control(s, "state", 0);

        if (!strstr(state, line))
                fail_msg("state lacks '%s':\n%s", line, state);
        free(state);
}

/* ---- parsing ---- */

static void test_modes_spec(void **state)
{
        static const struct {
                const char *spec, *modes;
        } good[] = {
            {"cdr80", "modes=raw96r,raw96p,raw16,sao,tao\n"},
            {"cdr80,modes=sao,tao", "modes=sao,tao\n"},
            {"cdr80,modes=raw96p,raw16,sao", "modes=raw96p,raw16,sao\n"},
            {"cdr80,modes=raw,notest-raw", "modes=raw96r,raw96p,raw16,notest-raw\n"},
            {"cdr80,modes=notest-raw", "modes=raw96r,raw96p,raw16,sao,tao,notest-raw\n"},
            {"cdr80,modes=notest", "modes=raw96r,raw96p,raw16,sao,tao,notest-raw,notest-sao,"
                                   "notest-tao\n"},
            {"cdrw,modes=tao,sao,notest-tao,kept", "modes=sao,tao,notest-tao\n"},
        };
        /* The list ends at the first option that is not a mode word: a mode word after it
         * is an unknown option. */
        static const char *const bad[] = {"cdr80,modes=raw97",
                                          "cdr80,modes=", "cdr80,modes=sao,dao", "cdr80,modes",
                                          "cdr80,modes=sao,tao,speed=16,raw16"};

        for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
                sim *s = sim_new(good[i].spec);
                assert_state_has(s, good[i].modes);
                sim_free(s);
        }
        sim *s = sim_new("cdr80,modes=sao,speed=16");
        assert_state_has(s, "write_speed=16\n");
        assert_state_has(s, "modes=sao\n");
        sim_free(s);

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                ds_drive *d = NULL;
                char *error = NULL;

                assert_int_equal(ds_drive_new(bad[i], "sr0", NULL, NULL, &d, &error), -EINVAL);
                assert_null(d);
                assert_non_null(error);
                free(error);
        }
}

/* ---- what GET CONFIGURATION and page 2Ah report ---- */

/* Feature bits (byte 4). 002Eh: BUF 40, SAO 20, Raw MS 10, Raw 08, Test 04, CD-RW 02,
 * R-W 01. 002Dh: BUF 40, R-W Raw 10, R-W Pack 08, Test 04, CD-RW 02, R-W Sub-code 01. */
static void test_modes_features(void **state)
{
        static const struct {
                const char *spec;
                int f2d, f2e;    /* -1: feature absent */
                uint8_t page2a3; /* page 2Ah byte 3 */
        } drives[] = {
            {"cdr80", 0x5f, 0x7f, 0x07},
            {"cdr80,modes=sao,tao", 0x46, 0x66, 0x07},
            {"cdr80,modes=raw96p,raw16,sao", -1, 0x7f, 0x07},
            {"cdr80,modes=raw16", -1, 0x5e, 0x07},
            {"cdr80,modes=raw96r,tao", 0x57, 0x5f, 0x07},
            {"cdr80,modes=notest-raw", 0x5f, 0x7f, 0x07},         /* SAO still simulates */
            {"cdr80,modes=raw,notest-raw", -1, 0x5b, 0x03},       /* nothing simulates */
            {"cdr80,modes=raw,tao,notest-raw", 0x5f, 0x5b, 0x07}, /* TAO simulates */
            {"cdr80,modes=notest", 0x5b, 0x7b, 0x03},
            {"cdr80,modes=tao", 0x46, -1, 0x07},
        };

        for (size_t i = 0; i < sizeof drives / sizeof drives[0]; i++) {
                sim *s = sim_new(drives[i].spec);

                if (feature_flags(s, 0x002D) != drives[i].f2d)
                        fail_msg("%s: 002Dh %d, expected %d", drives[i].spec,
                                 feature_flags(s, 0x002D), drives[i].f2d);
                if (feature_flags(s, 0x002E) != drives[i].f2e)
                        fail_msg("%s: 002Eh %d, expected %d", drives[i].spec,
                                 feature_flags(s, 0x002E), drives[i].f2e);
                assert_int_equal(page2a_write_flags(s), drives[i].page2a3);
                sim_free(s);
        }
}

/* ---- what MODE SELECT takes ---- */

typedef struct expected_modes {
        bool tao, sao, r16, r96p, r96r;    /* write type / DBT pairs taken */
        bool test_tao, test_sao, test_raw; /* with Test Write */
} expected_modes;

static bool expect_accept(const expected_modes *e, unsigned wt, unsigned dbt, bool test)
{
        bool cooked = dbt == 0 || (dbt >= 8 && dbt <= 13);

        switch (wt) {
        case 1:
                return e->tao && cooked && (!test || e->test_tao);
        case 2:
                return e->sao && cooked && (!test || e->test_sao);
        case 3:
                if (!((dbt == 1 && e->r16) || (dbt == 2 && e->r96p) || (dbt == 3 && e->r96r)))
                        return false;
                return !test || e->test_raw;
        default:
                return false;
        }
}

static void test_modes_mode_select_matrix(void **state)
{
        static const struct {
                const char *spec;
                expected_modes e;
        } drives[] = {
            {"cdr80", {true, true, true, true, true, true, true, true}},
            {"cdr80,modes=sao,tao", {true, true, false, false, false, true, true, false}},
            {"cdr80,modes=raw96p,raw16,sao", {false, true, true, true, false, false, true, true}},
            {"cdr80,modes=notest-raw", {true, true, true, true, true, true, true, false}},
            {"cdr80,modes=notest", {true, true, true, true, true, false, false, false}},
            {"cdrw,modes=raw96r,notest-sao",
             {false, false, false, false, true, false, false, true}},
        };
        static const uint8_t dbts[] = {0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14};

        for (size_t i = 0; i < sizeof drives / sizeof drives[0]; i++) {
                sim *s = sim_new(drives[i].spec);

                /* libburn's probe (types 1-3 x DBT) and more: packet, layer jump, Test Write. */
                for (unsigned wt = 0; wt <= 4; wt++)
                        for (size_t k = 0; k < sizeof dbts; k++)
                                for (int test = 0; test <= 1; test++) {
                                        bool want = expect_accept(&drives[i].e, wt, dbts[k], test);

                                        select_mode(s, wt, dbts[k], test);
                                        if (want && s->cmd.status != 0)
                                                fail_msg("%s: wt %u dbt %u test %d refused",
                                                         drives[i].spec, wt, dbts[k], test);
                                        if (!want)
                                                sim_assert_sense(s, 0x5, 0x26, 0x00);
                                }
                sim_free(s);
        }
}

static void test_modes_refusal_keeps_the_page(void **state)
{
        sim *s = sim_new("cdr80,modes=raw96p,raw16,sao");
        uint8_t page[2 + 0x32];

        /* wodim's -raw96r on a drive without R96R: its MODE SELECT is refused, and the
         * page keeps what was set before, here RAW/R96P. */
        select_mode(s, 3, 2, false);
        sim_assert_good(s);
        select_mode(s, 3, 3, false);
        sim_assert_sense(s, 0x5, 0x26, 0x00);
        sense_page05(s, page);
        assert_int_equal(page[2] & 0x0f, 3);
        assert_int_equal(page[4] & 0x0f, 2);
        assert_state_has(s, "block_type=2\n");
        sim_free(s);

        /* Test Write refused in RAW, taken in SAO. */
        s = sim_new("cdr80,modes=notest-raw");
        select_mode(s, 3, 3, true);
        sim_assert_sense(s, 0x5, 0x26, 0x00);
        assert_state_has(s, "test_write=no\n");
        select_mode(s, 2, 8, true);
        sim_assert_good(s);
        assert_state_has(s, "test_write=yes\n");
        sim_free(s);
}

/* The power-on page holds a mode the drive has, so a host that senses it and selects it back
 * unchanged (cdrdao's and wodim's read-modify-write) is not refused. */
static void test_modes_power_on_page(void **state)
{
        static const struct {
                const char *spec;
                unsigned write_type, dbt;
        } drives[] = {
            {"cdr80", 1, 8},
            {"cdr80,modes=sao,tao", 1, 8},
            {"cdr80,modes=raw96p,raw16,sao", 2, 8},
            {"cdr80,modes=raw96p,raw16", 3, 2},
            {"cdr80,modes=raw16", 3, 1},
            {"cdr80,modes=raw", 3, 3},
        };

        for (size_t i = 0; i < sizeof drives / sizeof drives[0]; i++) {
                sim *s = sim_new(drives[i].spec);
                uint8_t page[2 + 0x32];

                sense_page05(s, page);
                assert_int_equal(page[2] & 0x1f, drives[i].write_type);
                assert_int_equal(page[4] & 0x0f, drives[i].dbt);
                /* The default page (PC 2) is the same. */
                sim_in(s, CDB(0x5A, 0, 0x80 | 0x05, 0, 0, 0, 0, 1, 0, 0), 256);
                sim_assert_good(s);
                assert_memory_equal(s->data + 8, page, sizeof page);
                memset(s->data, 0, 8);
                memcpy(s->data + 8, page, sizeof page);
                s->data[8] &= 0x7f;
                sim_out(s, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 8 + sizeof page, 0), 8 + sizeof page);
                sim_assert_good(s);
                sim_free(s);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_modes_spec),
            cmocka_unit_test(test_modes_features),
            cmocka_unit_test(test_modes_mode_select_matrix),
            cmocka_unit_test(test_modes_refusal_keeps_the_page),
            cmocka_unit_test(test_modes_power_on_page),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
