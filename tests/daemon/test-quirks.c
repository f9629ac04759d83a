/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The quirks file (docs/quirks.md): its syntax, the lines it refuses and why, matching on
 * the INQUIRY strings, and what a matching line does to a drive's write modes and write
 * offset. */
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

typedef struct warnings {
        unsigned n;
        unsigned lines[16];
        char text[16][160];
} warnings;

static void collect(void *userdata, unsigned line, const char *message)
{
        warnings *w = userdata;

        assert_true(w->n < 16);
        w->lines[w->n] = line;
        snprintf(w->text[w->n], sizeof w->text[0], "%s", message);
        w->n++;
}

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

static void test_parse(void **state)
{
        warnings w = {0};
        quirks q;

        assert_int_equal(quirks_parse(good_text, collect, &w, &q), 0);
        assert_int_equal(w.n, 0);
        assert_int_equal(q.n, 4);
        assert_int_equal(q.q[0].line, 3);
        assert_string_equal(q.q[0].vendor, "ACME");
        assert_string_equal(q.q[0].product, "CD-RW  BURN 52X"); /* blanks kept in quotes */
        assert_string_equal(q.q[0].revision, "1.0?");
        assert_string_equal(q.q[0].drop[0], "RAW/R96P");
        assert_string_equal(q.q[0].drop[1], "TEST/*");
        assert_null(q.q[0].drop[2]);
        assert_true(q.q[0].have_write_offset);
        assert_int_equal(q.q[0].write_offset, 30);
        assert_int_equal(q.q[1].line, 4);
        assert_string_equal(q.q[1].product, "*"); /* a key left out matches anything */
        assert_false(q.q[1].have_write_offset);
        assert_int_equal(q.q[2].write_offset, -472);
        assert_null(q.q[2].drop);
        assert_int_equal(q.q[3].line, 6); /* the last line needs no newline */
        quirks_free(&q);
        assert_int_equal(q.n, 0);

        assert_int_equal(quirks_parse("", collect, &w, &q), 0);
        assert_int_equal(q.n, 0);
        quirks_free(&q);
}

static void test_bad_lines_are_skipped_with_a_reason(void **state)
{
        static const struct {
                const char *line, *why;
        } bad[] = {
            {"vendor=ACME", "says nothing of the drive"},
            {"drop=SAO", "names no drive"},
            {"vendor=ACME drop=DAO", "drop=DAO: no write mode is called so"},
            {"vendor=ACME write-offset=lots", "write-offset=lots"},
            {"vendor=ACME write-offset=200000", "write-offset=200000"},
            {"vendor=ACME colour=blue drop=SAO", "unknown or repeated key 'colour'"},
            {"vendor=ACME drop=SAO drop=TAO", "unknown or repeated key 'drop'"},
            {"vendor=\"ACME drop=SAO", "a quote is not closed"},
            {"vendor=ACME SAO", "'SAO' is not KEY=VALUE"},
        };

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char text[256];
                warnings w = {0};
                quirks q;

                snprintf(text, sizeof text, "vendor=GOOD drop=TAO\n%s\nvendor=ALSO drop=SAO\n",
                         bad[i].line);
                assert_int_equal(quirks_parse(text, collect, &w, &q), 0);
                /* The bad line goes; the lines around it stay. */
                assert_int_equal(q.n, 2);
                assert_string_equal(q.q[0].vendor, "GOOD");
                assert_string_equal(q.q[1].vendor, "ALSO");
                assert_int_equal(w.n, 1);
                assert_int_equal(w.lines[0], 2);
                if (!strstr(w.text[0], bad[i].why))
                        fail_msg("'%s': said '%s', expected '%s'", bad[i].line, w.text[0],
                                 bad[i].why);
                quirks_free(&q);
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
        quirks q;
        drive_info i;

        assert_int_equal(quirks_parse(good_text, NULL, NULL, &q), 0);

        /* Lines 3 and 6 match (revision 1.0? and any revision); the later offset wins. */
        i = drive("ACME", "CD-RW  BURN 52X", "1.02");
        assert_int_equal(quirks_apply(&q, &i), 2);
        assert_int_equal(i.write_modes.dropped, BIT(RAW_R96P) | (WRITE_MODE_SET_ALL & 0xffff0000u));
        assert_int_equal(write_modes_supported(&i.write_modes),
                         BIT(RAW_R96R) | BIT(RAW_R16) | BIT(SAO) | BIT(TAO));
        assert_true(i.have_write_offset);
        assert_int_equal(i.write_offset, 6);

        /* Revision 2.x: line 4 only (and 6). */
        i = drive("ACME", "CD-RW  BURN 52X", "2.10");
        assert_int_equal(quirks_apply(&q, &i), 2);
        assert_int_equal(i.write_modes.dropped, BIT(SAO));
        assert_true(write_modes_supports_raw(&i, 2, false));

        /* Globs are case-sensitive and whole-string; another product matches line 4 only
         * with revision 2.x, line 5 by its product. */
        i = drive("acme", "CD-RW  BURN 52X", "1.02");
        assert_int_equal(quirks_apply(&q, &i), 0);
        assert_false(i.have_write_offset);
        assert_int_equal(i.write_modes.dropped, 0);
        i = drive("OTHER", "DVD-RW DRIVE", "9.99");
        assert_int_equal(quirks_apply(&q, &i), 1);
        assert_int_equal(i.write_offset, -472);

        /* A drive that did not answer INQUIRY matches nothing; no quirks at all is fine. */
        i = drive("ACME", "CD-RW  BURN 52X", "1.02");
        i.have_inquiry = false;
        assert_int_equal(quirks_apply(&q, &i), 0);
        assert_int_equal(quirks_apply(NULL, &i), 0);
        quirks_free(&q);
}

static void test_load(void **state)
{
        char path[] = "/tmp/rawburn-quirks-XXXXXX";
        int fd = mkstemp(path);
        warnings w = {0};
        quirks q;

        assert_true(fd >= 0);
        assert_int_equal(write(fd, good_text, strlen(good_text)), (ssize_t)strlen(good_text));
        close(fd);
        assert_int_equal(quirks_load(path, collect, &w, &q), 0);
        assert_int_equal(q.n, 4);
        quirks_free(&q);
        unlink(path);
        /* No file: no quirks, no error. */
        assert_int_equal(quirks_load(path, collect, &w, &q), 0);
        assert_int_equal(q.n, 0);
        /* A directory cannot be read as one. */
        assert_true(quirks_load("/", collect, &w, &q) < 0);
        assert_int_equal(w.n, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse),
            cmocka_unit_test(test_bad_lines_are_skipped_with_a_reason),
            cmocka_unit_test(test_mode_globs),
            cmocka_unit_test(test_apply),
            cmocka_unit_test(test_load),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
