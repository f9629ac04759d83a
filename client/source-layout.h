/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* SOURCE… as a disc layout, the same way for `image create` and `burn`: one
 * cue sheet, cdrdao TOC, CloneCD .ccd or FLAC with an embedded CUESHEET is
 * a whole disc; anything else is a list of files, one track each (audio
 * files libsndfile reads, .iso data tracks). */

#include <stddef.h>

#include "rawburn/image-layout.h"

/* True when one SOURCE of this name is a whole-disc description. */
bool source_is_sheet(const char *path);

/* Fills l (initialised by rb_layout_init(), not yet finalized). charset:
 * a cue sheet's character set or NULL to detect it. Warnings go to warn;
 * returns 0 or a negative errno with the reason in err. */
int layout_from_sources(rb_layout_t *l, char *const *paths, size_t n, const char *charset,
                        char *warn, size_t warnlen, char *err, size_t errlen);

/*
 * The Red Book's 4 s minimum per track (RB_MIN_TRACK_SECTORS), which `image
 * create` and `burn` enforce alike: players may skip or mis-seek a shorter
 * track. Without allow, short tracks are refused: -EINVAL with the reason in
 * err. With allow (--allow-short-tracks), they are kept and warning says
 * which they are, for the caller to print as its warnings go; warning stays
 * empty when every track is long enough.
 */
int layout_check_short_tracks(const rb_layout_t *l, bool allow, char *warning, size_t warnlen,
                              char *err, size_t errlen);
