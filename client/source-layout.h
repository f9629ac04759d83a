/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What `image create` and `burn` check alike in the disc their SOURCE… made
 * (loaded by librawburn's image creator, rb_raw_image_creator_load()). */

#include <stdbool.h>
#include <stddef.h>

#include "rawburn/image-layout.h"

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
