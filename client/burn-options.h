/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* rawburnctl burn's command line. */

#include <stdbool.h>
#include <stdint.h>

#include "burn-input.h"

/* More --drive than any tower holds. */
#define BURN_MAX_DRIVES 64

typedef struct burn_options {
        /* DRIVE as given to --drive, or NULL; the first when repeated */
        const char *drive;
        /* every --drive given, in order ("all": each drive holding a blank disc) */
        const char *drives[BURN_MAX_DRIVES];
        size_t n_drives;
        int32_t speed; /* sectors per second; -1 the fastest; 0 not asked */
        bool no_burnfree, simulate, eject;
        bool dry_run;  /* touch no media: say what a burn would do */
        bool verify;   /* read every sector back and compare */
        bool no_check; /* PrepareMedia CheckAfterWrite=false */
        /* make the image without the drive's WriteOffset */
        bool no_write_offset;
        burn_input_options input;
        /* `duplicate`: its usage, and --copies N (at least 1) */
        bool duplicate;
        unsigned copies;
} burn_options;

/*
 * Parses burn's options into o (which the caller initialised, with
 * o->input.first_lba = INT32_MIN); optind is then the first SOURCE.
 * Returns 1 to go on, 0 after --help, -EINVAL after a usage error (said).
 */
int burn_parse_options(int argc, char **argv, burn_options *o);
/* Whether the burn goes to several drives: --drive repeated, or --drive all. */
bool burn_options_many_drives(const burn_options *o);
