/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* rawburnctl burn's command line. */

#include <stdbool.h>
#include <stdint.h>

#include "burn-input.h"

typedef struct burn_options {
        /* DRIVE as given to --drive, or NULL */
        const char *drive;
        int32_t speed; /* sectors per second; -1 the fastest; 0 not asked */
        bool no_burnfree, simulate, eject;
        bool dry_run;  /* touch no media: say what a burn would do */
        bool verify;   /* read every sector back and compare */
        bool no_check; /* PrepareMedia CheckAfterWrite=false */
        /* make the image without the drive's WriteOffset */
        bool no_write_offset;
        burn_input_options input;
} burn_options;

/*
 * Parses burn's options into o (which the caller initialised, with
 * o->input.first_lba = INT32_MIN); optind is then the first SOURCE.
 * Returns 1 to go on, 0 after --help, -EINVAL after a usage error (said).
 */
int burn_parse_options(int argc, char **argv, burn_options *o);
