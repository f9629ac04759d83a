/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The write modes a drive really accepts (SPEC key "modes=", docs/drivesim.md): which
 * write type / data block type pairs MODE SELECT page 05h takes, where Test Write is
 * allowed, and so what GET CONFIGURATION features 002Dh/002Eh and page 2Ah report. Real
 * drives differ here (many lack R96R or R96P, some cannot simulate in RAW), and hosts learn
 * it from those features and from trial MODE SELECTs (mmc-raw.md §2.2, §6.1).
 */

#include <stdbool.h>
#include <stddef.h>

enum ds_mode {
        DS_MODE_RAW96R = 1 << 0, /* write type 3 (RAW), data block type 3: raw P-W */
        DS_MODE_RAW96P = 1 << 1, /* RAW, data block type 2: packed P-W */
        DS_MODE_RAW16 = 1 << 2,  /* RAW, data block type 1: 16-byte PQ */
        DS_MODE_SAO = 1 << 3,    /* write type 2, cue sheet */
        DS_MODE_TAO = 1 << 4,    /* write type 1 */
        /* Test Write allowed, per write type. */
        DS_MODE_TEST_RAW = 1 << 5,
        DS_MODE_TEST_SAO = 1 << 6,
        DS_MODE_TEST_TAO = 1 << 7,
};

#define DS_MODES_RAW     (DS_MODE_RAW96R | DS_MODE_RAW96P | DS_MODE_RAW16)
#define DS_MODES_WRITING (DS_MODES_RAW | DS_MODE_SAO | DS_MODE_TAO)
#define DS_MODES_TEST    (DS_MODE_TEST_RAW | DS_MODE_TEST_SAO | DS_MODE_TEST_TAO)
/* Everything the model can do: the drive without "modes=". */
#define DS_MODES_ALL (DS_MODES_WRITING | DS_MODES_TEST)

/* Applies one word of a modes= list to *modes ("raw96r", "sao", "notest-raw", …): a write
 * mode adds itself, a notest word takes Test Write away. Returns 0, or -EINVAL for a word
 * that is not one. */
int ds_modes_add_word(unsigned *modes, const char *word);
/* Whether word is one of the list's words (a SPEC option without '=' continues the list). */
bool ds_modes_is_word(const char *word);
/* Completes a list once parsed: a list of notest words alone keeps every write mode. */
void ds_modes_finish(unsigned *modes);

/* Whether MODE SELECT takes this write type (page 05h byte 2 bits 3-0) with this data
 * block type (byte 4 bits 3-0), and with Test Write set (byte 2 bit 4) when test is. */
bool ds_modes_accept(unsigned modes, unsigned write_type, unsigned block_type, bool test);

/* Whether some write mode the drive has allows Test Write (page 2Ah byte 3 bit 2). */
bool ds_modes_can_test(unsigned modes);

/* "raw96r,raw96p,raw16,sao,tao" with the notest words that apply; for the state dump. */
void ds_modes_describe(unsigned modes, char *buf, size_t size);
