/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A CD-R-only writer ("cdrw-write=no"): what tells a host that the drive cannot write, so
 * cannot erase, CD-RW (page 2Ah, the profile list, features 0037h, 002Dh and 002Eh, BLANK
 * refused), how it reads a CD-RW (as a CD-ROM), and that it still burns CD-R. Expected
 * bytes are MMC-5's layouts (mmc-raw.md §2, §6). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "burn-helpers.h"
#include "ds-internal.h"
#include "sim-helpers.h"

#define CDR_ONLY "cdrw-write=no"

static int get_config(sim *s)
{
        return sim_in(s, CDB(0x46, 0, 0, 0, 0, 0, 0, 0x04, 0x00, 0), 1024);
}

/* Finds feature code in the last GET CONFIGURATION reply; NULL when absent. */
static const uint8_t *find_feature(const sim *s, uint16_t code)
{
        size_t end = sim_transferred(s), off = 8;

        while (off + 4 <= end) {
                const uint8_t *f = s->data + off;

                if (ds_get_be16(f) == code)
                        return f;
                off += 4u + f[3];
        }
        return NULL;
}

/* Whether the profile list holds profile, and whether it is flagged current. */
static bool has_profile(const sim *s, uint16_t profile, bool *current)
{
        const uint8_t *list = find_feature(s, 0x0000);

        assert_non_null(list);
        for (unsigned i = 0; i < list[3] / 4u; i++) {
                const uint8_t *p = list + 4 + 4 * i;

                if (ds_get_be16(p) == profile) {
                        *current = p[2] & 0x01;
                        return true;
                }
        }
        return false;
}

/* Page 2Ah byte 3: the write bits (CD-R 0, CD-RW 1). */
static uint8_t page_2a_write_bits(sim *s)
{
        assert_int_equal(sim_in(s, CDB(0x5A, 0, 0x2A, 0, 0, 0, 0, 0x02, 0x00, 0), 512), 0);
        assert_int_equal(s->data[8] & 0x3f, 0x2A);
        return s->data[8 + 3] & 0x03;
}

static int blank_minimal(sim *s)
{
        return sim_none(s, CDB(0xA1, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
}

static void test_page_2a_has_no_cdrw_write(void **state)
{
        sim *s = sim_new("cdrw74," CDR_ONLY);

        assert_int_equal(page_2a_write_bits(s), 0x01); /* CD-R only */
        assert_int_equal(s->data[8 + 2] & 0x02, 0x02); /* still reads CD-RW */
        sim_free(s);

        s = sim_new("cdrw74,cdrw-write=yes"); /* the default, said out loud */
        assert_int_equal(page_2a_write_bits(s), 0x03);
        sim_free(s);
}

static void test_configuration_has_no_cdrw(void **state)
{
        sim *s = sim_new("cdr80," CDR_ONLY);
        const uint8_t *f;
        bool current = false;

        assert_int_equal(get_config(s), 0);
        assert_false(has_profile(s, 0x000A, &current));
        assert_true(has_profile(s, 0x0009, &current));
        assert_true(current);
        assert_true(has_profile(s, 0x0008, &current));
        assert_null(find_feature(s, 0x0037)); /* CD-RW Media Write Support */
        f = find_feature(s, 0x002D);
        assert_non_null(f);
        assert_int_equal(f[4] & 0x02, 0x00); /* TAO: no CD-RW */
        f = find_feature(s, 0x002E);
        assert_non_null(f);
        assert_int_equal(f[4] & 0x02, 0x00); /* CD Mastering: no CD-RW */
        assert_int_equal(f[2] & 0x01, 0x01); /* current: the CD-R is writable */
        sim_free(s);

        /* The same drive without the option has all three. */
        s = sim_new("cdr80");
        assert_int_equal(get_config(s), 0);
        assert_true(has_profile(s, 0x000A, &current));
        assert_non_null(find_feature(s, 0x0037));
        assert_int_equal(find_feature(s, 0x002E)[4] & 0x02, 0x02);
        sim_free(s);
}

static void test_cdrw_reads_as_cdrom(void **state)
{
        sim *s = sim_new("cdrw74," CDR_ONLY);
        bool current = false;
        bh_disc disc = bh_simple_audio(-11634, 10, 10);
        char *props;

        assert_int_equal(get_config(s), 0);
        assert_int_equal(ds_get_be16(s->data + 6), 0x0008);
        assert_true(has_profile(s, 0x0008, &current));
        assert_true(current);
        assert_int_equal(find_feature(s, 0x002E)[2] & 0x01, 0x00); /* not writable */
        assert_int_equal(find_feature(s, 0x002D)[2] & 0x01, 0x00);

        /* The ATIP is the disc's: the drive reads it, and it says CD-RW. */
        assert_int_equal(sim_in(s, CDB(0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 28, 0), 28), 0);
        assert_int_equal(s->data[6] & 0x40, 0x40);

        bh_set_raw(s, 3, false, false);
        bh_write(s, &disc, -11634, 1, 3);
        sim_assert_sense(s, 0x5, 0x30, 0x05); /* CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT */

        props = ds_drive_udev_properties(s->drive);
        assert_null(strstr(props, "ID_CDROM_CD_RW=1\n"));
        assert_null(strstr(props, "ID_CDROM_MEDIA_CD_RW=1\n"));
        assert_non_null(strstr(props, "ID_CDROM_MEDIA_CD=1\n"));
        assert_non_null(strstr(props, "ID_CDROM_CD_R=1\n"));
        free(props);
        sim_free(s);
}

static void test_blank_is_not_implemented(void **state)
{
        /* 05/20/00 whatever the tray holds: the drive has no BLANK to look at the disc with. */
        static const char *const specs[] = {"cdrw74," CDR_ONLY, "cdr80," CDR_ONLY,
                                            "none," CDR_ONLY};

        for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
                sim *s = sim_new(specs[i]);

                print_message("%s\n", specs[i]);
                blank_minimal(s);
                sim_assert_sense(s, 0x5, 0x20, 0x00);
                sim_free(s);
        }

        /* Even with a unit attention pending (a disc just inserted): the opcode comes first. */
        sim *s = sim_new("none," CDR_ONLY);
        char *reply = sim_control(s, "insert cdrw80", 0);

        free(reply);
        blank_minimal(s);
        sim_assert_sense(s, 0x5, 0x20, 0x00);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x6, 0x28, 0x00); /* the attention is still there */
        sim_free(s);
}

static void test_cdr_still_burns(void **state)
{
        sim *s = sim_new("cdr80," CDR_ONLY);
        bh_disc disc = bh_simple_audio(-11634, 10, 10);
        char *reply;

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        reply = sim_control(s, "state", 0);
        assert_non_null(strstr(reply, "disc=complete\n"));
        free(reply);
        sim_free(s);
}

static void test_spec_values(void **state)
{
        static const char *const bad[] = {"cdrw74,cdrw-write", "cdrw74,cdrw-write=maybe",
                                          "cdrw74,cdrw-write="};

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                ds_drive *d = NULL;
                char *error = NULL;

                assert_int_equal(ds_drive_new(bad[i], "sr0", NULL, NULL, &d, &error), -EINVAL);
                assert_non_null(error);
                free(error);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_page_2a_has_no_cdrw_write),
            cmocka_unit_test(test_configuration_has_no_cdrw),
            cmocka_unit_test(test_cdrw_reads_as_cdrom),
            cmocka_unit_test(test_blank_is_not_implemented),
            cmocka_unit_test(test_cdr_still_burns),
            cmocka_unit_test(test_spec_values),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
