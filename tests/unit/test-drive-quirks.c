/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The drive quirks files (rawburn/drive-quirks.h, docs/quirks.md), read by the one parser
 * rawburnd and rawburnctl share: the syntax, the lines refused and why, the write offset's
 * limits, the distribution's file and the local one together (the later entry wins), and
 * set-offset keeping the rest of the local file as it was.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/drive-quirks.h"
#include "rawburn/write-offset.h"

typedef struct warnings {
        unsigned n;
        char names[16][64];
        unsigned lines[16];
        char text[16][200];
} warnings;

static void collect(void *userdata, const char *name, unsigned line, const char *message)
{
        warnings *w = userdata;

        assert_true(w->n < 16);
        snprintf(w->names[w->n], sizeof w->names[0], "%s", name);
        w->lines[w->n] = line;
        snprintf(w->text[w->n], sizeof w->text[0], "%s", message);
        w->n++;
}

static const char good_text[] =
    "# a comment, then a blank line\n"
    "\n"
    "vendor=ACME product=\"CD-RW  BURN 52X\" revision=1.0? drop=RAW/R96P,TEST/* "
    "write-offset=+30\n"
    "   vendor=ACME revision=2.* drop=SAO   # trailing comment\n"
    "product=*DVD* write-offset=-472 read-offset=+667\n"
    "vendor=ACME product=\"CD-RW  BURN 52X\" write-offset=6";

static void test_parse(void **state)
{
        warnings w = {0};
        rb_quirks_t q = {0};

        assert_int_equal(
            rb_quirks_parse(&q, RB_QUIRKS_DISTRIBUTION, "d.conf", good_text, collect, &w), 0);
        assert_int_equal(w.n, 0);
        assert_int_equal(q.count, 4);
        assert_int_equal(q.entries[0].line, 3);
        assert_int_equal(q.entries[0].origin, RB_QUIRKS_DISTRIBUTION);
        assert_string_equal(q.entries[0].vendor, "ACME");
        assert_string_equal(q.entries[0].product, "CD-RW  BURN 52X"); /* blanks kept in quotes */
        assert_string_equal(q.entries[0].revision, "1.0?");
        assert_true(q.entries[0].revision_given);
        assert_string_equal(q.entries[0].drop[0], "RAW/R96P");
        assert_string_equal(q.entries[0].drop[1], "TEST/*");
        assert_null(q.entries[0].drop[2]);
        assert_true(q.entries[0].has_write_offset);
        assert_int_equal(q.entries[0].write_offset, 30);
        assert_int_equal(q.entries[1].line, 4);
        assert_string_equal(q.entries[1].product, "*"); /* a key left out matches anything */
        assert_false(q.entries[1].has_write_offset);
        assert_int_equal(q.entries[2].write_offset, -472);
        assert_true(q.entries[2].has_read_offset);
        assert_int_equal(q.entries[2].read_offset, 667);
        assert_false(q.entries[0].has_read_offset);
        assert_ptr_equal(rb_quirks_read_offset(&q, "ACME", "DVD 16X", "1.00"), &q.entries[2]);
        assert_null(rb_quirks_read_offset(&q, "ACME", "CD-RW  BURN 52X", "1.00"));
        assert_false(q.entries[2].revision_given);
        assert_null(q.entries[2].drop);
        assert_int_equal(q.entries[3].line, 6); /* the last line needs no newline */
        rb_quirks_free(&q);
        assert_int_equal(q.count, 0);

        assert_int_equal(rb_quirks_parse(&q, RB_QUIRKS_LOCAL, "e", "", collect, &w), 0);
        assert_int_equal(q.count, 0);
        rb_quirks_free(&q);
}

static void test_bad_lines_are_skipped_with_a_reason(void **state)
{
        static const struct {
                const char *line, *why;
        } bad[] = {
            {"vendor=ACME", "says nothing of the drive"},
            {"drop=SAO", "names no drive"},
            {"vendor=ACME drop=DAO", "drop=DAO: no write mode is called so"},
            {"vendor=ACME drop=SAO,RAW/R96", "drop=RAW/R96: no write mode is called so"},
            {"vendor=ACME write-offset=lots", "write-offset=lots: give samples from -88200 to "
                                              "+88200"},
            {"vendor=ACME write-offset=30x", "write-offset=30x"},
            {"vendor=ACME write-offset=", "write-offset=:"},
            {"vendor=ACME write-offset=88201", "write-offset=88201"},
            {"vendor=ACME write-offset=-88201", "write-offset=-88201"},
            {"vendor=ACME read-offset=+1s", "read-offset=+1s: give samples from -88200 to "
                                            "+88200"},
            {"vendor=ACME read-offset=1 read-offset=2", "unknown or repeated key 'read-offset'"},
            {"vendor=ACME colour=blue drop=SAO", "unknown or repeated key 'colour'"},
            {"vendor=ACME drop=SAO drop=TAO", "unknown or repeated key 'drop'"},
            {"vendor=ACME vendor=ACME drop=SAO", "unknown or repeated key 'vendor'"},
            {"vendor=ACME write-offset=1 write-offset=2", "unknown or repeated key "
                                                          "'write-offset'"},
            {"vendor=\"ACME drop=SAO", "a quote is not closed"},
            {"vendor=ACME SAO", "'SAO' is not KEY=VALUE"},
            /* drives.conf, the old second format, is no quirks file */
            {"[drive \"ACME\" \"CD-RW\"]", "is not KEY=VALUE"},
        };

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char text[256];
                warnings w = {0};
                rb_quirks_t q = {0};

                snprintf(text, sizeof text,
                         "vendor=GOOD drop=TAO\n%s\nvendor=ALSO write-offset=-6\n", bad[i].line);
                assert_int_equal(rb_quirks_parse(&q, RB_QUIRKS_LOCAL, "l.conf", text, collect, &w),
                                 0);
                /* The bad line goes; the lines around it stay. */
                assert_int_equal(q.count, 2);
                assert_string_equal(q.entries[0].vendor, "GOOD");
                assert_string_equal(q.entries[1].vendor, "ALSO");
                assert_int_equal(q.entries[1].write_offset, -6);
                assert_int_equal(w.n, 1);
                assert_string_equal(w.names[0], "l.conf");
                assert_int_equal(w.lines[0], 2);
                if (!strstr(w.text[0], bad[i].why))
                        fail_msg("'%s': said '%s', expected '%s'", bad[i].line, w.text[0],
                                 bad[i].why);
                rb_quirks_free(&q);
        }
}

static void test_limits(void **state)
{
        char text[128];
        rb_quirks_t q = {0};

        /* The limits are the offset shifter's: what is read can be applied. */
        snprintf(text, sizeof text, "vendor=A write-offset=%d\nvendor=B write-offset=-%d\n",
                 RB_WRITE_OFFSET_MAX, RB_WRITE_OFFSET_MAX);
        assert_int_equal(rb_quirks_parse(&q, RB_QUIRKS_LOCAL, "x", text, NULL, NULL), 0);
        assert_int_equal(q.count, 2);
        assert_int_equal(q.entries[0].write_offset, 88200);
        assert_int_equal(q.entries[1].write_offset, -88200);
        rb_quirks_free(&q);
}

static void test_mode_names(void **state)
{
        assert_true(rb_quirks_names_write_mode("SAO"));
        assert_true(rb_quirks_names_write_mode("TEST/RAW/R16"));
        assert_true(rb_quirks_names_write_mode("RAW/*"));
        assert_true(rb_quirks_names_write_mode("*R96*"));
        assert_false(rb_quirks_names_write_mode("DAO"));
        assert_false(rb_quirks_names_write_mode("raw/r96r")); /* case-sensitive */
}

static void test_match_and_precedence(void **state)
{
        static const char local[] = "vendor=ACME product=\"CD-RW  BURN 52X\" write-offset=+667\n"
                                    "vendor=NEW product=DRIVE write-offset=0\n";
        rb_quirks_t q = {0};
        const rb_quirk_t *k;

        assert_int_equal(rb_quirks_parse(&q, RB_QUIRKS_DISTRIBUTION, "d", good_text, NULL, NULL),
                         0);
        /* The distribution's file alone: lines 3 and 6 match 1.02, the later wins. */
        k = rb_quirks_write_offset(&q, "ACME", "CD-RW  BURN 52X", "1.02");
        assert_non_null(k);
        assert_int_equal(k->write_offset, 6);
        assert_int_equal(k->line, 6);
        assert_int_equal(k->origin, RB_QUIRKS_DISTRIBUTION);
        k = rb_quirks_write_offset(&q, "OTHER", "DVD-RW DRIVE", "9.99");
        assert_int_equal(k->write_offset, -472);
        /* Case-sensitive, whole-string globs; blanks inside count. */
        assert_null(rb_quirks_write_offset(&q, "acme", "CD-RW  BURN 52X", "1.02"));
        assert_null(rb_quirks_write_offset(&q, "ACME", "CD-RW BURN 52X", "1.02"));
        assert_null(rb_quirks_write_offset(&q, "NEW", "DRIVE", "1.00"));

        /* The local file after it: its entries win. */
        assert_int_equal(rb_quirks_parse(&q, RB_QUIRKS_LOCAL, "l", local, NULL, NULL), 0);
        assert_int_equal(q.count, 6);
        k = rb_quirks_write_offset(&q, "ACME", "CD-RW  BURN 52X", "1.02");
        assert_int_equal(k->write_offset, 667);
        assert_int_equal(k->origin, RB_QUIRKS_LOCAL);
        assert_int_equal(k->line, 1);
        assert_string_equal(rb_quirks_origin_name(k->origin), "local");
        /* An offset of 0 is an offset: the local file can take one back. */
        k = rb_quirks_write_offset(&q, "NEW", "DRIVE", "1.00");
        assert_non_null(k);
        assert_int_equal(k->write_offset, 0);
        /* The revision not known (--drive-model): only entries naming none. */
        assert_false(rb_quirk_matches(&q.entries[0], "ACME", "CD-RW  BURN 52X", NULL));
        assert_true(rb_quirk_matches(&q.entries[3], "ACME", "CD-RW  BURN 52X", NULL));
        rb_quirks_free(&q);

        assert_string_equal(rb_quirks_origin_name(RB_QUIRKS_DISTRIBUTION), "distribution");
        assert_string_equal(rb_quirks_origin_name(RB_QUIRKS_NONE), "none");
        assert_null(rb_quirks_write_offset(NULL, "A", "B", "C"));
}

static char *temp_dir(void)
{
        char tmpl[] = "/tmp/rawburn-quirks-XXXXXX";
        char *dir = mkdtemp(tmpl);
        assert_non_null(dir);
        return strdup(dir);
}

static void write_text(const char *path, const char *text)
{
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

static void test_load_both_files(void **state)
{
        char *dir = temp_dir(), dist[256], local[256];
        warnings w = {0};
        rb_quirks_t q = {0};

        snprintf(dist, sizeof dist, "%s/dist.conf", dir);
        snprintf(local, sizeof local, "%s/local.conf", dir);
        write_text(dist, good_text);
        write_text(local, "vendor=ACME write-offset=-12\nvendor=ACME write-offset=lots\n");
        assert_int_equal(rb_quirks_load(&q, RB_QUIRKS_DISTRIBUTION, dist, collect, &w), 0);
        assert_int_equal(rb_quirks_load(&q, RB_QUIRKS_LOCAL, local, collect, &w), 0);
        assert_int_equal(q.count, 5);
        assert_int_equal(w.n, 1);
        assert_string_equal(w.names[0], local);
        assert_int_equal(w.lines[0], 2);
        const rb_quirk_t *k = rb_quirks_write_offset(&q, "ACME", "CD-RW  BURN 52X", "2.00");
        assert_int_equal(k->write_offset, -12);
        assert_int_equal(k->origin, RB_QUIRKS_LOCAL);

        /* No file: nothing added, no error. A directory: an error, q as it was. */
        unlink(local);
        assert_int_equal(rb_quirks_load(&q, RB_QUIRKS_LOCAL, local, collect, &w), 0);
        assert_int_equal(rb_quirks_load(&q, RB_QUIRKS_LOCAL, dir, collect, &w), -EISDIR);
        assert_int_equal(q.count, 5);
        rb_quirks_free(&q);
        unlink(dist);
        rmdir(dir);
        free(dir);

        /* The built-in paths: the data dir's and the configuration dir's. */
        const char *p = rb_quirks_default_path(RB_QUIRKS_DISTRIBUTION);
        assert_non_null(strstr(p, "/share/rawburn/quirks.conf"));
        p = rb_quirks_default_path(RB_QUIRKS_LOCAL);
        assert_non_null(strstr(p, "etc/rawburn/quirks.conf"));
        assert_null(rb_quirks_default_path(RB_QUIRKS_NONE));
}

static char *read_text(const char *path)
{
        static char buf[4096];
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        return buf;
}

static void test_set_write_offset(void **state)
{
        char *dir = temp_dir(), path[256], err[512] = "";
        rb_quirks_t q = {0};

        snprintf(path, sizeof path, "%s/quirks.conf", dir);
        /* A new file. */
        assert_int_equal(
            rb_quirks_set_write_offset(path, "PLEXTOR", "DVDR   PX-716A", 30, err, sizeof err), 0);
        assert_string_equal(read_text(path),
                            "vendor=\"PLEXTOR\" product=\"DVDR   PX-716A\" write-offset=+30\n");
        /* Kept: comments, other drives, a line with a drop or a revision for this one. */
        write_text(path, "# mine\n"
                         "vendor=PLEXTOR product=\"DVDR   PX-716A\" write-offset=+30\n"
                         "vendor=PLEXTOR product=\"DVDR   PX-716A\" revision=1.0* write-offset=1\n"
                         "vendor=PLEXTOR product=\"DVDR   PX-716A\" drop=SAO\n"
                         "vendor=HL-DT-ST product=* write-offset=+667\n");
        assert_int_equal(
            rb_quirks_set_write_offset(path, "PLEXTOR", "DVDR   PX-716A", -6, err, sizeof err), 0);
        assert_string_equal(read_text(path),
                            "# mine\n"
                            "vendor=PLEXTOR product=\"DVDR   PX-716A\" revision=1.0* "
                            "write-offset=1\n"
                            "vendor=PLEXTOR product=\"DVDR   PX-716A\" drop=SAO\n"
                            "vendor=HL-DT-ST product=* write-offset=+667\n"
                            "vendor=\"PLEXTOR\" product=\"DVDR   PX-716A\" write-offset=-6\n");
        /* A name with a glob's specials matches itself alone. */
        assert_int_equal(rb_quirks_set_write_offset(path, "ODD", "CD*[1]?", 48, err, sizeof err),
                         0);
        assert_int_equal(rb_quirks_load(&q, RB_QUIRKS_LOCAL, path, NULL, NULL), 0);
        assert_int_equal(rb_quirks_write_offset(&q, "ODD", "CD*[1]?", "1")->write_offset, 48);
        assert_null(rb_quirks_write_offset(&q, "ODD", "CDX1X", "1"));
        assert_int_equal(rb_quirks_write_offset(&q, "PLEXTOR", "DVDR   PX-716A", "2")->write_offset,
                         -6);
        rb_quirks_free(&q);

        /* Refused: beyond the limit, a quote in a name. */
        assert_int_equal(
            rb_quirks_set_write_offset(path, "A", "B", RB_WRITE_OFFSET_MAX + 1, err, sizeof err),
            -EINVAL);
        assert_non_null(strstr(err, "beyond ±88200"));
        assert_int_equal(rb_quirks_set_write_offset(path, "A", "B\"C", 1, err, sizeof err),
                         -EINVAL);
        unlink(path);

        /* A fresh install has no /etc/rawburn: the folders are made. */
        char deep[300];
        snprintf(deep, sizeof deep, "%s/etc/rawburn/quirks.conf", dir);
        assert_int_equal(rb_quirks_set_write_offset(deep, "A", "B", 7, err, sizeof err), 0);
        assert_string_equal(read_text(deep), "vendor=\"A\" product=\"B\" write-offset=+7\n");
        struct stat st;
        snprintf(deep, sizeof deep, "%s/etc/rawburn", dir);
        assert_int_equal(stat(deep, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0755);
        snprintf(deep, sizeof deep, "%s/etc/rawburn/quirks.conf", dir);
        unlink(deep);
        snprintf(deep, sizeof deep, "%s/etc/rawburn", dir);
        rmdir(deep);
        snprintf(deep, sizeof deep, "%s/etc", dir);
        rmdir(deep);
        rmdir(dir);
        free(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse),
            cmocka_unit_test(test_bad_lines_are_skipped_with_a_reason),
            cmocka_unit_test(test_limits),
            cmocka_unit_test(test_mode_names),
            cmocka_unit_test(test_match_and_precedence),
            cmocka_unit_test(test_load_both_files),
            cmocka_unit_test(test_set_write_offset),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
