/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RAW write path: whole burns in each Data Block Type, and the refusals a real recorder
 * gives (start address, order, length, write mode, closed or unwritable media, faults). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "burn-helpers.h"
#include "ds-internal.h"
#include "rawburn/rw-subcode.h"
#include "rawburn/subchannel.h"
#include "sim-helpers.h"

#define LEADIN_CDR80 (-11634) /* ATIP 97:26:66 */

static enum ds_disc_state disc_state(const sim *s)
{
        return ds_disc_get_state(s->drive->media.disc);
}

/* READ CD of one sector, all 2352 bytes plus raw P-W. */
static void read_cd_raw(sim *s, int32_t lba)
{
        uint32_t u = (uint32_t)lba;

        sim_in(s,
               CDB(0xBE, 0, (uint8_t)(u >> 24), (uint8_t)(u >> 16), (uint8_t)(u >> 8), (uint8_t)u,
                   0, 0, 1, 0xF8, 0x01, 0),
               2448);
}

static void burn_and_check(unsigned dbt)
{
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 300, 100);
        uint8_t main[2352], sub[96];

        bh_set_raw(s, dbt, false, false);
        assert_int_equal(bh_burn(s, &disc, dbt), 0);
        assert_int_equal(disc_state(s), DS_DISC_COMPLETE);

        /* READ TOC format 0, LBA form: track 1 at 0, lead-out at 300. */
        assert_int_equal(sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0), 0x324), 0);
        assert_int_equal(sim_transferred(s), 4 + 2 * 8);
        assert_int_equal(s->data[2], 1);
        assert_int_equal(s->data[3], 1);
        assert_int_equal(s->data[4 + 2], 1);
        assert_int_equal(ds_get_be32(s->data + 4 + 4), 0);
        assert_int_equal(s->data[12 + 2], 0xAA);
        assert_int_equal(ds_get_be32(s->data + 12 + 4), 300);

        /* Every region reads back as burnt: lead-in, pregap, track, lead-out. */
        const int32_t probes[] = {LEADIN_CDR80, -151, -150, -1, 0, 299, 300, 399};
        for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
                read_cd_raw(s, probes[i]);
                sim_assert_good(s);
                assert_int_equal(sim_transferred(s), 2448);
                bh_main(&disc, probes[i], main);
                bh_sub(&disc, probes[i], sub);
                assert_memory_equal(s->data, main, 2352);
                assert_memory_equal(s->data + 2352, sub, 96);
        }
        /* Nothing beyond the lead-out. */
        read_cd_raw(s, 400);
        sim_assert_sense(s, 0x5, 0x21, 0x00);
        sim_free(s);
}

static void test_burn_dbt1(void **state)
{
        burn_and_check(1);
}

static void test_burn_dbt2(void **state)
{
        burn_and_check(2);
}

static void test_burn_dbt3(void **state)
{
        burn_and_check(3);
}

/* CD+G-style packs for program-area sector k (logical, parity left for the drive). */
static void cdg_packs(unsigned k, uint8_t packs[RB_RW_SECTOR_SYMBOLS])
{
        memset(packs, 0, RB_RW_SECTOR_SYMBOLS);
        for (unsigned j = 0; j < RB_RW_PACKS_PER_SECTOR; j++) {
                uint8_t *p = packs + j * RB_RW_PACK_SYMBOLS;
                p[0] = RB_RW_MODE_CDG;
                p[1] = 0x06; /* tile block (normal) */
                for (unsigned i = 4; i < 20; i++)
                        p[i] = (uint8_t)((k * 29 + j * 11 + i * 7) & 0x3f);
        }
}

/* DBT 2 R-W in the program area: the drive adds parity and interleaves (mmc-raw.md §4.5);
 * decoding what was recorded gives back the host's packs, with valid parity. */
static void test_dbt2_program_rw_interleaved(void **state)
{
        enum { CDG_FIRST = 0, CDG_SECTORS = 4 };
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        rb_rw_decoder_t dec;
        uint8_t sent_sub[96], packs[RB_RW_SECTOR_SYMBOLS];

        bh_set_raw(s, 2, false, false);
        for (int32_t lba = LEADIN_CDR80; lba < bh_end(&disc); lba++) {
                uint32_t u = (uint32_t)lba;

                bh_block(&disc, lba, 2, s->data);
                if (lba >= CDG_FIRST && lba < CDG_FIRST + CDG_SECTORS) {
                        cdg_packs((unsigned)(lba - CDG_FIRST), packs);
                        for (size_t i = 0; i < 96; i++)
                                s->data[2352 + i] =
                                    (uint8_t)((s->data[2352 + i] & 0xc0) | packs[i]);
                }
                assert_int_equal(sim_out(s,
                                         CDB(0x2A, 0, (uint8_t)(u >> 24), (uint8_t)(u >> 16),
                                             (uint8_t)(u >> 8), (uint8_t)u, 0, 0, 1, 0),
                                         2448),
                                 0);
        }
        assert_int_equal(sim_none(s, CDB(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        assert_int_equal(disc_state(s), DS_DISC_COMPLETE);

        /* Recorded differently from what was sent: interleaved, with parity. */
        read_cd_raw(s, CDG_FIRST);
        sim_assert_good(s);
        cdg_packs(0, packs);
        bh_sub(&disc, CDG_FIRST, sent_sub);
        {
                bool same = true;
                for (size_t i = 0; i < 96; i++) {
                        assert_int_equal(s->data[2352 + i] & 0xc0, sent_sub[i] & 0xc0); /* P, Q */
                        same = same && (s->data[2352 + i] & 0x3f) == packs[i];
                }
                assert_false(same);
        }

        /* Decode from two sectors before: the decoder lags two sectors behind its input. */
        rb_rw_decoder_init(&dec);
        for (int32_t lba = CDG_FIRST - 2; lba < CDG_FIRST + CDG_SECTORS + 2; lba++) {
                uint8_t symbols[RB_RW_SECTOR_SYMBOLS], out[RB_RW_SECTOR_SYMBOLS];
                int32_t decoded = lba - RB_RW_DECODE_LAG_SECTORS;

                read_cd_raw(s, lba);
                sim_assert_good(s);
                for (size_t i = 0; i < 96; i++)
                        symbols[i] = s->data[2352 + i] & 0x3f;
                if (!rb_rw_decode_sector(&dec, symbols, out) || decoded < CDG_FIRST)
                        continue;
                cdg_packs((unsigned)(decoded - CDG_FIRST), packs);
                for (unsigned j = 0; j < RB_RW_PACKS_PER_SECTOR; j++) {
                        const uint8_t *p = out + j * RB_RW_PACK_SYMBOLS;
                        rb_rw_pack_set_parity(packs + j * RB_RW_PACK_SYMBOLS);
                        assert_true(rb_rw_pack_q_ok(p));
                        assert_true(rb_rw_pack_p_ok(p));
                }
                assert_memory_equal(out, packs, sizeof packs);
        }

        /* The lead-in and the sectors without packs are recorded as sent. */
        read_cd_raw(s, LEADIN_CDR80);
        bh_sub(&disc, LEADIN_CDR80, sent_sub);
        assert_memory_equal(s->data + 2352, sent_sub, 96);
        read_cd_raw(s, -150);
        bh_sub(&disc, -150, sent_sub);
        assert_memory_equal(s->data + 2352, sent_sub, 96);
        sim_free(s);
}

/* CLOSE TRACK SESSION after a RAW burn: nothing to add (the host wrote lead-in and
 * lead-out), but it finishes the write as SYNCHRONIZE CACHE would. */
static void test_close_session_finishes_raw_burn(void **state)
{
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_write_range(s, &disc, LEADIN_CDR80, bh_end(&disc), 27, 3), 0);
        assert_int_equal(disc_state(s), DS_DISC_INCOMPLETE);
        assert_int_equal(sim_none(s, CDB(0x5B, 0, 0x02, 0, 0, 0, 0, 0, 0, 0)), 0);
        assert_int_equal(disc_state(s), DS_DISC_COMPLETE);
        sim_free(s);
}

/* DBT 1 with the CRC not inverted (as cdrdao and libburn send PQ16): the drive recomputes. */
static void test_dbt1_crc_recomputed(void **state)
{
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        uint8_t sub[96];

        bh_set_raw(s, 1, false, false);
        bh_block(&disc, LEADIN_CDR80, 1, s->data);
        s->data[2352 + 10] ^= 0xff; /* un-invert the CRC */
        s->data[2352 + 11] ^= 0xff;
        assert_int_equal(sim_out(s, CDB(0x2A, 0, 0xFF, 0xFF, 0xD2, 0x8E, 0, 0, 1, 0), 2368), 0);
        read_cd_raw(s, LEADIN_CDR80);
        sim_assert_good(s);
        bh_sub(&disc, LEADIN_CDR80, sub);
        assert_memory_equal(s->data + 2352, sub, 96);
        sim_free(s);
}

static void test_start_address_and_order(void **state)
{
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);

        bh_set_raw(s, 3, false, false);
        /* Not at the ATIP lead-in start: −150 (cdemu's NWA) and one sector late. */
        bh_write(s, &disc, -150, 1, 3);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        bh_write(s, &disc, LEADIN_CDR80 + 1, 1, 3);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        assert_int_equal(disc_state(s), DS_DISC_BLANK);

        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80, 4, 3), 0);
        /* A gap, a rewrite, then the right address. */
        bh_write(s, &disc, LEADIN_CDR80 + 5, 1, 3);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        bh_write(s, &disc, LEADIN_CDR80 + 3, 1, 3);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 4, 2, 3), 0);
        assert_int_equal(s->drive->writer.next_lba, LEADIN_CDR80 + 6);
        sim_free(s);
}

static void test_transfer_length_and_mode(void **state)
{
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);

        /* Page 05h as the drive powers on is not RAW: a command sequence error. */
        s->drive->write_params.page[2] = 0x01; /* TAO */
        bh_write(s, &disc, LEADIN_CDR80, 1, 3);
        sim_assert_sense(s, 0x5, 0x2C, 0x00);

        bh_set_raw(s, 3, false, false);
        /* 2 blocks announced, 1 block's bytes sent. */
        sim_out(s, CDB(0x2A, 0, 0xFF, 0xFF, 0xD2, 0x8E, 0, 0, 2, 0), 2448);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        /* DBT 1 block size sent with DBT 3 set. */
        sim_out(s, CDB(0x2A, 0, 0xFF, 0xFF, 0xD2, 0x8E, 0, 0, 1, 0), 2368);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        /* WRITE(12) works the same way. */
        bh_block(&disc, LEADIN_CDR80, 3, s->data);
        assert_int_equal(sim_out(s, CDB(0xAA, 0, 0xFF, 0xFF, 0xD2, 0x8E, 0, 0, 0, 1, 0, 0), 2448),
                         0);
        sim_free(s);
}

static void test_closed_disc_refused(void **state)
{
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        assert_int_equal(disc_state(s), DS_DISC_COMPLETE);
        /* A finished CD-R fails at once, as hardware does. */
        bh_write(s, &disc, LEADIN_CDR80, 1, 3);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        sim_free(s);
}

static void test_no_leadout_leaves_coaster(void **state)
{
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_write_range(s, &disc, LEADIN_CDR80, 5, 26, 3), 0);
        assert_int_equal(sim_none(s, CDB(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        assert_int_equal(disc_state(s), DS_DISC_INCOMPLETE);
        bh_write(s, &disc, LEADIN_CDR80, 1, 3);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        /* No TOC on it. */
        sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0, 12, 0), 12);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

static void test_test_write_leaves_blank(void **state)
{
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);

        bh_set_raw(s, 3, true, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        assert_int_equal(disc_state(s), DS_DISC_BLANK);
        assert_int_equal(ds_disc_recorded_end(s->drive->media.disc), LEADIN_CDR80);
        /* The checks still ran: a wrong start is refused in Test Write too. */
        bh_write(s, &disc, 0, 1, 3);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        /* And a real burn works afterwards. */
        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        assert_int_equal(disc_state(s), DS_DISC_COMPLETE);
        sim_free(s);
}

static void test_unwritable_media(void **state)
{
        const char *specs[] = {"dvdr"};

        for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
                sim *s = sim_new(specs[i]);
                bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);

                bh_set_raw(s, 3, false, false);
                bh_write(s, &disc, LEADIN_CDR80, 1, 3);
                sim_assert_sense(s, 0x5, 0x30, 0x05);
                sim_free(s);
        }
}

static void test_faults(void **state)
{
        sim *s = sim_new("cdr80,fault=write-protected");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);

        bh_set_raw(s, 3, false, false);
        bh_write(s, &disc, LEADIN_CDR80, 1, 3);
        sim_assert_sense(s, 0x7, 0x27, 0x00);
        sim_free(s);

        s = sim_new("cdr80,fault=speed-mismatch");
        bh_set_raw(s, 3, false, false);
        bh_write(s, &disc, LEADIN_CDR80, 1, 3);
        sim_assert_sense(s, 0x2, 0x30, 0x11);
        sim_free(s);

        s = sim_new("cdr80");
        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80, 2, 3), 0);
        free(sim_control(s, "fault loss-of-streaming op=0x2a count=1", 0));
        bh_write(s, &disc, LEADIN_CDR80 + 2, 2, 3);
        sim_assert_sense(s, 0x3, 0x0C, 0x09);
        assert_int_equal(disc_state(s), DS_DISC_INCOMPLETE);
        sim_free(s);
}

static void test_past_the_end(void **state)
{
        sim *s = sim_new("cdr80");
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);

        /* A disc whose last possible lead-out start leaves room for 20 sectors after the
         * lead-in start, plus the 6750 of a lead-out: the drive refuses to write beyond. */
        s->drive->media.atip_last_leadout = LEADIN_CDR80 + 20 - 6750;
        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80, 20, 3), 0);
        bh_write(s, &disc, LEADIN_CDR80 + 20, 1, 3);
        sim_assert_sense(s, 0x5, 0x63, 0x00);
        sim_free(s);
}

/* SAO as libburn drives it (cue sheets captured from cdrskin 1.5.4 through drivesim's trace). */
static void set_sao(sim *s)
{
        s->drive->write_params.page[2] = 0x02;
}

static int send_cue(sim *s, const uint8_t *cue, size_t len)
{
        memcpy(s->data, cue, len);
        return sim_out(s, CDB(0x5D, 0, 0, 0, 0, 0, 0, 0, (uint8_t)len, 0), len);
}

static void test_sao_audio(void **state)
{
        /* Lead-in, track 1 INDEX 00 at 00:00:00, INDEX 01 at 00:02:00, lead-out at 00:07:00. */
        static const uint8_t cue[] = {0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, /**/
                                      0x01, 0x01, 0x00, 0x00, 0, 0, 0, 0, /**/
                                      0x01, 0x01, 0x01, 0x00, 0, 0, 2, 0, /**/
                                      0x01, 0xAA, 0x01, 0x01, 0, 0, 7, 0};
        sim *s = sim_new("cdr80");
        uint8_t expect[2352], q[12];

        set_sao(s);
        /* No cue sheet yet. */
        sim_out(s, CDB(0x2A, 0, 0xFF, 0xFF, 0xFF, 0x6A, 0, 0, 1, 0), 2352);
        sim_assert_sense(s, 0x5, 0x2C, 0x00);
        assert_int_equal(send_cue(s, cue, sizeof cue), 0);
        /* The host sends the pause and the track, 2352 bytes a sector, from −150. */
        for (int32_t lba = -150; lba < 375; lba += 25) {
                uint32_t u = (uint32_t)lba;

                for (int i = 0; i < 25; i++)
                        bh_audio_pattern(lba + i, s->data + 2352 * i);
                assert_int_equal(sim_out(s,
                                         CDB(0x2A, 0, (uint8_t)(u >> 24), (uint8_t)(u >> 16),
                                             (uint8_t)(u >> 8), (uint8_t)u, 0, 0, 25, 0),
                                         25 * 2352),
                                 0);
        }
        assert_int_equal(sim_none(s, CDB(0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        assert_int_equal(disc_state(s), DS_DISC_COMPLETE);

        /* The drive wrote the TOC into the lead-in and the lead-out: the TOC reads back. */
        assert_int_equal(sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0), 0x324), 0);
        assert_int_equal(s->data[3], 1);
        assert_int_equal(ds_get_be32(s->data + 8), 0);
        assert_int_equal(ds_get_be32(s->data + 16), 375);
        /* Main channel as sent; Q as the drive made it: the same as a RAW host's. */
        {
                bh_disc disc = bh_simple_audio(LEADIN_CDR80, 375, 6750);

                read_cd_raw(s, 10);
                sim_assert_good(s);
                bh_audio_pattern(10, expect);
                assert_memory_equal(s->data, expect, 2352);
                for (int32_t lba = -150; lba < 375 + 6750; lba += 1000) {
                        uint8_t sub[96];

                        read_cd_raw(s, lba);
                        sim_assert_good(s);
                        rb_subchannel_get(s->data + 2352, RB_CH_Q, q);
                        bh_q(&disc, lba, expect);
                        assert_memory_equal(q, expect, 12);
                        bh_sub(&disc, lba, sub);
                        assert_int_equal(rb_subchannel_get_p(s->data + 2352),
                                         rb_subchannel_get_p(sub));
                }
        }
        sim_free(s);
}

static void test_sao_data(void **state)
{
        static const uint8_t cue[] = {0x41, 0x00, 0x00, 0x14, 0, 0, 0, 0, /**/
                                      0x41, 0x01, 0x00, 0x10, 0, 0, 0, 0, /**/
                                      0x41, 0x01, 0x01, 0x10, 0, 0, 2, 0, /**/
                                      0x41, 0xAA, 0x01, 0x14, 0, 0, 3, 0};
        sim *s = sim_new("cdr80");
        uint8_t user[2048];

        set_sao(s);
        assert_int_equal(send_cue(s, cue, sizeof cue), 0);
        /* 150 pause sectors and 75 data sectors, 2048 bytes each. */
        for (int32_t lba = -150; lba < 75; lba += 25) {
                uint32_t u = (uint32_t)lba;

                for (int i = 0; i < 25; i++)
                        bh_data_pattern(lba + i, s->data + 2048 * i);
                assert_int_equal(sim_out(s,
                                         CDB(0x2A, 0, (uint8_t)(u >> 24), (uint8_t)(u >> 16),
                                             (uint8_t)(u >> 8), (uint8_t)u, 0, 0, 25, 0),
                                         25 * 2048),
                                 0);
        }
        /* Beyond the cue sheet's lead-out. */
        sim_out(s, CDB(0x2A, 0, 0, 0, 0, 75, 0, 0, 1, 0), 2048);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        assert_int_equal(sim_none(s, CDB(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        assert_int_equal(disc_state(s), DS_DISC_COMPLETE);
        assert_int_equal(ds_disc_get_toc(s->drive->media.disc)->tracks[0].mode, 1);
        assert_int_equal(sim_in(s, CDB(0x28, 0, 0, 0, 0, 40, 0, 0, 1, 0), 2048), 0);
        bh_data_pattern(40, user);
        assert_memory_equal(s->data, user, 2048);
        /* The lead-out the drive made is Mode 1 too. */
        assert_int_equal(sim_in(s, CDB(0x28, 0, 0, 0, 0, 80, 0, 0, 1, 0), 2048), 0);
        sim_free(s);
}

static void test_sao_refusals(void **state)
{
        static const uint8_t no_leadout[] = {0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, /**/
                                             0x01, 0x01, 0x00, 0x00, 0, 0, 0, 0, /**/
                                             0x01, 0x01, 0x01, 0x00, 0, 0, 2, 0};
        static const uint8_t too_long[] = {0x01, 0x00, 0x00, 0x01, 0, 0,  0,  0, /**/
                                           0x01, 0x01, 0x01, 0x00, 0, 0,  2,  0, /**/
                                           0x01, 0xAA, 0x01, 0x01, 0, 80, 30, 0};
        sim *s = sim_new("cdr80");

        /* In RAW a cue sheet is a sequence error. */
        bh_set_raw(s, 3, false, false);
        send_cue(s, no_leadout, sizeof no_leadout);
        sim_assert_sense(s, 0x5, 0x2C, 0x00);
        set_sao(s);
        send_cue(s, no_leadout, sizeof no_leadout);
        sim_assert_sense(s, 0x5, 0x26, 0x00);
        /* A lead-out at 80:30:00, past the disc's last possible 79:59:74. */
        send_cue(s, too_long, sizeof too_long);
        sim_assert_sense(s, 0x5, 0x26, 0x00);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_burn_dbt1),
            cmocka_unit_test(test_burn_dbt2),
            cmocka_unit_test(test_burn_dbt3),
            cmocka_unit_test(test_dbt2_program_rw_interleaved),
            cmocka_unit_test(test_close_session_finishes_raw_burn),
            cmocka_unit_test(test_dbt1_crc_recomputed),
            cmocka_unit_test(test_start_address_and_order),
            cmocka_unit_test(test_transfer_length_and_mode),
            cmocka_unit_test(test_closed_disc_refused),
            cmocka_unit_test(test_no_leadout_leaves_coaster),
            cmocka_unit_test(test_test_write_leaves_blank),
            cmocka_unit_test(test_unwritable_media),
            cmocka_unit_test(test_faults),
            cmocka_unit_test(test_past_the_end),
            cmocka_unit_test(test_sao_audio),
            cmocka_unit_test(test_sao_data),
            cmocka_unit_test(test_sao_refusals),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
