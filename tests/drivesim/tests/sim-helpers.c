/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim-helpers.h"

static uint64_t fake_now(void *userdata)
{
        return ((sim *)userdata)->now_ns;
}

sim *sim_new(const char *spec)
{
        sim *s = calloc(1, sizeof *s);
        char *error = NULL;
        ds_clock clock = {.now_ns = fake_now};
        int r;

        assert_non_null(s);
        s->now_ns = 1000000000ull;
        clock.userdata = s;
        r = ds_drive_new(spec, "sr0", NULL, &clock, &s->drive, &error);
        if (r < 0)
                fail_msg("ds_drive_new(%s): %d %s", spec, r, error ? error : "");
        return s;
}

void sim_free(sim *s)
{
        ds_drive_free(s->drive);
        free(s);
}

static int send(sim *s, const uint8_t *cdb, size_t cdb_len, enum ds_direction dir, size_t len)
{
        assert_true(len <= sizeof s->data);
        if (dir == DS_DIR_FROM_DEVICE)
                memset(s->data, 0xEE, len); /* so a test sees what the drive did not fill */
        s->cmd = (ds_cmd){.cdb = cdb,
                          .cdb_len = cdb_len,
                          .direction = dir,
                          .data = s->data,
                          .data_len = len,
                          .timeout_ms = 30000,
                          .arrival_ns = s->arrival_ns};
        s->arrival_ns = 0;
        assert_int_equal(ds_drive_execute(s->drive, &s->cmd), 0);
        return s->cmd.status;
}

int sim_in(sim *s, const uint8_t *cdb, size_t cdb_len, size_t alloc)
{
        return send(s, cdb, cdb_len, DS_DIR_FROM_DEVICE, alloc);
}

int sim_out(sim *s, const uint8_t *cdb, size_t cdb_len, size_t len)
{
        return send(s, cdb, cdb_len, DS_DIR_TO_DEVICE, len);
}

int sim_none(sim *s, const uint8_t *cdb, size_t cdb_len)
{
        return send(s, cdb, cdb_len, DS_DIR_NONE, 0);
}

void sim_assert_sense(const sim *s, uint8_t key, uint8_t asc, uint8_t ascq)
{
        assert_int_equal(s->cmd.status, DS_STATUS_CHECK_CONDITION);
        assert_true(s->cmd.sense_len >= 14);
        assert_int_equal(s->cmd.sense[0] & 0x7f, 0x70);
        assert_int_equal(s->cmd.sense[2] & 0x0f, key);
        assert_int_equal(s->cmd.sense[12], asc);
        assert_int_equal(s->cmd.sense[13], ascq);
}

void sim_assert_good(const sim *s)
{
        if (s->cmd.status != DS_STATUS_GOOD)
                fail_msg("command %02x failed: sense %x/%02x/%02x", s->cmd.cdb[0],
                         s->cmd.sense[2] & 0x0f, s->cmd.sense[12], s->cmd.sense[13]);
        assert_int_equal(s->cmd.host_status, DS_HOST_OK);
        assert_int_equal(s->cmd.error, 0);
}

size_t sim_transferred(const sim *s)
{
        return s->cmd.data_len - s->cmd.resid;
}

char *sim_control(sim *s, const char *line, int r)
{
        char *reply = NULL;
        int got = ds_drive_control(s->drive, line, &reply);

        if (got != r)
                fail_msg("control '%s' returned %d, expected %d: %s", line, got, r,
                         reply ? reply : "");
        assert_non_null(reply);
        return reply;
}
