/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * cdrdao TOC files into a layout: CD_DA / CD_ROM / CD_ROM_XA, CATALOG,
 * CD_TEXT (language block 0), TRACK AUDIO / MODE1 / MODE1_RAW / MODE2 /
 * MODE2_RAW with COPY, PRE_EMPHASIS, FOUR_CHANNEL_AUDIO, ISRC, SILENCE,
 * ZERO, PREGAP, START, INDEX, FILE / AUDIOFILE (raw samples big-endian unless
 * SWAP, as cdrdao reads them; .wav/.flac/.aiff through libsndfile) and
 * DATAFILE. Errors read "file:line: reason".
 */

#include <stddef.h>
#include <stdint.h>

#include "rawburn/image-layout.h"

/* basedir: where relative file names are; assume_size != 0: do not open
 * files, take that size for each (fuzzing). */
int rb_toc_parse(const char *name, const char *text, size_t len, const char *basedir,
                 uint64_t assume_size, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                 size_t errlen);

int rb_toc_load(const char *path, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                size_t errlen);
