/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the drive says about the disc: READ DISC INFORMATION, READ TRACK INFORMATION,
 * ATIP (READ TOC format 4), READ CAPACITY, GET PERFORMANCE, SET CD SPEED, SET STREAMING,
 * READ DISC STRUCTURE, SEND OPC INFORMATION. The numbers come from MMC and the tools
 * (mmc-raw.md §1, §3.1): 97:26:66 = LBA -11634 by the -450150 formula, 79:59:74 = 359849. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "ds-internal.h"
#include "sim-helpers.h"

static unsigned be16(const uint8_t *p)
{
        return (unsigned)p[0] << 8 | p[1];
}

static int32_t be32s(const uint8_t *p)
{
        return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

static int disc_info(sim *s, unsigned alloc)
{
        return sim_in(s, CDB(0x51, 0, 0, 0, 0, 0, 0, (uint8_t)(alloc >> 8), (uint8_t)alloc, 0),
                      alloc);
}

static int track_info(sim *s, uint8_t type, uint32_t address)
{
        return sim_in(s,
                      CDB(0x52, type, (uint8_t)(address >> 24), (uint8_t)(address >> 16),
                          (uint8_t)(address >> 8), (uint8_t)address, 0, 0, 36, 0),
                      36);
}

/* Sets the write type and data block type in page 05h (from zeros, as libburn does). */
static void set_write_mode(sim *s, uint8_t write_type, uint8_t dbt)
{
        memset(s->data, 0, 8 + 2 + 0x32);
        s->data[8] = 0x05;
        s->data[9] = 0x32;
        s->data[10] = write_type;
        s->data[12] = dbt;
        sim_out(s, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 8 + 2 + 0x32, 0), 8 + 2 + 0x32);
        sim_assert_good(s);
}

/* READ TOC/PMA/ATIP format 4 straight to the ATIP reply (READ TOC dispatches format 4 there). */
static int atip(sim *s, bool msf, size_t alloc)
{
        const uint8_t cdb[10] = {0x43, msf ? 0x02 : 0x00,     0x04,           0, 0, 0,
                                 0,    (uint8_t)(alloc >> 8), (uint8_t)alloc, 0};

        memset(s->data, 0xEE, 64);
        s->cmd = (ds_cmd){.cdb = cdb,
                          .cdb_len = sizeof cdb,
                          .direction = DS_DIR_FROM_DEVICE,
                          .data = s->data,
                          .data_len = alloc,
                          .resid = alloc};
        ds_reply_atip(s->drive, &s->cmd);
        s->cmd.cdb = NULL; /* cdb lives on this stack frame */
        return s->cmd.status;
}

/* ---- READ DISC INFORMATION ---- */

static void test_disc_info_blank_cdr80(void **state)
{
        sim *s = sim_new("cdr80");

        assert_int_equal(disc_info(s, 34), 0);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 34);
        assert_int_equal(be16(s->data), 32);
        assert_int_equal(s->data[2], 0x00); /* empty disc, empty session, not erasable */
        assert_int_equal(s->data[3], 1);    /* first track */
        assert_int_equal(s->data[4], 1);    /* sessions */
        assert_int_equal(s->data[5], 1);
        assert_int_equal(s->data[6], 1);
        /* cdrdao and libburn take the lead-in start from here (mmc-raw.md §3.1). */
        assert_int_equal(s->data[16], 0);
        assert_int_equal(s->data[17], 97);
        assert_int_equal(s->data[18], 26);
        assert_int_equal(s->data[19], 66);
        assert_int_equal(s->data[21], 79);
        assert_int_equal(s->data[22], 59);
        assert_int_equal(s->data[23], 74);

        /* wodim and cdrdao ask for 4 bytes first. */
        disc_info(s, 4);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 4);
        assert_int_equal(be16(s->data), 32);

        /* Data types other than 000b are not offered. */
        sim_in(s, CDB(0x51, 0x01, 0, 0, 0, 0, 0, 0, 34, 0), 34);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

static void test_disc_info_media_types(void **state)
{
        sim *s = sim_new("cdrw74");

        disc_info(s, 34);
        sim_assert_good(s);
        assert_int_equal(s->data[2], 0x10); /* erasable, empty */
        assert_int_equal(s->data[21], 74);
        assert_int_equal(s->data[22], 0);
        assert_int_equal(s->data[23], 0);
        sim_free(s);

        s = sim_new("cdr90");
        disc_info(s, 34);
        assert_int_equal(s->data[17], 97);
        assert_int_equal(s->data[18], 15);
        assert_int_equal(s->data[19], 0);
        assert_int_equal(s->data[21], 89);
        assert_int_equal(s->data[22], 59);
        assert_int_equal(s->data[23], 74);
        sim_free(s);

        s = sim_new("none");
        disc_info(s, 34);
        sim_assert_sense(s, 0x2, 0x3A, 0x01);
        sim_free(s);
}

static void test_disc_info_incomplete_and_complete(void **state)
{
        sim *s = sim_new("cdrw80");
        ds_disc *disc = s->drive->media.disc;

        ds_disc_set_incomplete(disc);
        disc_info(s, 34);
        sim_assert_good(s);
        assert_int_equal(s->data[2], 0x10 | 0x04 | 0x01); /* erasable, incomplete, appendable */
        track_info(s, 1, 0xff);
        sim_assert_good(s);
        assert_int_equal(s->data[7] & 0x01, 0); /* no next writable address */

        if (ds_disc_complete(disc) < 0 || ds_disc_get_state(disc) != DS_DISC_COMPLETE) {
                sim_free(s);
                skip(); /* the disc store cannot finish a disc without a lead-in */
        }
        disc_info(s, 34);
        sim_assert_good(s);
        assert_int_equal(s->data[2], 0x10 | 0x0c | 0x02); /* erasable, complete session+disc */
        for (int i = 16; i < 24; i++)
                assert_int_equal(s->data[i], 0xff);
        /* No invisible track on a finished disc. */
        track_info(s, 1, 0xff);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

/* ---- READ TRACK INFORMATION ---- */

static void test_track_info_nwa_per_write_type(void **state)
{
        sim *s = sim_new("cdr80");

        /* RAW: the lead-in start, which wodim uses as its first WRITE address. */
        set_write_mode(s, 3, 3);
        assert_int_equal(track_info(s, 1, 0xff), 0);
        sim_assert_good(s);
        assert_int_equal(be16(s->data), 34);
        assert_int_equal(s->data[2], 1);           /* track 1 */
        assert_int_equal(s->data[3], 1);           /* session 1 */
        assert_int_equal(s->data[6] & 0x40, 0x40); /* blank */
        assert_int_equal(s->data[7] & 0x01, 0x01); /* NWA_V */
        assert_int_equal(be32s(s->data + 12), -11634);
        assert_true(be32s(s->data + 12) <= -4500);             /* wodim's sanity limit */
        assert_int_equal(be32s(s->data + 16), 359849 + 11634); /* free blocks up to the lead-out */

        /* SAO starts with the 150-sector pre-gap, TAO at LBA 0. */
        set_write_mode(s, 2, 8);
        track_info(s, 1, 0xff);
        assert_int_equal(be32s(s->data + 12), -150);
        set_write_mode(s, 1, 8);
        track_info(s, 1, 0xff);
        assert_int_equal(be32s(s->data + 12), 0);
        assert_int_equal(be32s(s->data + 16), 359849);

        /* By LBA, by track 1 and by session 1: the same invisible track. */
        set_write_mode(s, 3, 1);
        track_info(s, 0, 0);
        sim_assert_good(s);
        assert_int_equal(be32s(s->data + 12), -11634);
        track_info(s, 1, 1);
        sim_assert_good(s);
        track_info(s, 2, 1);
        sim_assert_good(s);

        /* Tracks that do not exist. */
        track_info(s, 1, 2);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        track_info(s, 0, 400000);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);

        /* Another manufacturer's lead-in start. */
        s = sim_new("cdr99");
        set_write_mode(s, 3, 3);
        track_info(s, 1, 0xff);
        assert_int_equal(be32s(s->data + 12), -12525); /* 97:15:00 */
        sim_free(s);
}

/* ---- ATIP ---- */

static void test_atip_cdr80(void **state)
{
        sim *s = sim_new("cdr80");

        assert_int_equal(atip(s, false, 28), 0);
        assert_int_equal(s->cmd.resid, 0);
        assert_int_equal(be16(s->data), 26);
        assert_int_equal(s->data[4] & 0x80, 0x80);
        assert_int_equal(s->data[6] & 0x80, 0x80);
        assert_int_equal(s->data[6] & 0x40, 0x00); /* disc type CD-R */
        assert_int_equal(s->data[8], 97);
        assert_int_equal(s->data[9], 26);
        assert_int_equal(s->data[10], 66);
        assert_int_equal(s->data[12], 79);
        assert_int_equal(s->data[13], 59);
        assert_int_equal(s->data[14], 74);

        /* The MSF bit (libburn sets it) changes nothing: ATIP times are MSF already. */
        {
                uint8_t first[28];
                memcpy(first, s->data, sizeof first);
                atip(s, true, 28);
                assert_int_equal(s->cmd.status, 0);
                assert_memory_equal(s->data, first, sizeof first);
        }

        /* wodim reads the 4-byte header first. */
        atip(s, false, 4);
        assert_int_equal(s->cmd.status, 0);
        assert_int_equal(s->cmd.resid, 0);
        assert_int_equal(be16(s->data), 26);
        assert_int_equal(s->data[4], 0xEE); /* nothing past the allocation */
        sim_free(s);
}

static void test_atip_cdrw_and_dvd(void **state)
{
        sim *s = sim_new("cdrw74");

        atip(s, false, 28);
        assert_int_equal(s->cmd.status, 0);
        assert_int_equal(s->data[6] & 0x40, 0x40); /* disc type CD-RW */
        assert_int_equal(s->data[6] & 0x04, 0x04); /* A1 valid */
        assert_int_equal(s->data[12], 74);
        sim_free(s);

        /* An Ultra Speed CD-RW: sub-type 2 with A1, A2 and A3 valid. */
        s = sim_new("cdrw80");
        atip(s, false, 28);
        assert_int_equal(s->cmd.status, 0);
        assert_int_equal(s->data[6], 0x80 | 0x40 | 2 << 3 | 0x07);
        assert_int_equal(s->data[12], 79);
        sim_free(s);

        s = sim_new("dvdr");
        atip(s, false, 28);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

/* ---- READ CAPACITY ---- */

static void test_read_capacity_blank(void **state)
{
        sim *s = sim_new("cdr80");

        sim_in(s, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), 8);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 8);
        assert_int_equal(be32s(s->data), 0);
        assert_int_equal(be32s(s->data + 4), 2048);
        sim_free(s);
}

/* ---- speeds ---- */

static unsigned page2a_current_write_x(sim *s)
{
        sim_in(s, CDB(0x5A, 0, 0x2A, 0, 0, 0, 0, 1, 0, 0), 256);
        sim_assert_good(s);
        return be16(s->data + 8 + 20) / 176;
}

static int set_cd_speed(sim *s, unsigned read_kbps, unsigned write_kbps)
{
        return sim_none(s, CDB(0xBB, 0, (uint8_t)(read_kbps >> 8), (uint8_t)read_kbps,
                               (uint8_t)(write_kbps >> 8), (uint8_t)write_kbps, 0, 0, 0, 0, 0, 0));
}

static void test_set_cd_speed(void **state)
{
        sim *s = sim_new("cdr80,speed=52");
        char *st;

        assert_int_equal(page2a_current_write_x(s), 52);
        /* cdrdao and wodim send × times 177. */
        set_cd_speed(s, 0xffff, 24 * 177);
        sim_assert_good(s);
        assert_int_equal(page2a_current_write_x(s), 24);
        st = sim_control(s, "state", 0);
        assert_non_null(strstr(st, "write_speed=24\n"));
        free(st);
        /* Not a speed the drive has: rounded down. */
        set_cd_speed(s, 0xffff, 30 * 177);
        assert_int_equal(page2a_current_write_x(s), 24);
        /* Below the slowest: the slowest. */
        set_cd_speed(s, 0xffff, 176);
        assert_int_equal(page2a_current_write_x(s), 4);
        /* FFFFh: the fastest. */
        set_cd_speed(s, 0xffff, 0xffff);
        assert_int_equal(page2a_current_write_x(s), 52);
        /* Faster than the drive: the fastest. */
        set_cd_speed(s, 0xffff, 60000);
        assert_int_equal(page2a_current_write_x(s), 52);
        sim_free(s);

        /* The media limits it: a High Speed CD-RW tops at 10×. */
        s = sim_new("cdrw74,speed=48");
        set_cd_speed(s, 0xffff, 0xffff);
        sim_assert_good(s);
        assert_int_equal(page2a_current_write_x(s), 10);
        set_cd_speed(s, 0xffff, 48 * 177);
        assert_int_equal(page2a_current_write_x(s), 10);
        sim_free(s);
}

static void test_fault_speed_mismatch(void **state)
{
        sim *s = sim_new("cdr80,fault=speed-mismatch:op=0xbb:count=1");

        set_cd_speed(s, 0xffff, 16 * 177);
        sim_assert_sense(s, 0x2, 0x30, 0x11);
        set_cd_speed(s, 0xffff, 16 * 177);
        sim_assert_good(s);
        assert_int_equal(page2a_current_write_x(s), 16);
        sim_free(s);
}

static void test_get_performance(void **state)
{
        sim *s = sim_new("cdr80,speed=52");
        unsigned n;

        /* Type 03h, write speed descriptors, fastest first. */
        sim_in(s, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0x03, 0), 8 + 32 * 16);
        sim_assert_good(s);
        n = (unsigned)(be32s(s->data) - 4) / 16;
        assert_int_equal(sim_transferred(s), 8 + 16 * n);
        assert_int_equal(n, 11);                          /* 52 48 40 32 24 20 16 12 10 8 4 */
        assert_int_equal(be32s(s->data + 8 + 4), 359849); /* end LBA: the capacity */
        assert_int_equal(be32s(s->data + 8 + 12), 9173);  /* 52 × 176.4 */
        assert_int_equal(be32s(s->data + 8 + 12) / 176, 52);
        assert_int_equal(be32s(s->data + 8 + 16 * 10 + 12) / 176, 4);
        /* The host's maximum number of descriptors limits the transfer, not the length
         * field: libburn asks for none first to learn how many there are. */
        sim_in(s, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0x03, 0), 8 + 32 * 16);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 8 + 2 * 16);
        sim_in(s, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0), 8);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 8);
        assert_int_equal(be32s(s->data), 4 + 11 * 16);

        /* Type 00h, write performance: one extent at the current speed. */
        sim_in(s, CDB(0xAC, 0x04, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0), 8 + 16);
        sim_assert_good(s);
        assert_int_equal(be32s(s->data), 4 + 16);
        assert_int_equal(s->data[4] & 0x02, 0x02);
        assert_int_equal(be32s(s->data + 12) / 176, 52);
        assert_int_equal(be32s(s->data + 16), 359849);

        /* Other types are not offered. */
        sim_in(s, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x05, 0), 64);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);

        s = sim_new("none");
        sim_in(s, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0), 64);
        sim_assert_sense(s, 0x2, 0x3A, 0x01);
        sim_free(s);
}

static void test_streaming_and_opc(void **state)
{
        sim *s = sim_new("cdr80");

        memset(s->data, 0, 28);
        sim_out(s, CDB(0xB6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 28, 0), 28);
        sim_assert_good(s);
        assert_int_equal(s->cmd.resid, 0);
        sim_none(s, CDB(0x54, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        sim_free(s);
}

/* ---- READ DISC STRUCTURE ---- */

static void test_read_disc_structure(void **state)
{
        sim *s = sim_new("cdr80");

        sim_in(s, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0x00, 0x08, 0x04, 0, 0), 2052);
        sim_assert_sense(s, 0x5, 0x30, 0x02);
        sim_free(s);

        s = sim_new("dvdr");
        sim_in(s, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0x00, 0x08, 0x04, 0, 0), 2052);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 2052);
        assert_int_equal(be16(s->data), 2050);
        assert_int_equal(s->data[4] >> 4, 2); /* book type DVD-R */
        sim_in(s, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0x01, 0x08, 0x04, 0, 0), 2052);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_disc_info_blank_cdr80),
            cmocka_unit_test(test_disc_info_media_types),
            cmocka_unit_test(test_disc_info_incomplete_and_complete),
            cmocka_unit_test(test_track_info_nwa_per_write_type),
            cmocka_unit_test(test_atip_cdr80),
            cmocka_unit_test(test_atip_cdrw_and_dvd),
            cmocka_unit_test(test_read_capacity_blank),
            cmocka_unit_test(test_set_cd_speed),
            cmocka_unit_test(test_fault_speed_mismatch),
            cmocka_unit_test(test_get_performance),
            cmocka_unit_test(test_streaming_and_opc),
            cmocka_unit_test(test_read_disc_structure),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
