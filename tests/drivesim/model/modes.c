/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The modes= list: its words, and which page 05h settings a drive with those modes takes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ds-modes.h"

typedef struct mode_word {
        const char *word;
        unsigned add;    /* write modes it adds */
        unsigned remove; /* Test Write it takes away */
} mode_word;

static const mode_word words[] = {
    {"raw96r", DS_MODE_RAW96R, 0},
    {"raw96p", DS_MODE_RAW96P, 0},
    {"raw16", DS_MODE_RAW16, 0},
    {"raw", DS_MODES_RAW, 0},
    {"sao", DS_MODE_SAO, 0},
    {"tao", DS_MODE_TAO, 0},
    {"notest", 0, DS_MODES_TEST},
    {"notest-raw", 0, DS_MODE_TEST_RAW},
    {"notest-sao", 0, DS_MODE_TEST_SAO},
    {"notest-tao", 0, DS_MODE_TEST_TAO},
};

static const mode_word *find_word(const char *word)
{
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
                if (strcmp(words[i].word, word) == 0)
                        return &words[i];
        return NULL;
}

bool ds_modes_is_word(const char *word)
{
        return find_word(word) != NULL;
}

int ds_modes_add_word(unsigned *modes, const char *word)
{
        const mode_word *w = find_word(word);

        if (!w)
                return -EINVAL;
        *modes = (*modes | w->add) & ~w->remove;
        return 0;
}

void ds_modes_finish(unsigned *modes)
{
        /* "modes=notest-raw": the drive of the default, without Test Write in RAW. */
        if (!(*modes & DS_MODES_WRITING))
                *modes |= DS_MODES_WRITING;
}

/* The cooked data block types TAO and SAO take: 0 (raw 2352) and 8..13 (Mode 1, Mode 2 and
 * its forms), as MMC lists them for those write types. */
static bool cooked_block_type(unsigned dbt)
{
        return dbt == 0 || (dbt >= 8 && dbt <= 13);
}

bool ds_modes_accept(unsigned modes, unsigned write_type, unsigned block_type, bool test)
{
        switch (write_type) {
        case 1: /* TAO */
                return (modes & DS_MODE_TAO) && cooked_block_type(block_type) &&
                       (!test || (modes & DS_MODE_TEST_TAO));
        case 2: /* SAO: the cue sheet carries the data forms */
                return (modes & DS_MODE_SAO) && cooked_block_type(block_type) &&
                       (!test || (modes & DS_MODE_TEST_SAO));
        case 3: { /* RAW: main channel with one of the three subchannel forms */
                static const unsigned raw_mode[4] = {0, DS_MODE_RAW16, DS_MODE_RAW96P,
                                                     DS_MODE_RAW96R};
                if (block_type < 1 || block_type > 3 || !(modes & raw_mode[block_type]))
                        return false;
                return !test || (modes & DS_MODE_TEST_RAW);
        }
        default: /* packet writing and layer jump are not offered */
                return false;
        }
}

bool ds_modes_can_test(unsigned modes)
{
        return ((modes & DS_MODES_RAW) && (modes & DS_MODE_TEST_RAW)) ||
               ((modes & DS_MODE_SAO) && (modes & DS_MODE_TEST_SAO)) ||
               ((modes & DS_MODE_TAO) && (modes & DS_MODE_TEST_TAO));
}

void ds_modes_describe(unsigned modes, char *buf, size_t size)
{
        static const struct {
                unsigned needs, lacks;
                const char *word;
        } parts[] = {
            {DS_MODE_RAW96R, 0, "raw96r"},
            {DS_MODE_RAW96P, 0, "raw96p"},
            {DS_MODE_RAW16, 0, "raw16"},
            {DS_MODE_SAO, 0, "sao"},
            {DS_MODE_TAO, 0, "tao"},
            {DS_MODES_RAW, DS_MODE_TEST_RAW, "notest-raw"},
            {DS_MODE_SAO, DS_MODE_TEST_SAO, "notest-sao"},
            {DS_MODE_TAO, DS_MODE_TEST_TAO, "notest-tao"},
        };
        size_t len = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
                if (!(modes & parts[i].needs) || (modes & parts[i].lacks))
                        continue;
                len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
                                        len ? "," : "", parts[i].word);
        }
}
