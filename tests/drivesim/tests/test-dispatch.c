/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The dispatcher and the checks every command passes: identification,
 * readiness, unit attention, transport faults, SPEC and control parsing. */
#include <errno.h>
#include <linux/cdrom.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim-helpers.h"

static void test_inquiry(void **state)
{
        sim *s = sim_new("cdr80,vendor=ACME,product=Burner 9000");

        assert_int_equal(sim_in(s, CDB(0x12, 0, 0, 0, 96, 0), 96), 0);
        sim_assert_good(s);
        assert_int_equal(s->data[0], 0x05); /* CD/DVD device */
        assert_int_equal(s->data[1] & 0x80, 0x80); /* removable */
        assert_memory_equal(s->data + 8, "ACME    ", 8);
        assert_memory_equal(s->data + 16, "Burner 9000     ", 16);
        assert_int_equal(sim_transferred(s), 96);

        /* A short allocation gets a short reply and the right resid. */
        assert_int_equal(sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 96), 0);
        assert_int_equal(sim_transferred(s), 36);
        sim_free(s);
}

static void test_unknown_opcode_and_short_cdb(void **state)
{
        sim *s = sim_new("cdr80");

        sim_none(s, CDB(0xF7, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x5, 0x20, 0x00);
        sim_in(s, CDB(0x51, 0, 0), 34); /* READ DISC INFORMATION needs 10 bytes */
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

static void test_no_medium_and_tray(void **state)
{
        sim *s = sim_new("none");

        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x3A, 0x01);
        assert_int_equal(ds_drive_cdrom_status(s->drive), CDS_NO_DISC);

        free(sim_control(s, "open-tray", 0));
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        /* The tray change raised a unit attention first. */
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x3A, 0x02);
        assert_int_equal(ds_drive_cdrom_status(s->drive), CDS_TRAY_OPEN);

        free(sim_control(s, "insert cdrw74", 0));
        assert_true(ds_drive_take_events(s->drive) & DS_EVENT_MEDIA_CHANGED);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        assert_int_equal(ds_drive_cdrom_status(s->drive), CDS_DISC_OK);

        /* INQUIRY is answered even with a unit attention pending. */
        free(sim_control(s, "eject", 0));
        assert_int_equal(sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 36), 0);
        /* The disc stays in the open tray: not ready, tray open, until the tray closes. */
        assert_int_equal(ds_drive_cdrom_status(s->drive), CDS_TRAY_OPEN);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x3A, 0x02);
        free(sim_control(s, "close-tray", 0));
        assert_int_equal(ds_drive_cdrom_status(s->drive), CDS_DISC_OK);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        sim_free(s);
}

static void test_request_sense(void **state)
{
        sim *s = sim_new("none");

        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(sim_in(s, CDB(0x03, 0, 0, 0, 18, 0), 18), 0);
        assert_int_equal(s->data[2] & 0x0f, 0x2);
        assert_int_equal(s->data[12], 0x3A);
        /* Reported once, then NO SENSE. */
        assert_int_equal(sim_in(s, CDB(0x03, 0, 0, 0, 18, 0), 18), 0);
        assert_int_equal(s->data[2] & 0x0f, 0x0);
        sim_free(s);
}

static void test_not_ready_faults(void **state)
{
        static const struct {
                const char *name;
                uint8_t key, asc, ascq;
        } faults[] = {
                {"becoming-ready", 2, 0x04, 0x01},     {"format-in-progress", 2, 0x04, 0x04},
                {"busy", 2, 0x04, 0x07},               {"incompatible-medium", 2, 0x30, 0x00},
                {"upside-down", 2, 0x57, 0x00},        {"no-medium", 2, 0x3A, 0x01},
                {"tray-open", 2, 0x3A, 0x02},
        };

        for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
                char spec[64];
                snprintf(spec, sizeof spec, "cdr80,fault=%s:count=1", faults[i].name);
                sim *s = sim_new(spec);
                sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
                sim_assert_sense(s, faults[i].key, faults[i].asc, faults[i].ascq);
                sim_none(s, CDB(0x00, 0, 0, 0, 0, 0)); /* count=1: once only */
                sim_assert_good(s);
                sim_free(s);
        }
}

static void test_transport_faults(void **state)
{
        sim *s = sim_new("cdr80");

        free(sim_control(s, "fault timeout count=1", 0));
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(s->cmd.host_status, DS_HOST_TIME_OUT);
        assert_int_equal(s->cmd.delay_ns, 30000ull * 1000000ull);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);

        free(sim_control(s, "fault device-gone op=0x12 after=1", 0));
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0)); /* other opcodes pass */
        sim_assert_good(s);
        sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 36); /* the first INQUIRY passes (after=1) */
        sim_assert_good(s);
        sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 36);
        assert_int_equal(s->cmd.error, ENODEV);
        assert_true(ds_drive_take_events(s->drive) & DS_EVENT_GONE);

        free(sim_control(s, "clear-faults", 0));
        free(sim_control(s, "fault invalid-response count=1", 0));
        sim_in(s, CDB(0x12, 0, 0, 0, 96, 0), 96);
        assert_int_equal(sim_transferred(s), 48);
        assert_int_equal(s->data[0], 0xff);
        sim_free(s);
}

static void test_spec_errors(void **state)
{
        static const char *const bad[] = {
                "", "floppy", "cdr80,speed=0", "cdr80,speed=fast", "cdr80,buffer=lots",
                "cdr80,fault=gremlins", "cdr80,fault=busy:sometimes", "cdr80,colour=blue",
                "cdr80,vendor=MUCHTOOLONG",
        };

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                ds_drive *d = NULL;
                char *error = NULL;
                assert_int_equal(ds_drive_new(bad[i], "sr0", NULL, NULL, &d, &error), -EINVAL);
                assert_null(d);
                assert_non_null(error); /* every refusal says why */
                free(error);
        }
}

static void test_control(void **state)
{
        sim *s = sim_new("cdr80");
        char *reply;

        reply = sim_control(s, "insert cdr74", -EBUSY);
        assert_non_null(strstr(reply, "eject it first"));
        free(reply);
        free(sim_control(s, "frobnicate", -EINVAL));
        free(sim_control(s, "fault nonsense", -EINVAL));

        free(sim_control(s, "fault busy op=0x00 count=2", 0));
        reply = sim_control(s, "state", 0);
        assert_non_null(strstr(reply, "media=cdr80\n"));
        assert_non_null(strstr(reply, "disc=blank\n"));
        assert_non_null(strstr(reply, "faults=busy,op=0x00,count=2"));
        free(reply);

        char *props = ds_drive_udev_properties(s->drive);
        assert_non_null(strstr(props, "ID_CDROM=1\n"));
        assert_non_null(strstr(props, "ID_CDROM_MEDIA_CD_R=1\n"));
        assert_non_null(strstr(props, "ID_CDROM_MEDIA_STATE=blank\n"));
        free(props);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_inquiry),
                cmocka_unit_test(test_unknown_opcode_and_short_cdb),
                cmocka_unit_test(test_no_medium_and_tray),
                cmocka_unit_test(test_request_sense),
                cmocka_unit_test(test_not_ready_faults),
                cmocka_unit_test(test_transport_faults),
                cmocka_unit_test(test_spec_errors),
                cmocka_unit_test(test_control),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
