/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The burn figures "srN state" gives for benchmarks: WRITE count, underruns, the lowest drive
 * buffer fill once it had filled, how long the drive held WRITEs back, and when the burn
 * started and ended on the drive's clock. On a fake clock: 4x = 300 sectors/s; 256 KiB hold
 * 107 blocks of 2448 bytes (262144 / 2448, rounded down). */
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
#define SPEC         "cdr80,speed=4,buffer=256K,realtime"
#define CAP          107u
#define BLOCK        2448u
#define MS           1000000ull

/* The value of key in the state dump, as text. */
static void state_text(sim *s, const char *key, char *out, size_t size)
{
        char *st = sim_control(s, "state", 0), want[64];
        const char *p;
        size_t n;

        snprintf(want, sizeof want, "\n%s=", key);
        p = strstr(st, want);
        if (!p)
                fail_msg("no %s in state:\n%s", key, st);
        p += strlen(want);
        n = strcspn(p, "\n");
        assert_true(n < size);
        memcpy(out, p, n);
        out[n] = '\0';
        free(st);
}

static unsigned long long state_value(sim *s, const char *key)
{
        char text[64], *end;
        unsigned long long v;

        state_text(s, key, text, sizeof text);
        v = strtoull(text, &end, 10);
        if (end == text || *end)
                fail_msg("%s=%s is not a number", key, text);
        return v;
}

static void assert_state(sim *s, const char *key, const char *value)
{
        char text[64];

        state_text(s, key, text, sizeof text);
        assert_string_equal(text, value);
}

static void test_figures_before_a_burn(void **state)
{
        sim *s = sim_new(SPEC);

        assert_int_equal(state_value(s, "buffer_size"), 262144);
        assert_int_equal(state_value(s, "buffer_fill"), 0);
        assert_state(s, "buffer_min_fill", "none");
        assert_int_equal(state_value(s, "underruns"), 0);
        assert_int_equal(state_value(s, "writes"), 0);
        assert_int_equal(state_value(s, "write_wait_ms"), 0);
        assert_int_equal(state_value(s, "first_write_ns"), 0);
        assert_int_equal(state_value(s, "finished_ns"), 0);
        sim_free(s);
}

static void test_lowest_fill_after_the_buffer_filled(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        sim *s = sim_new(SPEC);
        uint64_t start = s->now_ns;

        bh_set_raw(s, 3, false, false);
        for (int i = 0; i < 4; i++)
                assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 26 * i, 26, 3), 0);
        /* 104 blocks in, never full: the rise to the first fill does not count. */
        assert_int_equal(state_value(s, "writes"), 4);
        assert_int_equal(state_value(s, "buffer_fill"), 104 * BLOCK);
        assert_state(s, "buffer_min_fill", "none");
        assert_int_equal(state_value(s, "first_write_ns"), start);

        /* The fifth fills it; the drive holds the WRITE 76.7 ms (23 blocks at 300/s). */
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 104, 26, 3), 0);
        s->now_ns += s->cmd.delay_ns;
        assert_int_equal(state_value(s, "buffer_min_fill"), CAP * BLOCK);
        assert_int_equal(state_value(s, "write_wait_ms"), 76);
        assert_int_equal(state_value(s, "buffer_fill"), CAP * BLOCK);

        /* The host comes 50 ms late: 15 blocks went, 92 were left when the WRITE came. */
        s->now_ns += 50 * MS;
        assert_int_equal(state_value(s, "buffer_fill"), 92 * BLOCK);
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 130, 26, 3), 0);
        s->now_ns += s->cmd.delay_ns;
        assert_int_equal(state_value(s, "buffer_min_fill"), 92 * BLOCK);
        /* A READ BUFFER CAPACITY poll between WRITEs sees more, and changes nothing. */
        s->now_ns += 20 * MS;
        sim_in(s, CDB(0x5C, 0, 0, 0, 0, 0, 0, 0, 12, 0), 12);
        sim_assert_good(s);
        assert_int_equal(state_value(s, "buffer_min_fill"), 92 * BLOCK);
        assert_int_equal(state_value(s, "underruns"), 0);
        assert_int_equal(state_value(s, "writes"), 6);

        /* The host stalls 1 s: the buffer runs dry 0.357 s after the last fill; the disc is
         * spoilt (BUFE off), one underrun, the lowest fill 0, the burn over when it ran dry. */
        s->now_ns += 1000 * MS;
        assert_int_equal(state_value(s, "underruns"), 1);
        assert_int_equal(state_value(s, "buffer_min_fill"), 0);
        assert_state(s, "underrun", "yes");
        assert_true(state_value(s, "finished_ns") < s->now_ns);
        assert_true(state_value(s, "finished_ns") > start);
        sim_free(s);
}

static void test_burnfree_pauses_count_as_underruns(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        sim *s = sim_new(SPEC);
        int32_t lba = LEADIN_CDR80;

        bh_set_raw(s, 3, false, true);
        for (int pause = 0; pause < 2; pause++) {
                /* Fill the buffer (the laser starts), then stall until it runs dry. */
                for (int i = 0; i < 5; i++, lba += 26) {
                        assert_int_equal(bh_write(s, &disc, lba, 26, 3), 0);
                        s->now_ns += s->cmd.delay_ns;
                }
                s->now_ns += 2000 * MS;
                sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        }
        assert_int_equal(state_value(s, "underruns"), 2);
        assert_int_equal(state_value(s, "burnfree_events"), 2);
        assert_int_equal(state_value(s, "buffer_min_fill"), 0);
        assert_state(s, "underrun", "no");
        assert_int_equal(state_value(s, "finished_ns"), 0); /* still burning */
        sim_free(s);
}

/* A host that always keeps up (each WRITE comes when the last one completed): the fill
 * never drops below a full buffer less one tick's rounding, and the burn lasts as long
 * as its sectors take at 4x. */
static void test_a_host_that_keeps_up(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 300, 150);
        sim *s = sim_new(SPEC);
        uint64_t first, finished, sectors = (uint64_t)(bh_end(&disc) - LEADIN_CDR80);
        unsigned long long min_fill;
        char *st;

        bh_set_raw(s, 3, false, false);
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        min_fill = state_value(s, "buffer_min_fill");
        assert_in_range(min_fill, (CAP - 1) * BLOCK, CAP * BLOCK);
        assert_int_equal(state_value(s, "underruns"), 0);
        assert_int_equal(state_value(s, "writes"), (sectors + 25) / 26);
        first = state_value(s, "first_write_ns");
        finished = state_value(s, "finished_ns");
        /* The first five WRITEs come at once and fill the buffer: the laser starts with the
         * first WRITE's time and runs until the last sector is burned. */
        assert_in_range(finished - first, sectors * 1000000000ull / 300,
                        (sectors + 1) * 1000000000ull / 300);
        /* The figures stay after the disc is ejected, for a benchmark to read later. */
        free(sim_control(s, "eject", 0));
        assert_int_equal(state_value(s, "writes"), (sectors + 25) / 26);
        assert_int_equal(state_value(s, "finished_ns"), finished);
        st = sim_control(s, "state", 0);
        assert_non_null(strstr(st, "media=cdr80\n"));
        free(st);
        sim_free(s);
}

static void test_figures_restart_with_each_burn(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        sim *s = sim_new("cdr80");
        uint64_t sectors = (uint64_t)(bh_end(&disc) - LEADIN_CDR80);
        unsigned long long first;

        /* Without realtime: WRITEs counted, no buffer to speak of. */
        bh_set_raw(s, 3, true, false); /* Test Write: the disc stays blank for a second go */
        assert_int_equal(bh_burn(s, &disc, 3), 0);
        assert_int_equal(state_value(s, "writes"), (sectors + 25) / 26);
        assert_state(s, "buffer_min_fill", "none");
        assert_state(s, "disc", "blank");
        first = state_value(s, "first_write_ns");
        assert_true(state_value(s, "finished_ns") >= first);

        s->now_ns += 5 * MS;
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80, 26, 3), 0);
        assert_int_equal(state_value(s, "writes"), 1);
        assert_int_equal(state_value(s, "first_write_ns"), first + 5 * MS);
        assert_int_equal(state_value(s, "finished_ns"), 0);
        sim_free(s);
}

/* A front end that took time to get a WRITE to the model passes when it came in: the fill,
 * the gap and the flow-control delay are the drive's as of then. */
static void test_fill_counted_from_arrival(void **state)
{
        bh_disc disc = bh_simple_audio(LEADIN_CDR80, 10, 10);
        sim *s = sim_new(SPEC);
        char hist[128];
        uint64_t arrival;

        bh_set_raw(s, 3, false, false);
        for (int i = 0; i < 5; i++)
                assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 26 * i, 26, 3), 0);
        s->now_ns += s->cmd.delay_ns; /* full: 23 blocks burned by now */
        assert_int_equal(state_value(s, "max_write_gap_us"), 0);

        /* The host sent the next WRITE 10 ms after the last one completed; the model gets it
         * 40 ms after that. It sees 3 blocks gone (10 ms at 300/s), not 15. */
        arrival = s->now_ns + 10 * MS;
        s->arrival_ns = arrival;
        s->now_ns += 50 * MS;
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 130, 26, 3), 0);
        assert_int_equal(state_value(s, "buffer_min_fill"), 104 * BLOCK);
        assert_int_equal(state_value(s, "max_write_gap_us"), 10000);
        /* Held until 49 blocks are burned: 76.7 ms after its arrival. */
        assert_int_equal(s->cmd.delay_ns, 76666667);
        /* The one WRITE after the first fill found it at 104/107: the 95-100 % step. */
        state_text(s, "fill_hist", hist, sizeof hist);
        assert_string_equal(hist, "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0");

        /* An arrival before the model's last look (a state read) counts as now. */
        s->now_ns = arrival + s->cmd.delay_ns;
        (void)state_value(s, "buffer_fill");
        s->arrival_ns = s->now_ns - 5 * MS;
        s->now_ns += 1 * MS;
        assert_int_equal(bh_write(s, &disc, LEADIN_CDR80 + 156, 26, 3), 0);
        assert_int_equal(ds_drive_last_write_fill(s->drive), CAP * BLOCK);
        assert_int_equal(state_value(s, "max_write_gap_us"), 10000);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_figures_before_a_burn),
            cmocka_unit_test(test_lowest_fill_after_the_buffer_filled),
            cmocka_unit_test(test_burnfree_pauses_count_as_underruns),
            cmocka_unit_test(test_a_host_that_keeps_up),
            cmocka_unit_test(test_figures_restart_with_each_burn),
            cmocka_unit_test(test_fill_counted_from_arrival),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
