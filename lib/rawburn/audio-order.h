/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Spotting audio read in the wrong byte order (the commonest silent coaster:
 * white noise on every track). Music is smooth from sample to sample; the
 * same samples with their bytes swapped are not. So compare the energy of
 * sample-to-sample differences in the order the image will use and in the
 * other one. The creator only warns; it never swaps on its own.
 */

#include "rawburn/image-layout.h"

/*
 * Looks at up to 64 KiB from the middle of a track's first raw-file audio
 * segment (decoded files, WAV/FLAC/AIFF, carry their order in the header and
 * are not checked). Returns 1 when the other byte order is much smoother,
 * 0 when not or when there is nothing to judge (silence, no raw source), or
 * a negative errno. *ratio (may be NULL) is used/other difference energy.
 */
int rb_audio_order_suspect(const rb_layout_t *l, const rb_track_t *t, double *ratio);
