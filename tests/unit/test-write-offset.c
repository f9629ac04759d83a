/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Write-offset correction: every sample of a program area whose samples are
 * numbered 1, 2, 3, … must come out `offset` places earlier, silence where
 * nothing is left to shift in, data sectors untouched, and the non-silent
 * samples that fall off counted.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/write-offset.h"

#define FIRST   (-150)
#define END     50
#define DATA_LO 20 /* sectors 20..29 are data */
#define DATA_HI 30

static bool is_audio(void *ctx, int32_t lba)
{
        (void)ctx;
        return lba < DATA_LO || lba >= DATA_HI;
}

/* Sample n (counted from FIRST's first sample, from 1) holds n in both channels. */
static uint32_t sample_no(int32_t lba, int i)
{
        return (uint32_t)((lba - FIRST) * 588 + i + 1);
}

static int source(void *ctx, int32_t lba, uint8_t main[RB_SECTOR_SIZE],
                  uint8_t rw[RB_OFFSET_RW_BYTES])
{
        int32_t *expect = ctx;
        assert_int_equal(lba, *expect); /* asked once per LBA, in order */
        (*expect)++;
        memset(rw, lba & 0x3F, RB_OFFSET_RW_BYTES);
        for (int i = 0; i < 588; i++) {
                uint32_t n = is_audio(NULL, lba) ? sample_no(lba, i) : 0xDDDD;
                memcpy(main + 4 * i, &n, 4);
        }
        return 0;
}

static void run(int32_t offset, uint64_t dropped)
{
        rb_offset_shifter_t *s;
        int32_t expect = FIRST;
        uint8_t main[RB_SECTOR_SIZE], rw[RB_OFFSET_RW_BYTES];

        assert_int_equal(rb_offset_shifter_new(offset, FIRST, END, source, is_audio, &expect, &s),
                         0);
        for (int32_t lba = FIRST; lba < END; lba++) {
                assert_int_equal(rb_offset_shifter_get(s, lba, main, rw), 0);
                assert_int_equal(rw[0], lba & 0x3F); /* R-W stay with their sector */
                for (int i = 0; i < 588; i++) {
                        uint32_t got;
                        memcpy(&got, main + 4 * i, 4);
                        if (!is_audio(NULL, lba)) {
                                assert_int_equal(got, 0xDDDD);
                                continue;
                        }
                        /* The sample offset places later in the source, if it is audio. */
                        int64_t src = (int64_t)(lba - FIRST) * 588 + i + offset;
                        int64_t src_lba = (src >= 0 ? src / 588 : (src - 587) / 588) + FIRST;
                        uint32_t want =
                            src_lba >= FIRST && src_lba < END && is_audio(NULL, (int32_t)src_lba)
                                ? (uint32_t)(src + 1)
                                : 0;
                        if (got != want)
                                fail_msg("offset %d: LBA %d sample %d: %u, want %u", offset, lba, i,
                                         got, want);
                }
        }
        assert_int_equal(expect, END);
        assert_int_equal(rb_offset_shifter_dropped(s), dropped);
        rb_offset_shifter_free(s);
}

static void test_offsets(void **state)
{
        /* +30: the first 30 samples (at LBA -150) drop, and the 30 before the
         * data track; the 30 after it are shifted onto the data: dropped too. */
        run(30, 30 + 30);
        run(-30, 30 + 30);
        run(0, 0);
        run(588, 588 + 588);
        run(-1177, 1177 + 1177);
        /* 2 s: all of LBA -150..-1 falls off the start; the rest lands on audio. */
        run(RB_WRITE_OFFSET_MAX, 150 * 588);
}

static void test_limits(void **state)
{
        rb_offset_shifter_t *s;
        assert_int_equal(
            rb_offset_shifter_new(RB_WRITE_OFFSET_MAX + 1, FIRST, END, source, is_audio, NULL, &s),
            -EINVAL);
        assert_int_equal(rb_offset_shifter_new(10, 5, 5, source, is_audio, NULL, &s), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_offsets),
            cmocka_unit_test(test_limits),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
