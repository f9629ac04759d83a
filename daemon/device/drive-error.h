/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A failure found on a worker or burn thread, carried to the loop thread
 * that turns it into the D-Bus error: the org.rawburn1.Error name, what
 * happened in words, and for a device error the command and its sense.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sense.h"
#include "sgio.h"

typedef struct drive_error {
        const char *name; /* RAWBURN_ERROR_PREFIX suffix; NULL while nothing failed */
        char detail[400];
        bool from_command; /* set by drive_error_from_command(): op is meaningful */
        bool has_sense;
        uint8_t op;
        scsi_sense sense;
} drive_error;

void drive_error_set(drive_error *e, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A command that failed: r and res as sgio_exec() gave them; what names the
 * step ("WRITE(10) at LBA -11634"). The name follows the sense (sense.c) or
 * the transport error. */
void drive_error_from_command(drive_error *e, uint8_t op, const char *what, int r,
                              const sgio_result *res);

/* "KEY/ASC/ASCQ" of e, "" without sense. */
const char *drive_error_sense_text(const drive_error *e, char buf[16]);
