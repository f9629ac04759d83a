/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Cue sheets come in whatever code page the ripper's Windows used: UTF-8
 * (with or without BOM), CP1252 (EAC on Western systems) or Shift-JIS (EAC
 * on Japanese systems). rb_text_to_utf8() turns such text into UTF-8 with
 * the line structure kept, so parse errors keep their line numbers.
 *
 * Detection, when no charset is given: valid UTF-8 is UTF-8. Otherwise
 * Shift-JIS (as CP932) when every byte above 7Fh belongs to a valid
 * double-byte pair, the text decodes, and at least one pair is
 * punctuation, kana or full-width (lead byte 81h-84h), which Japanese text
 * practically always has and Latin text practically never (CP1252 81h is
 * unassigned, 82h-84h are low quotes and ƒ). Everything else is CP1252.
 */

#include <stddef.h>

/* data/len: the text (a UTF-8 BOM is dropped). charset: an iconv name,
 * or NULL to detect. *out (NUL-terminated, free()) and *outlen: UTF-8;
 * *used: the charset taken ("UTF-8", "CP1252", "SHIFT_JIS" or the given
 * name). Returns 0 or a negative errno with the reason in err. */
int rb_text_to_utf8(const char *data, size_t len, const char *charset, char **out, size_t *outlen,
                    const char **used, char *err, size_t errlen);
