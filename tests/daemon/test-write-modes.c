/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The write modes: what GET CONFIGURATION claims (features 002Dh/002Eh byte 4, as MMC and
 * sg_get_config lay them out), the page 05h each probe sends, the probe order, how claims,
 * probes and quirks combine, and the names SupportedWriteModes shows. And which CDs the
 * drive writes (page 2Ah, the profile list), which EraseMedia asks before it erases. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "drive-probe.h"
#include "write-modes.h"

#define ALL_MODES 0x1fu /* the five write modes, without Test Write */
#define BIT(m)    WRITE_MODE_BIT(WRITE_MODE_##m)
#define TEST(m)   WRITE_MODE_TEST_BIT(WRITE_MODE_##m)

static mmc_config config(bool tao, uint8_t tao_flags, bool mastering, uint8_t mastering_flags)
{
        mmc_config c = {0};

        c.has_tao = tao;
        c.tao_flags = tao_flags;
        c.has_mastering = mastering;
        c.mastering_flags = mastering_flags;
        return c;
}

static void test_claimed_from_features(void **state)
{
        mmc_caps caps = {0};
        mmc_config c;

        /* 002Eh BUF|SAO|Raw MS|Raw|Test|CD-RW|R-W = 7Fh, 002Dh with Test (5Fh): everything. */
        c = config(true, 0x5f, true, 0x7f);
        assert_int_equal(write_modes_claimed(&c, true, &caps, false), WRITE_MODE_SET_ALL);

        /* SAO and TAO only (002Eh 66h: BUF, SAO, Test, CD-RW; 002Dh 46h). */
        c = config(true, 0x46, true, 0x66);
        assert_int_equal(write_modes_claimed(&c, true, &caps, false),
                         BIT(SAO) | BIT(TAO) | TEST(SAO) | TEST(TAO));

        /* Raw without R-W: the 16-byte PQ form only; no Test Write bit anywhere. */
        c = config(false, 0, true, 0x42 | 0x18);
        assert_int_equal(write_modes_claimed(&c, true, &caps, false), BIT(RAW_R16));

        /* Raw with R-W: packed and raw P-W both claimed (002Eh does not tell them apart). */
        c = config(false, 0, true, 0x42 | 0x18 | 0x04 | 0x01);
        assert_int_equal(write_modes_claimed(&c, true, &caps, false),
                         BIT(RAW_R16) | BIT(RAW_R96P) | BIT(RAW_R96R) | TEST(RAW_R16) |
                             TEST(RAW_R96P) | TEST(RAW_R96R));

        /* TAO's Test Write bit is TAO's alone. */
        c = config(true, 0x44, true, 0x20);
        assert_int_equal(write_modes_claimed(&c, true, &caps, false),
                         BIT(SAO) | BIT(TAO) | TEST(TAO));

        /* A reader: no writing features. */
        c = config(false, 0, false, 0);
        assert_int_equal(write_modes_claimed(&c, true, &caps, false), 0);

        /* No GET CONFIGURATION at all: everything is claimed, Test Write as page 2Ah says. */
        assert_int_equal(write_modes_claimed(&c, false, &caps, false), WRITE_MODE_SET_ALL);
        caps.test_write = true;
        assert_int_equal(write_modes_claimed(&c, false, &caps, true), WRITE_MODE_SET_ALL);
        caps.test_write = false;
        assert_int_equal(write_modes_claimed(&c, false, &caps, true), ALL_MODES);
}

static void test_probe_pages(void **state)
{
        static const struct {
                write_mode m;
                uint8_t write_type, dbt, track_mode;
        } want[] = {
            {WRITE_MODE_RAW_R96R, 3, 3, 0}, {WRITE_MODE_RAW_R96P, 3, 2, 0},
            {WRITE_MODE_RAW_R16, 3, 1, 0},  {WRITE_MODE_SAO, 2, 8, 4},
            {WRITE_MODE_TAO, 1, 8, 4},
        };

        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
                uint8_t buf[80];
                size_t len;
                mmc_page05 p;

                write_mode_page05(want[i].m, i % 2, &p);
                assert_int_equal(mmc_page05_build(buf, sizeof buf, NULL, 0, &p, &len), 0);
                /* Page 05h byte 2: Test Write 10h | write type, no BUFE; byte 3 track mode
                 * with multi-session 00b; byte 4 the data block type. */
                assert_int_equal(buf[8 + 2], (i % 2 ? 0x10 : 0) | want[i].write_type);
                assert_int_equal(buf[8 + 3], want[i].track_mode);
                assert_int_equal(buf[8 + 4], want[i].dbt);
                assert_int_equal(buf[8 + 8], 0x00);
        }
}

static void test_probe_order(void **state)
{
        write_mode_probe list[2 * WRITE_MODE_COUNT];
        size_t n;

        n = write_modes_probe_list(WRITE_MODE_SET_ALL, list, 10);
        assert_int_equal(n, 10);
        for (size_t i = 0; i < n; i++) {
                assert_int_equal(list[i].mode, (write_mode)(i / 2));
                assert_int_equal(list[i].test_write, i % 2 == 1);
        }
        /* The last probe leaves TAO with Test Write, unlike any power-on page. */
        assert_int_equal(list[9].mode, WRITE_MODE_TAO);
        assert_true(list[9].test_write);

        /* Only what is claimed; Test Write only for a claimed mode. */
        n = write_modes_probe_list(BIT(SAO) | TEST(SAO) | TEST(TAO) | BIT(RAW_R16), list, 10);
        assert_int_equal(n, 3);
        assert_int_equal(list[0].mode, WRITE_MODE_RAW_R16);
        assert_false(list[0].test_write);
        assert_int_equal(list[1].mode, WRITE_MODE_SAO);
        assert_int_equal(list[2].mode, WRITE_MODE_SAO);
        assert_true(list[2].test_write);
        /* The room given is respected. */
        assert_int_equal(write_modes_probe_list(WRITE_MODE_SET_ALL, list, 4), 4);
}

static void test_supported_combines_claims_probes_quirks(void **state)
{
        write_modes w = {0};

        /* Not probed: the claim stands. */
        w.claimed = WRITE_MODE_SET_ALL;
        assert_int_equal(write_modes_supported(&w), WRITE_MODE_SET_ALL);
        /* Probed: only what MODE SELECT took; R96R claimed and refused is gone. */
        w.probed = true;
        w.accepted = BIT(RAW_R96P) | BIT(RAW_R16) | BIT(SAO) | TEST(RAW_R16);
        assert_int_equal(write_modes_supported(&w),
                         BIT(RAW_R96P) | BIT(RAW_R16) | BIT(SAO) | TEST(RAW_R16));
        /* Taken but not claimed: not trusted. */
        w.claimed = BIT(SAO);
        assert_int_equal(write_modes_supported(&w), BIT(SAO));
        /* Quirks drop a mode, and with it its Test Write. */
        w.claimed = WRITE_MODE_SET_ALL;
        w.dropped = BIT(RAW_R16);
        assert_int_equal(write_modes_supported(&w), BIT(RAW_R96P) | BIT(SAO));
        /* Test Write without its mode is never shown. */
        w = (write_modes){.claimed = TEST(SAO) | BIT(TAO)};
        assert_int_equal(write_modes_supported(&w), BIT(TAO));
}

static void test_names(void **state)
{
        const char *names[10];
        write_mode m;
        bool test;

        assert_int_equal(write_modes_names(WRITE_MODE_SET_ALL, names, 10), 10);
        assert_string_equal(names[0], "RAW/R96R");
        assert_string_equal(names[1], "RAW/R96P");
        assert_string_equal(names[2], "RAW/R16");
        assert_string_equal(names[3], "SAO");
        assert_string_equal(names[4], "TAO");
        assert_string_equal(names[5], "TEST/RAW/R96R");
        assert_string_equal(names[7], "TEST/RAW/R16");
        assert_string_equal(names[8], "TEST/SAO");
        assert_string_equal(names[9], "TEST/TAO");
        assert_int_equal(write_modes_names(BIT(TAO) | TEST(TAO) | BIT(RAW_R16), names, 10), 3);
        assert_string_equal(names[0], "RAW/R16");
        assert_string_equal(names[1], "TAO");
        assert_string_equal(names[2], "TEST/TAO");
        assert_int_equal(write_modes_names(0, names, 10), 0);

        assert_int_equal(write_mode_from_name("TEST/RAW/R96P", &m, &test), 0);
        assert_int_equal(m, WRITE_MODE_RAW_R96P);
        assert_true(test);
        assert_int_equal(write_mode_from_name("SAO", &m, &test), 0);
        assert_int_equal(m, WRITE_MODE_SAO);
        assert_false(test);
        assert_int_equal(write_mode_from_name("RAW/R96", &m, &test), -EINVAL);
        assert_null(write_mode_name(WRITE_MODE_COUNT, false));
}

static void test_supports_raw(void **state)
{
        drive_info i = {0};

        /* IMAPI sector types 1, 2, 3 are page 05h's data block types 1, 2, 3. */
        i.write_modes.claimed = BIT(RAW_R96R) | BIT(RAW_R16) | TEST(RAW_R16) | BIT(SAO);
        assert_true(write_modes_supports_raw(&i, 1, false));
        assert_true(write_modes_supports_raw(&i, 1, true));
        assert_false(write_modes_supports_raw(&i, 2, false));
        assert_true(write_modes_supports_raw(&i, 3, false));
        assert_false(write_modes_supports_raw(&i, 3, true));
        assert_false(write_modes_supports_raw(&i, 0, false));
        assert_false(write_modes_supports_raw(&i, 8, false));
        i.write_modes.probed = true;
        i.write_modes.accepted = BIT(RAW_R16);
        assert_false(write_modes_supports_raw(&i, 3, false));
        assert_false(write_modes_supports_raw(&i, 1, true));
}

static drive_info cd_writer(bool have_caps, bool cdr, bool cdrw, size_t n_profiles,
                            const uint16_t *profiles)
{
        drive_info info = {0};

        info.have_caps = have_caps;
        info.caps.cdr_write = cdr;
        info.caps.cdrw_write = cdrw;
        info.have_config = n_profiles > 0;
        info.config.n_profiles = n_profiles;
        if (n_profiles > 0) /* memcpy's source must not be NULL, even for 0 bytes */
                memcpy(info.config.profiles, profiles, n_profiles * sizeof *profiles);
        return info;
}

static void test_cd_writing(void **state)
{
        static const uint16_t rw[] = {0x000A, 0x0009, 0x0008}, r[] = {0x0009, 0x0008},
                              rom[] = {0x0010, 0x0008};
        drive_info i;

        /* Both answers agree. */
        i = cd_writer(true, true, true, 3, rw);
        assert_int_equal(drive_info_cd_writing(&i), DRIVE_WRITES_CDRW);
        i = cd_writer(true, true, false, 2, r);
        assert_int_equal(drive_info_cd_writing(&i), DRIVE_WRITES_CDR);
        i = cd_writer(true, false, false, 2, rom);
        assert_int_equal(drive_info_cd_writing(&i), DRIVE_WRITES_NO_CD);
        /* One answer alone decides; when they differ, the one that claims more wins. */
        i = cd_writer(false, false, false, 2, r);
        assert_int_equal(drive_info_cd_writing(&i), DRIVE_WRITES_CDR);
        i = cd_writer(true, true, false, 0, NULL);
        assert_int_equal(drive_info_cd_writing(&i), DRIVE_WRITES_CDR);
        i = cd_writer(true, true, true, 2, r);
        assert_int_equal(drive_info_cd_writing(&i), DRIVE_WRITES_CDRW);
        i = cd_writer(true, true, false, 3, rw);
        assert_int_equal(drive_info_cd_writing(&i), DRIVE_WRITES_CDRW);
        /* Neither answered, or an empty profile list without page 2Ah: not known. */
        i = cd_writer(false, false, false, 0, NULL);
        assert_int_equal(drive_info_cd_writing(&i), DRIVE_WRITES_UNKNOWN);
        i.have_config = true;
        assert_int_equal(drive_info_cd_writing(&i), DRIVE_WRITES_UNKNOWN);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_claimed_from_features),
            cmocka_unit_test(test_probe_pages),
            cmocka_unit_test(test_probe_order),
            cmocka_unit_test(test_supported_combines_claims_probes_quirks),
            cmocka_unit_test(test_names),
            cmocka_unit_test(test_supports_raw),
            cmocka_unit_test(test_cd_writing),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
