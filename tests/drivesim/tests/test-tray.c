/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tray, lock and blanking: PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT, REZERO UNIT,
 * BLANK with and without IMMED on the fake clock (mmc-raw.md §6.6). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "burn-helpers.h"
#include "ds-internal.h"
#include "sim-helpers.h"

#define SECOND 1000000000ull

static int tur(sim *s)
{
        return sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
}

static int prevent(sim *s, bool on)
{
        return sim_none(s, CDB(0x1E, 0, 0, 0, on ? 1 : 0, 0));
}

static int start_stop(sim *s, uint8_t byte4)
{
        return sim_none(s, CDB(0x1B, 0, 0, 0, byte4, 0));
}

static int blank(sim *s, uint8_t byte1)
{
        return sim_none(s, CDB(0xA1, byte1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
}

static unsigned progress_of(const uint8_t *sense)
{
        return (unsigned)sense[16] << 8 | sense[17];
}

static void test_eject_refused_while_locked(void **state)
{
        sim *s = sim_new("cdr80");
        char *st;

        assert_int_equal(prevent(s, true), 0);
        st = sim_control(s, "state", 0);
        assert_non_null(strstr(st, "locked=yes\n"));
        free(st);
        (void)ds_drive_take_events(s->drive);

        start_stop(s, 0x02); /* LoEj, Start 0: eject */
        sim_assert_sense(s, 0x5, 0x53, 0x02);
        assert_int_equal(ds_drive_take_events(s->drive), 0);
        tur(s);
        sim_assert_good(s); /* the disc is still there */

        /* cdrdao sends ALLOW before its eject. */
        prevent(s, false);
        sim_assert_good(s);
        start_stop(s, 0x02);
        sim_assert_good(s);
        assert_true(ds_drive_take_events(s->drive) & DS_EVENT_MEDIA_CHANGED);
        assert_int_equal(ds_drive_cdrom_status(s->drive), 2 /* CDS_TRAY_OPEN */);
        tur(s);
        sim_assert_sense(s, 0x2, 0x3A, 0x02);
        /* The disc lies in the open tray: still there, still the same disc. */
        st = sim_control(s, "state", 0);
        assert_non_null(strstr(st, "media=cdr80\n"));
        assert_non_null(strstr(st, "tray=open\n"));
        free(st);

        /* Load closes the tray and the disc is back, after the not-ready-to-ready attention. */
        start_stop(s, 0x03);
        sim_assert_good(s);
        assert_true(ds_drive_take_events(s->drive) & DS_EVENT_MEDIA_CHANGED);
        assert_int_equal(ds_drive_cdrom_status(s->drive), 4 /* CDS_DISC_OK */);
        tur(s);
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        tur(s);
        sim_assert_good(s);
        sim_free(s);
}

/* wodim and cdrdao eject a disc they have just written and load it again: the written
 * disc must come back as it was burned, not as a fresh blank. */
static void test_written_disc_survives_eject_and_load(void **state)
{
        bh_disc disc = bh_simple_audio(-11634 /* cdr80's lead-in, 97:26:66 */, 10, 10);
        sim *s = sim_new("cdr80");
        char *st;

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        st = sim_control(s, "state", 0);
        assert_non_null(strstr(st, "disc=complete\n"));
        free(st);

        start_stop(s, 0x02);
        sim_assert_good(s);
        tur(s);
        sim_assert_sense(s, 0x2, 0x3A, 0x02);
        assert_int_equal(ds_drive_cdrom_status(s->drive), 2 /* CDS_TRAY_OPEN */);
        free(sim_control(s, "close-tray", 0));
        tur(s);
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        tur(s);
        sim_assert_good(s);
        st = sim_control(s, "state", 0);
        assert_non_null(strstr(st, "media=cdr80\n"));
        assert_non_null(strstr(st, "disc=complete\n"));
        free(st);
        sim_free(s);
}

/* The button opens the tray with the disc in it; "take" empties it; "insert" into the
 * open tray swaps what lies there. */
static void test_button_take_and_swap(void **state)
{
        sim *s = sim_new("cdrw74");
        char *reply;

        reply = sim_control(s, "eject", 0);
        assert_non_null(strstr(reply, "disc still in it"));
        free(reply);
        tur(s);
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        tur(s);
        sim_assert_sense(s, 0x2, 0x3A, 0x02);

        /* LoEj + Start closes it again: the same disc, ready. */
        start_stop(s, 0x03);
        sim_assert_good(s);
        tur(s);
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        tur(s);
        sim_assert_good(s);
        reply = sim_control(s, "state", 0);
        assert_non_null(strstr(reply, "media=cdrw74\n"));
        free(reply);

        /* "take" opens the tray and takes the disc: closing it finds no medium. */
        free(sim_control(s, "take", 0));
        reply = sim_control(s, "state", 0);
        assert_non_null(strstr(reply, "media=none\n"));
        assert_non_null(strstr(reply, "tray=open\n"));
        free(reply);
        free(sim_control(s, "take", -ENOMEDIUM));
        free(sim_control(s, "close-tray", 0));
        tur(s);
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        tur(s);
        sim_assert_sense(s, 0x2, 0x3A, 0x01);
        assert_int_equal(ds_drive_cdrom_status(s->drive), 1 /* CDS_NO_DISC */);

        /* A disc lying in the open tray is swapped by "insert", which closes the tray. */
        free(sim_control(s, "insert cdr74", 0));
        free(sim_control(s, "eject", 0));
        free(sim_control(s, "insert cdr80", 0));
        reply = sim_control(s, "state", 0);
        assert_non_null(strstr(reply, "media=cdr80\n"));
        assert_non_null(strstr(reply, "tray=closed\n"));
        free(reply);

        /* A locked tray keeps its disc. */
        tur(s);
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        assert_int_equal(prevent(s, true), 0);
        free(sim_control(s, "take", -EBUSY));
        sim_free(s);
}

static void test_load_and_other_start_stop_forms(void **state)
{
        sim *s = sim_new("cdrw74,tray=open");

        tur(s);
        sim_assert_sense(s, 0x2, 0x3A, 0x02);
        start_stop(s, 0x03); /* LoEj + Start: close the tray */
        sim_assert_good(s);
        assert_true(ds_drive_take_events(s->drive) & DS_EVENT_MEDIA_CHANGED);
        tur(s);
        sim_assert_sense(s, 0x6, 0x28, 0x00); /* not ready to ready */
        tur(s);
        sim_assert_good(s);

        /* wodim loads even when the tray is shut: nothing changes, no unit attention. */
        start_stop(s, 0x03);
        sim_assert_good(s);
        assert_int_equal(ds_drive_take_events(s->drive), 0);
        tur(s);
        sim_assert_good(s);

        /* Spin up/down and power conditions leave the tray alone, with IMMED too. */
        sim_none(s, CDB(0x1B, 0x01, 0, 0, 0x01, 0));
        sim_assert_good(s);
        start_stop(s, 0x00);
        sim_assert_good(s);
        start_stop(s, 0x32); /* power condition 3 with LoEj: ignored */
        sim_assert_good(s);
        tur(s);
        sim_assert_good(s);

        /* REZERO UNIT: cdrdao's way to eat a unit attention. */
        sim_none(s, CDB(0x01, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        sim_free(s);
}

static void test_blank_refusals(void **state)
{
        sim *s = sim_new("cdr80");

        blank(s, 0x01);
        sim_assert_sense(s, 0x5, 0x64, 0x00); /* a CD-R cannot be erased */
        sim_free(s);

        s = sim_new("dvdr");
        blank(s, 0x01);
        sim_assert_sense(s, 0x5, 0x30, 0x05);
        sim_free(s);

        s = sim_new("none");
        blank(s, 0x01);
        sim_assert_sense(s, 0x2, 0x3A, 0x01);
        sim_free(s);

        s = sim_new("cdrw80");
        blank(s, 0x02); /* blank a track: not offered */
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

static void test_fault_write_protected_blank(void **state)
{
        sim *s = sim_new("cdrw80,fault=write-protected:count=1");
        ds_disc *disc = s->drive->media.disc;

        ds_disc_set_incomplete(disc);
        blank(s, 0x01);
        sim_assert_sense(s, 0x7, 0x27, 0x00);
        assert_int_equal(ds_disc_get_state(disc), DS_DISC_INCOMPLETE); /* left alone */
        blank(s, 0x01);
        sim_assert_good(s);
        assert_int_equal(ds_disc_get_state(disc), DS_DISC_BLANK);
        sim_free(s);
}

static void test_blank_instant_without_realtime(void **state)
{
        sim *s = sim_new("cdrw74");

        ds_disc_set_incomplete(s->drive->media.disc);
        blank(s, 0x10 | 0x00); /* full, IMMED */
        sim_assert_good(s);
        assert_int_equal(s->cmd.delay_ns, 0);
        tur(s);
        sim_assert_good(s);
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_BLANK);
        sim_free(s);
}

static void test_blank_immed_reports_progress(void **state)
{
        sim *s = sim_new("cdrw80,realtime");
        unsigned p1, p2;

        ds_disc_set_incomplete(s->drive->media.disc);
        blank(s, 0x10 | 0x01); /* minimal, IMMED: returns at once */
        sim_assert_good(s);
        assert_int_equal(s->cmd.delay_ns, 0);
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_BLANK);

        s->now_ns += SECOND / 2;
        tur(s);
        sim_assert_sense(s, 0x2, 0x04, 0x07);
        assert_int_equal(s->cmd.sense[15] & 0x80, 0x80); /* SKSV */
        p1 = progress_of(s->cmd.sense);

        /* libburn: TUR, then REQUEST SENSE for the progress (bytes 16-17). */
        s->now_ns += SECOND;
        sim_in(s, CDB(0x03, 0, 0, 0, 18, 0), 18);
        sim_assert_good(s);
        assert_int_equal(s->data[2] & 0x0f, 0x2);
        assert_int_equal(s->data[12], 0x04);
        assert_int_equal(s->data[13], 0x07);
        assert_int_equal(s->data[15] & 0x80, 0x80);
        p2 = progress_of(s->data);
        assert_true(p2 > p1);

        /* Other media commands wait too; a second BLANK is refused as busy. */
        sim_in(s, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0), 34);
        sim_assert_sense(s, 0x2, 0x04, 0x07);
        blank(s, 0x11);
        sim_assert_sense(s, 0x2, 0x04, 0x07);

        /* Long after: ready, and the disc is blank. */
        s->now_ns += 600 * SECOND;
        tur(s);
        sim_assert_good(s);
        sim_in(s, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0), 34);
        sim_assert_good(s);
        assert_int_equal(s->data[2], 0x10); /* erasable, empty */
        sim_free(s);
}

static void test_blank_durations_follow_speed_and_type(void **state)
{
        sim *s = sim_new("cdrw80,realtime");
        uint64_t minimal, full, minimal_slow;

        blank(s, 0x01); /* without IMMED the command itself takes the time */
        sim_assert_good(s);
        minimal = s->cmd.delay_ns;
        assert_true(minimal > 0);
        /* Another program asking meanwhile finds the drive busy. */
        tur(s);
        sim_assert_sense(s, 0x2, 0x04, 0x07);
        s->now_ns += minimal;
        tur(s);
        sim_assert_good(s);

        blank(s, 0x00);
        sim_assert_good(s);
        full = s->cmd.delay_ns;
        assert_true(full > 10 * minimal); /* the whole disc against the lead-in */
        s->now_ns += full;
        tur(s);
        sim_assert_good(s);

        /* Slower: longer. 8× is the slowest an Ultra Speed CD-RW allows. */
        sim_none(s, CDB(0xBB, 0, 0xff, 0xff, (uint8_t)((8 * 177) >> 8), (uint8_t)(8 * 177), 0, 0, 0,
                        0, 0, 0));
        sim_assert_good(s);
        blank(s, 0x01);
        sim_assert_good(s);
        minimal_slow = s->cmd.delay_ns;
        assert_true(minimal_slow + 3 >= minimal * 3 && minimal_slow <= minimal * 3 + 3);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_eject_refused_while_locked),
            cmocka_unit_test(test_written_disc_survives_eject_and_load),
            cmocka_unit_test(test_button_take_and_swap),
            cmocka_unit_test(test_load_and_other_start_stop_forms),
            cmocka_unit_test(test_blank_refusals),
            cmocka_unit_test(test_fault_write_protected_blank),
            cmocka_unit_test(test_blank_instant_without_realtime),
            cmocka_unit_test(test_blank_immed_reports_progress),
            cmocka_unit_test(test_blank_durations_follow_speed_and_type),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
