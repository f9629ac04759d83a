/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Faults and deferred conditions on the commands where they apply: every not-ready
 * condition on every command that needs the medium, the write faults on WRITE(12), the
 * mode faults on the 6-byte forms, the transport faults mid-burn, and REQUEST SENSE as a
 * host with autosense sees it (cleared by a good command, progress while busy). The sense
 * codes are the ones mmc-raw.md §5 lists for real drives (SPC-3/MMC-5 ASC tables). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "burn-helpers.h"
#include "ds-internal.h"
#include "sim-helpers.h"

#define LEADIN_CDR80 (-11634)
#define SECOND       1000000000ull

/* Commands that need the medium, each with a CDB a host would send, and the data
 * direction; the readiness checks come before any field of the CDB is looked at. */
typedef struct medium_command {
        const char *name;
        uint8_t cdb[12];
        size_t cdb_len;
        size_t alloc; /* data from the device; 0 for none */
} medium_command;

static const medium_command medium_commands[] = {
    {"TEST UNIT READY", {0x00}, 6, 0},
    {"READ CAPACITY", {0x25}, 10, 8},
    {"READ(10)", {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}, 10, 2048},
    {"READ(12)", {0xA8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, 12, 2048},
    {"SEEK(10)", {0x2B}, 10, 0},
    {"SYNCHRONIZE CACHE", {0x35}, 10, 0},
    {"READ SUB-CHANNEL", {0x42, 0, 0x40, 0x01, 0, 0, 0, 0, 16, 0}, 10, 16},
    {"READ TOC", {0x43, 0x02, 0, 0, 0, 0, 0, 0x03, 0x24, 0}, 10, 804},
    {"READ TOC format 4 (ATIP)", {0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 28, 0}, 10, 28},
    {"READ DISC INFORMATION", {0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0}, 10, 34},
    {"READ TRACK INFORMATION", {0x52, 0x01, 0, 0, 0, 1, 0, 0, 36, 0}, 10, 36},
    {"SEND OPC INFORMATION", {0x54, 0x01}, 10, 0},
    {"CLOSE TRACK SESSION", {0x5B, 0, 0x02}, 10, 0},
    {"BLANK", {0xA1, 0x01}, 12, 0},
    {"READ DISC STRUCTURE", {0xAD, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0}, 12, 8},
    {"READ CD MSF", {0xB9, 0, 0, 0x02, 0, 0, 0x02, 1, 0x10, 0x10, 0, 0}, 12, 2352},
    {"READ CD", {0xBE, 0, 0, 0, 0, 0, 0, 0, 1, 0x10, 0, 0}, 12, 2352},
};
#define N_MEDIUM_COMMANDS (sizeof medium_commands / sizeof medium_commands[0])

static int send(sim *s, const medium_command *c)
{
        return c->alloc ? sim_in(s, c->cdb, c->cdb_len, c->alloc) : sim_none(s, c->cdb, c->cdb_len);
}

/* The WRITE commands need data; both go through the same checks. */
static int write_blocks(sim *s, uint8_t opcode, const bh_disc *disc, int32_t lba, unsigned n)
{
        size_t bs = bh_block_size(3);
        uint8_t cdb[12] = {opcode};

        for (unsigned i = 0; i < n; i++)
                bh_block(disc, lba + (int32_t)i, 3, s->data + i * bs);
        ds_put_be32(cdb + 2, (uint32_t)lba);
        if (opcode == 0xAA) {
                ds_put_be32(cdb + 6, n);
                return sim_out(s, cdb, 12, n * bs);
        }
        ds_put_be16(cdb + 7, (uint16_t)n);
        return sim_out(s, cdb, 10, n * bs);
}

static void request_sense(sim *s)
{
        assert_int_equal(sim_in(s, CDB(0x03, 0, 0, 0, 18, 0), 18), 0);
}

/* ---- REQUEST SENSE as autosense hosts see it ---- */

static void test_sense_cleared_by_good_command(void **state)
{
        sim *s = sim_new("cdr80,fault=busy:count=1");

        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x04, 0x07);
        sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 36); /* a good command in between */
        sim_assert_good(s);
        request_sense(s);
        assert_int_equal(s->data[0], 0x70);
        assert_int_equal(s->data[2] & 0x0f, 0x0); /* NO SENSE */
        assert_int_equal(s->data[12], 0);
        assert_int_equal(s->data[13], 0);

        /* Asked straight after the failure, the sense is still there, once. */
        free(sim_control(s, "fault busy count=1", 0));
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        request_sense(s);
        assert_int_equal(s->data[2] & 0x0f, 0x2);
        assert_int_equal(s->data[12], 0x04);
        assert_int_equal(s->data[13], 0x07);
        request_sense(s);
        assert_int_equal(s->data[2] & 0x0f, 0x0);

        /* A failed REQUEST SENSE-free sequence: an unknown opcode replaces older sense. */
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_none(s, CDB(0xFF, 0, 0, 0, 0, 0));
        request_sense(s);
        assert_int_equal(s->data[2] & 0x0f, 0x5);
        assert_int_equal(s->data[12], 0x20);
        sim_free(s);
}

static void test_request_sense_reports_drain_progress(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        sim *s = sim_new("cdr80,speed=4,buffer=256K,realtime");
        unsigned p1, p2;

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_write_range(s, &disc, LEADIN_CDR80, bh_end(&disc), 26, 3), 0);
        assert_int_equal(sim_none(s, CDB(0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0)), 0);

        /* Polled after a good command, as libburn does: LONG WRITE IN PROGRESS with SKSV. */
        s->now_ns += SECOND / 10;
        sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 36);
        sim_assert_good(s);
        request_sense(s);
        assert_int_equal(s->data[2] & 0x0f, 0x2);
        assert_int_equal(s->data[12], 0x04);
        assert_int_equal(s->data[13], 0x08);
        assert_int_equal(s->data[15] & 0x80, 0x80);
        p1 = ds_get_be16(s->data + 16);
        assert_true(p1 < 0xffff);

        s->now_ns += SECOND / 10;
        request_sense(s);
        assert_int_equal(s->data[13], 0x08);
        p2 = ds_get_be16(s->data + 16);
        assert_true(p2 > p1);

        /* Drained: nothing to report any more. */
        s->now_ns += 60 * SECOND;
        request_sense(s);
        assert_int_equal(s->data[2] & 0x0f, 0x0);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        sim_free(s);
}

/* ---- not ready: every command that needs the medium ---- */

static void test_not_ready_faults_on_every_medium_command(void **state)
{
        static const struct {
                const char *name;
                uint8_t asc, ascq;
        } faults[] = {
            {"no-medium", 0x3A, 0x01},      {"tray-open", 0x3A, 0x02},
            {"becoming-ready", 0x04, 0x01}, {"format-in-progress", 0x04, 0x04},
            {"busy", 0x04, 0x07},           {"incompatible-medium", 0x30, 0x00},
            {"upside-down", 0x57, 0x00},
        };

        for (size_t f = 0; f < sizeof faults / sizeof faults[0]; f++)
                for (size_t i = 0; i < N_MEDIUM_COMMANDS; i++) {
                        const medium_command *c = &medium_commands[i];
                        char spec[96];
                        sim *s;

                        snprintf(spec, sizeof spec, "cdrw80,fault=%s:op=0x%02x:count=1",
                                 faults[f].name, c->cdb[0]);
                        s = sim_new(spec);
                        /* Commands that need no medium are not affected. */
                        sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 36);
                        sim_assert_good(s);
                        send(s, c);
                        print_message("%s on %s\n", faults[f].name, c->name);
                        sim_assert_sense(s, 0x2, faults[f].asc, faults[f].ascq);
                        sim_free(s);
                }
}

static void test_real_not_ready_states_on_every_medium_command(void **state)
{
        static const struct {
                const char *spec;
                uint8_t ascq;
        } states[] = {{"none", 0x01}, {"cdr80,tray=open", 0x02}};

        for (size_t k = 0; k < sizeof states / sizeof states[0]; k++) {
                sim *s = sim_new(states[k].spec);
                for (size_t i = 0; i < N_MEDIUM_COMMANDS; i++) {
                        send(s, &medium_commands[i]);
                        print_message("%s: %s\n", states[k].spec, medium_commands[i].name);
                        sim_assert_sense(s, 0x2, 0x3A, states[k].ascq);
                }
                sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 36);
                sim_assert_good(s);
                sim_in(s, CDB(0x46, 0, 0, 0, 0, 0, 0, 0, 8, 0), 8);
                sim_assert_good(s);
                sim_free(s);
        }
}

static void test_blanking_keeps_every_medium_command_busy(void **state)
{
        sim *s = sim_new("cdrw80,speed=4,realtime");

        assert_int_equal(sim_none(s, CDB(0xA1, 0x10 | 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        s->now_ns += SECOND;
        for (size_t i = 0; i < N_MEDIUM_COMMANDS; i++) {
                send(s, &medium_commands[i]);
                print_message("blanking: %s\n", medium_commands[i].name);
                sim_assert_sense(s, 0x2, 0x04, 0x07);
                assert_int_equal(s->cmd.sense[15] & 0x80, 0x80); /* progress in 16-17 */
                assert_true(ds_get_be16(s->cmd.sense + 16) > 0);
        }
        {
                bh_disc disc = bh_simple_audio(-11634, 10, 10);
                bh_set_raw(s, 3, false, false);
                write_blocks(s, 0x2A, &disc, -11634, 1);
                sim_assert_sense(s, 0x2, 0x04, 0x07);
                write_blocks(s, 0xAA, &disc, -11634, 1);
                sim_assert_sense(s, 0x2, 0x04, 0x07);
        }
        /* Identification still answers, and REQUEST SENSE after it reports progress. */
        sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 36);
        sim_assert_good(s);
        request_sense(s);
        assert_int_equal(s->data[2] & 0x0f, 0x2);
        assert_int_equal(s->data[13], 0x07);
        assert_int_equal(s->data[15] & 0x80, 0x80);

        s->now_ns += 3600 * SECOND;
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        sim_in(s, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0), 34);
        sim_assert_good(s);
        sim_free(s);
}

/* ---- write faults on both WRITE forms ---- */

static void test_write_faults_on_write12(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        sim *s = sim_new("cdr80,fault=write-protected:op=0xaa");

        bh_set_raw(s, 3, false, false);
        write_blocks(s, 0xAA, &disc, LEADIN_CDR80, 2);
        sim_assert_sense(s, 0x7, 0x27, 0x00);
        sim_free(s);

        s = sim_new("cdr80,fault=speed-mismatch:op=0xaa");
        bh_set_raw(s, 3, false, false);
        write_blocks(s, 0xAA, &disc, LEADIN_CDR80, 2);
        sim_assert_sense(s, 0x2, 0x30, 0x11);
        sim_free(s);

        /* Loss of streaming mid-burn on WRITE(12), after a good WRITE(12). */
        s = sim_new("cdr80");
        bh_set_raw(s, 3, false, false);
        assert_int_equal(write_blocks(s, 0xAA, &disc, LEADIN_CDR80, 2), 0);
        free(sim_control(s, "fault loss-of-streaming op=0xaa count=1", 0));
        write_blocks(s, 0xAA, &disc, LEADIN_CDR80 + 2, 2);
        sim_assert_sense(s, 0x3, 0x0C, 0x09);
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_INCOMPLETE);
        sim_free(s);
}

/* ---- mode faults on the 6-byte forms ---- */

static void test_mode_faults_on_six_byte_forms(void **state)
{
        sim *s = sim_new("cdr80,fault=no-such-mode-page:count=1");

        sim_in(s, CDB(0x1A, 0x08, 0x05, 0, 255, 0), 255);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_in(s, CDB(0x1A, 0x08, 0x05, 0, 255, 0), 255);
        sim_assert_good(s);

        /* The page just read, sent back in MODE SELECT(6): refused once by the fault. */
        free(sim_control(s, "fault invalid-mode-parameters count=1", 0));
        {
                size_t len = (size_t)s->data[0] + 1;
                s->data[0] = 0; /* mode data length is reserved in MODE SELECT */
                sim_out(s, CDB(0x15, 0x10, 0, 0, (uint8_t)len, 0), len);
                sim_assert_sense(s, 0x5, 0x26, 0x00);
                sim_out(s, CDB(0x15, 0x10, 0, 0, (uint8_t)len, 0), len);
                sim_assert_good(s);
        }
        sim_free(s);
}

/* ---- a sense fault limited to sectors: one unreadable spot on a good disc ---- */

static void read_cd(sim *s, int32_t lba, uint32_t count)
{
        sim_in(s,
               CDB(0xBE, 0, (uint8_t)(lba >> 24), (uint8_t)(lba >> 16), (uint8_t)(lba >> 8),
                   (uint8_t)lba, (uint8_t)(count >> 16), (uint8_t)(count >> 8), (uint8_t)count,
                   0xF8, 0x01, 0),
               count * 2448);
}

static void test_sense_fault_on_an_lba_range(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 400, 100);
        sim *s = sim_new("cdr80");

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        free(sim_control(s, "fault sense 03/11/00 op=0xbe lba=100-101", 0));
        /* Reads that take sector 100 or 101 fail, long or short; their neighbours read. */
        read_cd(s, 0, 64);
        sim_assert_good(s);
        read_cd(s, 64, 64);
        sim_assert_sense(s, 0x3, 0x11, 0x00);
        read_cd(s, 99, 1);
        sim_assert_good(s);
        read_cd(s, 101, 1);
        sim_assert_sense(s, 0x3, 0x11, 0x00);
        read_cd(s, 102, 10);
        sim_assert_good(s);
        /* Without op=, still only reads: TEST UNIT READY passes. */
        free(sim_control(s, "fault sense 03/11/00 lba=100", 0));
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        read_cd(s, 100, 1);
        sim_assert_sense(s, 0x3, 0x11, 0x00);
        sim_free(s);
}

/* ---- transport faults in the middle of a burn ---- */

static void test_transport_faults_mid_burn(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        sim *s = sim_new("cdr80");

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80, 4, 3), 0);

        /* A WRITE that never completes: the host gives up at its own timeout. */
        free(sim_control(s, "fault timeout op=0x2a count=1", 0));
        s->cmd.timeout_ms = 0;
        bh_write(s, &disc, LEADIN_CDR80 + 4, 4, 3);
        assert_int_equal(s->cmd.host_status, DS_HOST_TIME_OUT);
        assert_true(s->cmd.delay_ns > 0);
        assert_int_equal(s->cmd.status, DS_STATUS_GOOD); /* no SCSI status arrived */

        /* Invalid response on READ BUFFER CAPACITY: half the bytes, a length of FFFFh. */
        free(sim_control(s, "fault invalid-response op=0x5c count=1", 0));
        sim_in(s, CDB(0x5C, 0, 0, 0, 0, 0, 0, 0, 12, 0), 12);
        assert_int_equal(sim_transferred(s), 6);
        assert_int_equal(s->data[0], 0xff);
        assert_int_equal(s->data[1], 0xff);
        sim_in(s, CDB(0x5C, 0, 0, 0, 0, 0, 0, 0, 12, 0), 12);
        assert_int_equal(sim_transferred(s), 12);
        assert_int_equal(ds_get_be16(s->data), 10);

        /* The drive goes away mid-burn: ENODEV and the udev remove event. */
        free(sim_control(s, "fault device-gone op=0x2a", 0));
        (void)ds_drive_take_events(s->drive);
        bh_write(s, &disc, LEADIN_CDR80 + 4, 4, 3);
        assert_int_equal(s->cmd.error, ENODEV);
        assert_true(ds_drive_take_events(s->drive) & DS_EVENT_GONE);
        sim_free(s);
}

/* Every fault name is armable from the control socket as well as from the SPEC. */
static void test_every_fault_armable_by_name(void **state)
{
        static const char *const names[] = {
            "no-medium",
            "tray-open",
            "becoming-ready",
            "format-in-progress",
            "busy",
            "write-protected",
            "incompatible-medium",
            "upside-down",
            "speed-mismatch",
            "invalid-mode-parameters",
            "no-such-mode-page",
            "timeout",
            "invalid-response",
            "device-gone",
            "loss-of-streaming",
            "toc-mismatch",
        };

        assert_int_equal(sizeof names / sizeof names[0], DS_FAULT_COUNT);
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                char line[80], spec[80];
                sim *s;

                assert_int_equal(ds_fault_from_name(names[i]), (int)i);
                assert_string_equal(ds_fault_name((enum ds_fault)i), names[i]);
                snprintf(line, sizeof line, "fault %s count=1", names[i]);
                s = sim_new("cdr80");
                free(sim_control(s, line, 0));
                assert_true(s->drive->faults.arm[i].armed);
                sim_free(s);

                snprintf(spec, sizeof spec, "cdr80,fault=%s", names[i]);
                s = sim_new(spec);
                assert_true(s->drive->faults.arm[i].armed);
                sim_free(s);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sense_cleared_by_good_command),
            cmocka_unit_test(test_request_sense_reports_drain_progress),
            cmocka_unit_test(test_not_ready_faults_on_every_medium_command),
            cmocka_unit_test(test_real_not_ready_states_on_every_medium_command),
            cmocka_unit_test(test_blanking_keeps_every_medium_command_busy),
            cmocka_unit_test(test_write_faults_on_write12),
            cmocka_unit_test(test_mode_faults_on_six_byte_forms),
            cmocka_unit_test(test_sense_fault_on_an_lba_range),
            cmocka_unit_test(test_transport_faults_mid_burn),
            cmocka_unit_test(test_every_fault_armable_by_name),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
