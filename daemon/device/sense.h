/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * SCSI sense data: decoding (fixed 70h/71h and descriptor 72h/73h
 * formats, SPC) and the one table that maps a sense code to the
 * IMAPI2 error the daemon reports (mmc-raw.md §7.2).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct scsi_sense {
        uint8_t key, asc, ascq;
} scsi_sense;

/* Decodes sense data. Returns 0, or -EBADMSG when the buffer holds no
 * recognisable sense (too short, unknown response code). */
int sense_parse(const uint8_t *buf, size_t len, scsi_sense *ret);

/*
 * The org.rawburn1.Error suffix for a CHECK CONDITION with this sense on a
 * command with opcode op (the same code can mean different things on
 * different commands: 05/24/00 on MODE SENSE is "no such mode page").
 * Never NULL: unknown codes give "UnexpectedResponseFromDevice".
 */
const char *sense_to_error(uint8_t op, const scsi_sense *sense);

/* One line on what to do about this condition, for the person reading the
 * error ("lower the write speed or try other media"); NULL when there is
 * nothing more to say than the error's name. */
const char *sense_hint(uint8_t op, const scsi_sense *sense);

/* Conditions a caller retries once rather than reporting (unit attention:
 * power-on reset, medium changed). */
bool sense_is_unit_attention(const scsi_sense *sense);
