/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Binary CD-Text files: with and without the 4-byte READ TOC header (as
 * wodim and cdrskin save cdtext.dat), Sony's trailing NUL, all-zero CRCs
 * computed as cdrskin does, a wrong CRC refused naming the pack.
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

#include "rawburn/cdtext-file.h"
#include "rawburn/cdtext.h"

static void make(uint8_t **packs, size_t *n)
{
        rb_cdtext_t t = {0};
        char err[128];
        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 0, "Album");
        rb_cdtext_set(&t, RB_CDTEXT_TITLE, 1, "Song");
        assert_int_equal(rb_cdtext_build(&t, 1, 1, NULL, packs, n, NULL, NULL, 0, err, sizeof err),
                         0);
        rb_cdtext_clear(&t);
}

static void test_forms(void **state)
{
        uint8_t *packs, *got;
        size_t n, count;
        char err[256] = "";
        make(&packs, &n);
        size_t len = n * 18;
        uint8_t *file = calloc(1, len + 5);
        /* With the header: length of the rest + 2, then 00 00. */
        file[0] = (uint8_t)((len + 2) >> 8);
        file[1] = (uint8_t)(len + 2);
        memcpy(file + 4, packs, len);
        assert_int_equal(
            rb_cdtext_file_parse("c.dat", file, len + 4, &got, &count, err, sizeof err), 0);
        assert_int_equal(count, n);
        assert_memory_equal(got, packs, len);
        free(got);
        /* Bare packs with a trailing NUL. */
        memcpy(file, packs, len);
        file[len] = 0;
        assert_int_equal(
            rb_cdtext_file_parse("c.dat", file, len + 1, &got, &count, err, sizeof err), 0);
        assert_memory_equal(got, packs, len);
        free(got);
        /* All CRCs zero: computed. */
        for (size_t i = 0; i < n; i++)
                file[18 * i + 16] = file[18 * i + 17] = 0;
        assert_int_equal(rb_cdtext_file_parse("c.dat", file, len, &got, &count, err, sizeof err),
                         0);
        assert_memory_equal(got, packs, len);
        free(got);
        /* One wrong CRC: refused, naming the pack. */
        memcpy(file, packs, len);
        file[18 + 16] ^= 0xFF;
        assert_int_equal(rb_cdtext_file_parse("c.dat", file, len, &got, &count, err, sizeof err),
                         -EINVAL);
        assert_non_null(strstr(err, "c.dat: pack 1 (byte 18): wrong CRC"));
        /* Not packs at all. */
        assert_int_equal(rb_cdtext_file_parse("c.dat", file, 20, &got, &count, err, sizeof err),
                         -EINVAL);
        assert_non_null(strstr(err, "20 bytes are not CD-Text packs"));
        memset(file, 0x41, 18);
        assert_int_equal(rb_cdtext_file_parse("c.dat", file, 18, &got, &count, err, sizeof err),
                         -EINVAL);
        if (!strstr(err, "type 41h is not a CD-Text pack type"))
                fail_msg("%s", err);
        free(file);
        free(packs);
}

static void test_save_load(void **state)
{
        uint8_t *packs, *got;
        size_t n, count;
        char err[256] = "", path[] = "/tmp/rawburn-cdtext-XXXXXX";
        make(&packs, &n);
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(rb_cdtext_file_save(path, packs, n, err, sizeof err), 0);
        FILE *f = fopen(path, "rb");
        uint8_t head[4];
        assert_int_equal(fread(head, 1, 4, f), 4);
        fclose(f);
        assert_int_equal(head[0] << 8 | head[1], (int)(n * 18 + 2));
        assert_int_equal(rb_cdtext_file_load(path, &got, &count, err, sizeof err), 0);
        assert_int_equal(count, n);
        assert_memory_equal(got, packs, n * 18);
        free(got);
        unlink(path);
        close(fd);
        free(packs);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_forms),
            cmocka_unit_test(test_save_load),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
