/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A FLAC file with an embedded CUESHEET metadata block (what flac
 * --cuesheet and metaflac --import-cuesheet-from write, and CUETools-style
 * single-file rips carry) burns as a whole disc without a cue file.
 * libsndfile does not expose that block, so it is read here from the FLAC
 * format specification (https://xiph.org/flac/format.html#metadata_block_cuesheet):
 *
 *   "fLaC", then blocks: 1 byte (bit 7 last block, bits 6-0 type; 5 =
 *   CUESHEET), 3 bytes big-endian length, body.
 *   CUESHEET: 128 bytes media catalog number (ASCII, NUL padded), u64
 *   lead-in samples, 1 bit "is CD" + 2071 reserved bits (259 bytes), u8
 *   track count, then per track: u64 offset (samples), u8 number (170 =
 *   CD lead-out), 12 bytes ISRC, 1 bit non-audio, 1 bit pre-emphasis,
 *   110 reserved bits (14 bytes), u8 index count, then per index: u64
 *   offset (samples, from the track's offset), u8 number, 3 reserved bytes.
 */

#include <stddef.h>
#include <stdint.h>

#include "rawburn/cue-parser.h"
#include "rawburn/image-layout.h"

/*
 * The CUESHEET of FLAC metadata in data (the file from its start; audio
 * frames after the metadata are not needed) as a cue sheet with one FILE,
 * `file_name`, of type FLAC. Returns 0, -ENOENT when there is no CUESHEET
 * block, or another negative errno with the reason ("name: reason") in err.
 */
int rb_flac_cuesheet_parse(const char *name, const char *file_name, const uint8_t *data, size_t len,
                           rb_cue_sheet_t *c, char *err, size_t errlen);

/* The layout of a FLAC file with an embedded CUESHEET. -ENOENT (err left
 * empty) when the file is not FLAC or has none: it is then one track. */
int rb_flac_cuesheet_load(const char *path, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                          size_t errlen);
