/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * ECMA-130 Annex B scrambler: a 15-bit LFSR (x^15 + x + 1, seed 1, least
 * significant bit first) XORed over bytes 12..2351 of a data sector; the
 * 12-byte sync stays clear. In MMC RAW writing the host scrambles data
 * sectors itself (reference/mmc-raw.md §5.3); audio is never scrambled.
 * Scrambling twice restores the sector.
 */

#include <stdbool.h>
#include <stdint.h>

#define RB_SECTOR_SIZE 2352

void rb_scramble_sector(uint8_t sector[RB_SECTOR_SIZE]);

/* True when the sector starts with the data sync pattern 00 FF×10 00. */
bool rb_sector_has_sync(const uint8_t sector[RB_SECTOR_SIZE]);
