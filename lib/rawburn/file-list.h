/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A disc from a plain list of files, one track each, in order: audio files
 * libsndfile reads (WAV, FLAC, AIFF, 44.1 kHz 16-bit stereo) become audio
 * tracks played gaplessly (no silence added between them); an ".iso" file
 * (2048-byte sectors) becomes a Mode 1 data track. A track whose mode
 * differs from the previous one gets a 150-sector pause, as the Red Book
 * and Yellow Book require at an audio/data change.
 */

#include <stddef.h>

#include "rawburn/image-layout.h"

int rb_layout_from_files(rb_layout_t *l, const char *const *paths, size_t count, char *warn,
                         size_t warnlen, char *err, size_t errlen);
