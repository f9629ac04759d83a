/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawburnctl's pieces that need no bus: the sense, command and hint read out
 * of a daemon error message (client/error-details.c), and the comparison of
 * a sector read back with the one sent (client/sector-compare.c) in each
 * sector type, with the subchannel built by librawburn as a burn sends it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "error-details.h"
#include "error-hints.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"
#include "sector-compare.h"

/* ---------------------------------------------------------- error details */

static void test_sense_command_and_hint(void **state)
{
        error_details d;
        error_details_parse("The device reported an unexpected error. (HRESULT 0xC0AA0301): "
                            "writing: command 2Ah, sense 03/73/03. Hint: power calibration "
                            "failed: lower the write speed, or try discs of another make",
                            &d);
        assert_true(d.has_sense);
        assert_int_equal(d.sense_key, 0x03);
        assert_int_equal(d.asc, 0x73);
        assert_int_equal(d.ascq, 0x03);
        assert_true(d.has_command);
        assert_int_equal(d.command, 0x2a);
        assert_string_equal(d.hint, "power calibration failed: lower the write speed, or try "
                                    "discs of another make");
}

static void test_hint_without_its_full_stop_and_lower_case_hex(void **state)
{
        error_details d;
        error_details_parse("x: command beh, sense 02/3a/01. Hint: insert a disc.\n", &d);
        assert_true(d.has_sense);
        assert_int_equal(d.asc, 0x3a);
        assert_int_equal(d.command, 0xbe);
        assert_string_equal(d.hint, "insert a disc");
}

static void test_messages_without_details(void **state)
{
        error_details d;
        error_details_parse("The request was cancelled. (HRESULT 0xC0AA0002)", &d);
        assert_false(d.has_sense);
        assert_false(d.has_command);
        assert_string_equal(d.hint, "");
        /* Words that look alike but are not the form. */
        error_details_parse("the sense 3/73/3 of command 2A, sense 03/73/033", &d);
        assert_false(d.has_sense);
        assert_false(d.has_command);
        error_details_parse(NULL, &d);
        assert_false(d.has_sense);
}

static void test_last_sense_is_the_failing_commands(void **state)
{
        error_details d;
        error_details_parse("MODE SENSE failed with sense 05/24/00, then command 35h, sense "
                            "03/0C/09",
                            &d);
        assert_int_equal(d.sense_key, 0x03);
        assert_int_equal(d.asc, 0x0c);
        assert_int_equal(d.ascq, 0x09);
        assert_int_equal(d.command, 0x35);
}

static void test_operation_hints(void **state)
{
        const error_hint *h =
            error_hint_lookup_for("org.rawburn1.Error.RecorderMediaNoMedia", "EraseMedia");
        assert_non_null(h);
        assert_non_null(strstr(h->hint, "CD-RW to erase"));
        /* Elsewhere, and for other names, the general sentence. */
        assert_ptr_equal(
            error_hint_lookup_for("org.rawburn1.Error.RecorderMediaNoMedia", "PrepareMedia"),
            error_hint_lookup("org.rawburn1.Error.RecorderMediaNoMedia"));
        assert_ptr_equal(error_hint_lookup_for("org.rawburn1.Error.MediaIsNotBlank", "EraseMedia"),
                         error_hint_lookup("org.rawburn1.Error.MediaIsNotBlank"));
        assert_non_null(
            strstr(error_hint_lookup("org.rawburn1.Error.EraseMediaIsNotErasable")->hint,
                   "this is not a CD-RW"));
        assert_null(error_hint_lookup_for(NULL, "EraseMedia"));
}

/* --------------------------------------------------------- sector compare */

/* An audio sector at some LBA as a burn sends it in each sector type, and
 * the 2448 bytes READ CD gives back for it. */
typedef struct sample {
        uint8_t read[SECTOR_READ_SIZE];
        uint8_t raw[2448], cooked[2448], pq[2368];
} sample;

static void make_sample(sample *s, bool data)
{
        uint8_t q[12], rw[96], sub[96];
        for (int i = 0; i < 2352; i++)
                s->raw[i] = (uint8_t)(i * 7 + 3);
        if (data) {
                /* A Mode 1 sector: sync, and scrambled as RAW writing sends it. */
                memset(s->raw, 0xFF, 12);
                s->raw[0] = s->raw[11] = 0;
                s->raw[15] = 1;
                rb_scramble_sector(s->raw);
        }
        for (int i = 0; i < 12; i++)
                q[i] = (uint8_t)(0x41 + i);
        for (int i = 0; i < 96; i++)
                rw[i] = (uint8_t)(i & 0x3f);
        memset(sub, 0, sizeof sub);
        rb_subchannel_put(sub, RB_CH_Q, q);
        rb_subchannel_set_p(sub, true);
        rb_subchannel_put_rw(sub, rw);
        memcpy(s->raw + 2352, sub, 96);
        /* Cooked: P and Q interleaved, R-W as packs (here: other bits). */
        memcpy(s->cooked, s->raw, 2352);
        uint8_t cooked_sub[96];
        memcpy(cooked_sub, sub, 96);
        for (int i = 0; i < 96; i++)
                cooked_sub[i] = (uint8_t)((cooked_sub[i] & 0xC0) | ((i * 5) & 0x3f));
        memcpy(s->cooked + 2352, cooked_sub, 96);
        memcpy(s->pq, s->raw, 2352);
        rb_pq16_from_raw(sub, s->pq + 2352);
        /* What the drive returns: main channel (descrambled for data), raw P-W. */
        memcpy(s->read, s->raw, 2448);
        if (data)
                rb_scramble_sector(s->read);
}

static void test_sector_types_compare_what_the_drive_returns(void **state)
{
        sample s;
        make_sample(&s, false);
        assert_int_equal(sector_stream_size(1), 2368);
        assert_int_equal(sector_stream_size(3), 2448);
        assert_int_equal(sector_stream_size(0), 0);
        assert_int_equal(sector_compare(s.read, s.raw, 3), 0);
        /* Cooked R-W come back interleaved with parity: not compared. */
        assert_int_equal(sector_compare(s.read, s.cooked, 2), 0);
        assert_int_equal(sector_compare(s.read, s.pq, 1), 0);
        /* The same R-W difference counts for raw sectors. */
        assert_int_equal(sector_compare(s.read, s.cooked, 3), SECTOR_DIFF_RW);
        /* P is not compared. */
        rb_subchannel_set_p(s.read + 2352, false);
        assert_int_equal(sector_compare(s.read, s.raw, 3), 0);
}

static void test_differences_by_channel(void **state)
{
        sample s;
        uint8_t q[12];
        make_sample(&s, false);
        s.read[100] ^= 0xFF;
        assert_int_equal(sector_compare(s.read, s.raw, 3), SECTOR_DIFF_MAIN);
        assert_int_equal(sector_compare(s.read, s.pq, 1), SECTOR_DIFF_MAIN);
        s.read[100] ^= 0xFF;
        rb_subchannel_get(s.read + 2352, RB_CH_Q, q);
        q[5] ^= 1;
        rb_subchannel_put(s.read + 2352, RB_CH_Q, q);
        assert_int_equal(sector_compare(s.read, s.raw, 3), SECTOR_DIFF_Q);
        assert_int_equal(sector_compare(s.read, s.cooked, 2), SECTOR_DIFF_Q);
        assert_int_equal(sector_compare(s.read, s.pq, 1), SECTOR_DIFF_Q);
        s.read[2000] ^= 1;
        char text[96];
        assert_string_equal(sector_diff_text(sector_compare(s.read, s.raw, 3), text, sizeof text),
                            "the main channel and the Q subchannel");
        assert_string_equal(sector_diff_text(7, text, sizeof text),
                            "the main channel, the Q subchannel and the R-W subchannel");
}

static void test_data_sectors_come_back_descrambled(void **state)
{
        sample s;
        make_sample(&s, true);
        assert_int_equal(sector_compare(s.read, s.raw, 3), 0);
        /* A drive (or rawburnd) that gives it back as it was sent matches too. */
        assert_int_equal(sector_compare(s.raw, s.raw, 3), 0);
        /* drivesim's `corrupt`: bytes 16-2351 inverted, sync and header kept. */
        for (int i = 16; i < 2352; i++)
                s.read[i] ^= 0xFF;
        assert_int_equal(sector_compare(s.read, s.raw, 3), SECTOR_DIFF_MAIN);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sense_command_and_hint),
            cmocka_unit_test(test_hint_without_its_full_stop_and_lower_case_hex),
            cmocka_unit_test(test_messages_without_details),
            cmocka_unit_test(test_last_sense_is_the_failing_commands),
            cmocka_unit_test(test_operation_hints),
            cmocka_unit_test(test_sector_types_compare_what_the_drive_returns),
            cmocka_unit_test(test_differences_by_channel),
            cmocka_unit_test(test_data_sectors_come_back_descrambled),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
