/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Q and P subchannel the image writer puts in every sector, checked
 * against byte vectors written from the rules in reference/mmc-raw.md §4
 * (Red Book as the three writers implement it), including the lead-in
 * vector wodim's subchan.c quotes from a real disc; and the whole image
 * streamed and read back sector by sector.
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

#include "rawburn/crc.h"
#include "rawburn/edc-ecc.h"
#include "rawburn/image-inspect.h"
#include "rawburn/image-layout.h"
#include "rawburn/image-writer.h"
#include "rawburn/subchannel.h"

static void add_generated_track(rb_layout_t *l, rb_track_mode_t mode, uint32_t pause,
                                uint32_t length)
{
        rb_track_t *t = rb_layout_add_track(l, mode);
        assert_non_null(t);
        t->pause = pause;
        t->length = length;
        rb_segment_t s = {.file = -1,
                          .sectors = pause + length,
                          .format = mode == RB_TRACK_AUDIO ? RB_FMT_AUDIO : RB_FMT_MODE1};
        assert_int_equal(rb_track_add_segment(t, &s), 0);
}

/* Three audio tracks: 01 at LBA 0 (1000 sectors, index 2 at +500), 02 with a
 * 150-sector pause at 1000..1149 and start 1150 (800), 03 gapless at 1950
 * (600, ISRC); lead-out at 2550. */
static void album(rb_layout_t *l)
{
        char err[256];
        rb_layout_init(l);
        add_generated_track(l, RB_TRACK_AUDIO, 150, 1000);
        l->tracks[0].index_count = 2;
        l->tracks[0].index_start[2] = 500;
        add_generated_track(l, RB_TRACK_AUDIO, 150, 800);
        l->tracks[1].flags = RB_CTL_COPY_PERMITTED;
        add_generated_track(l, RB_TRACK_AUDIO, 0, 600);
        strcpy(l->tracks[2].isrc, "USABC2600001");
        strcpy(l->mcn, "4006381333931");
        assert_int_equal(rb_layout_finalize(l, err, sizeof err), 0);
}

static void q_of(const rb_layout_t *l, int32_t lba, uint8_t q[12], bool *p)
{
        uint8_t raw[96];
        assert_int_equal(rb_image_sector_subchannel(l, lba, raw), 0);
        rb_subchannel_get(raw, RB_CH_Q, q);
        *p = rb_subchannel_get_p(raw);
        assert_true(rb_subq_crc_ok(q));
}

static void expect_q(const rb_layout_t *l, int32_t lba, const uint8_t want[10], bool want_p)
{
        uint8_t q[12];
        bool p;
        q_of(l, lba, q, &p);
        assert_memory_equal(q, want, 10);
        assert_int_equal(p, want_p);
}

static void test_layout_places_tracks(void **state)
{
        rb_layout_t l;
        rb_toc_entry_t toc[102];
        album(&l);
        assert_int_equal(l.tracks[0].pause_lba, -150);
        assert_int_equal(l.tracks[0].start_lba, 0);
        assert_int_equal(l.tracks[1].pause_lba, 1000);
        assert_int_equal(l.tracks[1].start_lba, 1150);
        assert_int_equal(l.tracks[2].start_lba, 1950);
        assert_int_equal(l.leadout_lba, 2550);
        assert_int_equal(rb_layout_image_sectors(&l), 22650 + 2550 + 6750);
        assert_int_equal(rb_layout_toc(&l, toc), 6);
        assert_int_equal(toc[1].point, 2);
        assert_int_equal(toc[1].control, RB_CTL_COPY_PERMITTED);
        assert_int_equal(toc[1].p.m, 0);
        assert_int_equal(toc[1].p.s, 17); /* 1150 + 150 = 1300 frames = 00:17:25 */
        assert_int_equal(toc[1].p.f, 25);
        rb_layout_free(&l);
}

static void test_leadin_real_disc_vector(void **state)
{
        /* wodim subchan.c TEST_CRC: "01 00 A0 98 06 12 00 01 00 00" with CRC E3 74,
         * an A0 entry at running time 98:06:12 = LBA -8688. With one track the
         * list is 01, A0, A1, A2; a first LBA of -22647 puts A0 on -8688. */
        rb_layout_t l;
        char err[256];
        static const uint8_t want[12] = {0x01, 0x00, 0xA0, 0x98, 0x06, 0x12,
                                         0x00, 0x01, 0x00, 0x00, 0xE3, 0x74};
        uint8_t q[12];
        bool p;

        rb_layout_init(&l);
        l.first_lba = -22647;
        add_generated_track(&l, RB_TRACK_AUDIO, 150, 3000);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        q_of(&l, -8688, q, &p);
        assert_memory_equal(q, want, 12);
        assert_false(p);
        rb_layout_free(&l);
}

static void test_leadin_entries_three_times(void **state)
{
        rb_layout_t l;
        uint8_t q[12];
        bool p;
        album(&l);
        /* First entries from 95:00:00: track 01 ×3, 02 ×3, 03 ×3, A0, A1, A2. */
        static const uint8_t pts[] = {0x01, 0x02, 0x03, 0xA0, 0xA1, 0xA2, 0x01};
        for (int i = 0; i < 21; i++) {
                q_of(&l, -22650 + i, q, &p);
                assert_int_equal(q[1], 0x00);
                assert_int_equal(q[2], pts[i / 3]);
        }
        /* 03 at 00:28:00 (1950 + 150 = 2100 frames), control 0, running 95:00:06. */
        static const uint8_t t3[10] = {0x01, 0x00, 0x03, 0x95, 0x00, 0x06, 0x00, 0x00, 0x28, 0x00};
        expect_q(&l, -22644, t3, false);
        /* A2: lead-out 2550 + 150 = 2700 frames = 00:36:00. */
        static const uint8_t a2[10] = {0x01, 0x00, 0xA2, 0x95, 0x00, 0x15, 0x00, 0x00, 0x36, 0x00};
        expect_q(&l, -22635, a2, false);
        /* A0 of an audio disc: first track 1, disc type 00. */
        static const uint8_t a0[10] = {0x01, 0x00, 0xA0, 0x95, 0x00, 0x09, 0x00, 0x01, 0x00, 0x00};
        expect_q(&l, -22641, a0, false);
        rb_layout_free(&l);
}

static void test_pregap_and_program(void **state)
{
        rb_layout_t l;
        album(&l);
        /* -150: track 01 index 00, counting down from 00:01:74, P = 1. */
        static const uint8_t first[10] = {0x01, 0x01, 0x00, 0x00, 0x01,
                                          0x74, 0x00, 0x00, 0x00, 0x00};
        expect_q(&l, -150, first, true);
        /* -1: the last pause sector is 00:00:00. */
        static const uint8_t last[10] = {0x01, 0x01, 0x00, 0x00, 0x00,
                                         0x00, 0x00, 0x00, 0x01, 0x74};
        expect_q(&l, -1, last, true);
        /* 0: index 01 from 00:00:00, absolute 00:02:00, P = 0. */
        static const uint8_t zero[10] = {0x01, 0x01, 0x01, 0x00, 0x00,
                                         0x00, 0x00, 0x00, 0x02, 0x00};
        expect_q(&l, 0, zero, false);
        /* 500: index 02, relative 00:06:50, absolute 00:08:50. */
        static const uint8_t ix2[10] = {0x01, 0x01, 0x02, 0x00, 0x06, 0x50, 0x00, 0x00, 0x08, 0x50};
        expect_q(&l, 500, ix2, false);
        /* 1000: track 02's pause, control 2 (copy permitted), 149 frames to go. */
        static const uint8_t pause[10] = {0x21, 0x02, 0x00, 0x00, 0x01,
                                          0x74, 0x00, 0x00, 0x15, 0x25};
        expect_q(&l, 1000, pause, true);
        static const uint8_t t2[10] = {0x21, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x17, 0x25};
        expect_q(&l, 1150, t2, false);
        /* 1949 -> 1950: gapless, no pause, P stays 0. */
        static const uint8_t t3[10] = {0x01, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00};
        expect_q(&l, 1950, t3, false);
        rb_layout_free(&l);
}

static void test_leadout(void **state)
{
        rb_layout_t l;
        uint8_t q[12];
        bool p;
        album(&l);
        /* AA, index 01, from 00:00:00; control of the last track. */
        static const uint8_t lo[10] = {0x01, 0xAA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x36, 0x00};
        expect_q(&l, 2550, lo, false);
        /* P: 0 for the first 2 s, then on/off at about 2 Hz. */
        int ones = 0;
        for (int i = 0; i < 150; i++) {
                q_of(&l, 2550 + i, q, &p);
                assert_false(p);
        }
        for (int i = 150; i < 150 + 38 * 10; i++) {
                q_of(&l, 2550 + i, q, &p);
                ones += p;
        }
        assert_int_equal(ones, 190);
        q_of(&l, 2550 + 150, q, &p);
        assert_true(p);
        q_of(&l, 2550 + 150 + 19, q, &p);
        assert_false(p);
        rb_layout_free(&l);
}

/* MCN at least once in every 100 frames of program area and lead-out, never
 * on a sector where track or index changes; ISRC likewise inside track 03. */
static void test_mcn_isrc_cadence(void **state)
{
        rb_layout_t l;
        uint8_t q[12], prev[12] = {0x01};
        bool p;
        int32_t last_mcn = -150, last_isrc = 1950;
        int prev_tno = 0x01, prev_index = 0;
        album(&l);
        for (int32_t lba = -150; lba < 2550 + 6750; lba++) {
                q_of(&l, lba, q, &p);
                int adr = q[0] & 0x0F;
                if (adr == 2) {
                        assert_true(lba - last_mcn <= 100);
                        last_mcn = lba;
                        /* 13 BCD digits, last nibble 0, AFRAME = frame of the address. */
                        static const uint8_t mcn[7] = {0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10};
                        assert_memory_equal(q + 1, mcn, 7);
                        assert_int_equal(q[8], 0);
                        int f = (lba + 150) % 75;
                        assert_int_equal(q[9], (f / 10) << 4 | f % 10);
                } else if (adr == 3) {
                        assert_true(lba >= 1950 && lba < 2550);
                        assert_true(lba - last_isrc <= 100);
                        last_isrc = lba;
                        /* U=25h S=23h A=11h B=12h C=13h, 6 bits each MSB first + 2 zero bits; then
                         * BCD 26 00001 and a 0 nibble */
                        static const uint8_t isrc[8] = {0x96, 0x34, 0x52, 0x4C,
                                                        0x26, 0x00, 0x00, 0x10};
                        assert_memory_equal(q + 1, isrc, 8);
                } else {
                        assert_int_equal(adr, 1);
                        int tno = q[1], index = q[2];
                        if (tno != prev_tno || index != prev_index) {
                                /* The sector before a change was a position sector too. */
                                assert_int_equal(prev[0] & 0x0F, 1);
                                prev_tno = tno;
                                prev_index = index;
                        }
                }
                if (lba == 2549)
                        assert_true(2550 - last_isrc <= 100);
                memcpy(prev, q, sizeof prev);
        }
        assert_true(2550 + 6750 - last_mcn <= 100);
        rb_layout_free(&l);
}

static void test_stream_and_read_back(void **state)
{
        rb_layout_t l;
        char err[256];
        FILE *f = tmpfile();
        rb_inspect_t *in = malloc(sizeof *in);

        album(&l);
        assert_int_equal(rb_cdtext_set(&l.cdtext, RB_CDTEXT_TITLE, 0, "Disc"), 0);
        assert_int_equal(rb_cdtext_set(&l.cdtext, RB_CDTEXT_TITLE, 2, "Second"), 0);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        assert_int_equal(rb_image_write(&l, fileno(f), NULL, NULL, err, sizeof err), 0);
        assert_int_equal(lseek(fileno(f), 0, SEEK_END), (off_t)rb_layout_image_sectors(&l) * 2448);

        /* The first sector: silent main channel, TOC Q, CD-Text packs in R-W. */
        uint8_t sector[2448], symbols[96], packs[72];
        assert_int_equal(pread(fileno(f), sector, sizeof sector, 0), 2448);
        for (int i = 0; i < 2352; i++)
                assert_int_equal(sector[i], 0);
        rb_subchannel_get_rw(sector + 2352, symbols);
        rb_cdtext_packs_from_rw(symbols, packs);
        for (int k = 0; k < 4; k++)
                assert_true(rb_cdtext_pack_crc_ok(packs + 18 * k));
        assert_int_equal(packs[0], 0x80);

        lseek(fileno(f), 0, SEEK_SET);
        assert_int_equal(rb_image_inspect_fd(fileno(f), 0, -22650, in, err, sizeof err), 0);
        assert_int_equal(in->sector_size, 2448);
        assert_int_equal(in->q_crc_errors, 0);
        assert_int_equal(in->leadin_first, -22650);
        assert_int_equal(in->leadin_last, -151);
        assert_int_equal(in->toc_count, 6);
        assert_int_equal(in->toc_conflicts, 0);
        assert_int_equal(in->track_count, 3);
        assert_int_equal(in->tracks[0].pause_lba, -150);
        assert_int_equal(in->tracks[1].pause_lba, 1000);
        assert_int_equal(in->tracks[1].start_lba, 1150);
        assert_int_equal(in->tracks[0].index_lba[2], 500);
        assert_int_equal(in->tracks[2].start_lba, 1950);
        assert_string_equal(in->tracks[2].isrc, "USABC2600001");
        assert_string_equal(in->mcn, "4006381333931");
        assert_int_equal(in->leadout_lba, 2550);
        assert_int_equal(in->leadout_sectors, 6750);
        assert_string_equal(rb_cdtext_get(&in->cdtext, 0, RB_CDTEXT_TITLE, 0), "Disc");
        assert_string_equal(rb_cdtext_get(&in->cdtext, 0, RB_CDTEXT_TITLE, 2), "Second");
        assert_string_equal(in->warnings, "");
        rb_inspect_free(in);
        free(in);
        fclose(f);
        rb_layout_free(&l);
}

static void test_pq_only_and_data_track(void **state)
{
        rb_layout_t l;
        char err[256];
        FILE *f = tmpfile();
        uint8_t sector[2368];

        rb_layout_init(&l);
        l.sector_type = RB_SECTOR_PQ_ONLY;
        add_generated_track(&l, RB_TRACK_MODE1, 150, 300);
        add_generated_track(&l, RB_TRACK_AUDIO, 150, 300);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        assert_int_equal(rb_image_write(&l, fileno(f), NULL, NULL, err, sizeof err), 0);
        assert_int_equal(lseek(fileno(f), 0, SEEK_END), (off_t)rb_layout_image_sectors(&l) * 2368);
        /* LBA 0: a scrambled Mode 1 sector; descrambled it is 00:02:00 mode 1, EDC/ECC right. */
        assert_int_equal(pread(fileno(f), sector, sizeof sector, 22650L * 2368), 2368);
        assert_true(rb_sector_has_sync(sector));
        assert_int_not_equal(sector[15], 0x01); /* scrambled */
        rb_scramble_sector(sector);
        assert_int_equal(sector[12], 0x00);
        assert_int_equal(sector[13], 0x02);
        assert_int_equal(sector[14], 0x00);
        assert_int_equal(sector[15], 0x01);
        assert_int_equal(rb_sector_verify(sector), RB_SECTOR_OK);
        /* PQ16: Q with control 4 (data), three zero bytes, P in byte 15 bit 7. */
        assert_int_equal(sector[2352], 0x41);
        assert_int_equal(sector[2352 + 12] | sector[2352 + 13] | sector[2352 + 14], 0);
        assert_int_equal(sector[2352 + 15], 0x00);
        /* LBA -1 (pause): P set. */
        assert_int_equal(pread(fileno(f), sector, sizeof sector, 22649L * 2368), 2368);
        assert_int_equal(sector[2352 + 15], 0x80);
        fclose(f);
        rb_layout_free(&l);
}

static void test_refusals(void **state)
{
        rb_layout_t l;
        char err[256];

        rb_layout_init(&l);
        add_generated_track(&l, RB_TRACK_AUDIO, 150, 80 * 60 * 75 - 300);
        assert_int_equal(rb_leadout_limit_for_minutes(74, &l.leadout_limit), 0);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), -EFBIG);
        assert_non_null(strstr(err, "does not fit"));
        assert_int_equal(rb_leadout_limit_for_minutes(80, &l.leadout_limit), 0);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        rb_layout_free(&l);

        rb_layout_init(&l);
        add_generated_track(&l, RB_TRACK_AUDIO, 100, 1000);
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), -EINVAL);
        rb_layout_free(&l);

        rb_layout_init(&l);
        l.sector_type = RB_SECTOR_PQ_ONLY;
        add_generated_track(&l, RB_TRACK_AUDIO, 150, 1000);
        rb_cdtext_set(&l.cdtext, RB_CDTEXT_TITLE, 0, "x");
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), -EINVAL);
        assert_non_null(strstr(err, "CD-Text"));
        rb_layout_free(&l);

        rb_layout_init(&l);
        add_generated_track(&l, RB_TRACK_AUDIO, 150, 1000);
        strcpy(l.tracks[0].isrc, "US-ABC-26");
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), -EINVAL);
        rb_layout_free(&l);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_layout_places_tracks),
            cmocka_unit_test(test_leadin_real_disc_vector),
            cmocka_unit_test(test_leadin_entries_three_times),
            cmocka_unit_test(test_pregap_and_program),
            cmocka_unit_test(test_leadout),
            cmocka_unit_test(test_mcn_isrc_cadence),
            cmocka_unit_test(test_stream_and_read_back),
            cmocka_unit_test(test_pq_only_and_data_track),
            cmocka_unit_test(test_refusals),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
