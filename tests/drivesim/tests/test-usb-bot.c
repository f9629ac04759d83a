/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* drivesim-usb's Bulk-Only Transport without a kernel: CBWs fed through in-memory endpoints
 * to a real drive model, and the data, halts and CSWs that come back (BOT 1.0, 6.7). */
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

#include "bot.h"

#define MAX_TRANSFERS 8

/* The host side: what it sends on bulk-out, what it sees on bulk-in. */
typedef struct fake_host {
        uint8_t out[MAX_TRANSFERS][4096];
        size_t out_len[MAX_TRANSFERS];
        int out_error[MAX_TRANSFERS];
        unsigned out_count, out_next;

        uint8_t in[64 * 1024]; /* everything written on bulk-in, concatenated */
        size_t in_len;
        unsigned in_writes;
        unsigned halts_in, halts_out;
        uint64_t waited_ns;

        ds_drive *drive;
        unsigned executed;
        uint64_t fake_delay_ns; /* when set, the fake target answers TEST UNIT READY late */
} fake_host;

static ssize_t fake_read_out(void *userdata, void *buf, size_t len)
{
        fake_host *h = userdata;
        unsigned i = h->out_next;

        if (i >= h->out_count)
                return -EAGAIN; /* the test sent nothing more */
        h->out_next++;
        if (h->out_error[i])
                return -h->out_error[i];
        if (h->out_len[i] < len)
                len = h->out_len[i];
        memcpy(buf, h->out[i], len);
        return (ssize_t)len;
}

static ssize_t fake_write_in(void *userdata, const void *buf, size_t len)
{
        fake_host *h = userdata;

        assert_true(h->in_len + len <= sizeof h->in);
        memcpy(h->in + h->in_len, buf, len);
        h->in_len += len;
        h->in_writes++;
        return (ssize_t)len;
}

static int fake_halt_in(void *userdata)
{
        ((fake_host *)userdata)->halts_in++;
        return 0;
}

static int fake_halt_out(void *userdata)
{
        ((fake_host *)userdata)->halts_out++;
        return 0;
}

static int fake_wait_ns(void *userdata, uint64_t ns)
{
        ((fake_host *)userdata)->waited_ns += ns;
        return 0;
}

static enum ds_direction model_direction(void *userdata, const uint8_t *cdb, size_t len)
{
        (void)userdata;
        return ds_drive_data_direction(cdb, len);
}

static void model_execute(void *userdata, ds_cmd *cmd)
{
        fake_host *h = userdata;

        h->executed++;
        ds_drive_execute(h->drive, cmd);
        if (h->fake_delay_ns)
                cmd->delay_ns = h->fake_delay_ns;
}

typedef struct fixture {
        fake_host host;
        bot bot;
} fixture;

static fixture *fixture_new(const char *spec)
{
        fixture *f = calloc(1, sizeof *f);
        bot_endpoints ep = {fake_read_out, fake_write_in, fake_halt_in,
                            fake_halt_out, fake_wait_ns,  &f->host};
        bot_target target = {model_direction, model_execute, &f->host};
        char *error = NULL;

        assert_int_equal(
            ds_drive_new(spec, "sr0", NULL, &ds_clock_monotonic, &f->host.drive, &error), 0);
        bot_init(&f->bot, &ep, &target);
        return f;
}

static void fixture_free(fixture *f)
{
        ds_drive_free(f->host.drive);
        free(f);
}

static void put_le32(uint8_t *p, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t le32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void queue_out(fixture *f, const void *data, size_t len)
{
        unsigned i = f->host.out_count++;

        assert_true(i < MAX_TRANSFERS);
        memcpy(f->host.out[i], data, len);
        f->host.out_len[i] = len;
}

/* Queues a CBW: dir 'i', 'o' or 'n' (no data). */
static void queue_cbw(fixture *f, uint32_t tag, char dir, uint32_t length, const uint8_t *cdb,
                      size_t cdb_len)
{
        uint8_t cbw[BOT_CBW_SIZE] = {0};

        put_le32(cbw, BOT_CBW_SIGNATURE);
        put_le32(cbw + 4, tag);
        put_le32(cbw + 8, dir == 'n' ? 0 : length);
        cbw[12] = dir == 'i' ? 0x80 : 0;
        cbw[14] = (uint8_t)cdb_len;
        memcpy(cbw + 15, cdb, cdb_len);
        queue_out(f, cbw, sizeof cbw);
}

#define CDB(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

/* The CSW is the last thing on bulk-in; checks its fields. */
static void assert_csw(const fixture *f, uint32_t tag, uint32_t residue, uint8_t status)
{
        const uint8_t *csw = f->host.in + f->host.in_len - BOT_CSW_SIZE;

        assert_true(f->host.in_len >= BOT_CSW_SIZE);
        assert_int_equal(le32(csw), BOT_CSW_SIGNATURE);
        assert_int_equal(le32(csw + 4), tag);
        assert_int_equal(le32(csw + 8), residue);
        assert_int_equal(csw[12], status);
}

/* Case 6 (Hi = Di) and case 1 (Hn = Dn). */
static void test_agreeing_host_and_device(void **state)
{
        fixture *f = fixture_new("cdr80");

        queue_cbw(f, 7, 'i', 36, CDB(0x12, 0, 0, 0, 36, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.in_len, 36 + BOT_CSW_SIZE);
        assert_int_equal(f->host.in[0] & 0x1f, 0x05); /* peripheral type: CD/DVD */
        assert_csw(f, 7, 0, BOT_STATUS_PASSED);
        assert_int_equal(f->host.halts_in + f->host.halts_out, 0);

        f->host.in_len = 0;
        queue_cbw(f, 8, 'n', 0, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.in_len, BOT_CSW_SIZE);
        assert_csw(f, 8, 0, BOT_STATUS_PASSED);
        fixture_free(f);
}

/* Case 5 (Hi > Di): the data, a halt of bulk-in, the residue. */
static void test_host_expects_more(void **state)
{
        fixture *f = fixture_new("cdr80");

        queue_cbw(f, 1, 'i', 96, CDB(0x12, 0, 0, 0, 36, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.in_len, 36 + BOT_CSW_SIZE);
        assert_int_equal(f->host.halts_in, 1);
        assert_csw(f, 1, 60, BOT_STATUS_PASSED);
        fixture_free(f);
}

/* Case 4 (Hi > Dn): no data, bulk-in halts, the whole length is the residue. */
static void test_host_expects_data_of_a_command_without(void **state)
{
        fixture *f = fixture_new("cdr80");

        queue_cbw(f, 2, 'i', 8, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.in_len, BOT_CSW_SIZE);
        assert_int_equal(f->host.halts_in, 1);
        assert_csw(f, 2, 8, BOT_STATUS_PASSED);
        fixture_free(f);
}

/* Case 7 (Hi < Di): what fits, then a phase error. Case 2 (Hn < Di): a phase error. */
static void test_host_expects_less(void **state)
{
        fixture *f = fixture_new("cdr80");

        queue_cbw(f, 3, 'i', 36, CDB(0x12, 0, 0, 0, 96, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.in_len, 36 + BOT_CSW_SIZE);
        assert_csw(f, 3, 0, BOT_STATUS_PHASE_ERROR);

        f->host.in_len = 0;
        queue_cbw(f, 4, 'n', 0, CDB(0x12, 0, 0, 0, 36, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.in_len, BOT_CSW_SIZE);
        assert_csw(f, 4, 0, BOT_STATUS_PHASE_ERROR);
        fixture_free(f);
}

/* Cases 8 and 10: host and device disagree on the direction. The command is not run; the
 * endpoint the host uses halts; phase error. */
static void test_opposite_directions(void **state)
{
        fixture *f = fixture_new("cdr80");

        queue_cbw(f, 5, 'i', 2448, CDB(0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.halts_in, 1);
        assert_int_equal(f->host.executed, 0);
        assert_csw(f, 5, 2448, BOT_STATUS_PHASE_ERROR);

        f->host.in_len = 0;
        queue_cbw(f, 6, 'o', 36, CDB(0x12, 0, 0, 0, 36, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.halts_out, 1);
        assert_int_equal(f->host.executed, 0);
        assert_csw(f, 6, 36, BOT_STATUS_PHASE_ERROR);
        fixture_free(f);
}

/* Case 9 (Ho > Dn): the command runs, bulk-out halts, the host's data is the residue. */
static void test_host_sends_data_to_a_command_without(void **state)
{
        fixture *f = fixture_new("cdr80");

        queue_cbw(f, 9, 'o', 512, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.executed, 1);
        assert_int_equal(f->host.halts_out, 1);
        assert_csw(f, 9, 512, BOT_STATUS_PASSED);
        fixture_free(f);
}

/* Case 12 (Ho = Do): MODE SELECT(10) takes back the page 05h that MODE SENSE(10) read. */
static void test_data_out(void **state)
{
        fixture *f = fixture_new("cdr80");
        uint8_t page[8 + 0x34];

        queue_cbw(f, 10, 'i', sizeof page, CDB(0x5A, 0, 0x05, 0, 0, 0, 0, 0, sizeof page, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_csw(f, 10, 0, BOT_STATUS_PASSED);
        memcpy(page, f->host.in, sizeof page);
        page[0] = page[1] = 0; /* mode data length is reserved in MODE SELECT */
        page[8] &= 0x3f;

        f->host.in_len = 0;
        queue_cbw(f, 11, 'o', sizeof page, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, sizeof page, 0));
        queue_out(f, page, sizeof page);
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.in_len, BOT_CSW_SIZE);
        assert_csw(f, 11, 0, BOT_STATUS_PASSED);
        assert_int_equal(f->host.halts_in + f->host.halts_out, 0);
        fixture_free(f);
}

/* CHECK CONDITION is status 1; the REQUEST SENSE usb-storage sends next gets the sense. */
static void test_failed_command_and_auto_sense(void **state)
{
        fixture *f = fixture_new("none");

        queue_cbw(f, 12, 'n', 0, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_csw(f, 12, 0, BOT_STATUS_FAILED);

        f->host.in_len = 0;
        queue_cbw(f, 13, 'i', 18, CDB(0x03, 0, 0, 0, 18, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_csw(f, 13, 0, BOT_STATUS_PASSED);
        assert_int_equal(f->host.in[2] & 0x0f, 0x02);
        assert_int_equal(f->host.in[12], 0x3A);

        /* A failed data-in command: no data, bulk-in halts, all of it is residue. */
        f->host.in_len = 0;
        queue_cbw(f, 14, 'i', 8, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_int_equal(f->host.in_len, BOT_CSW_SIZE);
        assert_int_equal(f->host.halts_in, 1);
        assert_csw(f, 14, 8, BOT_STATUS_FAILED);
        fixture_free(f);
}

/* An invalid CBW halts both endpoints until Reset Recovery; clearing the halts is not
 * enough; after the reset the next CBW is served. */
static void test_invalid_cbw_until_reset(void **state)
{
        fixture *f = fixture_new("cdr80");
        uint8_t junk[BOT_CBW_SIZE] = "not a command block wrapper!!!";
        uint8_t short_cbw[BOT_CBW_SIZE - 1] = {0x55, 0x53, 0x42, 0x43};

        queue_out(f, junk, sizeof junk);
        assert_int_equal(bot_serve_one(&f->bot), BOT_INVALID_CBW);
        assert_int_equal(f->host.halts_in, 1);
        assert_int_equal(f->host.halts_out, 1);

        queue_cbw(f, 20, 'n', 0, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(bot_serve_one(&f->bot), BOT_INVALID_CBW);
        assert_int_equal(f->host.halts_in, 2);
        assert_int_equal(f->host.executed, 0);
        assert_int_equal(f->host.in_len, 0);

        bot_request_reset(&f->bot);
        queue_cbw(f, 21, 'n', 0, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_csw(f, 21, 0, BOT_STATUS_PASSED);

        /* 30 bytes with the signature: not valid either. */
        queue_out(f, short_cbw, sizeof short_cbw);
        assert_int_equal(bot_serve_one(&f->bot), BOT_INVALID_CBW);
        fixture_free(f);
}

static void test_cbw_meaning(void **state)
{
        uint8_t cbw[BOT_CBW_SIZE] = {0x55, 0x53, 0x42, 0x43, 1,    0, 0, 0,
                                     36,   0,    0,    0,    0x80, 0, 6, 0x12};
        bot_cbw c;

        (void)state;
        assert_int_equal(bot_parse_cbw(cbw, sizeof cbw, &c), 0);
        assert_int_equal(c.tag, 1);
        assert_int_equal(c.data_length, 36);
        assert_true(c.data_in);
        cbw[13] = 1; /* LUN 1: this device has only LUN 0 (Get Max LUN answers 0) */
        assert_int_equal(bot_parse_cbw(cbw, sizeof cbw, &c), -EINVAL);
        cbw[13] = 0;
        cbw[14] = 17; /* a CDB longer than 16 bytes */
        assert_int_equal(bot_parse_cbw(cbw, sizeof cbw, &c), -EINVAL);
        cbw[14] = 0;
        assert_int_equal(bot_parse_cbw(cbw, sizeof cbw, &c), -EINVAL);
}

/* The timeout fault: no data, no CSW; the host resets. device-gone: an unplug. */
static void test_no_answer_and_gone(void **state)
{
        fixture *f = fixture_new("cdr80,fault=timeout:count=1");

        queue_cbw(f, 30, 'n', 0, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(bot_serve_one(&f->bot), BOT_NO_ANSWER);
        assert_int_equal(f->host.in_len, 0);
        fixture_free(f);

        f = fixture_new("cdr80,fault=device-gone");
        queue_cbw(f, 31, 'i', 36, CDB(0x12, 0, 0, 0, 36, 0));
        assert_int_equal(bot_serve_one(&f->bot), BOT_GONE);
        assert_int_equal(f->host.in_len, 0);
        fixture_free(f);
}

/* A paced drive's completion time delays the CSW; a reset during the command abandons it. */
static void test_pacing_and_reset(void **state)
{
        fixture *f = fixture_new("cdr80");

        f->host.fake_delay_ns = 50000000;
        queue_cbw(f, 40, 'n', 0, CDB(0x00, 0, 0, 0, 0, 0));
        assert_int_equal(bot_serve_one(&f->bot), 0);
        assert_true(f->host.waited_ns > 0 && f->host.waited_ns <= 50000000);
        assert_csw(f, 40, 0, BOT_STATUS_PASSED);

        /* A reset (or a disable) interrupts the blocked read: the caller sees the errno. */
        f->host.in_len = 0;
        f->host.out_error[f->host.out_count++] = EINTR;
        assert_int_equal(bot_serve_one(&f->bot), -EINTR);
        assert_int_equal(f->host.in_len, 0);
        fixture_free(f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_agreeing_host_and_device),
            cmocka_unit_test(test_host_expects_more),
            cmocka_unit_test(test_host_expects_data_of_a_command_without),
            cmocka_unit_test(test_host_expects_less),
            cmocka_unit_test(test_opposite_directions),
            cmocka_unit_test(test_host_sends_data_to_a_command_without),
            cmocka_unit_test(test_data_out),
            cmocka_unit_test(test_failed_command_and_auto_sense),
            cmocka_unit_test(test_invalid_cbw_until_reset),
            cmocka_unit_test(test_cbw_meaning),
            cmocka_unit_test(test_no_answer_and_gone),
            cmocka_unit_test(test_pacing_and_reset),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
