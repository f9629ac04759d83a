/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The drive quirks applied to a drive (docs/quirks.md): the files' syntax and the lines
 * refused are librawburn's one parser (tests/unit/test-drive-quirks.c); here the write-mode
 * names it knows against the daemon's, and what matching entries of both files do to a
 * drive's write modes and write offset. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "quirks.h"

#define BIT(m)  WRITE_MODE_BIT(WRITE_MODE_##m)
#define TEST(m) WRITE_MODE_TEST_BIT(WRITE_MODE_##m)

static drive_info drive(const char *vendor, const char *product, const char *revision)
{
        drive_info i = {0};

        i.have_inquiry = true;
        snprintf(i.inquiry.vendor, sizeof i.inquiry.vendor, "%s", vendor);
        snprintf(i.inquiry.product, sizeof i.inquiry.product, "%s", product);
        snprintf(i.inquiry.revision, sizeof i.inquiry.revision, "%s", revision);
        i.write_modes.claimed = WRITE_MODE_SET_ALL;
        return i;
}

static const char good_text[] =
    "# a comment, then a blank line\n"
    "\n"
    "vendor=ACME product=\"CD-RW  BURN 52X\" revision=1.0? drop=RAW/R96P,TEST/* "
    "write-offset=+30\n"
    "   vendor=ACME revision=2.* drop=SAO   # trailing comment\n"
    "product=*DVD* write-offset=-472\n"
    "vendor=ACME product=\"CD-RW  BURN 52X\" write-offset=6";

/* The parser checks drop= against its own list of write-mode names: the daemon's, each
 * one, and nothing else. */
static void test_parser_knows_the_daemon_mode_names(void **state)
{
        for (int m = 0; m < WRITE_MODE_COUNT; m++) {
                assert_true(rb_quirks_names_write_mode(write_mode_name((write_mode)m, false)));
                assert_true(rb_quirks_names_write_mode(write_mode_name((write_mode)m, true)));
        }
        static const char *const globs[] = {"DAO", "RAW", "TEST/", "RAW/R96", "*/SAO/*"};
        for (size_t i = 0; i < sizeof globs / sizeof globs[0]; i++) {
                assert_false(rb_quirks_names_write_mode(globs[i]));
                assert_int_equal(quirks_modes_matching(globs[i]), 0);
        }
}

static void test_mode_globs(void **state)
{
        assert_int_equal(quirks_modes_matching("SAO"), BIT(SAO));
        assert_int_equal(quirks_modes_matching("TEST/SAO"), TEST(SAO));
        assert_int_equal(quirks_modes_matching("RAW/*"),
                         BIT(RAW_R96R) | BIT(RAW_R96P) | BIT(RAW_R16));
        assert_int_equal(quirks_modes_matching("TEST/*"), WRITE_MODE_SET_ALL & 0xffff0000u);
        assert_int_equal(quirks_modes_matching("*R96*"),
                         BIT(RAW_R96R) | BIT(RAW_R96P) | TEST(RAW_R96R) | TEST(RAW_R96P));
        assert_int_equal(quirks_modes_matching("*"), WRITE_MODE_SET_ALL);
        assert_int_equal(quirks_modes_matching("DAO"), 0);
}

static void test_apply(void **state)
{
        rb_quirks_t q = {0};
        drive_info i;

        assert_int_equal(rb_quirks_parse(&q, RB_QUIRKS_DISTRIBUTION, "d", good_text, NULL, NULL),
                         0);

        /* Lines 3 and 6 match (revision 1.0? and any revision); the later offset wins. */
        i = drive("ACME", "CD-RW  BURN 52X", "1.02");
        assert_int_equal(quirks_apply(&q, &i), 2);
        assert_int_equal(i.write_modes.dropped, BIT(RAW_R96P) | (WRITE_MODE_SET_ALL & 0xffff0000u));
        assert_int_equal(write_modes_supported(&i.write_modes),
                         BIT(RAW_R96R) | BIT(RAW_R16) | BIT(SAO) | BIT(TAO));
        assert_true(i.write_offset.have);
        assert_int_equal(i.write_offset.samples, 6);
        assert_int_equal(i.write_offset.origin, RB_QUIRKS_DISTRIBUTION);

        /* Revision 2.x: line 4 only (and 6). */
        i = drive("ACME", "CD-RW  BURN 52X", "2.10");
        assert_int_equal(quirks_apply(&q, &i), 2);
        assert_int_equal(i.write_modes.dropped, BIT(SAO));
        assert_true(write_modes_supports_raw(&i, 2, false));

        /* Globs are case-sensitive and whole-string; another product matches line 4 only
         * with revision 2.x, line 5 by its product. */
        i = drive("acme", "CD-RW  BURN 52X", "1.02");
        assert_int_equal(quirks_apply(&q, &i), 0);
        assert_false(i.write_offset.have);
        assert_int_equal(i.write_modes.dropped, 0);
        i = drive("OTHER", "DVD-RW DRIVE", "9.99");
        assert_int_equal(quirks_apply(&q, &i), 1);
        assert_int_equal(i.write_offset.samples, -472);

        /* A drive that did not answer INQUIRY matches nothing; no quirks at all is fine. */
        i = drive("ACME", "CD-RW  BURN 52X", "1.02");
        i.have_inquiry = false;
        assert_int_equal(quirks_apply(&q, &i), 0);
        assert_int_equal(quirks_apply(NULL, &i), 0);

        /* The local file, read after: its offset wins, its drops add to the others. */
        assert_int_equal(rb_quirks_parse(&q, RB_QUIRKS_LOCAL, "l",
                                         "vendor=ACME write-offset=-30 drop=TAO\n", NULL, NULL),
                         0);
        i = drive("ACME", "CD-RW  BURN 52X", "1.02");
        assert_int_equal(quirks_apply(&q, &i), 3);
        assert_int_equal(i.write_offset.samples, -30);
        assert_int_equal(i.write_offset.origin, RB_QUIRKS_LOCAL);
        assert_int_equal(write_modes_supported(&i.write_modes),
                         BIT(RAW_R96R) | BIT(RAW_R16) | BIT(SAO));
        rb_quirks_free(&q);

        /* Applied again after a reload (SIGHUP): what the files no longer say goes, the read
         * offset as well as the write offset and the drops. */
        assert_int_equal(rb_quirks_parse(&q, RB_QUIRKS_LOCAL, "l",
                                         "vendor=ACME write-offset=+9 read-offset=+48 drop=TAO\n",
                                         NULL, NULL),
                         0);
        i = drive("ACME", "CD-RW  BURN 52X", "1.02");
        assert_int_equal(quirks_apply(&q, &i), 1);
        assert_true(i.read_offset.have);
        assert_int_equal(i.read_offset.samples, 48);
        assert_int_equal(i.read_offset.origin, RB_QUIRKS_LOCAL);
        rb_quirks_free(&q);
        assert_int_equal(quirks_apply(NULL, &i), 0);
        assert_false(i.write_offset.have);
        assert_false(i.read_offset.have);
        assert_int_equal(i.read_offset.samples, 0);
        assert_int_equal(i.read_offset.origin, RB_QUIRKS_NONE);
        assert_int_equal(i.write_modes.dropped, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parser_knows_the_daemon_mode_names),
            cmocka_unit_test(test_mode_globs),
            cmocka_unit_test(test_apply),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
