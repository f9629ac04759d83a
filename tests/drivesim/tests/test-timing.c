/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The buffer and timing model on a fake clock: WRITE completion delays when the buffer is full,
 * underrun with and without BURN-Proof, SYNCHRONIZE CACHE with and without IMMED, and what
 * READ BUFFER CAPACITY reports. 4× = 300 sectors/s; a 256 KiB buffer holds 107 blocks of 2448
 * bytes (262144 / 2448, rounded down). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "burn-helpers.h"
#include "ds-internal.h"
#include "sim-helpers.h"

#define LEADIN_CDR80 (-11634)
#define SPEC         "cdr80,speed=4,buffer=256K,realtime"
#define CAP          107u

static uint32_t free_blocks(sim *s)
{
        assert_int_equal(sim_in(s, CDB(0x5C, 0x01, 0, 0, 0, 0, 0, 0, 12, 0), 12), 0);
        return ds_get_be32(s->data + 8);
}

/* Four WRITEs of 26 blocks: 104 of 107 in the buffer, the laser still off. */
static sim *nearly_full(bool bufe, bh_disc *disc)
{
        sim *s = sim_new(SPEC);

        assert_int_equal(s->drive->current_write_speed, 4);
        *disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        bh_set_raw(s, 3, false, bufe);
        for (int i = 0; i < 4; i++) {
                assert_int_equal(bh_write(s, disc, LEADIN_CDR80 + 26 * i, 26, 3), 0);
                assert_int_equal(s->cmd.delay_ns, 0);
        }
        return s;
}

static void test_buffer_capacity_figures(void **state)
{
        bh_disc disc;
        sim *s = nearly_full(false, &disc);

        /* Bytes: buffer length, and free = 262144 − 104 × 2448. */
        assert_int_equal(sim_in(s, CDB(0x5C, 0, 0, 0, 0, 0, 0, 0, 12, 0), 12), 0);
        assert_int_equal(ds_get_be16(s->data), 10);
        assert_int_equal(ds_get_be32(s->data + 4), 262144);
        assert_int_equal(ds_get_be32(s->data + 8), 262144 - 104 * 2448);
        /* Blocks. */
        assert_int_equal(free_blocks(s), CAP - 104);
        sim_free(s);

        /* Without realtime the drive takes data as it comes: always empty, never a delay. */
        s = sim_new("cdr80");
        bh_set_raw(s, 3, false, false);
        for (int i = 0; i < 10; i++) {
                assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 26 * i, 26, 3), 0);
                assert_int_equal(s->cmd.delay_ns, 0);
        }
        assert_int_equal(sim_in(s, CDB(0x5C, 0, 0, 0, 0, 0, 0, 0, 12, 0), 12), 0);
        assert_int_equal(ds_get_be32(s->data + 4), 2u << 20);
        assert_int_equal(ds_get_be32(s->data + 8), 2u << 20);
        sim_free(s);
}

static void test_write_delayed_when_full(void **state)
{
        bh_disc disc;
        sim *s = nearly_full(false, &disc);

        /* 130 blocks do not fit in 107: the burn starts now and 23 must go first,
         * 23 / 300 s = 76 666 666.7 ns, rounded up to the tick that completes the 23rd. */
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 104, 26, 3), 0);
        assert_int_equal(s->cmd.delay_ns, 76666667);
        s->now_ns += s->cmd.delay_ns;
        /* 156 in: 49 must be burnt, at 163 333 334 ns after the start. */
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 130, 26, 3), 0);
        assert_int_equal(s->cmd.delay_ns, 163333334 - 76666667);
        s->now_ns += s->cmd.delay_ns;
        assert_int_equal(free_blocks(s), 0);
        /* 10 ms later three blocks were burnt. */
        s->now_ns += 10000000;
        assert_int_equal(free_blocks(s), 3);
        sim_free(s);
}

static void test_underrun_spoils_disc(void **state)
{
        bh_disc disc;
        sim *s = nearly_full(false, &disc);

        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 104, 26, 3), 0);
        s->now_ns += s->cmd.delay_ns;
        /* The host stalls for 10 s: the 107 blocks last 0.36 s. */
        s->now_ns += 10ull * 1000000000u;
        bh_write(s, &disc, LEADIN_CDR80 + 130, 26, 3);
        sim_assert_sense(s, 0x3, 0x0C, 0x09);
        assert_true(s->drive->writer.underrun);
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_INCOMPLETE);
        assert_int_equal(s->drive->writer.burnfree_events, 0);
        /* The host tries again: the disc is spoilt, the address no longer writable. */
        bh_write(s, &disc, LEADIN_CDR80 + 130, 26, 3);
        sim_assert_sense(s, 0x5, 0x21, 0x02);
        sim_free(s);
}

static void test_burnfree_pauses(void **state)
{
        bh_disc disc;
        sim *s = nearly_full(true, &disc);

        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 104, 26, 3), 0);
        s->now_ns += s->cmd.delay_ns;
        s->now_ns += 10ull * 1000000000u;
        /* BUFE on: the burn paused; the WRITE is taken, without delay, the buffer empty. */
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 130, 26, 3), 0);
        assert_int_equal(s->cmd.delay_ns, 0);
        assert_int_equal(s->drive->writer.burnfree_events, 1);
        assert_false(s->drive->writer.underrun);
        /* The rest of the burn completes the disc. */
        assert_int_equal(bh_write_range(s, &disc, LEADIN_CDR80 + 156, bh_end(&disc), 26, 3), 0);
        assert_int_equal(sim_none(s, CDB(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        s->now_ns += s->cmd.delay_ns;
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_COMPLETE);
        assert_int_equal(s->drive->writer.burnfree_events, 1);
        sim_free(s);
}

static void test_sync_cache_waits_for_drain(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        sim *s = sim_new(SPEC);
        uint32_t fill;
        uint64_t lo, hi;

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_write_range(s, &disc, LEADIN_CDR80, bh_end(&disc), 26, 3), 0);
        fill = CAP - free_blocks(s);
        assert_true(fill > 26);
        assert_int_equal(sim_none(s, CDB(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        /* The completion waits for fill blocks at 300/s (within a block of rounding). */
        lo = (uint64_t)(fill - 1) * 1000000000u / 300;
        hi = (uint64_t)(fill + 1) * 1000000000u / 300;
        assert_in_range(s->cmd.delay_ns, lo, hi);
        s->now_ns += s->cmd.delay_ns;
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_COMPLETE);
        sim_free(s);
}

static void test_sync_cache_immed(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        sim *s = sim_new(SPEC);

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_write_range(s, &disc, LEADIN_CDR80, bh_end(&disc), 26, 3), 0);
        assert_int_equal(sim_none(s, CDB(0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0)), 0);
        assert_int_equal(s->cmd.delay_ns, 0);
        /* LONG WRITE IN PROGRESS until drained. */
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x04, 0x08);
        sim_in(s, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0), 34);
        sim_assert_sense(s, 0x2, 0x04, 0x08);
        bh_write(s, &disc, bh_end(&disc), 1, 3);
        sim_assert_sense(s, 0x2, 0x04, 0x08);
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_INCOMPLETE);
        /* 10 ms burn 3 blocks: more than that is still in the buffer. */
        assert_true(CAP - free_blocks(s) > 26);
        s->now_ns += 10000000;
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x04, 0x08);
        s->now_ns += 1000000000;
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        assert_int_equal(ds_disc_get_state(s->drive->media.disc), DS_DISC_COMPLETE);
        assert_int_equal(sim_in(s, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0), 34), 0);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_buffer_capacity_figures),
            cmocka_unit_test(test_write_delayed_when_full),
            cmocka_unit_test(test_underrun_spoils_disc),
            cmocka_unit_test(test_burnfree_pauses),
            cmocka_unit_test(test_sync_cache_waits_for_drain),
            cmocka_unit_test(test_sync_cache_immed),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
