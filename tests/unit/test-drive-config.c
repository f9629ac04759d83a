/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * drives.conf: sections per model, matching without regard to case and
 * blank runs, errors that name the line, and set-offset keeping the rest
 * of the file as it was.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/drive-config.h"

static const char conf[] = "# offsets from the AccurateRip list\n"
                           "[drive \"PLEXTOR\" \"DVDR   PX-716A\"]\n"
                           "write-offset = +30\n"
                           "\n"
                           "; another\n"
                           "[drive \"HL-DT-ST\" \"DVDRAM GH24NSD1\"]\n"
                           "write-offset=-6\n"
                           "[drive \"ASUS\" \"DRW-24F1ST   c\"]\n";

static void test_parse_find(void **state)
{
        rb_drive_config_t c;
        char err[256] = "";
        assert_int_equal(rb_drive_config_parse("d.conf", conf, strlen(conf), &c, err, sizeof err),
                         0);
        assert_int_equal(c.count, 3);
        const rb_drive_entry_t *e = rb_drive_config_find(&c, "plextor ", "DVDR PX-716A");
        assert_non_null(e);
        assert_true(e->has_write_offset);
        assert_int_equal(e->write_offset, 30);
        e = rb_drive_config_find_model(&c, "HL-DT-ST DVDRAM  GH24NSD1");
        assert_non_null(e);
        assert_int_equal(e->write_offset, -6);
        e = rb_drive_config_find(&c, "ASUS", "DRW-24F1ST c");
        assert_non_null(e);
        assert_false(e->has_write_offset);
        assert_null(rb_drive_config_find(&c, "PLEXTOR", "DVDR PX-716"));
        rb_drive_config_free(&c);
}

static void expect_error(const char *text, const char *want)
{
        rb_drive_config_t c;
        char err[256] = "";
        assert_int_equal(rb_drive_config_parse("d.conf", text, strlen(text), &c, err, sizeof err),
                         -EINVAL);
        if (strcmp(err, want) != 0)
                fail_msg("got \"%s\", want \"%s\"", err, want);
}

static void test_errors(void **state)
{
        expect_error("write-offset = 3\n",
                     "d.conf:1: \"write-offset\" outside a [drive \"VENDOR\" \"PRODUCT\"] section");
        expect_error("[drive PLEXTOR]\n", "d.conf:1: expected [drive \"VENDOR\" \"PRODUCT\"]");
        expect_error("[drive \"A\" \"B\"]\nwrite-offset = 3x\n",
                     "d.conf:2: write-offset \"3x\" is not a number of samples from -88200 to "
                     "88200");
        expect_error("[drive \"A\" \"B\"]\nspeed = 3\n",
                     "d.conf:2: unknown key \"speed\" (write-offset)");
        expect_error("[drive \"A\" \"B\"]\n[drive \"a\" \"b \"]\n",
                     "d.conf:2: this drive has a section already (line 1)");
        expect_error("[drive \"A\" \"B\"]\njunk\n", "d.conf:2: expected KEY = VALUE");
}

static void test_set_offset(void **state)
{
        char dir[] = "/tmp/rawburn-drives-XXXXXX", path[64], err[256] = "";
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/drives.conf", dir);
        /* A missing file: an empty configuration, then a new section. */
        rb_drive_config_t c;
        assert_int_equal(rb_drive_config_load(path, &c, err, sizeof err), 0);
        assert_int_equal(c.count, 0);
        FILE *f = fopen(path, "w");
        fputs(conf, f);
        fclose(f);
        assert_int_equal(rb_drive_config_set_write_offset(path, "HL-DT-ST", "DVDRAM GH24NSD1", 667,
                                                          err, sizeof err),
                         0);
        assert_int_equal(
            rb_drive_config_set_write_offset(path, "ASUS", "DRW-24F1ST c", -12, err, sizeof err),
            0);
        assert_int_equal(
            rb_drive_config_set_write_offset(path, "NEW", "DRIVE 1", 48, err, sizeof err), 0);
        assert_int_equal(rb_drive_config_load(path, &c, err, sizeof err), 0);
        assert_int_equal(c.count, 4);
        assert_int_equal(rb_drive_config_find(&c, "PLEXTOR", "DVDR PX-716A")->write_offset, 30);
        assert_int_equal(rb_drive_config_find(&c, "HL-DT-ST", "DVDRAM GH24NSD1")->write_offset,
                         667);
        assert_int_equal(rb_drive_config_find(&c, "ASUS", "DRW-24F1ST c")->write_offset, -12);
        assert_int_equal(rb_drive_config_find(&c, "NEW", "DRIVE 1")->write_offset, 48);
        rb_drive_config_free(&c);
        /* Comments survive. */
        char text[1024] = "";
        f = fopen(path, "r");
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = 0;
        assert_non_null(strstr(text, "# offsets from the AccurateRip list\n"));
        assert_non_null(strstr(text, "; another\n"));
        assert_int_equal(rb_drive_config_set_write_offset(path, "A", "B", 100000, err, sizeof err),
                         -EINVAL);
        unlink(path);
        rmdir(dir);
}

static void test_default_path(void **state)
{
        setenv("RAWBURN_DRIVES_CONF", "/x/y.conf", 1);
        assert_string_equal(rb_drive_config_default_path(), "/x/y.conf");
        unsetenv("RAWBURN_DRIVES_CONF");
        const char *p = rb_drive_config_default_path();
        size_t n = strlen(p);
        assert_true(n > 20 && strcmp(p + n - 20, "/rawburn/drives.conf") == 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_find),
            cmocka_unit_test(test_errors),
            cmocka_unit_test(test_set_offset),
            cmocka_unit_test(test_default_path),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
