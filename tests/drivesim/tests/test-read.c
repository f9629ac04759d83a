/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading back a burnt disc: READ TOC formats 0/1/2/5, READ CD (MSF) with sub-channel,
 * READ(10)/(12) of a Mode 1 track the test scrambled itself, READ SUB-CHANNEL, and the TOC
 * the disc store derived from the lead-in Q, program-area Q and sector headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "burn-helpers.h"
#include "ds-internal.h"
#include "rawburn/edc-ecc.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"
#include "sim-helpers.h"

#define LEADIN_CDR80 (-11634)
#define N_PACKS      8

static uint8_t packs[N_PACKS * 18];
static uint8_t good_packs[N_PACKS * 18];
static size_t n_good;

/* Eight CD-Text packs (two lead-in sectors): titles of disc and tracks, one with a broken
 * CRC that the drive must drop. */
static void make_cdtext(void)
{
        static const char *const text[N_PACKS] = {"Test disc\0Tr",
                                                  "ack one\0Trac",
                                                  "k two\0\0\0\0\0\0\0",
                                                  "Perf\0\0\0\0\0\0\0\0",
                                                  "x",
                                                  "y",
                                                  "z",
                                                  "w"};

        n_good = 0;
        for (unsigned i = 0; i < N_PACKS; i++) {
                uint8_t *p = packs + 18 * i;

                memset(p, 0, 18);
                p[0] = i < 3 ? 0x80 : 0x81;
                p[1] = (uint8_t)(i < 3 ? i : 0);
                p[2] = (uint8_t)i; /* sequence number */
                p[3] = 0;          /* block 0, character position 0 */
                memcpy(p + 4, text[i], strlen(text[i]) < 12 ? strlen(text[i]) : 12);
                rb_cdtext_pack_set_crc(p);
                if (i == 5)
                        p[17] ^= 0x01; /* damaged */
                else
                        memcpy(good_packs + 18 * n_good++, p, 18);
        }
}

static bh_disc two_tracks(void)
{
        bh_disc disc = {.leadin_start = LEADIN_CDR80, .n_tracks = 2, .leadout = 100};

        make_cdtext();
        disc.tracks[0] = (bh_track){.pregap = 150, .length = 250, .isrc = "USRC17607839"};
        disc.tracks[1] = (bh_track){.data = true, .pregap = 150, .length = 120};
        disc.mcn = "0123456789012";
        disc.cdtext = packs;
        disc.cdtext_packs = N_PACKS;
        return disc;
}

static sim *burnt(bh_disc *disc, unsigned dbt)
{
        sim *s = sim_new("cdr80");

        *disc = two_tracks();
        bh_set_raw(s, dbt, false, false);
        assert_int_equal(bh_burn(s, disc, dbt), 0);
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_COMPLETE);
        return s;
}

static void test_toc_formats(void **state)
{
        bh_disc disc;
        sim *s = burnt(&disc, 3);
        const uint8_t *d = s->data;

        /* Format 0, LBA. */
        assert_int_equal(sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0), 0x324), 0);
        assert_int_equal(ds_get_be16(d), 2 + 3 * 8);
        assert_int_equal(d[2], 1);
        assert_int_equal(d[3], 2);
        assert_int_equal(d[4 + 1], 0x10); /* ADR 1, audio */
        assert_int_equal(ds_get_be32(d + 8), 0);
        assert_int_equal(d[12 + 1], 0x14); /* ADR 1, data */
        assert_int_equal(d[12 + 2], 2);
        assert_int_equal(ds_get_be32(d + 16), 400);
        assert_int_equal(d[20 + 2], 0xAA);
        assert_int_equal(ds_get_be32(d + 24), 520);

        /* Format 0, MSF, from track 2: 400 + 150 = 00:07:25, 520 + 150 = 00:08:70. */
        assert_int_equal(sim_in(s, CDB(0x43, 0x02, 0, 0, 0, 0, 2, 0x03, 0x24, 0), 0x324), 0);
        assert_int_equal(ds_get_be16(d), 2 + 2 * 8);
        assert_memory_equal(d + 8, ((uint8_t[]){0, 0, 7, 25}), 4);
        assert_memory_equal(d + 16, ((uint8_t[]){0, 0, 8, 70}), 4);
        /* A start track past the last one. */
        sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 3, 0x03, 0x24, 0), 0x324);
        sim_assert_sense(s, 0x5, 0x24, 0x00);

        /* Format 1: one session, first track 1 at LBA 0. */
        assert_int_equal(sim_in(s, CDB(0x43, 0, 1, 0, 0, 0, 0, 0, 12, 0), 12), 0);
        assert_memory_equal(d, ((uint8_t[]){0, 10, 1, 1, 0, 0x10, 1, 0, 0, 0, 0, 0}), 12);

        /* Format 2: A0, A1, A2 and the two tracks, binary MSF as the lead-in Q had them. */
        assert_int_equal(sim_in(s, CDB(0x43, 0, 2, 0, 0, 0, 1, 0x03, 0x24, 0), 0x324), 0);
        assert_int_equal(ds_get_be16(d), 2 + 5 * 11);
        assert_memory_equal(d + 4, ((uint8_t[]){1, 0x10, 0, 0xA0, 0, 0, 0, 0, 1, 0, 0}), 11);
        assert_memory_equal(d + 15, ((uint8_t[]){1, 0x14, 0, 0xA1, 0, 0, 0, 0, 2, 0, 0}), 11);
        assert_memory_equal(d + 26, ((uint8_t[]){1, 0x14, 0, 0xA2, 0, 0, 0, 0, 0, 8, 70}), 11);
        assert_memory_equal(d + 37, ((uint8_t[]){1, 0x10, 0, 1, 0, 0, 0, 0, 0, 2, 0}), 11);
        assert_memory_equal(d + 48, ((uint8_t[]){1, 0x14, 0, 2, 0, 0, 0, 0, 0, 7, 25}), 11);

        /* Format 5: the good CD-Text packs once each, in order, the damaged one dropped. */
        assert_int_equal(sim_in(s, CDB(0x43, 0, 5, 0, 0, 0, 0, 0x10, 0, 0), 4096), 0);
        assert_int_equal(ds_get_be16(d), 2 + n_good * 18);
        assert_int_equal(sim_transferred(s), 4 + n_good * 18);
        assert_memory_equal(d + 4, good_packs, n_good * 18);
        sim_free(s);
}

static void test_derived_toc(void **state)
{
        bh_disc disc;
        sim *s = burnt(&disc, 2);
        const ds_toc *toc = ds_disc_get_toc(s->drive->media.disc);

        assert_true(toc->valid);
        assert_int_equal(toc->n_tracks, 2);
        assert_int_equal(toc->tracks[0].pregap_start, -150);
        assert_int_equal(toc->tracks[0].mode, 0);
        assert_string_equal(toc->tracks[0].isrc, "USRC17607839");
        assert_int_equal(toc->tracks[1].pregap_start, 250);
        assert_int_equal(toc->tracks[1].start, 400);
        assert_int_equal(toc->tracks[1].mode, 1);
        assert_string_equal(toc->tracks[1].isrc, "");
        assert_string_equal(toc->mcn, "0123456789012");
        assert_int_equal(toc->leadout_start, 520);
        sim_free(s);
}

static void test_read10_mode1(void **state)
{
        bh_disc disc;
        sim *s = burnt(&disc, 3);
        uint8_t user[2048];

        assert_int_equal(sim_in(s, CDB(0x28, 0, 0, 0, 0x01, 0x90, 0, 0, 2, 0), 4096), 0);
        assert_int_equal(sim_transferred(s), 4096);
        bh_data_pattern(400, user);
        assert_memory_equal(s->data, user, 2048);
        bh_data_pattern(401, user);
        assert_memory_equal(s->data + 2048, user, 2048);

        assert_int_equal(sim_in(s, CDB(0xA8, 0, 0, 0, 0x02, 0x07, 0, 0, 0, 1, 0, 0), 2048), 0);
        bh_data_pattern(519, user);
        assert_memory_equal(s->data, user, 2048);

        /* Audio has no 2048-byte blocks. */
        sim_in(s, CDB(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0), 2048);
        sim_assert_sense(s, 0x5, 0x64, 0x00);
        /* Past the recorded end. */
        sim_in(s, CDB(0x28, 0, 0, 0, 0x03, 0x00, 0, 0, 1, 0), 2048);
        sim_assert_sense(s, 0x5, 0x21, 0x00);
        sim_free(s);
}

static void test_read_cd(void **state)
{
        bh_disc disc;
        sim *s = burnt(&disc, 3);
        uint8_t user[2048], sector[2352], q[12];

        /* Expected type Mode 1, user data only. */
        assert_int_equal(sim_in(s, CDB(0xBE, 2 << 2, 0, 0, 0x01, 0x90, 0, 0, 1, 0x10, 0, 0), 2048),
                         0);
        bh_data_pattern(400, user);
        assert_memory_equal(s->data, user, 2048);

        /* All 2352 bytes come back descrambled: the encoder's own sector, valid EDC/ECC. */
        assert_int_equal(sim_in(s, CDB(0xBE, 0, 0, 0, 0x01, 0x90, 0, 0, 1, 0xF8, 0x02, 0), 2368),
                         0);
        rb_sector_encode_mode1(sector, 400, user);
        assert_memory_equal(s->data, sector, 2352);
        assert_int_equal(rb_sector_verify(s->data), RB_SECTOR_OK);
        /* With formatted Q: the 12 bytes of Q the host wrote. */
        bh_q(&disc, 400, q);
        assert_memory_equal(s->data + 2352, q, 12);

        /* Audio with R-W: the CD-Text symbols of a lead-in sector. */
        assert_int_equal(
            sim_in(s, CDB(0xBE, 0, 0xFF, 0xFF, 0xD2, 0x8E, 0, 0, 1, 0xF8, 0x04, 0), 2448), 0);
        {
                uint8_t raw[96], symbols[96];

                bh_sub(&disc, LEADIN_CDR80, raw);
                rb_subchannel_get_rw(raw, symbols);
                assert_memory_equal(s->data + 2352, symbols, 96);
        }

        /* The wrong expected type. */
        sim_in(s, CDB(0xBE, 1 << 2, 0, 0, 0x01, 0x90, 0, 0, 1, 0x10, 0, 0), 2352);
        sim_assert_sense(s, 0x5, 0x64, 0x00);
        sim_in(s, CDB(0xBE, 2 << 2, 0, 0, 0, 0, 0, 0, 1, 0x10, 0, 0), 2352);
        sim_assert_sense(s, 0x5, 0x64, 0x00);

        /* Neither main channel nor sub-channel selected: a good command moving no data. */
        assert_int_equal(sim_in(s, CDB(0xBE, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x00, 0, 0), 64), 0);
        assert_int_equal(sim_transferred(s), 0);

        /* READ CD MSF 00:07:25 to 00:07:27: two sectors of user data. */
        assert_int_equal(sim_in(s, CDB(0xB9, 0, 0, 0, 7, 25, 0, 7, 27, 0x10, 0, 0), 4096), 0);
        assert_int_equal(sim_transferred(s), 4096);
        bh_data_pattern(401, user);
        assert_memory_equal(s->data + 2048, user, 2048);
        sim_free(s);
}

/* cdrdao read-cd finds pre-gaps from the Q of multi-sector READ CDs (raw P-W, 26 sectors a
 * command): each sector must carry its own Q, in raw and in formatted form, across the
 * change from track 1 to the pause of track 2. */
/* realtime: a read completes when the head, at the current read speed, has passed its last
 * sector; reads back to back follow on, a read after a pause starts from its arrival. */
static void test_read_paced_in_realtime(void **state)
{
        bh_disc disc;
        sim *s = burnt(&disc, 3);
        /* READ CD of 75 sectors from LBA 0, all 2352 bytes and raw P-W. */
        const uint8_t read75[] = {0xBE, 0, 0, 0, 0, 0, 0, 0, 75, 0xF8, 0x01, 0};

        assert_int_equal(sim_in(s, read75, sizeof read75, 75 * 2448), 0);
        assert_int_equal(s->cmd.delay_ns, 0); /* without realtime: at once */
        s->drive->config.realtime = true;
        s->drive->current_read_speed = 4; /* 300 sectors a second */
        assert_int_equal(sim_in(s, read75, sizeof read75, 75 * 2448), 0);
        assert_int_equal(s->cmd.delay_ns, 250000000);
        /* Asked for again at once: after the first, 500 ms from now. */
        assert_int_equal(sim_in(s, read75, sizeof read75, 75 * 2448), 0);
        assert_int_equal(s->cmd.delay_ns, 500000000);
        /* A second after both: from its own arrival. */
        s->now_ns += 1500000000;
        assert_int_equal(sim_in(s, read75, sizeof read75, 75 * 2448), 0);
        assert_int_equal(s->cmd.delay_ns, 250000000);
        /* 7 sectors at 4x: 23 333 333.3 ns, rounded up. */
        s->now_ns += 1000000000;
        const uint8_t read7[] = {0xBE, 0, 0, 0, 0, 0, 0, 0, 7, 0xF8, 0x01, 0};
        assert_int_equal(sim_in(s, read7, sizeof read7, 7 * 2448), 0);
        assert_int_equal(s->cmd.delay_ns, 23333334);
        sim_free(s);
}

static void test_read_cd_sub_per_sector(void **state)
{
        bh_disc disc;
        sim *s = burnt(&disc, 3);
        int32_t first = bh_pregap_start(&disc, 1) - 10;
        uint8_t q[12], got[12];

        assert_int_equal(sim_in(s,
                                CDB(0xBE, 0, (uint8_t)(first >> 24), (uint8_t)(first >> 16),
                                    (uint8_t)(first >> 8), (uint8_t)first, 0, 0, 26, 0xF8, 0x01, 0),
                                26 * 2448),
                         0);
        for (int i = 0; i < 26; i++) {
                bh_q(&disc, first + i, q);
                rb_subchannel_get(s->data + i * 2448 + 2352, RB_CH_Q, got);
                assert_memory_equal(got, q, 12);
        }
        assert_int_equal(sim_in(s,
                                CDB(0xBE, 0, (uint8_t)(first >> 24), (uint8_t)(first >> 16),
                                    (uint8_t)(first >> 8), (uint8_t)first, 0, 0, 26, 0xF8, 0x02, 0),
                                26 * 2368),
                         0);
        for (int i = 0; i < 26; i++) {
                bh_q(&disc, first + i, q);
                assert_memory_equal(s->data + i * 2368 + 2352, q, 12);
        }
        sim_free(s);
}

static void test_read_sub_channel(void **state)
{
        bh_disc disc;
        sim *s = burnt(&disc, 1);
        const uint8_t *d = s->data;

        assert_int_equal(sim_in(s, CDB(0x42, 0, 0x40, 2, 0, 0, 0, 0, 24, 0), 24), 0);
        assert_int_equal(d[4], 2);
        assert_int_equal(d[8], 0x80);
        assert_memory_equal(d + 9, "0123456789012", 13);

        assert_int_equal(sim_in(s, CDB(0x42, 0, 0x40, 3, 0, 0, 1, 0, 24, 0), 24), 0);
        assert_int_equal(d[8], 0x80);
        assert_memory_equal(d + 9, "USRC17607839", 12);
        assert_int_equal(sim_in(s, CDB(0x42, 0, 0x40, 3, 0, 0, 2, 0, 24, 0), 24), 0);
        assert_int_equal(d[8], 0x00);

        /* Position after reading LBA 410: track 2, index 1, relative 10. */
        assert_int_equal(sim_in(s, CDB(0x28, 0, 0, 0, 0x01, 0x9A, 0, 0, 1, 0), 2048), 0);
        assert_int_equal(sim_in(s, CDB(0x42, 0, 0x40, 1, 0, 0, 0, 0, 16, 0), 16), 0);
        assert_int_equal(d[4], 1);
        assert_int_equal(d[5], 0x14);
        assert_int_equal(d[6], 2);
        assert_int_equal(d[7], 1);
        assert_int_equal(ds_get_be32(d + 8), 410);
        assert_int_equal(ds_get_be32(d + 12), 10);

        assert_int_equal(sim_none(s, CDB(0x2B, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        sim_free(s);
}

static void test_blank_disc(void **state)
{
        sim *s = sim_new("cdr80");

        for (uint8_t format = 0; format <= 2; format++) {
                sim_in(s, CDB(0x43, 0, format, 0, 0, 0, 0, 0, 12, 0), 12);
                sim_assert_sense(s, 0x5, 0x24, 0x00);
        }
        sim_in(s, CDB(0xBE, 0, 0, 0, 0, 0, 0, 0, 1, 0xF8, 0, 0), 2352);
        sim_assert_sense(s, 0x5, 0x21, 0x00);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_toc_formats),      cmocka_unit_test(test_derived_toc),
            cmocka_unit_test(test_read10_mode1),     cmocka_unit_test(test_read_cd),
            cmocka_unit_test(test_read_sub_channel), cmocka_unit_test(test_read_cd_sub_per_sector),
            cmocka_unit_test(test_blank_disc),       cmocka_unit_test(test_read_paced_in_realtime),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
