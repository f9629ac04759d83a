/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Data sector encoding per ECMA-130 (Mode 0, Mode 1) and the CD-ROM XA
 * specification (Mode 2 Form 1 / Form 2): sync, header, EDC and the RSPC
 * P/Q parity. The host builds these in MMC RAW writing and then scrambles
 * them (rb_scramble_sector(), reference/mmc-raw.md §5).
 *
 * EDC is the 32-bit CRC with polynomial (x^16+x^15+x^2+1)(x^16+x^2+x+1),
 * least significant bit first, initial value 0, stored little-endian: the
 * "CRC-32/CD-ROM-EDC" of the CRC catalogue.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rawburn/scramble.h"

#define RB_MODE1_DATA_SIZE       2048
#define RB_MODE2_FORM1_DATA_SIZE 2048
#define RB_MODE2_FORM2_DATA_SIZE 2324
#define RB_MODE2_DATA_SIZE       2336 /* subheader ×2 + form data + EDC (+ ECC) */

/* Submode byte of the XA subheader: bit 5 selects Form 2. */
#define RB_XA_SUBMODE_FORM2 0x20
#define RB_XA_SUBMODE_DATA  0x08

uint32_t rb_edc_compute(const uint8_t *data, size_t len);

/* Computes the P then Q parity over bytes 12..2247 of the sector in place. */
void rb_ecc_compute(uint8_t sector[RB_SECTOR_SIZE]);
/* True when every P and Q codeword of the sector has a zero syndrome. */
bool rb_ecc_check(const uint8_t sector[RB_SECTOR_SIZE]);

/* Sync pattern and the BCD address header of absolute address lba (lead-in
 * LBAs give minutes 90..99). */
void rb_sector_header(uint8_t sector[RB_SECTOR_SIZE], int32_t lba, uint8_t mode);

/* Whole-sector encoders; the result is not scrambled. */
void rb_sector_encode_mode0(uint8_t sector[RB_SECTOR_SIZE], int32_t lba);
void rb_sector_encode_mode1(uint8_t sector[RB_SECTOR_SIZE], int32_t lba,
                            const uint8_t data[RB_MODE1_DATA_SIZE]);
/* Mode 2 from the 2336 bytes after the header: the subheader (8 bytes)
 * decides between Form 1 (EDC + ECC) and Form 2 (EDC only). */
void rb_sector_encode_mode2_xa(uint8_t sector[RB_SECTOR_SIZE], int32_t lba,
                               const uint8_t data[RB_MODE2_DATA_SIZE]);

typedef enum rb_sector_check {
        RB_SECTOR_OK,
        RB_SECTOR_EDC_BAD,
        RB_SECTOR_ECC_BAD,
        RB_SECTOR_NO_SYNC,
} rb_sector_check_t;

/* Checks an unscrambled data sector's EDC (and ECC where the mode has it). */
rb_sector_check_t rb_sector_verify(const uint8_t sector[RB_SECTOR_SIZE]);
