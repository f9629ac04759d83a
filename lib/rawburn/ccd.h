/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * CloneCD images: NAME.ccd (an INI file: [Disc], [Entry N] TOC points,
 * [TRACK N] modes and indexes), NAME.img (2352-byte sectors from LBA 0 to the
 * lead-out) and NAME.sub (96 channel-sequential subchannel bytes per sector,
 * P, Q, R…W). The program area's main channel and subchannel are burned as
 * given — data sectors are scrambled (the .img holds them descrambled, as a
 * drive reads them) but never re-encoded; the lead-in TOC comes from the
 * tracks, the pause of track 1 and the lead-out are generated.
 */

#include <stddef.h>

#include "rawburn/image-layout.h"

/* Parses .ccd text (name for messages) into a layout whose files are
 * img_path and sub_path (sub_path may be NULL: subchannel generated).
 * assume_size != 0: do not open the files, take that size for both. */
int rb_ccd_parse(const char *name, const char *text, size_t len, const char *img_path,
                 const char *sub_path, uint64_t assume_size, rb_layout_t *l, char *warn,
                 size_t warnlen, char *err, size_t errlen);

/* NAME.ccd with NAME.img and, when it exists, NAME.sub beside it. */
int rb_ccd_load(const char *path, rb_layout_t *l, char *warn, size_t warnlen, char *err,
                size_t errlen);
