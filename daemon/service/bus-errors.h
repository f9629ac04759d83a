/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * org.rawburn1.Error.* replies. Each carries the IMAPI2 message text and
 * HRESULT (device/imapi-errors.h) and, for device errors, the SCSI sense
 * key/ASC/ASCQ, so a client can show words and an expert can still see what
 * the drive said.
 */

#include <stdint.h>
#include <systemd/sd-bus.h>

#include "drive-error.h"
#include "imapi-errors.h"
#include "sense.h"

/*
 * Fills *ret with the error's full name and "MESSAGE (HRESULT 0x…)" plus
 * ": DETAIL" when detail is not NULL. An unknown name becomes Fail. Returns a
 * negative errno suited for returning from an sd-bus handler (-EIO).
 */
int bus_error_set(sd_bus_error *ret, const char *name, const char *detail);

/* As bus_error_set(), mapping the sense with sense_to_error() for opcode and
 * adding "sense KEY/ASC/ASCQ" to the message. */
int bus_error_set_sense(sd_bus_error *ret, uint8_t opcode, const scsi_sense *sense);

/* The reply for a failure carried from a worker (Fail with its detail if
 * e->name is unknown). */
int bus_error_from_drive(const drive_error *e, sd_bus_error *ret);
