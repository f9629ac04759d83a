/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Cue sheets come in whatever code page the ripper's system used: UTF-8
 * (with or without BOM), UTF-16 (Windows "Unicode", with or without BOM),
 * CP1252 (EAC on Western systems), Shift-JIS (EAC on Japanese systems),
 * CP1251 (Cyrillic), … rb_text_to_utf8() turns such text into UTF-8 with the
 * line structure kept, so parse errors keep their line numbers.
 *
 * Detection, when no charset is given: a byte-order mark says UTF-8 or
 * UTF-16LE/BE; a NUL in every other byte says UTF-16 without one; valid
 * UTF-8 is UTF-8. Otherwise Shift-JIS (as CP932) when every byte above 7Fh
 * belongs to a valid double-byte pair and at least one pair is
 * punctuation, kana or full-width (lead byte 81h-84h): short Japanese
 * titles are too little for a statistical detector, and Latin text
 * practically never has this. Everything else goes to uchardet; its
 * ISO-8859-1 is taken as CP1252, and CP1252 is the answer when it cannot
 * tell.
 */

#include <stddef.h>

/* data/len: the text (a BOM is dropped). charset: an iconv name, or NULL
 * to detect. *out (NUL-terminated, free()) and *outlen: UTF-8; used: the
 * charset taken ("UTF-8", "UTF-16LE", "CP1252", "SHIFT_JIS", "WINDOWS-1251",
 * … or the given name). Returns 0 or a negative errno with the reason in
 * err. */
int rb_text_to_utf8(const char *data, size_t len, const char *charset, char **out, size_t *outlen,
                    char *used, size_t usedlen, char *err, size_t errlen);
