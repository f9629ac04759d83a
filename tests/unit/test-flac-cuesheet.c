/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * FLAC CUESHEET blocks built here byte by byte from the FLAC format
 * specification (https://xiph.org/flac/format.html#metadata_block_cuesheet),
 * read back as a cue sheet. tests/image/flac-cuesheet.sh checks a block
 * written by metaflac itself.
 */
/* cmocka.h needs these first */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include <errno.h>

#include "rawburn/flac-cuesheet.h"

typedef struct builder {
        uint8_t buf[4096];
        size_t len;
} builder_t;

static void put(builder_t *b, uint64_t v, unsigned bytes)
{
        for (unsigned i = bytes; i-- > 0;)
                b->buf[b->len++] = (uint8_t)(v >> (8 * i));
}

static void put_bytes(builder_t *b, const void *p, size_t n)
{
        memcpy(b->buf + b->len, p, n);
        b->len += n;
}

static void put_track(builder_t *b, uint64_t offset, uint8_t number, const char *isrc,
                      uint8_t flags, unsigned nindex, const uint64_t *ix_offsets,
                      const uint8_t *ix_numbers)
{
        char isrc12[12] = {0};
        if (isrc)
                memcpy(isrc12, isrc, 12);
        put(b, offset, 8);
        put(b, number, 1);
        put_bytes(b, isrc12, 12);
        put(b, flags, 1); /* bit 7 non-audio, bit 6 pre-emphasis */
        for (int i = 0; i < 13; i++)
                put(b, 0, 1);
        put(b, nindex, 1);
        for (unsigned x = 0; x < nindex; x++) {
                put(b, ix_offsets[x], 8);
                put(b, ix_numbers[x], 1);
                put(b, 0, 3);
        }
}

/* "fLaC", a STREAMINFO-sized dummy block (type 0, 34 bytes), then the
 * CUESHEET as the last block: two tracks and the lead-out (170). */
static size_t build(builder_t *b, uint8_t t2_flags, uint8_t tracks_claimed)
{
        builder_t cs = {.len = 0};
        char mcn[128] = "4006381333931";
        put_bytes(&cs, mcn, 128);
        put(&cs, 88200, 8); /* lead-in samples */
        put(&cs, 0x80, 1);  /* is CD */
        for (int i = 0; i < 258; i++)
                put(&cs, 0, 1);
        put(&cs, tracks_claimed, 1);
        static const uint64_t t1_off[] = {0};
        static const uint8_t t1_num[] = {1};
        put_track(&cs, 0, 1, "USABC2600001", 0, 1, t1_off, t1_num);
        /* Track 2 at sector 400; index 0 there, index 1 75 sectors later. */
        static const uint64_t t2_off[] = {0, 75 * 588};
        static const uint8_t t2_num[] = {0, 1};
        put_track(&cs, 400 * 588, 2, NULL, t2_flags, 2, t2_off, t2_num);
        put_track(&cs, 900 * 588, 170, NULL, 0, 0, NULL, NULL);

        b->len = 0;
        put_bytes(b, "fLaC", 4);
        put(b, 0x00, 1);
        put(b, 34, 3);
        for (int i = 0; i < 34; i++)
                put(b, 0, 1);
        put(b, 0x80 | 5, 1);
        put(b, cs.len, 3);
        put_bytes(b, cs.buf, cs.len);
        return b->len;
}

static void test_parse(void **state)
{
        (void)state;
        builder_t b;
        rb_cue_sheet_t c;
        char err[256] = "";
        size_t n = build(&b, 0x40, 3);

        assert_int_equal(rb_flac_cuesheet_parse("x.flac", "x.flac", b.buf, n, &c, err, sizeof err),
                         0);
        assert_string_equal(c.mcn, "4006381333931");
        assert_int_equal(c.file_count, 1);
        assert_int_equal(c.files[0].type, RB_CUE_FLAC);
        assert_int_equal(c.track_count, 2);
        assert_string_equal(c.tracks[0].isrc, "USABC2600001");
        assert_int_equal(c.tracks[0].index_count, 1);
        assert_int_equal(c.tracks[0].indexes[0].number, 1);
        assert_int_equal(c.tracks[0].indexes[0].frames, 0);
        assert_int_equal(c.tracks[1].flags, RB_CTL_PREEMPHASIS);
        assert_int_equal(c.tracks[1].index_count, 2);
        assert_int_equal(c.tracks[1].indexes[0].number, 0);
        assert_int_equal(c.tracks[1].indexes[0].frames, 400);
        assert_int_equal(c.tracks[1].indexes[1].number, 1);
        assert_int_equal(c.tracks[1].indexes[1].frames, 475);
        rb_cue_sheet_free(&c);
}

static void test_errors(void **state)
{
        (void)state;
        builder_t b;
        rb_cue_sheet_t c;
        char err[256] = "";
        size_t n = build(&b, 0x80, 3); /* track 2 non-audio */

        assert_int_equal(rb_flac_cuesheet_parse("x.flac", "x.flac", b.buf, n, &c, err, sizeof err),
                         -EINVAL);
        assert_non_null(strstr(err, "x.flac: CUESHEET: track 2 is marked non-audio"));

        n = build(&b, 0, 9); /* more tracks claimed than present */
        assert_int_equal(rb_flac_cuesheet_parse("x.flac", "x.flac", b.buf, n, &c, err, sizeof err),
                         -EINVAL);
        assert_non_null(strstr(err, "cut short"));

        for (size_t cut = 0; cut < n; cut++) /* every truncation: no crash */
                if (rb_flac_cuesheet_parse("x.flac", "x.flac", b.buf, cut, &c, err, sizeof err) ==
                    0)
                        rb_cue_sheet_free(&c);

        static const uint8_t not_flac[] = "RIFF....WAVE";
        assert_int_equal(rb_flac_cuesheet_parse("x.wav", "x.wav", not_flac, sizeof not_flac, &c,
                                                err, sizeof err),
                         -ENOENT);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse),
            cmocka_unit_test(test_errors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
