/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MMC command builders and reply parsers against the byte positions of
 * SPC-3/MMC-5 (CDB layouts, INQUIRY, GET CONFIGURATION, MODE SENSE page 2Ah,
 * READ DISC INFORMATION, ATIP, GET PERFORMANCE type 03h). The replies are
 * written byte by byte from those layouts, not produced by the code. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "mmc.h"

static void test_cdbs(void **state)
{
        uint8_t cdb[12];

        assert_int_equal(mmc_cdb_test_unit_ready(cdb), 6);
        assert_memory_equal(cdb, ((uint8_t[]){0x00, 0, 0, 0, 0, 0}), 6);

        /* INQUIRY: allocation length in bytes 3–4 */
        assert_int_equal(mmc_cdb_inquiry(cdb, 96), 6);
        assert_memory_equal(cdb, ((uint8_t[]){0x12, 0, 0, 0, 96, 0}), 6);

        /* GET CONFIGURATION: RT in byte 1, starting feature 2–3, allocation 7–8 */
        assert_int_equal(mmc_cdb_get_configuration(cdb, 2, 0x002e, 0x1234), 10);
        assert_memory_equal(cdb, ((uint8_t[]){0x46, 0x02, 0x00, 0x2e, 0, 0, 0, 0x12, 0x34, 0}), 10);

        /* MODE SENSE(10): DBD bit 3 of byte 1, PC in bits 7–6 of byte 2 */
        assert_int_equal(mmc_cdb_mode_sense_10(cdb, 0, 0x2a, 512), 10);
        assert_memory_equal(cdb, ((uint8_t[]){0x5a, 0x08, 0x2a, 0, 0, 0, 0, 0x02, 0x00, 0}), 10);
        mmc_cdb_mode_sense_10(cdb, 1, 0x05, 60);
        assert_int_equal(cdb[2], 0x45);

        assert_int_equal(mmc_cdb_read_disc_information(cdb, 34), 10);
        assert_memory_equal(cdb, ((uint8_t[]){0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0}), 10);

        /* READ TOC/PMA/ATIP: MSF bit 1 of byte 1, format 4 in byte 2 */
        assert_int_equal(mmc_cdb_read_atip(cdb, 32), 10);
        assert_memory_equal(cdb, ((uint8_t[]){0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 32, 0}), 10);

        /* GET PERFORMANCE: descriptors in 8–9, type 03h in byte 10 */
        assert_int_equal(mmc_cdb_get_performance_write_speed(cdb, 8), 12);
        assert_memory_equal(cdb, ((uint8_t[]){0xac, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0x03, 0}), 12);

        /* START STOP UNIT: LoEj bit 1, Start bit 0 of byte 4 */
        mmc_cdb_start_stop_unit(cdb, true, false);
        assert_memory_equal(cdb, ((uint8_t[]){0x1b, 0, 0, 0, 0x02, 0}), 6);
        mmc_cdb_start_stop_unit(cdb, true, true);
        assert_int_equal(cdb[4], 0x03);
        mmc_cdb_prevent_allow(cdb, true);
        assert_memory_equal(cdb, ((uint8_t[]){0x1e, 0, 0, 0, 0x01, 0}), 6);
}

static void test_inquiry(void **state)
{
        uint8_t buf[36] = {0x05, 0x80, 0x05, 0x32, 31};
        mmc_inquiry inq;

        memcpy(buf + 8, "PLEXTOR ", 8);
        memcpy(buf + 16, "DVDR   PX-716A  ", 16);
        memcpy(buf + 32, "1.11", 4);
        assert_int_equal(mmc_parse_inquiry(buf, sizeof buf, &inq), 0);
        assert_int_equal(inq.device_type, 5);
        assert_string_equal(inq.vendor, "PLEXTOR");
        assert_string_equal(inq.product, "DVDR   PX-716A");
        assert_string_equal(inq.revision, "1.11");

        /* Non-ASCII bytes must not reach a D-Bus string. */
        buf[8] = 0xe9;
        assert_int_equal(mmc_parse_inquiry(buf, sizeof buf, &inq), 0);
        assert_int_equal(inq.vendor[0], '?');

        assert_int_equal(mmc_parse_inquiry(buf, 35, &inq), -EBADMSG);
}

/* A CD-RW drive with a blank CD-R in: profiles 000Ah, 0009h (current), 0008h;
 * Core; CD Track at Once (R-W Pack); CD Mastering (SAO|Raw|Test|R-W). */
static const uint8_t config_reply[] = {
    0x00, 0x00, 0x00, 0x30, /* data length: 48 bytes follow */
    0x00, 0x00, 0x00, 0x09, /* current profile CD-R */
    0x00, 0x00, 0x03, 0x0c, /* feature 0000h, persistent+current, 12 bytes */
    0x00, 0x0a, 0x00, 0x00, /* CD-RW */
    0x00, 0x09, 0x01, 0x00, /* CD-R, current */
    0x00, 0x08, 0x00, 0x00, /* CD-ROM */
    0x00, 0x01, 0x0b, 0x08, /* feature 0001h Core, current */
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2d, 0x04, 0x04, /* 002Dh, not current */
    0x48, 0x00, 0x00, 0x3f,                                                 /* BUF, R-W Pack */
    0x00, 0x2e, 0x05, 0x04,                                                 /* 002Eh, current */
    0x6d, 0x00, 0x0f, 0xff, /* BUF, SAO, Raw, Test, R-W; cue sheet length */
};

static void test_configuration(void **state)
{
        mmc_config c;

        assert_int_equal(mmc_parse_configuration(config_reply, sizeof config_reply, &c), 0);
        assert_int_equal(c.current_profile, MMC_PROFILE_CD_R);
        assert_int_equal(c.n_profiles, 3);
        assert_int_equal(c.profiles[0], 0x000a);
        assert_false(c.profile_current[0]);
        assert_int_equal(c.profiles[1], 0x0009);
        assert_true(c.profile_current[1]);
        assert_int_equal(c.n_features, 4);
        assert_int_equal(c.features[3], 0x002e);
        assert_true(c.feature_current[3]);
        assert_false(c.feature_current[2]);
        assert_true(c.has_tao);
        assert_true(c.tao_flags & MMC_TAO_RW_PACK);
        assert_false(c.tao_flags & MMC_TAO_RW_RAW);
        assert_true(c.has_mastering);
        assert_true(c.mastering_flags & MMC_MASTERING_RAW);
        assert_true(c.mastering_flags & MMC_MASTERING_RW);
        assert_false(c.mastering_flags & MMC_MASTERING_RAW_MS);

        /* Claims more than arrived (drivesim's invalid-response: cut in half). */
        assert_int_equal(mmc_parse_configuration(config_reply, sizeof config_reply / 2, &c),
                         -EBADMSG);
        /* A feature running past the end. */
        uint8_t bad[sizeof config_reply];
        memcpy(bad, config_reply, sizeof bad);
        bad[11] = 0x40;
        assert_int_equal(mmc_parse_configuration(bad, sizeof bad, &c), -EBADMSG);
        assert_int_equal(mmc_parse_configuration(config_reply, 4, &c), -EBADMSG);
}

/* MODE SENSE(10) header + page 2Ah as MMC-3 lays it out: tray, eject, BUF,
 * CD-R/RW write, 48× max, 40× current, two speed descriptors. */
static void build_page_2a(uint8_t *buf, size_t *len)
{
        uint8_t *p = buf + 8;

        memset(buf, 0, 8 + 40);
        buf[1] = 6 + 40; /* mode data length */
        p[0] = 0x2a;
        p[1] = 38;    /* page length: 40 bytes in all */
        p[2] = 0x03;  /* CD-R/RW read */
        p[3] = 0x07;  /* CD-R write, CD-RW write, test write */
        p[4] = 0x80;  /* BUF */
        p[6] = 0x29;  /* loading mechanism 001b tray, eject, lock */
        p[18] = 0x21; /* max write speed 8467 kB/s (obsolete field) */
        p[19] = 0x13;
        p[20] = 0x1b; /* current write speed 7056 (obsolete field) */
        p[21] = 0x90;
        p[27] = 0x00; /* rotation control: CLV */
        p[28] = 0x1b; /* current write speed selected: 7056 kB/s = 40x */
        p[29] = 0x90;
        p[30] = 0; /* two descriptors */
        p[31] = 2;
        p[33] = 0x00; /* CLV */
        p[34] = 0x21; /* 8467 */
        p[35] = 0x13;
        p[37] = 0x01; /* CAV */
        p[38] = 0x1b; /* 7056 */
        p[39] = 0x90;
        *len = 8 + 40;
}

static void test_capabilities(void **state)
{
        uint8_t buf[64];
        size_t len;
        mmc_caps caps;

        build_page_2a(buf, &len);
        assert_int_equal(mmc_parse_capabilities(buf, len, &caps), 0);
        assert_true(caps.cdr_write);
        assert_true(caps.cdrw_write);
        assert_true(caps.test_write);
        assert_true(caps.buf);
        assert_true(caps.eject);
        assert_int_equal(caps.loading_mechanism, 1);
        assert_true(mmc_caps_can_load(&caps));
        assert_int_equal(caps.max_write_kbps, 8467);
        assert_int_equal(caps.current_write_kbps, 7056);
        assert_int_equal(caps.n_speeds, 2);
        assert_int_equal(caps.speeds[0].kbps, 8467);
        assert_false(caps.speeds[0].pure_cav);
        assert_true(caps.speeds[1].pure_cav);

        /* Slot-loading (000b) and pop-up (010b) drives cannot pull a disc in. */
        buf[8 + 6] = 0x08;
        assert_int_equal(mmc_parse_capabilities(buf, len, &caps), 0);
        assert_false(mmc_caps_can_load(&caps));
        buf[8 + 6] = 0x48;
        assert_int_equal(mmc_parse_capabilities(buf, len, &caps), 0);
        assert_false(mmc_caps_can_load(&caps));

        /* Another page than asked for, and a truncated reply. */
        buf[8] = 0x05;
        assert_int_equal(mmc_parse_capabilities(buf, len, &caps), -EBADMSG);
        build_page_2a(buf, &len);
        assert_int_equal(mmc_parse_capabilities(buf, 30, &caps), -EBADMSG);

        /* Block descriptors before the page are skipped. */
        uint8_t with_bd[72] = {0};
        memcpy(with_bd, buf, 8);
        with_bd[1] = 6 + 8 + 40;
        with_bd[7] = 8; /* block descriptor length */
        memcpy(with_bd + 16, buf + 8, 40);
        assert_int_equal(mmc_parse_capabilities(with_bd, 16 + 40, &caps), 0);
        assert_int_equal(caps.current_write_kbps, 7056);
}

static void test_disc_information(void **state)
{
        /* Blank CD-R: status 00b, lead-in 97:26:66, last lead-out 79:59:74. */
        uint8_t di[34] = {0x00, 0x20, 0x00, 0x01, 0x01, 0x01, 0x01};
        mmc_disc_info d;

        di[17] = 97, di[18] = 26, di[19] = 66;
        di[21] = 79, di[22] = 59, di[23] = 74;
        assert_int_equal(mmc_parse_disc_information(di, sizeof di, &d), 0);
        assert_int_equal(d.status, MMC_DISC_BLANK);
        assert_false(d.erasable);
        assert_true(d.has_leadin);
        assert_int_equal(d.leadin_start_lba, -11634);
        assert_true(d.has_last_leadout);
        assert_int_equal(d.last_leadout_lba, 359849);

        /* Complete, erasable (CD-RW): the lead-in field is FF:FF:FF. */
        di[2] = 0x1e;
        memset(di + 16, 0xff, 8);
        assert_int_equal(mmc_parse_disc_information(di, sizeof di, &d), 0);
        assert_int_equal(d.status, MMC_DISC_COMPLETE);
        assert_true(d.erasable);
        assert_false(d.has_leadin);
        assert_false(d.has_last_leadout);

        assert_int_equal(mmc_parse_disc_information(di, 20, &d), -EBADMSG);
}

static void test_atip(void **state)
{
        uint8_t atip[28] = {0x00, 0x1a, 0x00, 0x00, 0xd0, 0x00, 0xc0};
        mmc_atip a;

        atip[8] = 97, atip[9] = 15, atip[10] = 0;  /* 97:15:00 */
        atip[12] = 74, atip[13] = 0, atip[14] = 0; /* 74:00:00 */
        assert_int_equal(mmc_parse_atip(atip, sizeof atip, &a), 0);
        assert_true(a.rewritable);
        assert_int_equal(a.leadin_start_lba, (97 * 60 + 15) * 75 - 450150);
        assert_int_equal(a.last_leadout_lba, 332850);
        atip[6] = 0x80; /* disc type 0: CD-R */
        assert_int_equal(mmc_parse_atip(atip, sizeof atip, &a), 0);
        assert_false(a.rewritable);

        /* Header only: no ATIP on this disc. */
        assert_int_equal(mmc_parse_atip((uint8_t[]){0, 2, 0, 0}, 4, &a), -ENODATA);
        /* Frames beyond 74 are not an address. */
        atip[10] = 80;
        assert_int_equal(mmc_parse_atip(atip, sizeof atip, &a), -EBADMSG);
}

static void test_write_speeds(void **state)
{
        uint8_t buf[8 + 32] = {0x00, 0x00, 0x00, 36};
        mmc_speed speeds[4];
        size_t n;

        /* descriptor 1: CLV 40x; descriptor 2: WRC 01b (CAV) 10x */
        buf[8 + 12] = 0x00, buf[8 + 13] = 0x00, buf[8 + 14] = 0x1b, buf[8 + 15] = 0x90;
        buf[24 + 0] = 0x08;
        buf[24 + 14] = 0x06, buf[24 + 15] = 0xe4;
        assert_int_equal(mmc_parse_write_speeds(buf, sizeof buf, speeds, 4, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(speeds[0].kbps, 7056);
        assert_false(speeds[0].pure_cav);
        assert_int_equal(speeds[1].kbps, 1764);
        assert_true(speeds[1].pure_cav);
        assert_int_equal(mmc_parse_write_speeds(buf, 20, speeds, 4, &n), -EBADMSG);
}

static void test_speed_units(void **state)
{
        /* 1x = 75 sectors of 2352 bytes = 176.4 kB/s */
        assert_int_equal(mmc_kbps_to_sectors_per_second(176), 75);
        assert_int_equal(mmc_kbps_to_sectors_per_second(177), 75);
        assert_int_equal(mmc_kbps_to_sectors_per_second(7056), 3000);
        assert_int_equal(mmc_kbps_to_sectors_per_second(8467), 3600);
        assert_int_equal(mmc_kbps_to_sectors_per_second(0), 0);
}

static void test_media_types(void **state)
{
        /* IMAPI_MEDIA_PHYSICAL_TYPE for MMC profiles */
        assert_int_equal(mmc_profile_to_imapi_media_type(0x0000), 0x00);
        assert_int_equal(mmc_profile_to_imapi_media_type(0x0008), 0x01);
        assert_int_equal(mmc_profile_to_imapi_media_type(0x0009), 0x02);
        assert_int_equal(mmc_profile_to_imapi_media_type(0x000a), 0x03);
        assert_int_equal(mmc_profile_to_imapi_media_type(0x0010), 0x04);
        assert_int_equal(mmc_profile_to_imapi_media_type(0x0011), 0x09);
        assert_int_equal(mmc_profile_to_imapi_media_type(0x001b), 0x06);
        assert_int_equal(mmc_profile_to_imapi_media_type(0x002b), 0x08);
        assert_int_equal(mmc_profile_to_imapi_media_type(0x0041), 0x12);
        assert_int_equal(mmc_profile_to_imapi_media_type(0x0043), 0x13);
        assert_int_equal(mmc_profile_to_imapi_media_type(0xffff), 0x00);
}

static void test_burn_cdbs(void **state)
{
        uint8_t cdb[12];

        /* MODE SELECT(10): PF bit 4 of byte 1, SP clear, length in 7–8 */
        assert_int_equal(mmc_cdb_mode_select_10(cdb, 0x3a), 10);
        assert_memory_equal(cdb, ((uint8_t[]){0x55, 0x10, 0, 0, 0, 0, 0, 0x00, 0x3a, 0}), 10);

        /* WRITE(10): a lead-in LBA is negative, two's complement in 2–5 */
        assert_int_equal(mmc_cdb_write_10(cdb, -11634, 26), 10);
        assert_memory_equal(cdb, ((uint8_t[]){0x2a, 0, 0xff, 0xff, 0xd2, 0x8e, 0, 0, 26, 0}), 10);
        mmc_cdb_write_10(cdb, 0x01020304, 0x1234);
        assert_memory_equal(cdb, ((uint8_t[]){0x2a, 0, 1, 2, 3, 4, 0, 0x12, 0x34, 0}), 10);

        /* SYNCHRONIZE CACHE(10): Immed is bit 1 of byte 1 */
        assert_int_equal(mmc_cdb_synchronize_cache(cdb, true), 10);
        assert_memory_equal(cdb, ((uint8_t[]){0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0}), 10);
        mmc_cdb_synchronize_cache(cdb, false);
        assert_int_equal(cdb[1], 0);

        /* READ BUFFER CAPACITY: Block bit clear, allocation 12 in 7–8 */
        assert_int_equal(mmc_cdb_read_buffer_capacity(cdb), 10);
        assert_memory_equal(cdb, ((uint8_t[]){0x5c, 0, 0, 0, 0, 0, 0, 0, 12, 0}), 10);

        /* SET CD SPEED: rotation control in byte 1, read speed 2–3, write 4–5 */
        assert_int_equal(mmc_cdb_set_cd_speed(cdb, 7056, true), 12);
        assert_memory_equal(
            cdb, ((uint8_t[]){0xbb, 0x01, 0xff, 0xff, 0x1b, 0x90, 0, 0, 0, 0, 0, 0}), 12);

        /* REQUEST SENSE: allocation in byte 4 */
        assert_int_equal(mmc_cdb_request_sense(cdb, 18), 6);
        assert_memory_equal(cdb, ((uint8_t[]){0x03, 0, 0, 0, 18, 0}), 6);
}

/* A MODE SENSE(10) reply with page 05h as a drive reports it: 8-byte header,
 * the page with PS set, length 0x32, TAO and a vendor value in byte 4's
 * high nibble. */
static size_t page05_reply(uint8_t *r)
{
        memset(r, 0, 8 + 2 + 0x32);
        r[1] = 6 + 2 + 0x32; /* mode data length, not counting itself */
        r[8] = 0x85;         /* PS + page 05h */
        r[9] = 0x32;
        r[10] = 0x01;     /* TAO */
        r[11] = 0xc4;     /* multi-session, track mode 4 */
        r[12] = 0xa8;     /* vendor nibble a, DBT 8 */
        r[13] = 7;        /* link size */
        r[16] = 0;        /* session format */
        r[8 + 14] = 0x00; /* audio pause length 150 */
        r[8 + 15] = 150;
        r[8 + 16] = 0x80;   /* MCVAL */
        r[8 + 32] = 0x80;   /* TCVAL */
        r[8 + 0x33] = 0x5a; /* the last byte of the page stays */
        return 8 + 2 + 0x32;
}

static void test_page05_raw(void **state)
{
        uint8_t reply[128], out[128];
        size_t n = page05_reply(reply);
        mmc_raw_write_params p = {.data_block_type = 3, .test_write = true, .bufe = true};
        int len;

        len = mmc_page05_raw_select_list(reply, n, &p, out, sizeof out);
        assert_int_equal(len, 8 + 2 + 0x32);
        /* zero header: no mode data length, no block descriptors */
        assert_memory_equal(out, ((uint8_t[8]){0}), 8);
        assert_int_equal(out[8], 0x05);                /* PS cleared */
        assert_int_equal(out[9], 0x32);                /* the drive's own length */
        assert_int_equal(out[10], 0x40 | 0x10 | 0x03); /* BUFE, Test Write, RAW */
        assert_int_equal(out[11], 0x00);               /* single session, track mode 0 */
        assert_int_equal(out[12], 0xa3);               /* vendor nibble kept, DBT 3 */
        assert_int_equal(out[13], 0);                  /* link size without LS_V */
        assert_int_equal(out[8 + 15], 150);            /* pause length kept */
        assert_int_equal(out[8 + 16] & 0x80, 0);       /* MCVAL off: MCN travels in Q */
        assert_int_equal(out[8 + 32] & 0x80, 0);       /* TCVAL off */
        assert_int_equal(out[8 + 0x33], 0x5a);

        p = (mmc_raw_write_params){.data_block_type = 1};
        len = mmc_page05_raw_select_list(reply, n, &p, out, sizeof out);
        assert_int_equal(out[10], 0x03);
        assert_int_equal(out[12] & 0x0f, 1);

        /* too small a buffer, a reply without page 05h, a short page */
        assert_int_equal(mmc_page05_raw_select_list(reply, n, &p, out, 20), -ENOBUFS);
        reply[8] = 0x2a;
        assert_int_equal(mmc_page05_raw_select_list(reply, n, &p, out, sizeof out), -EBADMSG);
        page05_reply(reply);
        reply[9] = 0x10;
        assert_int_equal(mmc_page05_raw_select_list(reply, 8 + 2 + 0x10, &p, out, sizeof out),
                         -EBADMSG);
}

static void test_buffer_capacity(void **state)
{
        /* data length 10, reserved, buffer length 2 MiB, blank length 512 KiB */
        uint8_t r[12] = {0, 10, 0, 0, 0x00, 0x20, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00};
        mmc_buffer_capacity cap;

        assert_int_equal(mmc_parse_buffer_capacity(r, sizeof r, &cap), 0);
        assert_int_equal(cap.total_bytes, 2 * 1024 * 1024);
        assert_int_equal(cap.free_bytes, 512 * 1024);
        assert_int_equal(mmc_parse_buffer_capacity(r, 8, &cap), -EBADMSG);
        r[9] = 0x30; /* more free than there is */
        assert_int_equal(mmc_parse_buffer_capacity(r, sizeof r, &cap), -EBADMSG);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_cdbs),         cmocka_unit_test(test_burn_cdbs),
            cmocka_unit_test(test_page05_raw),   cmocka_unit_test(test_buffer_capacity),
            cmocka_unit_test(test_inquiry),      cmocka_unit_test(test_configuration),
            cmocka_unit_test(test_capabilities), cmocka_unit_test(test_disc_information),
            cmocka_unit_test(test_atip),         cmocka_unit_test(test_write_speeds),
            cmocka_unit_test(test_speed_units),  cmocka_unit_test(test_media_types),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
