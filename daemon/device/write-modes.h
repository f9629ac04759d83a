/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The write modes a drive really accepts: the write types and data block types of page
 * 05h, each with and without Test Write. GET CONFIGURATION (features 002Dh and 002Eh)
 * says what the drive claims; MODE SELECT probes of page 05h at discovery confirm it
 * (drive-probe.c); the quirks file takes away what a drive is known to get wrong
 * (quirks.c). Pure functions: the probe's I/O is in drive-probe.c.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc.h"

typedef struct drive_info drive_info;

typedef enum write_mode {
        WRITE_MODE_RAW_R96R, /* RAW, data block type 3: 2352 + raw P-W */
        WRITE_MODE_RAW_R96P, /* RAW, data block type 2: 2352 + packed P-W */
        WRITE_MODE_RAW_R16,  /* RAW, data block type 1: 2352 + 16-byte PQ */
        WRITE_MODE_SAO,
        WRITE_MODE_TAO,
        WRITE_MODE_COUNT,
} write_mode;

/* A set of write modes, each with or without Test Write. */
typedef uint32_t write_mode_set;
#define WRITE_MODE_BIT(m)      ((write_mode_set)1 << (m))
#define WRITE_MODE_TEST_BIT(m) ((write_mode_set)1 << (16 + (m)))
#define WRITE_MODE_SET_ALL     ((write_mode_set)((1u << WRITE_MODE_COUNT) - 1) * (1u + (1u << 16)))

typedef struct write_modes {
        write_mode_set claimed;  /* GET CONFIGURATION (or page 2Ah without it) */
        write_mode_set accepted; /* taken by MODE SELECT in the probes */
        bool probed;             /* the probes ran to the end: accepted is known */
        write_mode_set dropped;  /* the quirks file says the drive cannot */
} write_modes;

/* What GET CONFIGURATION claims: 002Eh SAO → SAO; Raw → RAW/R16; Raw and R-W → RAW/R96R
 * and RAW/R96P (the feature does not tell packed from raw P-W); its Test Write → the same
 * with Test Write; 002Dh → TAO, its Test Write → TEST/TAO. A drive without GET
 * CONFIGURATION (have_config false) claims every mode, with Test Write when page 2Ah says
 * it can (or, without page 2Ah, too). */
write_mode_set write_modes_claimed(const mmc_config *config, bool have_config, const mmc_caps *caps,
                                   bool have_caps);

/* The page 05h fields that try mode m: RAW with its data block type and track mode 0; SAO
 * and TAO with Mode 1 (DBT 8) and track mode 4, as wodim's probes; no BUFE, one session. */
void write_mode_page05(write_mode m, bool test_write, mmc_page05 *ret);

/* One MODE SELECT of the probe. */
typedef struct write_mode_probe {
        write_mode mode;
        bool test_write;
} write_mode_probe;

/* The probes for what the drive claims, in order: each mode, then the same with Test Write
 * (to be skipped when the mode itself was refused). TEST/TAO last, so that a drive left
 * with the last probe's page (the restore failed) visibly differs from its power-on one.
 * Returns how many were stored (at most max). */
size_t write_modes_probe_list(write_mode_set claimed, write_mode_probe *list, size_t max);

/* What the drive accepts, everything considered: claimed, confirmed when the probes ran,
 * less the quirks; a mode with Test Write only where the mode itself is there. */
write_mode_set write_modes_supported(const write_modes *w);

/* "RAW/R96R", "RAW/R96P", "RAW/R16", "SAO", "TAO"; with test_write "TEST/RAW/R96R", … */
const char *write_mode_name(write_mode m, bool test_write);
/* The names of a set in the order above, the modes first, then the TEST/ ones. Returns
 * how many were stored (at most max). */
size_t write_modes_names(write_mode_set set, const char **names, size_t max);
/* -EINVAL for a name that is none of write_mode_name()'s. */
int write_mode_from_name(const char *name, write_mode *m, bool *test_write);

/* The RAW write mode of a page 05h data block type (1, 2, 3); -EINVAL for others. */
int write_mode_from_raw_block_type(int data_block_type, write_mode *m);

/* Whether the drive writes RAW with this data block type (MMC_DBT_RAW_PQ, _PW_PACKED,
 * _PW; IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY, _IS_COOKED, _IS_RAW have the same numbers),
 * with Test Write when test_write: for the RawCD side (PrepareMedia, SupportedSectorTypes). */
bool write_modes_supports_raw(const drive_info *i, int data_block_type, bool test_write);
