/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every SPEC media type as a host sees it: the profile, the ATIP (READ TOC format 4), READ
 * DISC INFORMATION and READ CAPACITY of a blank; and the 6-byte mode commands. Expected
 * values: the lead-in starts and last lead-out starts wodim -atip prints for real discs of
 * each kind (the table in media.c cites them), ATIP byte 4 as those discs carry it, and the
 * MMC-5 layouts (mmc-raw.md §3.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ds-internal.h"
#include "sim-helpers.h"

typedef struct expected_media {
        const char *spec;
        uint16_t profile;
        uint8_t atip_byte4; /* writing power and reference speed */
        uint8_t atip_byte6; /* bit 7 always 1, disc type (CD-RW), sub-type, A1-A3 valid */
        uint8_t leadin[3], leadout[3];
} expected_media;

static const expected_media recordable[] = {
    {"cdr74", 0x0009, 0xD2, 0x80, {97, 26, 66}, {74, 0, 0}},
    {"cdr80", 0x0009, 0xD2, 0x80, {97, 26, 66}, {79, 59, 74}},
    {"cdr90", 0x0009, 0xD2, 0x80, {97, 15, 0}, {89, 59, 74}},
    {"cdr99", 0x0009, 0xD2, 0x80, {97, 15, 0}, {89, 59, 74}},
    {"cdrw74", 0x000A, 0xB6, 0x80 | 0x40 | 1 << 3 | 0x06, {97, 26, 66}, {74, 0, 0}},
    {"cdrw80", 0x000A, 0x90, 0x80 | 0x40 | 2 << 3 | 0x07, {97, 26, 66}, {79, 59, 74}},
    {"cdrw", 0x000A, 0x90, 0x80 | 0x40 | 2 << 3 | 0x07, {97, 26, 66}, {79, 59, 74}},
};

static uint16_t current_profile(sim *s)
{
        assert_int_equal(sim_in(s, CDB(0x46, 0x01, 0, 0, 0, 0, 0, 0, 8, 0), 8), 0);
        return ds_get_be16(s->data + 6);
}

static int read_atip(sim *s)
{
        return sim_in(s, CDB(0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 28, 0), 28);
}

static void test_recordable_media(void **state)
{
        for (size_t i = 0; i < sizeof recordable / sizeof recordable[0]; i++) {
                const expected_media *m = &recordable[i];
                sim *s = sim_new(m->spec);
                bool rw = m->profile == 0x000A;

                print_message("%s\n", m->spec);
                assert_int_equal(current_profile(s), m->profile);

                assert_int_equal(read_atip(s), 0);
                assert_int_equal(sim_transferred(s), 28);
                assert_int_equal(ds_get_be16(s->data), 26);
                assert_int_equal(s->data[4], m->atip_byte4);
                assert_int_equal(s->data[6], m->atip_byte6);
                assert_memory_equal(s->data + 8, m->leadin, 3);
                assert_memory_equal(s->data + 12, m->leadout, 3);

                assert_int_equal(sim_in(s, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0), 34), 0);
                assert_int_equal(s->data[2], rw ? 0x10 : 0x00); /* erasable; empty disc */
                assert_int_equal(s->data[3], 1);                /* first track number */
                assert_memory_equal(s->data + 17, m->leadin, 3);
                assert_memory_equal(s->data + 21, m->leadout, 3);

                assert_int_equal(sim_in(s, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), 8), 0);
                assert_int_equal(ds_get_be32(s->data), 0);
                assert_int_equal(ds_get_be32(s->data + 4), 2048);
                sim_free(s);
        }
}

static void test_media_without_atip(void **state)
{
        sim *s = sim_new("dvdr");

        assert_int_equal(current_profile(s), 0x0011);
        read_atip(s);
        sim_assert_sense(s, 0x5, 0x24, 0x00); /* no ATIP on a DVD */
        sim_free(s);

        s = sim_new("none");
        assert_int_equal(current_profile(s), 0x0000);
        read_atip(s);
        sim_assert_sense(s, 0x2, 0x3A, 0x01);
        sim_in(s, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0), 34);
        sim_assert_sense(s, 0x2, 0x3A, 0x01);
        /* Inserted at run time, the media answers as if it had been there from the start
         * (after the unit attention a real drive gives). */
        free(sim_control(s, "insert cdrw74", 0));
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        assert_int_equal(current_profile(s), 0x000A);
        assert_int_equal(read_atip(s), 0);
        assert_int_equal(s->data[4], 0xB6);
        sim_free(s);
}

/* ---- MODE SENSE(6) / MODE SELECT(6) ---- */

static void test_mode_sense6_matches_mode_sense10(void **state)
{
        sim *s = sim_new("cdr80");
        uint8_t ten[512];
        size_t len10, len6;

        assert_int_equal(sim_in(s, CDB(0x5A, 0x08, 0x3F, 0, 0, 0, 0, 0x01, 0xFF, 0), 511), 0);
        len10 = ds_get_be16(s->data) + 2u;
        assert_int_equal(sim_transferred(s), len10);
        memcpy(ten, s->data, len10);

        assert_int_equal(sim_in(s, CDB(0x1A, 0x08, 0x3F, 0, 255, 0), 255), 0);
        len6 = s->data[0] + 1u; /* one-byte mode data length */
        assert_int_equal(sim_transferred(s), len6);
        assert_int_equal(len6, len10 - 4); /* 4-byte header instead of 8 */
        assert_int_equal(s->data[3], 0);   /* no block descriptors */
        assert_memory_equal(s->data + 4, ten + 8, len6 - 4);

        /* Page 05h alone, cut to the allocation length. */
        assert_int_equal(sim_in(s, CDB(0x1A, 0x08, 0x05, 0, 255, 0), 255), 0);
        assert_int_equal(s->data[0], 3 + 2 + 0x32);
        assert_int_equal(s->data[4], 0x05);
        assert_int_equal(s->data[5], 0x32);
        assert_int_equal(sim_in(s, CDB(0x1A, 0x08, 0x05, 0, 6, 0), 255), 0);
        assert_int_equal(sim_transferred(s), 6);

        /* Saved values and unknown pages are refused as in the 10-byte form. */
        sim_in(s, CDB(0x1A, 0x08, 0xC5, 0, 255, 0), 255);
        sim_assert_sense(s, 0x5, 0x39, 0x00);
        sim_in(s, CDB(0x1A, 0x08, 0x0E, 0, 255, 0), 255);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

static void test_mode_select6_sets_raw(void **state)
{
        sim *s = sim_new("cdr80");
        uint8_t page[2 + 0x32];

        assert_int_equal(sim_in(s, CDB(0x1A, 0x08, 0x05, 0, 255, 0), 255), 0);
        memcpy(page, s->data + 4, sizeof page);
        page[2] = (uint8_t)((page[2] & 0xf0) | 0x40 | 0x03); /* BUFE, RAW */
        page[4] = (uint8_t)((page[4] & 0xf0) | 0x03);        /* raw P-W, 2448 bytes */

        memset(s->data, 0, 4);
        memcpy(s->data + 4, page, sizeof page);
        assert_int_equal(sim_out(s, CDB(0x15, 0x10, 0, 0, 4 + sizeof page, 0), 4 + sizeof page), 0);
        assert_int_equal(sim_in(s, CDB(0x5A, 0x08, 0x05, 0, 0, 0, 0, 0, 255, 0), 255), 0);
        assert_int_equal(s->data[8 + 2] & 0x4f, 0x43);
        assert_int_equal(s->data[8 + 4] & 0x0f, 0x03);

        /* Block descriptors, a short list, a bad page: refused, nothing changed. */
        memset(s->data, 0, 4);
        s->data[3] = 8;
        memcpy(s->data + 4, page, sizeof page);
        sim_out(s, CDB(0x15, 0x10, 0, 0, 4 + sizeof page, 0), 4 + sizeof page);
        sim_assert_sense(s, 0x5, 0x26, 0x00);
        sim_out(s, CDB(0x15, 0x10, 0, 0, 3, 0), 3);
        sim_assert_sense(s, 0x5, 0x1A, 0x00);
        memset(s->data, 0, 4);
        memcpy(s->data + 4, page, sizeof page);
        s->data[4 + 2] = 0x03;
        s->data[4 + 4] = 0x08; /* RAW with Mode 1 blocks: no such combination */
        sim_out(s, CDB(0x15, 0x10, 0, 0, 4 + sizeof page, 0), 4 + sizeof page);
        sim_assert_sense(s, 0x5, 0x26, 0x00);
        assert_int_equal(sim_in(s, CDB(0x5A, 0x08, 0x05, 0, 0, 0, 0, 0, 255, 0), 255), 0);
        assert_int_equal(s->data[8 + 4] & 0x0f, 0x03);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_recordable_media),
            cmocka_unit_test(test_media_without_atip),
            cmocka_unit_test(test_mode_sense6_matches_mode_sense10),
            cmocka_unit_test(test_mode_select6_sets_raw),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
