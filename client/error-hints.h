/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What each D-Bus error rawburnctl can meet means to a person, and what to
 * do next: every org.rawburn1.Error.* rawburnd defines (tests/client checks
 * the table against `rawburnd --list-errors`) and the org.freedesktop.DBus
 * errors a client of a system service meets (polkit denial, daemon missing
 * or silent). The daemon's own message (IMAPI2 text, HRESULT, SCSI sense)
 * stays for --verbose and --json.
 */

#include <stddef.h>

typedef struct error_hint {
        const char *name; /* the full D-Bus error name */
        /* One sentence for the user: what happened, then what to do, e.g.
         * "the disc is not blank: insert a blank CD-R, …". */
        const char *hint;
        int exit_status; /* exit-status.h */
} error_hint;

/* NULL for names not in the table. */
const error_hint *error_hint_lookup(const char *name);
/* The same, with the sentence a given operation ("EraseMedia", the method
 * name) needs where the general one would mislead (no disc when erasing is
 * no call for a blank CD-R). */
const error_hint *error_hint_lookup_for(const char *name, const char *operation);

size_t error_hint_count(void);
const error_hint *error_hint_at(size_t i);
