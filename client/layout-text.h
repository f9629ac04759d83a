/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A finalized layout for people: sector type, image extent, every track with
 * its sources (offsets, byte order, padding), the lead-out, the write offset,
 * the TOC, the CD-Text blocks and their warnings. */

#include <stdio.h>

#include "rawburn/image-layout.h"

void layout_print(const rb_layout_t *l, FILE *f);
/* Warns on out about audio that reads far smoother with its bytes swapped
 * (the image is made as declared all the same: never a silent guess).
 * Returns how many tracks it warned about. */
int layout_warn_byte_order(const rb_layout_t *l, FILE *out);
