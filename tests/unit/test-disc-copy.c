/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A copy of a disc (disc-copy.h): the full TOC a drive returns (READ TOC
 * format 2) parsed whatever the order of its points; and an image written
 * whole, its lead-in and track 1's pause wiped as a drive cannot read them,
 * made whole again from its TOC and the Q of its program area, byte for byte
 * the image it was.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "rawburn/disc-copy.h"
#include "rawburn/image-layout.h"
#include "rawburn/image-writer.h"
#include "rawburn/msf.h"
#include "rawburn/subq.h"

#define SECTOR 2448

/* One 11-byte descriptor of a format 2 response, binary as drives give it. */
static void put_point(uint8_t *p, uint8_t session, uint8_t control, uint8_t point, rb_msf_t m)
{
        memset(p, 0, 11);
        p[0] = session;
        p[1] = (uint8_t)(RB_Q_ADR_POSITION << 4 | control);
        p[3] = point;
        p[8] = m.m;
        p[9] = m.s;
        p[10] = m.f;
}

static rb_msf_t msf_of(int32_t lba)
{
        rb_msf_t m;
        assert_int_equal(rb_lba_to_msf(lba, &m), 0);
        return m;
}

/* The format 2 response of a layout's TOC, points in the order given. */
static size_t toc_response(const rb_layout_t *l, uint8_t *out)
{
        rb_toc_entry_t toc[102];
        size_t n = rb_layout_toc(l, toc), len = 4;

        for (size_t i = 0; i < n; i++, len += 11) {
                rb_msf_t p = toc[i].p;
                if (toc[i].point == RB_Q_POINT_FIRST_TRACK)
                        p.s = 20; /* the XA type 20h in binary, as most drives give it */
                put_point(out + len, 1, toc[i].control, toc[i].point, p);
        }
        out[0] = (uint8_t)((len - 2) >> 8);
        out[1] = (uint8_t)(len - 2);
        out[2] = out[3] = 1;
        return len;
}

static void test_toc_parse(void **state)
{
        uint8_t r[4 + 11 * 7];
        rb_disc_toc_t toc;
        char err[200];
        size_t len = 4;

        (void)state;
        /* A drive may list A0-A2 first and the tracks out of order; a second
         * session's points are not the copy's. */
        put_point(r + len, 1, 4, 0xA0, (rb_msf_t){1, 0x20, 0});
        len += 11;
        put_point(r + len, 1, 0, 0xA1, (rb_msf_t){2, 0, 0});
        len += 11;
        put_point(r + len, 1, 0, 0xA2, msf_of(20000));
        len += 11;
        put_point(r + len, 1, 0, 2, msf_of(12000));
        len += 11;
        put_point(r + len, 1, 4, 1, msf_of(0));
        len += 11;
        put_point(r + len, 2, 0, 3, msf_of(40000));
        len += 11;
        r[0] = (uint8_t)((len - 2) >> 8);
        r[1] = (uint8_t)(len - 2);
        assert_int_equal(rb_disc_toc_parse(r, len, &toc, err, sizeof err), 0);
        assert_int_equal(toc.first_track, 1);
        assert_int_equal(toc.last_track, 2);
        assert_int_equal(toc.disc_type, 0x20);
        assert_int_equal(toc.track_count, 2);
        assert_int_equal(toc.tracks[0].number, 1);
        assert_int_equal(toc.tracks[0].control, 4);
        assert_int_equal(toc.tracks[0].start_lba, 0);
        assert_int_equal(toc.tracks[1].start_lba, 12000);
        assert_int_equal(toc.leadout_lba, 20000);

        /* Without the lead-out (A2) there is no disc to copy. */
        memmove(r + 4 + 22, r + 4 + 33, len - 4 - 33);
        len -= 11;
        r[1] = (uint8_t)(len - 2);
        assert_int_equal(rb_disc_toc_parse(r, len, &toc, err, sizeof err), -EBADMSG);
        assert_non_null(strstr(err, "A2"));
        assert_int_equal(rb_disc_toc_parse(r, 3, &toc, err, sizeof err), -EBADMSG);
}

static void add_track(rb_layout_t *l, rb_track_mode_t mode, uint32_t pause, uint32_t length,
                      uint32_t index2)
{
        rb_track_t *t = rb_layout_add_track(l, mode);
        assert_non_null(t);
        t->pause = pause;
        t->length = length;
        if (index2) {
                t->index_count = 2;
                t->index_start[2] = index2;
        }
        rb_segment_t s = {.file = -1,
                          .sectors = pause + length,
                          .format = mode == RB_TRACK_AUDIO ? RB_FMT_AUDIO : RB_FMT_MODE2};
        assert_int_equal(rb_track_add_segment(t, &s), 0);
}

static void test_leadin_made_again(void **state)
{
        rb_layout_t l, copy;
        uint8_t toc_bytes[4 + 11 * 102];
        rb_disc_toc_t toc;
        char err[300];
        int fd = memfd_create("disc", MFD_CLOEXEC), again = memfd_create("copy", MFD_CLOEXEC);

        (void)state;
        assert_true(fd >= 0 && again >= 0);
        /* A Mode 2 track, then audio with a pause, an index 2, an ISRC; the MCN. */
        rb_layout_init(&l);
        l.sector_type = RB_SECTOR_RAW;
        add_track(&l, RB_TRACK_MODE2, 150, 400, 0);
        add_track(&l, RB_TRACK_AUDIO, 150, 500, 200);
        strcpy(l.tracks[1].isrc, "USABC2600001");
        strcpy(l.mcn, "4006381333931");
        assert_int_equal(rb_layout_finalize(&l, err, sizeof err), 0);
        assert_int_equal(rb_image_write(&l, fd, NULL, NULL, err, sizeof err), 0);

        /* What a drive gives: the program area and the lead-out; the rest wiped. */
        size_t size = (size_t)rb_layout_image_sectors(&l) * SECTOR;
        size_t unread = (size_t)(0 - RB_IMAGE_START_LBA) * SECTOR;
        uint8_t *disc = malloc(size), *made = malloc(size);
        assert_non_null(disc);
        assert_non_null(made);
        assert_int_equal(pread(fd, disc, size, 0), (ssize_t)size);
        memcpy(made, disc, size);
        memset(made, 0, unread);
        assert_int_equal(pwrite(again, made, size, 0), (ssize_t)size);

        size_t len = toc_response(&l, toc_bytes);
        assert_int_equal(rb_disc_toc_parse(toc_bytes, len, &toc, err, sizeof err), 0);
        rb_layout_init(&copy);
        assert_int_equal(rb_disc_copy_layout(&copy, &toc, NULL, 0, again, err, sizeof err), 0);
        assert_int_equal(copy.tracks[0].mode, RB_TRACK_MODE2);
        assert_int_equal(copy.tracks[1].pause, 150);
        assert_int_equal(copy.tracks[1].index_count, 2);
        assert_int_equal(copy.tracks[1].index_start[2], 200);
        assert_string_equal(copy.tracks[1].isrc, "USABC2600001");
        assert_string_equal(copy.mcn, "4006381333931");
        assert_int_equal(rb_disc_copy_write_leadin(&copy, again, err, sizeof err), 0);
        /* The lead-out made too, from its second sector on, as when a drive gives one. */
        assert_int_equal(
            rb_disc_copy_write_leadout(&copy, again, copy.leadout_lba + 1, err, sizeof err), 0);
        assert_int_equal(pread(again, made, size, 0), (ssize_t)size);
        for (size_t i = 0; i < size / SECTOR; i++)
                if (memcmp(made + i * SECTOR, disc + i * SECTOR, SECTOR) != 0)
                        fail_msg("LBA %d differs", RB_IMAGE_START_LBA + (int32_t)i);

        /* A span in the program area that does not start at the image's start
         * cannot be made (its sources are read in order). */
        assert_int_equal(rb_image_write_span(&copy, again, 10, 20, err, sizeof err), -EINVAL);
        free(disc);
        free(made);
        rb_layout_free(&l);
        rb_layout_free(&copy);
        close(fd);
        close(again);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_toc_parse),
            cmocka_unit_test(test_leadin_made_again),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
