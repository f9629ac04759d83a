/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "write-modes.h"

#include <errno.h>
#include <string.h>

#include "drive-probe.h"

typedef struct mode_desc {
        const char *name, *test_name;
        uint8_t write_type, data_block_type, track_mode;
} mode_desc;

/* In the order SupportedWriteModes lists them: the raw modes rawburn burns with first. */
static const mode_desc modes[WRITE_MODE_COUNT] = {
    [WRITE_MODE_RAW_R96R] = {"RAW/R96R", "TEST/RAW/R96R", MMC_WRITE_TYPE_RAW, MMC_DBT_RAW_PW, 0},
    [WRITE_MODE_RAW_R96P] = {"RAW/R96P", "TEST/RAW/R96P", MMC_WRITE_TYPE_RAW, MMC_DBT_RAW_PW_PACKED,
                             0},
    [WRITE_MODE_RAW_R16] = {"RAW/R16", "TEST/RAW/R16", MMC_WRITE_TYPE_RAW, MMC_DBT_RAW_PQ, 0},
    [WRITE_MODE_SAO] = {"SAO", "TEST/SAO", MMC_WRITE_TYPE_SAO, MMC_DBT_MODE1, 4},
    [WRITE_MODE_TAO] = {"TAO", "TEST/TAO", MMC_WRITE_TYPE_TAO, MMC_DBT_MODE1, 4},
};

static write_mode_set with_test(write_mode_set modes_set)
{
        return modes_set | modes_set << 16;
}

write_mode_set write_modes_claimed(const mmc_config *config, bool have_config, const mmc_caps *caps,
                                   bool have_caps)
{
        write_mode_set raw_pw =
            WRITE_MODE_BIT(WRITE_MODE_RAW_R96R) | WRITE_MODE_BIT(WRITE_MODE_RAW_R96P);
        write_mode_set set = 0, tests = 0;

        if (!have_config) {
                /* An MMC-1/2 drive: only the probes can tell. */
                write_mode_set all = WRITE_MODE_SET_ALL & 0xffff;

                return (have_caps && !caps->test_write) ? all : with_test(all);
        }
        if (config->has_mastering) {
                uint8_t f = config->mastering_flags;
                write_mode_set raw = 0;

                if (f & MMC_MASTERING_RAW)
                        raw = WRITE_MODE_BIT(WRITE_MODE_RAW_R16) |
                              ((f & MMC_MASTERING_RW) ? raw_pw : 0);
                set |= raw;
                if (f & MMC_MASTERING_SAO)
                        set |= WRITE_MODE_BIT(WRITE_MODE_SAO);
                /* One Test Write bit for SAO and RAW together (MMC). */
                if (f & MMC_MASTERING_TEST)
                        tests |= set;
        }
        if (config->has_tao) {
                set |= WRITE_MODE_BIT(WRITE_MODE_TAO);
                if (config->tao_flags & MMC_TAO_TEST)
                        tests |= WRITE_MODE_BIT(WRITE_MODE_TAO);
        }
        return set | tests << 16;
}

void write_mode_page05(write_mode m, bool test_write, mmc_page05 *ret)
{
        *ret = (mmc_page05){
            .write_type = modes[m].write_type,
            .data_block_type = modes[m].data_block_type,
            .test_write = test_write,
            .track_mode = modes[m].track_mode,
        };
}

size_t write_modes_probe_list(write_mode_set claimed, write_mode_probe *list, size_t max)
{
        size_t n = 0;

        for (int m = 0; m < WRITE_MODE_COUNT; m++) {
                if ((claimed & WRITE_MODE_BIT(m)) && n < max)
                        list[n++] = (write_mode_probe){(write_mode)m, false};
                if ((claimed & WRITE_MODE_BIT(m)) && (claimed & WRITE_MODE_TEST_BIT(m)) && n < max)
                        list[n++] = (write_mode_probe){(write_mode)m, true};
        }
        return n;
}

write_mode_set write_modes_supported(const write_modes *w)
{
        write_mode_set set = w->claimed & ~w->dropped;

        if (w->probed)
                set &= w->accepted;
        /* Test Write is a way of writing in a mode: nothing without the mode. */
        return (set & 0xffff) | (set & (set << 16) & 0xffff0000u);
}

const char *write_mode_name(write_mode m, bool test_write)
{
        if ((int)m < 0 || m >= WRITE_MODE_COUNT)
                return NULL;
        return test_write ? modes[m].test_name : modes[m].name;
}

size_t write_modes_names(write_mode_set set, const char **names, size_t max)
{
        size_t n = 0;

        for (int test = 0; test <= 1; test++)
                for (int m = 0; m < WRITE_MODE_COUNT; m++) {
                        write_mode_set bit = test ? WRITE_MODE_TEST_BIT(m) : WRITE_MODE_BIT(m);

                        if ((set & bit) && n < max)
                                names[n++] = write_mode_name((write_mode)m, test);
                }
        return n;
}

int write_mode_from_name(const char *name, write_mode *m, bool *test_write)
{
        for (int k = 0; k < WRITE_MODE_COUNT; k++)
                for (int test = 0; test <= 1; test++)
                        if (strcmp(name, write_mode_name((write_mode)k, test)) == 0) {
                                *m = (write_mode)k;
                                *test_write = test;
                                return 0;
                        }
        return -EINVAL;
}

int write_mode_from_raw_block_type(int data_block_type, write_mode *m)
{
        switch (data_block_type) {
        case MMC_DBT_RAW_PQ:
                *m = WRITE_MODE_RAW_R16;
                return 0;
        case MMC_DBT_RAW_PW_PACKED:
                *m = WRITE_MODE_RAW_R96P;
                return 0;
        case MMC_DBT_RAW_PW:
                *m = WRITE_MODE_RAW_R96R;
                return 0;
        default:
                return -EINVAL;
        }
}

bool write_modes_supports_raw(const drive_info *i, int data_block_type, bool test_write)
{
        write_mode m;

        if (write_mode_from_raw_block_type(data_block_type, &m) < 0)
                return false;
        return write_modes_supported(&i->write_modes) &
               (test_write ? WRITE_MODE_TEST_BIT(m) : WRITE_MODE_BIT(m));
}
