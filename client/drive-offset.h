/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A drive's write offset as rawburnctl applies it to the images it makes: for a drive
 * rawburnd serves, its WriteOffset property (which the quirks files give, docs/quirks.md);
 * for a model named on the command line (image create --drive-model), the quirks files
 * read here with librawburn's one parser (rawburn/drive-quirks.h).
 */

#include <stddef.h>
#include <stdint.h>

#include "burn-input.h"
#include "drive-list.h"
#include "rawburn/drive-quirks.h"
#include "rawburn/image-layout.h"

/* The file rawburnctl reads: $RAWBURN_QUIRKS or $RAWBURN_LOCAL_QUIRKS, else the built-in
 * path (what rawburnd reads unless told otherwise). */
const char *quirks_path(rb_quirks_origin_t origin);

/* Both files, the distribution's then the local one (local: NULL for quirks_path()). Bad
 * lines are warned about and skipped. Returns 0, or a negative errno with err set. */
int quirks_load_both(rb_quirks_t *q, const char *local, char *err, size_t errlen);

/* Whether rawburnd said the drive's write offset (an older one does not). */
bool drive_offset_known(const drive *d);

/* "+30 samples (distribution quirks file)", "none (no quirks file names this drive)",
 * "not known (rawburnd does not say)". */
char *drive_offset_text(const drive *d, char *buf, size_t size);

/* The same for the drive's read offset (ReadOffset), which image read and copy take out
 * of the audio they read. */
char *drive_read_offset_text(const drive *d, char *buf, size_t size);

/* The offset `burn` puts into the image it makes for drive d (d NULL: none known): the
 * drive's WriteOffset, unless the image is raw (burned as it is) or --no-write-offset.
 * Sets it on src's image creator (and lays the disc out again) when it applies one;
 * returns the source --json names, "none" when nothing was applied. */
const char *drive_offset_apply(const drive *d, bool disabled, burn_input *src);
