/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What an expert wants from a daemon error message, read out of its text:
 * rawburnd writes device errors as "…: command 2Ah, sense 03/73/03" and may
 * end a message with "Hint: lower the speed or try other media", a line for
 * that very sense (docs/burn-errors.md). Nothing here is required: a message
 * without them gives an empty error_details.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct error_details {
        bool has_sense;
        uint8_t sense_key, asc, ascq;
        bool has_command;
        uint8_t command; /* the SCSI opcode that failed */
        /* The daemon's hint without "Hint: " and without a final full stop;
         * empty when the message has none. */
        char hint[256];
} error_details;

void error_details_parse(const char *message, error_details *d);
