/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The freedb (CDDB) disc ID that rippers write into cue sheets as
 * "REM DISCID 8A0B6F0C": a checksum of the tracks' start seconds, the
 * playing time and the track count. Computed from a layout's placement, it
 * checks that a sheet was read with the layout its ripper saw.
 */

#include <stdint.h>

#include "rawburn/image-layout.h"

/* From the tracks' pauses and lengths (rb_layout_finalize() not needed). */
uint32_t rb_freedb_discid(const rb_layout_t *l);
