/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * librawburn's private helpers, shared by its source files and never
 * installed: the rb__ prefix marks them as not part of the API (rb_), and
 * they are hidden from the shared library's symbol table so that no program
 * comes to depend on them.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "rawburn/subq.h"

#define RB__PRIVATE __attribute__((visibility("hidden")))

/*
 * The error reporting of every function that takes (char *err, size_t
 * errlen): the message goes into the caller's buffer, cut to fit, when the
 * caller gave one (err may be NULL or errlen 0), and the helper returns the
 * error code so that a failure is one statement:
 *     return rb__fail(err, errlen, -EINVAL, "track %u: no INDEX 01", n);
 * The prefixes below go into err before the message is formatted, so no
 * argument may point into err itself.
 */
RB__PRIVATE int rb__fail(char *err, size_t errlen, int r, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "NAME: message": a file the whole message is about. */
RB__PRIVATE int rb__fail_in(char *err, size_t errlen, int r, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* "NAME:LINE: message", the form compilers use, for a fault in a line of a
 * text file (cue sheet, TOC, .ccd, quirks file, .v07t): always -EINVAL. */
RB__PRIVATE int rb__fail_at(char *err, size_t errlen, const char *name, unsigned line,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Text that grows: rb__append() adds to what buf holds already, cut to fit
 * (buf may be NULL or len 0: nothing happens); rb__warn() adds a line, the
 * text and a newline, as the readers' warnings are given. In error.c.
 */
RB__PRIVATE void rb__vappend(char *buf, size_t len, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
RB__PRIVATE void rb__append(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
RB__PRIVATE void rb__vwarn(char *buf, size_t len, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
RB__PRIVATE void rb__warn(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ISRCs, CCOOOYYNNNNN: country and owner letters or digits, year and number
 * digits. rb__isrc_valid() takes exactly that; rb__isrc_normalize() also takes
 * what rippers and programs write (dashes, lower case) and puts the 12
 * characters into out. Both in image-layout.c. */
#define RB__ISRC_FORM                                                                              \
        "CC-OOO-YY-NNNNN (country and owner letters or digits, year and number digits)"
RB__PRIVATE bool rb__isrc_valid(const char *s);
RB__PRIVATE bool rb__isrc_normalize(const char *in, char out[RB_ISRC_CHARS + 1]);
