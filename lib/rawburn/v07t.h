/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Sony CD-Text input sheets, version 0.7T (.v07t), as cdrskin's
 * input_sheet_v07t= reads them (libburn doc/cdtext.txt): lines
 * "purpose specifier = content" for the disc (Album Title, Artist Name,
 * Songwriter, Composer, Arranger, Album Message, Catalog Number, Genre Code,
 * Genre Information, Closed Information, UPC / EAN, Text Code, Language
 * Code, Text Data Copy Protection, First/Last Track Number) and the tracks
 * (Track NN Title/Artist/Songwriter/Composer/Arranger/Message, ISRC NN),
 * or a pack type 0x80…0x8e in place of the name. One sheet is one block
 * (language); a file whose first line is "Input Sheet Version = 0.7T"
 * starts a new sheet at each such line.
 *
 * Content is UTF-8 when all of a sheet's content is valid UTF-8, else bytes
 * in the sheet's Text Code (8859: ISO-8859-1, ASCII, MS-JIS: Shift-JIS),
 * as cdrskin writes it. Errors read "file:line: reason".
 */

#include <stddef.h>

#include "rawburn/cdtext.h"

/*
 * Parses a sheet file's text into t from block *block on (advanced past
 * the blocks it filled). tracks: the disc's track count, or 0 not to check
 * the track numbers against it. Track numbers are taken relative to First
 * Track Number (which becomes track 1).
 */
int rb_v07t_parse(const char *name, const char *text, size_t len, unsigned tracks, rb_cdtext_t *t,
                  unsigned *block, char *err, size_t errlen);

int rb_v07t_load(const char *path, unsigned tracks, rb_cdtext_t *t, unsigned *block, char *err,
                 size_t errlen);
