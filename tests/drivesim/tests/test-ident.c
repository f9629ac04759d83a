/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Identification and settings: GET CONFIGURATION, GET EVENT STATUS NOTIFICATION,
 * MODE SENSE/SELECT(10) with the write-mode probes of wodim, cdrdao and libburn,
 * MECHANISM STATUS. Expected bytes are MMC-5's layouts (mmc-raw.md §2, §6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "sim-helpers.h"

static unsigned be16(const uint8_t *p)
{
        return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- GET CONFIGURATION ---- */

static int get_config(sim *s, unsigned rt, unsigned start, unsigned alloc)
{
        return sim_in(s,
                      CDB(0x46, (uint8_t)rt, (uint8_t)(start >> 8), (uint8_t)start, 0, 0, 0,
                          (uint8_t)(alloc >> 8), (uint8_t)alloc, 0),
                      alloc);
}

/* Finds feature code in a GET CONFIGURATION reply; NULL when absent. */
static const uint8_t *find_feature(const sim *s, unsigned code)
{
        size_t end = sim_transferred(s);
        size_t off = 8;

        while (off + 4 <= end) {
                const uint8_t *f = s->data + off;
                if (be16(f) == code)
                        return f;
                off += 4u + f[3];
        }
        return NULL;
}

static void assert_current_profile(const char *spec, unsigned profile)
{
        sim *s = sim_new(spec);
        const uint8_t *list;
        bool flagged = false;

        assert_int_equal(get_config(s, 0, 0, 1024), 0);
        sim_assert_good(s);
        assert_int_equal(be16(s->data + 6), profile);
        assert_int_equal(be32(s->data), sim_transferred(s) - 4);
        list = find_feature(s, 0x0000);
        assert_non_null(list);
        assert_ptr_equal(list, s->data + 8);    /* the profile list comes first */
        assert_int_equal(list[2] & 0x03, 0x03); /* persistent, current */
        for (unsigned i = 0; i < list[3] / 4u; i++) {
                const uint8_t *p = list + 4 + 4 * i;
                if (p[2] & 1) {
                        assert_int_equal(be16(p), profile);
                        flagged = true;
                }
        }
        assert_true(flagged == (profile != 0));
        sim_free(s);
}

static void test_get_configuration_profiles(void **state)
{
        assert_current_profile("cdr80", 0x0009);
        assert_current_profile("cdrw74", 0x000A);
        assert_current_profile("dvdr", 0x0011);
        assert_current_profile("none", 0x0000);
        assert_current_profile("cdr80,tray=open", 0x0000);
}

static void test_get_configuration_profile_list_content(void **state)
{
        static const unsigned expected[] = {0x0008, 0x0009, 0x000A, 0x0010, 0x0011};
        sim *s = sim_new("cdr80");
        const uint8_t *list;

        get_config(s, 2, 0x0000, 256);
        sim_assert_good(s);
        list = find_feature(s, 0x0000);
        assert_non_null(list);
        for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
                bool found = false;
                for (unsigned j = 0; j < list[3] / 4u; j++)
                        found |= be16(list + 4 + 4 * j) == expected[i];
                assert_true(found);
        }
        sim_free(s);
}

static void test_get_configuration_cd_mastering(void **state)
{
        sim *s = sim_new("cdr80");
        const uint8_t *f;

        /* RT 2: exactly the one feature asked for. */
        get_config(s, 2, 0x002E, 64);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 8 + 8);
        f = find_feature(s, 0x002E);
        assert_non_null(f);
        assert_int_equal(f[2] & 0x01, 0x01); /* current on a CD-R */
        assert_int_equal(f[3], 4);
        assert_int_equal(f[4] & 0x20, 0x20);              /* SAO */
        assert_int_equal(f[4] & 0x10, 0x10);              /* Raw MS */
        assert_int_equal(f[4] & 0x08, 0x08);              /* Raw */
        assert_int_equal(f[4] & 0x04, 0x04);              /* Test Write */
        assert_int_equal(f[4] & 0x01, 0x01);              /* R-W */
        assert_int_equal(f[4] & 0x40, 0x40);              /* BUF */
        assert_true((f[5] << 16 | f[6] << 8 | f[7]) > 0); /* maximum cue sheet length */

        get_config(s, 2, 0x002D, 64);
        f = find_feature(s, 0x002D);
        assert_non_null(f);
        assert_int_equal(f[4] & 0x5f, 0x5f); /* BUF, R-W raw/pack, Test Write, CD-RW, R-W */

        get_config(s, 2, 0x0107, 64);
        f = find_feature(s, 0x0107);
        assert_non_null(f);
        assert_int_equal(f[4] & 0x0a, 0x0a); /* SCS, WSPD */

        /* CD-RW Media Write Support: which CD-RW sub-types the drive writes (wodim asks
         * before writing High or Ultra Speed CD-RW); not current with a CD-R. */
        get_config(s, 2, 0x0037, 64);
        f = find_feature(s, 0x0037);
        assert_non_null(f);
        assert_int_equal(f[2] & 0x01, 0);
        assert_int_equal(f[5] & 0x06, 0x06); /* High Speed and Ultra Speed */

        /* A feature the drive lacks: the header alone. */
        get_config(s, 2, 0x0024, 64);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 8);
        assert_int_equal(be32(s->data), 4);
        sim_free(s);

        /* On a DVD-R the CD writing features are there but not current. */
        s = sim_new("dvdr");
        get_config(s, 2, 0x002E, 64);
        f = find_feature(s, 0x002E);
        assert_non_null(f);
        assert_int_equal(f[2] & 0x01, 0);
        get_config(s, 2, 0x001F, 64);
        assert_non_null(find_feature(s, 0x001F));
        assert_int_equal(find_feature(s, 0x001F)[2] & 0x01, 0x01);
        sim_free(s);
}

static void test_get_configuration_rt_and_alloc(void **state)
{
        sim *s = sim_new("none");
        size_t full;

        /* RT 1: only current features; an empty drive has no media features current. */
        get_config(s, 1, 0, 1024);
        sim_assert_good(s);
        assert_non_null(find_feature(s, 0x0000));
        assert_non_null(find_feature(s, 0x0001));
        assert_non_null(find_feature(s, 0x0003));
        assert_null(find_feature(s, 0x001E));
        assert_null(find_feature(s, 0x002D));
        assert_null(find_feature(s, 0x002E));
        /* RT 0 lists them all. */
        get_config(s, 0, 0, 1024);
        assert_non_null(find_feature(s, 0x001E));
        assert_non_null(find_feature(s, 0x002E));
        full = sim_transferred(s);
        /* A starting feature number skips the lower ones. */
        get_config(s, 0, 0x0100, 1024);
        assert_null(find_feature(s, 0x002E));
        assert_non_null(find_feature(s, 0x0107));
        /* The allocation length cuts the reply, the length field still tells it all. */
        get_config(s, 0, 0, 8);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 8);
        assert_int_equal(be32(s->data), full - 4);
        /* RT 3 is reserved. */
        get_config(s, 3, 0, 64);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

/* ---- GET EVENT STATUS NOTIFICATION ---- */

static void gesn(sim *s, uint8_t classes)
{
        sim_in(s, CDB(0x4A, 0x01, 0, 0, classes, 0, 0, 0, 8, 0), 8);
        sim_assert_good(s);
}

static void test_event_status(void **state)
{
        sim *s = sim_new("cdr80");

        /* Asynchronous operation is not offered. */
        sim_in(s, CDB(0x4A, 0x00, 0, 0, 0x10, 0, 0, 0, 8, 0), 8);
        sim_assert_sense(s, 0x5, 0x24, 0x00);

        /* A class the drive does not report: No Event Available, header only. */
        gesn(s, 0x02);
        assert_int_equal(sim_transferred(s), 4);
        assert_int_equal(be16(s->data), 2);
        assert_int_equal(s->data[2] & 0x80, 0x80);
        assert_int_equal(s->data[3] & 0x10, 0x10); /* media class supported */

        /* The disc found at power-on is new media, once; the status says present. */
        gesn(s, 0x10);
        assert_int_equal(sim_transferred(s), 8);
        assert_int_equal(be16(s->data), 6);
        assert_int_equal(s->data[2] & 0x07, 4);
        assert_int_equal(s->data[4] & 0x0f, 2); /* NewMedia */
        assert_int_equal(s->data[5], 0x02);     /* media present, tray closed */
        gesn(s, 0x10);
        assert_int_equal(s->data[4] & 0x0f, 0); /* NoChg */
        assert_int_equal(s->data[5], 0x02);

        free(sim_control(s, "eject", 0));
        gesn(s, 0x10);
        assert_int_equal(s->data[4] & 0x0f, 3); /* MediaRemoval */
        assert_int_equal(s->data[5], 0x01);     /* tray open, no media */
        gesn(s, 0x10);
        assert_int_equal(s->data[4] & 0x0f, 0);

        free(sim_control(s, "insert cdrw80", 0));
        gesn(s, 0x10);
        assert_int_equal(s->data[4] & 0x0f, 2);
        assert_int_equal(s->data[5], 0x02);
        sim_free(s);
}

static void test_event_status_swap_between_polls(void **state)
{
        sim *s = sim_new("cdr80");

        gesn(s, 0x10);
        assert_int_equal(s->data[4] & 0x0f, 2);
        /* Out and in again before the next poll: still one new-media event. */
        free(sim_control(s, "eject", 0));
        free(sim_control(s, "insert cdr74", 0));
        gesn(s, 0x10);
        assert_int_equal(s->data[4] & 0x0f, 2);
        gesn(s, 0x10);
        assert_int_equal(s->data[4] & 0x0f, 0);
        sim_free(s);
}

/* ---- MODE SENSE(10) ---- */

static int mode_sense(sim *s, uint8_t pc_page, unsigned alloc)
{
        return sim_in(
            s, CDB(0x5A, 0, pc_page, 0, 0, 0, 0, (uint8_t)(alloc >> 8), (uint8_t)alloc, 0), alloc);
}

static void test_mode_sense_page05(void **state)
{
        sim *s = sim_new("cdr80");
        const uint8_t *p = s->data + 8;

        assert_int_equal(mode_sense(s, 0x05, 256), 0);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 8 + 2 + 0x32);
        assert_int_equal(be16(s->data), 6 + 2 + 0x32); /* mode data length */
        assert_int_equal(be16(s->data + 6), 0);        /* no block descriptor */
        assert_int_equal(p[0] & 0x3f, 0x05);
        assert_int_equal(p[1], 0x32);
        /* Power-on defaults: TAO, no test write, BUFE off, Mode 1 blocks, pause 150. */
        assert_int_equal(p[2], 0x01);
        assert_int_equal(p[4] & 0x0f, 8);
        assert_int_equal(be16(p + 14), 150);

        /* Changeable: write type, test write, BUFE, LS_V; DBT; multi-session. */
        mode_sense(s, 0x40 | 0x05, 256);
        sim_assert_good(s);
        assert_int_equal(p[2], 0x7f);
        assert_int_equal(p[3], 0xff);
        assert_int_equal(p[4], 0x0f);

        /* Default values equal the power-on ones. */
        mode_sense(s, 0x80 | 0x05, 256);
        sim_assert_good(s);
        assert_int_equal(p[2], 0x01);

        /* Saved values are not supported. */
        mode_sense(s, 0xC0 | 0x05, 256);
        sim_assert_sense(s, 0x5, 0x39, 0x00);

        /* A page the drive lacks. */
        mode_sense(s, 0x1C, 256);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        sim_free(s);
}

static void test_mode_sense_all_pages_and_wodim_probe(void **state)
{
        sim *s = sim_new("cdr80");
        size_t off = 8, total;
        uint8_t codes[8];
        size_t n = 0;

        mode_sense(s, 0x3F, 1024);
        sim_assert_good(s);
        total = sim_transferred(s);
        assert_int_equal(be16(s->data), total - 2);
        while (off < total && n < sizeof codes) {
                codes[n++] = s->data[off] & 0x3f;
                off += 2u + s->data[off + 1];
        }
        assert_int_equal(off, total);
        assert_int_equal(n, 3);
        assert_int_equal(codes[0], 0x01);
        assert_int_equal(codes[1], 0x05);
        assert_int_equal(codes[2], 0x2A);

        /* wodim's allow_atapi(): page 3Fh with allocation 8 must succeed with 8 bytes
         * and the resid of the rest of its buffer. */
        sim_in(s, CDB(0x5A, 0, 0x3F, 0, 0, 0, 0, 0, 8, 0), 0xff);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 8);
        assert_int_equal(s->cmd.resid, 0xff - 8);
        assert_int_equal(be16(s->data), total - 2);
        sim_free(s);
}

static void test_mode_sense_page2a(void **state)
{
        sim *s = sim_new("cdr80,speed=40,buffer=4M");
        const uint8_t *p = s->data + 8;
        unsigned n;

        mode_sense(s, 0x2A, 512);
        sim_assert_good(s);
        assert_int_equal(p[0] & 0x3f, 0x2A);
        assert_int_equal(p[3] & 0x07, 0x07);  /* writes CD-R, CD-RW, Test Write */
        assert_int_equal(p[2] & 0x03, 0x03);  /* reads CD-R, CD-RW */
        assert_int_equal(p[4] & 0x80, 0x80);  /* BUF */
        assert_int_equal(be16(p + 12), 4096); /* buffer size in KiB */
        /* Speeds in kB/s that cdrdao's and wodim's "/ 176" map back to whole ×. */
        assert_int_equal(be16(p + 18) / 176, 40);
        assert_int_equal(be16(p + 20) / 176, 40);
        assert_int_equal(be16(p + 28) / 176, 40);
        assert_int_equal(be16(p + 18), 7056); /* 40 × 176.4 */
        n = be16(p + 30);
        assert_true(n >= 2);
        assert_int_equal(p[1], 30 + 4 * n);
        assert_int_equal(sim_transferred(s), 8 + 32 + 4 * n);
        assert_int_equal(be16(p + 34) / 176, 40); /* fastest descriptor first */
        for (unsigned i = 1; i < n; i++)
                assert_true(be16(p + 34 + 4 * i) < be16(p + 34 + 4 * (i - 1)));
        sim_free(s);

        /* The media's own limit caps the drive: a High Speed CD-RW goes to 10×. */
        s = sim_new("cdrw74");
        mode_sense(s, 0x2A, 512);
        sim_assert_good(s);
        assert_int_equal(be16(s->data + 8 + 18), 1764);
        assert_int_equal(be16(s->data + 8 + 18) / 176, 10);
        sim_free(s);
}

static int select_write_mode(sim *s, uint8_t write_type, uint8_t dbt);

static void test_mode_pages_without_media(void **state)
{
        /* wodim reads the capabilities and probes write modes before loading a disc. */
        sim *s = sim_new("none");

        mode_sense(s, 0x2A, 512);
        sim_assert_good(s);
        assert_int_equal(be16(s->data + 8 + 18) / 176, 48); /* the drive's own maximum */
        assert_int_equal(s->data[8 + 6] & 0x02, 0);         /* not locked */
        select_write_mode(s, 3, 3);
        sim_assert_good(s);

        /* PREVENT ALLOW shows in the lock state bit. */
        sim_none(s, CDB(0x1E, 0, 0, 0, 1, 0));
        sim_assert_good(s);
        mode_sense(s, 0x2A, 512);
        assert_int_equal(s->data[8 + 6] & 0x02, 0x02);
        sim_free(s);
}

static void test_fault_no_such_mode_page(void **state)
{
        sim *s = sim_new("cdr80,fault=no-such-mode-page:count=1");

        mode_sense(s, 0x05, 256);
        sim_assert_sense(s, 0x5, 0x24, 0x00);
        mode_sense(s, 0x05, 256);
        sim_assert_good(s);
        sim_free(s);
}

/* ---- MODE SELECT(10) ---- */

static int mode_select(sim *s, size_t len)
{
        return sim_out(s, CDB(0x55, 0x10, 0, 0, 0, 0, 0, (uint8_t)(len >> 8), (uint8_t)len, 0),
                       len);
}

/* Senses page 05h, changes write type, DBT and byte 2 flags as wodim does, selects it back. */
static int select_write_mode(sim *s, uint8_t write_type, uint8_t dbt)
{
        uint8_t page[2 + 0x32];

        mode_sense(s, 0x05, 256);
        sim_assert_good(s);
        memcpy(page, s->data + 8, sizeof page);
        page[2] = (uint8_t)((page[2] & 0xf0) | write_type);
        page[4] = (uint8_t)((page[4] & 0xf0) | dbt);
        memset(s->data, 0, 8);
        memcpy(s->data + 8, page, sizeof page);
        return mode_select(s, 8 + sizeof page);
}

static void test_mode_select_round_trip(void **state)
{
        sim *s = sim_new("cdr80");
        uint8_t *p = s->data + 8;

        mode_sense(s, 0x05, 256);
        sim_assert_good(s);
        /* cdrdao's raw driver: RAW, test write, BUFE, DBT 3; header zeroed, PS cleared. */
        p[0] &= 0x7f;
        p[2] = 0x40 | 0x10 | 0x03;
        p[3] = 0x00;
        p[4] = 0x03;
        p[8] = 0x00;
        memset(s->data, 0, 8);
        assert_int_equal(mode_select(s, 8 + 2 + 0x32), 0);
        sim_assert_good(s);
        assert_int_equal(s->cmd.resid, 0); /* the drive took the whole parameter list */

        mode_sense(s, 0x05, 256);
        sim_assert_good(s);
        assert_int_equal(p[2], 0x53);
        assert_int_equal(p[4] & 0x0f, 3);

        /* What the write path reads back, and what the state dump shows. */
        char *state_dump = sim_control(s, "state", 0);
        assert_non_null(strstr(state_dump, "write_type=3\n"));
        assert_non_null(strstr(state_dump, "block_type=3\n"));
        assert_non_null(strstr(state_dump, "test_write=yes\n"));
        assert_non_null(strstr(state_dump, "bufe=yes\n"));
        free(state_dump);

        /* The host's settings survive a media change, as on a real drive. */
        free(sim_control(s, "eject", 0));
        free(sim_control(s, "insert cdr74", 0));
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0)); /* takes the unit attention */
        mode_sense(s, 0x05, 256);
        sim_assert_good(s);
        assert_int_equal(p[2], 0x53);
        sim_free(s);
}

static void test_mode_select_wodim_probe_sequence(void **state)
{
        /* wodim check_writemodes_mmc(), in its order (mmc-raw.md §2.2). */
        static const struct {
                uint8_t write_type, dbt;
                bool accepted;
        } probes[] = {
            {1, 8, true},  /* TAO, Mode 1 */
            {0, 8, false}, /* packet: not offered */
            {2, 8, true},  /* SAO */
            {2, 2, false}, /* SAO/R96P: raw subchannel only with write type RAW */
            {2, 3, false}, /* SAO/R96R */
            {3, 1, true},  /* RAW/R16 */
            {3, 2, true},  /* RAW/R96P */
            {3, 3, true},  /* RAW/R96R */
        };
        sim *s = sim_new("cdr80");

        for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
                select_write_mode(s, probes[i].write_type, probes[i].dbt);
                if (probes[i].accepted)
                        sim_assert_good(s);
                else
                        sim_assert_sense(s, 0x5, 0x26, 0x00);
        }
        /* After the refusal of SAO/R96P the page still held SAO/Mode 1, and RAW/R96R won. */
        mode_sense(s, 0x05, 256);
        assert_int_equal(s->data[8 + 2] & 0x0f, 3);
        assert_int_equal(s->data[8 + 4] & 0x0f, 3);
        sim_free(s);
}

static void test_mode_select_libburn_probe_matrix(void **state)
{
        /* libburn spc_probe_write_modes(): write types 1-3 × DBT {0..3, 8..13}, page built
         * from zeros with length 0x32; any sense means unsupported. */
        static const uint8_t dbts[] = {0, 1, 2, 3, 8, 9, 10, 11, 12, 13};
        sim *s = sim_new("cdrw80");

        for (uint8_t wt = 1; wt <= 4; wt++)
                for (size_t i = 0; i < sizeof dbts; i++) {
                        bool expect = wt == 3 ? dbts[i] >= 1 && dbts[i] <= 3
                                              : wt <= 2 && (dbts[i] == 0 || dbts[i] >= 8);
                        memset(s->data, 0, 8 + 2 + 0x32);
                        s->data[8] = 0x05;
                        s->data[9] = 0x32;
                        s->data[10] = wt;
                        s->data[12] = dbts[i];
                        mode_select(s, 8 + 2 + 0x32);
                        if (expect)
                                sim_assert_good(s);
                        else
                                sim_assert_sense(s, 0x5, 0x26, 0x00);
                }
        /* Reserved DBTs 4-7 and 14-15 are refused in every write type. */
        assert_int_not_equal(select_write_mode(s, 3, 4), 0);
        sim_assert_sense(s, 0x5, 0x26, 0x00);
        assert_int_not_equal(select_write_mode(s, 1, 14), 0);
        sim_assert_sense(s, 0x5, 0x26, 0x00);
        sim_free(s);
}

static void test_mode_select_refusals(void **state)
{
        sim *s = sim_new("cdr80");

        /* Page length other than the 0x32 MODE SENSE reports. */
        memset(s->data, 0, 8 + 2 + 0x36);
        s->data[8] = 0x05;
        s->data[9] = 0x36;
        s->data[10] = 0x03;
        s->data[12] = 0x03;
        mode_select(s, 8 + 2 + 0x36);
        sim_assert_sense(s, 0x5, 0x26, 0x00);

        /* A block descriptor. */
        memset(s->data, 0, 8 + 8 + 2 + 0x32);
        s->data[7] = 8;
        s->data[16] = 0x05;
        s->data[17] = 0x32;
        s->data[18] = 0x03;
        s->data[20] = 0x03;
        mode_select(s, 8 + 8 + 2 + 0x32);
        sim_assert_sense(s, 0x5, 0x26, 0x00);

        /* Page 2Ah cannot be changed. */
        mode_sense(s, 0x2A, 512);
        sim_assert_good(s);
        {
                size_t len = sim_transferred(s);
                memset(s->data, 0, 8);
                mode_select(s, len);
                sim_assert_sense(s, 0x5, 0x26, 0x00);
        }

        /* Multi-session 10b is reserved. */
        select_write_mode(s, 3, 3);
        sim_assert_good(s);
        mode_sense(s, 0x05, 256);
        s->data[8 + 3] = 0x80;
        memset(s->data, 0, 8);
        mode_select(s, 8 + 2 + 0x32);
        sim_assert_sense(s, 0x5, 0x26, 0x00);

        /* Saving pages (SP) is not supported. */
        sim_out(s, CDB(0x55, 0x11, 0, 0, 0, 0, 0, 0, 8 + 2 + 0x32, 0), 8 + 2 + 0x32);
        sim_assert_sense(s, 0x5, 0x24, 0x00);

        /* A page cut short by the parameter list length. */
        mode_sense(s, 0x05, 256);
        memset(s->data, 0, 8);
        mode_select(s, 8 + 20);
        sim_assert_sense(s, 0x5, 0x1A, 0x00);

        /* None of the refusals changed the page: still RAW/R96R. */
        mode_sense(s, 0x05, 256);
        assert_int_equal(s->data[8 + 2] & 0x0f, 3);
        assert_int_equal(s->data[8 + 3] >> 6, 0);

        /* An empty parameter list changes nothing and is fine. */
        sim_out(s, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 0, 0), 0);
        sim_assert_good(s);
        sim_free(s);
}

static void test_mode_select_page01(void **state)
{
        sim *s = sim_new("cdr80");

        mode_sense(s, 0x01, 256);
        sim_assert_good(s);
        assert_int_equal(s->data[8] & 0x3f, 0x01);
        assert_int_equal(s->data[9], 0x0A);
        s->data[8 + 3] = 0x05; /* read retry count */
        memset(s->data, 0, 8);
        mode_select(s, 8 + 12);
        sim_assert_good(s);
        mode_sense(s, 0x01, 256);
        assert_int_equal(s->data[8 + 3], 0x05);
        sim_free(s);
}

static void test_fault_invalid_mode_parameters(void **state)
{
        sim *s = sim_new("cdr80");

        free(sim_control(s, "fault invalid-mode-parameters count=1", 0));
        select_write_mode(s, 3, 3); /* a page the drive would accept */
        sim_assert_sense(s, 0x5, 0x26, 0x00);
        select_write_mode(s, 3, 3);
        sim_assert_good(s);
        sim_free(s);
}

/* ---- MECHANISM STATUS, TEST UNIT READY with the tray open ---- */

/* The tray is locked and the button pressed: the kernel's sr driver learns it from an
 * Eject Request media event, reported once, and turns it into DISK_EJECT_REQUEST=1. */
static void test_event_status_eject_request(void **state)
{
        sim *s = sim_new("cdr80");

        gesn(s, 0x10); /* the power-on new media */
        sim_none(s, CDB(0x1E, 0, 0, 0, 1, 0));
        sim_assert_good(s);
        free(sim_control(s, "eject", 0));
        gesn(s, 0x10);
        assert_int_equal(s->data[4] & 0x0f, 1); /* EjectRequest */
        assert_int_equal(s->data[5], 0x02);     /* still closed, the disc present */
        gesn(s, 0x10);
        assert_int_equal(s->data[4] & 0x0f, 0);
        sim_free(s);
}

/* What a kernel sends while it probes a USB CD drive (usb-storage, sr, cdrom): the forms of
 * MODE SENSE page 2Ah, READ CAPACITY, REQUEST SENSE after a failed command. */
static void test_kernel_probe_forms(void **state)
{
        sim *s = sim_new("none");

        /* sr's get_capabilities: MODE SENSE(10) with DBD clear, page 2Ah, 128 bytes; the 6-byte
         * form when a device refuses the 10-byte one. */
        sim_in(s, CDB(0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 128, 0), 128);
        sim_assert_good(s);
        assert_int_equal(s->data[8 + (s->data[7])] & 0x3f, 0x2A);
        sim_in(s, CDB(0x1A, 0, 0x2A, 0, 128, 0), 128);
        sim_assert_good(s);
        assert_int_equal(s->data[4 + s->data[3]] & 0x3f, 0x2A);
        /* usb-storage's probe of the write-protect bit: MODE SENSE(6) page 3Fh, 192 bytes. */
        sim_in(s, CDB(0x1A, 0, 0x3F, 0, 192, 0), 192);
        sim_assert_good(s);

        /* No disc: TEST UNIT READY fails and the REQUEST SENSE usb-storage sends next (its
         * auto-sense) answers that sense. */
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x3A, 0x01);
        sim_in(s, CDB(0x03, 0, 0, 0, 18, 0), 18);
        sim_assert_good(s);
        assert_int_equal(s->data[2] & 0x0f, 0x2);
        assert_int_equal(s->data[12], 0x3A);
        sim_in(s, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), 8);
        sim_assert_sense(s, 0x2, 0x3A, 0x01);
        sim_free(s);
}

/* A transport that carries the direction apart from the CDB (USB Bulk-Only) asks the model
 * which way a command moves data. */
static void test_data_direction(void **state)
{
        (void)state;
        assert_int_equal(ds_drive_data_direction(CDB(0x12, 0, 0, 0, 36, 0)), DS_DIR_FROM_DEVICE);
        assert_int_equal(ds_drive_data_direction(CDB(0x00, 0, 0, 0, 0, 0)), DS_DIR_NONE);
        assert_int_equal(ds_drive_data_direction(CDB(0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0)),
                         DS_DIR_TO_DEVICE);
        assert_int_equal(ds_drive_data_direction(CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 8, 0)),
                         DS_DIR_TO_DEVICE);
        assert_int_equal(ds_drive_data_direction(CDB(0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8, 0)),
                         DS_DIR_FROM_DEVICE);
        assert_int_equal(ds_drive_data_direction(CDB(0x1B, 0, 0, 0, 2, 0)), DS_DIR_NONE);
        assert_int_equal(ds_drive_data_direction(CDB(0xFF)), DS_DIR_NONE); /* unknown */
        assert_int_equal(ds_drive_data_direction(NULL, 0), DS_DIR_NONE);
}

/* A host buffer bigger than the CDB's allocation length (USB Bulk-Only gives the model
 * room to spare) still gets no more than the allocation length. */
static void test_allocation_length_bounds_replies(void **state)
{
        sim *s = sim_new("cdr80");

        sim_in(s, CDB(0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 4, 0), 256); /* ATIP, 4 bytes */
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 4);
        assert_int_equal(s->cmd.resid, 252);
        sim_in(s, CDB(0x12, 0, 0, 0, 5, 0), 256);
        assert_int_equal(sim_transferred(s), 5);
        sim_in(s, CDB(0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 8, 0), 256);
        assert_int_equal(sim_transferred(s), 8);
        sim_in(s, CDB(0x5C, 0, 0, 0, 0, 0, 0, 0, 4, 0), 256);
        assert_int_equal(sim_transferred(s), 4);
        sim_in(s, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 2, 0), 256);
        assert_int_equal(sim_transferred(s), 2);
        sim_free(s);
}

static void test_identity(void **state)
{
        sim *s = sim_new("cdr80,vendor=ACME,product=Writer52x");
        char vendor[9], product[17];

        ds_drive_identity(s->drive, vendor, product);
        assert_string_equal(vendor, "ACME");
        assert_string_equal(product, "Writer52x");
        sim_free(s);
}

static void test_mechanism_status(void **state)
{
        sim *s = sim_new("cdr80");

        sim_in(s, CDB(0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0), 8);
        sim_assert_good(s);
        assert_int_equal(sim_transferred(s), 8);
        assert_int_equal(s->data[1] & 0x10, 0); /* door closed */
        assert_int_equal(be16(s->data + 6), 0); /* no slot tables: no changer */
        free(sim_control(s, "open-tray", 0));
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0)); /* takes the unit attention */
        sim_in(s, CDB(0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0), 8);
        sim_assert_good(s);
        assert_int_equal(s->data[1] & 0x10, 0x10); /* door open */
        sim_free(s);
}

static void test_spec_tray_open(void **state)
{
        sim *s = sim_new("cdr80,tray=open");

        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x2, 0x3A, 0x02);
        free(sim_control(s, "close-tray", 0));
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_sense(s, 0x6, 0x28, 0x00);
        sim_none(s, CDB(0x00, 0, 0, 0, 0, 0));
        sim_assert_good(s);
        sim_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_get_configuration_profiles),
            cmocka_unit_test(test_get_configuration_profile_list_content),
            cmocka_unit_test(test_get_configuration_cd_mastering),
            cmocka_unit_test(test_get_configuration_rt_and_alloc),
            cmocka_unit_test(test_event_status),
            cmocka_unit_test(test_event_status_swap_between_polls),
            cmocka_unit_test(test_mode_sense_page05),
            cmocka_unit_test(test_mode_sense_all_pages_and_wodim_probe),
            cmocka_unit_test(test_mode_sense_page2a),
            cmocka_unit_test(test_mode_pages_without_media),
            cmocka_unit_test(test_fault_no_such_mode_page),
            cmocka_unit_test(test_mode_select_round_trip),
            cmocka_unit_test(test_mode_select_wodim_probe_sequence),
            cmocka_unit_test(test_mode_select_libburn_probe_matrix),
            cmocka_unit_test(test_mode_select_refusals),
            cmocka_unit_test(test_mode_select_page01),
            cmocka_unit_test(test_fault_invalid_mode_parameters),
            cmocka_unit_test(test_mechanism_status),
            cmocka_unit_test(test_event_status_eject_request),
            cmocka_unit_test(test_kernel_probe_forms),
            cmocka_unit_test(test_data_direction),
            cmocka_unit_test(test_identity),
            cmocka_unit_test(test_allocation_length_bounds_replies),
            cmocka_unit_test(test_spec_tray_open),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
