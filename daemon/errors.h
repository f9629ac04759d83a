/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * org.rawburn1.Error.*: one D-Bus error name per IMAPI2 error HRESULT
 * (imapi2error.h, see docs/dbus-api.md), defined once in errors.c.
 * Replies carry the IMAPI2 message text, the HRESULT and, for device
 * errors, the SCSI sense key/ASC/ASCQ, so a client can show words and an
 * expert can still see what the drive said.
 */

#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "sense.h"

#define RB_ERROR_PREFIX "org.rawburn1.Error."

typedef struct rb_error {
        const char *name;    /* suffix after RB_ERROR_PREFIX, e.g. "RecorderLocked" */
        const char *symbol;  /* the imapi2error.h / winerror.h symbol */
        uint32_t hresult;    /* its value */
        const char *message; /* the header's MessageText */
} rb_error;

size_t rb_error_count(void);
const rb_error *rb_error_at(size_t i);

/* By suffix ("RecorderLocked") or full name ("org.rawburn1.Error.RecorderLocked"). */
const rb_error *rb_error_lookup(const char *name);
const rb_error *rb_error_by_hresult(uint32_t hresult);

/*
 * Fills *ret with the error's full name and "MESSAGE (HRESULT 0x…)" plus
 * ": DETAIL" when detail is not NULL. An unknown name becomes Fail. Returns a
 * negative errno suited for returning from an sd-bus handler (-EIO).
 */
int rb_error_set(sd_bus_error *ret, const char *name, const char *detail);

/* As rb_error_set(), mapping the sense with rb_sense_to_error() for opcode and
 * adding "sense KEY/ASC/ASCQ" to the message. */
int rb_error_set_sense(sd_bus_error *ret, uint8_t opcode, const rb_sense *sense);

/* Formats the message rb_error_set() would send, into buf. Returns buf. */
char *rb_error_format(const rb_error *e, const char *detail, char *buf, size_t size);

/* The error a failed device transfer maps to: a negative errno from the
 * transport (-ETIMEDOUT, -ENODEV, -ENXIO, …). */
const char *rb_error_from_errno(int error);
