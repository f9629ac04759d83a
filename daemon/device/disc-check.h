/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * After a burn: is the disc what the image said? The drive's READ TOC
 * (formats 0 and 2), its CD-Text (format 5) and READ DISC INFORMATION are
 * compared with the TOC and CD-Text packs the image's lead-in carried
 * (a burn is not a success until it reads back).
 * The comparisons are pure functions on reply bytes (unit-tested); the
 * commands run on the burn thread.
 */

#include <stddef.h>
#include <stdint.h>

#include "drive-error.h"
#include "stream-check.h"

/* Each returns 0 when the reply agrees, else -EBADMSG with what differs
 * (in words, for VerifyFailed) appended to diff. */
int disc_check_toc0(const uint8_t *reply, size_t len, const stream_leadin *want, char *diff,
                    size_t size);
int disc_check_toc2(const uint8_t *reply, size_t len, const stream_leadin *want, char *diff,
                    size_t size);
int disc_check_cdtext(const uint8_t *reply, size_t len, const uint8_t *packs, size_t count,
                      char *diff, size_t size);

/* Reads the disc back on fd and compares: 0, or e set (VerifyFailed for a
 * disc that differs, the device error for a command that failed). */
int disc_check(int fd, const stream_leadin *want, const uint8_t *cdtext, size_t cdtext_packs,
               drive_error *e);
