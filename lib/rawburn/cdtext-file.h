/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Binary CD-Text files: the packs as READ TOC/PMA/ATIP format 5 returns
 * them, as `wodim -vv -toc` and `cdrskin -vv -toc` save them (cdtext.dat)
 * and cdrskin's textfile= and cue CDTEXTFILE read them: an optional 4-byte
 * header (big-endian data length = file size - 2, then two zero bytes),
 * then 18-byte packs; without the header a trailing NUL byte (Sony's files)
 * is ignored. CRCs that are all zero are computed (as cdrskin does); any
 * other wrong CRC is an error.
 */

#include <stddef.h>
#include <stdint.h>

/* Parses a file's bytes (name for messages). *packs (malloc'd) and *count.
 * Returns 0 or -EINVAL/-ENOMEM with the reason in err. */
int rb_cdtext_file_parse(const char *name, const uint8_t *data, size_t len, uint8_t **packs,
                         size_t *count, char *err, size_t errlen);

int rb_cdtext_file_load(const char *path, uint8_t **packs, size_t *count, char *err, size_t errlen);

/* Writes packs as cdtext.dat (with the 4-byte header). 0 or a negative errno. */
int rb_cdtext_file_save(const char *path, const uint8_t *packs, size_t count, char *err,
                        size_t errlen);
