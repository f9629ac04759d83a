/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What tests of a burn engine inject: any sense on each command kind the engine sends
 * ("fault sense KK/AA/QQ"), sectors that read back different from what was written
 * ("corrupt"), and a TOC that differs from the written lead-in ("fault toc-mismatch"). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "burn-helpers.h"
#include "ds-internal.h"
#include "sim-helpers.h"

#define LEADIN_CDR80 (-11634)

typedef struct engine_command {
        const char *name;
        uint8_t cdb[12];
        size_t cdb_len;
        enum ds_direction dir;
        size_t len;
} engine_command;

/* The commands a burn engine sends around a burn (DESIGN.md "Data flow of a burn"), each
 * as it would send it; WRITE(10) comes in its own test, since it needs a burn under way. */
static const engine_command engine_commands[] = {
    {"TEST UNIT READY", {0x00}, 6, DS_DIR_NONE, 0},
    {"INQUIRY", {0x12, 0, 0, 0, 36, 0}, 6, DS_DIR_FROM_DEVICE, 36},
    {"GET CONFIGURATION", {0x46, 0, 0, 0, 0, 0, 0, 0x04, 0, 0}, 10, DS_DIR_FROM_DEVICE, 1024},
    {"READ DISC INFORMATION", {0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0}, 10, DS_DIR_FROM_DEVICE, 34},
    {"READ TOC format 4 (ATIP)",
     {0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 28, 0},
     10,
     DS_DIR_FROM_DEVICE,
     28},
    {"MODE SENSE(10) page 05h", {0x5A, 0, 0x05, 0, 0, 0, 0, 0, 64, 0}, 10, DS_DIR_FROM_DEVICE, 64},
    {"MODE SELECT(10)", {0x55, 0x10, 0, 0, 0, 0, 0, 0, 0, 0}, 10, DS_DIR_TO_DEVICE, 0},
    {"SET CD SPEED", {0xBB, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0}, 12, DS_DIR_NONE, 0},
    {"PREVENT ALLOW MEDIUM REMOVAL", {0x1E, 0, 0, 0, 1, 0}, 6, DS_DIR_NONE, 0},
    {"READ BUFFER CAPACITY", {0x5C, 0, 0, 0, 0, 0, 0, 0, 12, 0}, 10, DS_DIR_FROM_DEVICE, 12},
    {"SYNCHRONIZE CACHE", {0x35}, 10, DS_DIR_NONE, 0},
    {"READ TOC format 0", {0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0}, 10, DS_DIR_FROM_DEVICE, 804},
    {"READ TOC format 2", {0x43, 0, 0x02, 0, 0, 0, 1, 0x03, 0x24, 0}, 10, DS_DIR_FROM_DEVICE, 804},
    {"READ CD", {0xBE, 0, 0, 0, 0, 0, 0, 0, 1, 0xF8, 0, 0}, 12, DS_DIR_FROM_DEVICE, 2352},
    {"START STOP UNIT (eject)", {0x1B, 0, 0, 0, 0x02, 0}, 6, DS_DIR_NONE, 0},
};
#define N_ENGINE_COMMANDS (sizeof engine_commands / sizeof engine_commands[0])

static int send_command(sim *s, const engine_command *c)
{
        switch (c->dir) {
        case DS_DIR_FROM_DEVICE:
                return sim_in(s, c->cdb, c->cdb_len, c->len);
        case DS_DIR_TO_DEVICE:
                return sim_out(s, c->cdb, c->cdb_len, c->len);
        case DS_DIR_NONE:
        default:
                return sim_none(s, c->cdb, c->cdb_len);
        }
}

/* A finished one-track disc in a drive, so that every command above has something to work
 * on (READ TOC, READ CD); the tray is unlocked. */
static sim *burnt_drive(void)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 20, 20);
        sim *s = sim_new("cdr80");

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        return s;
}

static void test_sense_on_each_engine_command(void **state)
{
        for (size_t i = 0; i < N_ENGINE_COMMANDS; i++) {
                const engine_command *c = &engine_commands[i];
                sim *s = burnt_drive();
                char line[80];
                /* A different sense for each command, so that no answer is taken for another. */
                uint8_t key = (uint8_t)(1 + i % 14), asc = (uint8_t)(0x40 + i), ascq = 0x5A;

                snprintf(line, sizeof line, "fault sense %02X/%02X/%02X op=0x%02x count=1", key,
                         asc, ascq, c->cdb[0]);
                free(sim_control(s, line, 0));
                send_command(s, c);
                if (s->cmd.status != DS_STATUS_CHECK_CONDITION || (s->cmd.sense[2] & 0x0f) != key ||
                    s->cmd.sense[12] != asc || s->cmd.sense[13] != ascq)
                        fail_msg("%s: no injected sense", c->name);
                /* REQUEST SENSE gives it once, as for any CHECK CONDITION. */
                sim_in(s, CDB(0x03, 0, 0, 0, 18, 0), 18);
                assert_int_equal(s->data[2] & 0x0f, key);
                assert_int_equal(s->data[12], asc);
                /* count=1: the next one goes through. */
                send_command(s, c);
                if (s->cmd.status != DS_STATUS_GOOD)
                        fail_msg("%s: failed again: %X/%02X/%02X", c->name, s->cmd.sense[2] & 0x0f,
                                 s->cmd.sense[12], s->cmd.sense[13]);
                sim_free(s);
        }
}

static void test_sense_on_write_records_nothing(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 20, 20);
        sim *s = sim_new("cdr80,fault=sense:05/30/02:op=0x2a:after=3:count=1");
        char *st;

        bh_set_raw(s, 3, false, false);
        for (int i = 0; i < 3; i++) {
                assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 26 * i, 26, 3), 0);
        }
        /* The fourth WRITE fails with the injected sense; it is not taken into the burn. */
        bh_write(s, &disc, LEADIN_CDR80 + 78, 26, 3);
        sim_assert_sense(s, 0x5, 0x30, 0x02);
        st = sim_control(s, "state", 0);
        assert_non_null(strstr(st, "next_lba=-11556\n"));
        assert_non_null(strstr(st, "sectors_written=78\n"));
        assert_null(strstr(st, "sense:")); /* fired its one time */
        free(st);
        /* The host retries the same blocks and the burn goes on to a finished disc. */
        assert_int_equal(bh_write_range(s, &disc, LEADIN_CDR80 + 78, bh_end(&disc), 26, 3), 0);
        assert_int_equal(sim_none(s, CDB(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        st = sim_control(s, "state", 0);
        assert_non_null(strstr(st, "disc=complete\n"));
        free(st);
        sim_free(s);
}

static void test_sense_fault_options(void **state)
{
        sim *s = burnt_drive();
        char *st;

        /* format=: READ TOC for verification fails, the ATIP read (format 4) does not. */
        free(sim_control(s, "fault sense 03/02/00 op=0x43 format=0", 0));
        free(sim_control(s, "fault sense 04/44/00 op=0x43 format=2 after=1", 0));
        sim_in(s, CDB(0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 28, 0), 28);
        sim_assert_good(s);
        sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0), 804);
        sim_assert_sense(s, 0x3, 0x02, 0x00);
        /* Byte 9 = 80h is format 2 asked the SFF-8020 way: the first one passes (after=1),
         * then the fault fires. */
        sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0x80), 804);
        sim_assert_good(s);
        sim_in(s, CDB(0x43, 0, 0x02, 0, 0, 0, 1, 0x03, 0x24, 0), 804);
        sim_assert_sense(s, 0x4, 0x44, 0x00);
        st = sim_control(s, "state", 0);
        assert_non_null(
            strstr(st, "faults=sense:03/02/00,op=0x43,format=0 sense:04/44/00,op=0x43,format=2"));
        free(st);

        /* The same opcode and format again replaces the fault. */
        free(sim_control(s, "fault sense 03/11/00 op=0x43 format=0 count=2", 0));
        sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0), 804);
        sim_assert_sense(s, 0x3, 0x11, 0x00);
        st = sim_control(s, "state", 0);
        assert_non_null(strstr(st, "sense:03/11/00,op=0x43,format=0,count=1"));
        assert_null(strstr(st, "03/02/00"));
        free(st);

        /* Without op=, every command fails, INQUIRY included. */
        free(sim_control(s, "clear-faults", 0));
        free(sim_control(s, "fault sense 06/29/00 count=2", 0));
        sim_in(s, CDB(0x12, 0, 0, 0, 36, 0), 36);
        sim_assert_sense(s, 0x6, 0x29, 0x00);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x6, 0x29, 0x00);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);

        /* Every slot can be taken, then the next is refused. */
        for (int op = 0; op < DS_SENSE_FAULTS_MAX; op++) {
                char line[64];
                snprintf(line, sizeof line, "fault sense 02/04/00 op=0x%02x", 0x80 + op);
                free(sim_control(s, line, 0));
        }
        free(sim_control(s, "fault sense 02/04/00 op=0x12", -ENOSPC));
        /* An opcode the drive does not know fails with the injected sense, not 05/20/00. */
        sim_none(s, CDB(0x80, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x04, 0x00);
        sim_free(s);
}

static void test_sense_fault_refusals(void **state)
{
        static const char *const bad[] = {
            "fault sense",
            "fault sense 5/30",
            "fault sense 10/00/00",
            "fault sense GG/00/00",
            "fault sense 05/30/02/01",
            "fault sense 05/30/02 op=0x2a format=0",
            "fault sense 05/30/02 format=16",
            "fault busy format=x",
        };
        sim *s = sim_new("cdr80");

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
                free(sim_control(s, bad[i], -EINVAL));
        free(sim_control(s, "fault sense 05/30/02 op=0x43 format=4", 0));
        sim_free(s);

        /* In a SPEC the options are separated by ':', the sense's own '/' stay. */
        s = sim_new("cdr80,fault=sense:02/3A/00:op=0x00");
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x3A, 0x00);
        sim_free(s);
}

/* ---- corrupt ---- */

static void read_cd(sim *s, int32_t lba, uint32_t count)
{
        sim_in(s,
               CDB(0xBE, 0, (uint8_t)(lba >> 24), (uint8_t)(lba >> 16), (uint8_t)(lba >> 8),
                   (uint8_t)lba, 0, 0, (uint8_t)count, 0xF8, 0, 0),
               count * 2352);
        sim_assert_good(s);
}

static void test_corrupt_changes_what_reads_back(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 20, 20);
        uint8_t before[4 * 2352], toc_before[64];
        sim *s = sim_new("cdr80");
        char *reply;

        free(sim_control(s, "corrupt 0", -ERANGE)); /* a blank disc has nothing recorded */
        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        read_cd(s, 4, 4);
        memcpy(before, s->data, sizeof before);
        sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0, 64, 0), 64);
        memcpy(toc_before, s->data, sizeof toc_before);

        reply = sim_control(s, "corrupt 5 2", 0);
        assert_string_equal(reply, "corrupted 2 sectors from LBA 5");
        free(reply);
        read_cd(s, 4, 4);
        /* LBA 4 and 7 as written; 5 and 6 differ from byte 16 on, each byte inverted. */
        assert_memory_equal(s->data, before, 2352);
        assert_memory_equal(s->data + 3 * 2352, before + 3 * 2352, 2352);
        for (size_t k = 2352; k < 3 * 2352; k++)
                assert_int_equal(s->data[k], (k % 2352 < 16) ? before[k] : (uint8_t)~before[k]);
        /* The subchannel, hence the TOC, is untouched. */
        sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0, 64, 0), 64);
        assert_memory_equal(s->data, toc_before, sizeof toc_before);
        /* The lead-in and lead-out are recorded sectors too. */
        free(sim_control(s, "corrupt -11634", 0));
        free(sim_control(s, "corrupt 39 1", 0)); /* the last lead-out sector */

        free(sim_control(s, "corrupt 40", -ERANGE));     /* past the recorded end */
        free(sim_control(s, "corrupt -11635", -ERANGE)); /* before the lead-in start */
        free(sim_control(s, "corrupt 30 11", -ERANGE));
        free(sim_control(s, "corrupt", -EINVAL));
        free(sim_control(s, "corrupt 5 0", -EINVAL));
        free(sim_control(s, "corrupt five", -EINVAL));
        free(sim_control(s, "corrupt 5 2 x", -EINVAL));
        free(sim_control(s, "take", 0));
        free(sim_control(s, "corrupt 5", -ENOMEDIUM));
        sim_free(s);
}

static void test_corrupt_data_sector_stays_mode1(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 20, 20);
        uint8_t user[2048];
        sim *s = sim_new("cdr80");

        disc.tracks[0].data = true;
        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        free(sim_control(s, "corrupt 3", 0));
        /* READ(10) still finds a Mode 1 sector, with every user byte inverted. */
        sim_in(s, CDB(0x28, 0, 0, 0, 0, 3, 0, 0, 1, 0), 2048);
        sim_assert_good(s);
        bh_data_pattern(3, user);
        for (size_t k = 0; k < sizeof user; k++)
                assert_int_equal(s->data[k], (uint8_t)~user[k]);
        sim_in(s, CDB(0x28, 0, 0, 0, 0, 4, 0, 0, 1, 0), 2048);
        bh_data_pattern(4, user);
        assert_memory_equal(s->data, user, sizeof user);
        sim_free(s);
}

static void test_corrupt_refused_on_an_image(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 20, 20);
        char path[] = "/tmp/drivesim-inject-XXXXXX", spec[64];
        int fd = mkstemp(path);
        sim *s;

        assert_true(fd >= 0);
        close(fd);
        assert_int_equal(bh_write_image(&disc, LEADIN_CDR80, path), 0);
        snprintf(spec, sizeof spec, "cdrom:%s", path);
        s = sim_new(spec);
        free(sim_control(s, "corrupt 5", -EROFS));
        sim_free(s);
        unlink(path);
}

/* ---- toc-mismatch ---- */

static int32_t be32s(const uint8_t *p)
{
        return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

/* READ TOC format 0 (LBA): the lead-out start from the AAh descriptor. */
static int32_t toc_leadout(sim *s)
{
        sim_in(s, CDB(0x43, 0, 0, 0, 0, 0, 1, 0, 64, 0), 64);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 4 + 8 * 2);
        assert_int_equal(s->data[4 + 8 + 2], 0xAA);
        return be32s(s->data + 4 + 8 + 4);
}

/* READ TOC format 2: the lead-out start from the A2h descriptor, as an LBA. */
static int32_t full_toc_leadout(sim *s)
{
        sim_in(s, CDB(0x43, 0, 0x02, 0, 0, 0, 1, 0, 128, 0), 128);
        sim_assert_good(s);
        for (size_t off = 4; off + 11 <= sim_transferred(s); off += 11)
                if (s->data[off + 3] == 0xA2)
                        return ((s->data[off + 8] * 60 + s->data[off + 9]) * 75 +
                                s->data[off + 10]) -
                               150;
        fail_msg("no A2 point");
        return 0;
}

static void test_toc_mismatch(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 20, 20);
        int32_t leadout = bh_leadout_start(&disc);
        sim *s = sim_new("cdr80");

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        assert_int_equal(toc_leadout(s), leadout);
        assert_int_equal(full_toc_leadout(s), leadout);

        free(sim_control(s, "fault toc-mismatch count=2", 0));
        /* Format 1 (the session) carries no lead-out and does not use up a shot. */
        sim_in(s, CDB(0x43, 0, 0x01, 0, 0, 0, 0, 0, 12, 0), 12);
        sim_assert_good(s);
        assert_int_equal(toc_leadout(s), leadout + 1);
        assert_int_equal(full_toc_leadout(s), leadout + 1);
        assert_int_equal(toc_leadout(s), leadout); /* count=2 used up */

        /* format=2: only the full TOC differs. */
        free(sim_control(s, "fault toc-mismatch format=2", 0));
        assert_int_equal(toc_leadout(s), leadout);
        assert_int_equal(full_toc_leadout(s), leadout + 1);
        assert_int_equal(full_toc_leadout(s), leadout + 1);
        free(sim_control(s, "clear-faults", 0));
        assert_int_equal(full_toc_leadout(s), leadout);
        sim_free(s);

        /* From the SPEC, on a disc that comes finished. */
        s = sim_new("cdr80,fault=toc-mismatch");
        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        assert_int_equal(toc_leadout(s), leadout + 1);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sense_on_each_engine_command),
            cmocka_unit_test(test_sense_on_write_records_nothing),
            cmocka_unit_test(test_sense_fault_options),
            cmocka_unit_test(test_sense_fault_refusals),
            cmocka_unit_test(test_corrupt_changes_what_reads_back),
            cmocka_unit_test(test_corrupt_data_sector_stays_mode1),
            cmocka_unit_test(test_corrupt_refused_on_an_image),
            cmocka_unit_test(test_toc_mismatch),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
