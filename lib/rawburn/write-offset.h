/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Write-offset correction. A drive with a write offset of +N samples (as
 * drive offset databases list it: EAC's "write samples offset") puts audio
 * N samples later on the disc than it was sent; so the image carries every
 * audio sample N samples earlier (later for a negative N), across sector
 * and track boundaries, and the drive puts it back where the sheet says.
 * Samples shifted in where there is no audio (before the first audio
 * sector, past the last, next to a data track) are silence; samples
 * shifted out there are dropped and counted when they are not silent.
 * Only the main channel of audio sectors moves: subchannel, R-W packs and
 * data sectors stay where they are.
 */

#include <stdbool.h>
#include <stdint.h>

#include "rawburn/scramble.h" /* RB_SECTOR_SIZE */

/* Two seconds either way: far beyond any drive's offset (a few thousand). */
#define RB_WRITE_OFFSET_MAX (150 * 588)

/* What travels with a sector unshifted: its 96 R-W pack bytes and a byte
 * of the caller's. */
#define RB_OFFSET_RW_BYTES 97

/* Produces the unshifted sector at lba (called once per LBA, in order):
 * main channel and the RB_OFFSET_RW_BYTES that go with it. */
typedef int (*rb_sector_source_fn)(void *ctx, int32_t lba, uint8_t main[RB_SECTOR_SIZE],
                                   uint8_t rw[RB_OFFSET_RW_BYTES]);
/* Whether the sector at lba is audio. */
typedef bool (*rb_sector_audio_fn)(void *ctx, int32_t lba);

typedef struct rb_offset_shifter rb_offset_shifter_t;

/* Sectors first..end-1 are shifted by offset samples (+: earlier). */
int rb_offset_shifter_new(int32_t offset, int32_t first, int32_t end, rb_sector_source_fn source,
                          rb_sector_audio_fn audio, void *ctx, rb_offset_shifter_t **ret);
/* The shifted sector at lba; lba must run first, first+1, … */
int rb_offset_shifter_get(rb_offset_shifter_t *s, int32_t lba, uint8_t main[RB_SECTOR_SIZE],
                          uint8_t rw[RB_OFFSET_RW_BYTES]);
/* Non-silent samples that fell off an end so far. */
uint64_t rb_offset_shifter_dropped(const rb_offset_shifter_t *s);
void rb_offset_shifter_free(rb_offset_shifter_t *s);
