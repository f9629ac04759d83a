/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The IMAPI2 errors rawburnd reports: one per imapi2error.h HRESULT, each
 * with its name (the org.rawburn1.Error.* suffix on the bus, see
 * docs/dbus-api.md), symbol, value and message text, defined once in
 * imapi-errors.c. The bus replies are made from it in service/bus-errors.h.
 */

#include <stddef.h>
#include <stdint.h>

#include "rawburn-bus.h"

typedef struct imapi_error {
        const char *name;    /* suffix after RAWBURN_ERROR_PREFIX, e.g. "RecorderLocked" */
        const char *symbol;  /* the imapi2error.h / winerror.h symbol */
        uint32_t hresult;    /* its value */
        const char *message; /* the header's MessageText */
} imapi_error;

size_t imapi_error_count(void);
const imapi_error *imapi_error_at(size_t i);

/* By suffix ("RecorderLocked") or full name ("org.rawburn1.Error.RecorderLocked"). */
const imapi_error *imapi_error_lookup(const char *name);
const imapi_error *imapi_error_by_hresult(uint32_t hresult);
/* Formats the text of a reply, "MESSAGE (HRESULT 0x…)" plus ": DETAIL"
 * when detail is not NULL, into buf. Returns buf. */
char *imapi_error_format(const imapi_error *e, const char *detail, char *buf, size_t size);

/* The error a failed device transfer maps to: a negative errno from the
 * transport (-ETIMEDOUT, -ENODEV, -ENXIO, …). */
const char *imapi_error_from_errno(int error);
