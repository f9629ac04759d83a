/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Program-area R-W subcode (CD+G and the other "pack" modes of IEC 60908):
 * each sector's 96 six-bit R-W symbols hold 4 packs of 24 symbols.
 *
 * Logical pack (as a .cdg file stores it, one byte per symbol, low 6 bits):
 *   symbol 0      mode (bits 5-3) and item (bits 2-0); CD+G = mode 1 item 1
 *   symbol 1      instruction
 *   symbols 2-3   Q-parity, RS(4,2) over symbols 0-1
 *   symbols 4-19  data
 *   symbols 20-23 P-parity, RS(24,20) over symbols 0-19
 * both over GF(64) with x^6 + x + 1, parity-check matrices (Red Book)
 *   Hq = [1 1 1 1; a^3 a^2 a 1]
 *   Hp = [a^(k*(23-i))], k = 0..3, i = 0..23.
 *
 * On disc ("raw", data block type 3) the packs are interleaved: symbols
 * 1<->18, 2<->5 and 3<->23 trade places, then the symbol in column c is
 * delayed by (c & 7) packs (mmc-raw.md §4.5, after redumper
 * cd/subcode_rw.ixx). A pack therefore spreads over up to 8 packs, i.e.
 * into the next two sectors, so both directions are streams with state.
 * In "cooked" form (data block type 2) the host sends logical packs and the
 * drive adds parity and interleave itself.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RB_RW_PACK_SYMBOLS     24
#define RB_RW_PACKS_PER_SECTOR 4
#define RB_RW_SECTOR_SYMBOLS   (RB_RW_PACK_SYMBOLS * RB_RW_PACKS_PER_SECTOR)
/* The longest delay in packs, and the decoder's latency in sectors. */
#define RB_RW_MAX_DELAY          7
#define RB_RW_DECODE_LAG_SECTORS 2

#define RB_RW_MODE_ZERO 0x00
#define RB_RW_MODE_CDG  0x09 /* mode 1 (graphics), item 1 (TV graphics) */

/* Multiplication in GF(64) with x^6 + x + 1 (exposed for tests). */
uint8_t rb_gf64_mul(uint8_t a, uint8_t b);

/* Fills symbols 2-3 and 20-23 of a logical pack from symbols 0-1 and 4-19. */
void rb_rw_pack_set_parity(uint8_t pack[RB_RW_PACK_SYMBOLS]);
/* True when Q-parity and P-parity of a logical pack check. */
bool rb_rw_pack_q_ok(const uint8_t pack[RB_RW_PACK_SYMBOLS]);
bool rb_rw_pack_p_ok(const uint8_t pack[RB_RW_PACK_SYMBOLS]);

/* Where symbol `col` of logical pack n lands in the interleaved stream,
 * counted in symbols from the stream's first pack. */
size_t rb_rw_interleaved_offset(size_t pack, unsigned col);

/*
 * Encoder: logical packs (parity already set, or set with `add_parity`) of
 * consecutive sectors in, raw interleaved symbols out. Starts with 7 packs
 * of zeros behind it (a zero pack is a valid codeword, so silence around a
 * CD+G track stays zero).
 */
typedef struct rb_rw_encoder {
        uint8_t history[RB_RW_MAX_DELAY + RB_RW_PACKS_PER_SECTOR][RB_RW_PACK_SYMBOLS];
} rb_rw_encoder_t;

void rb_rw_encoder_init(rb_rw_encoder_t *e);
void rb_rw_encode_sector(rb_rw_encoder_t *e, const uint8_t packs[RB_RW_SECTOR_SYMBOLS],
                         bool add_parity, uint8_t symbols[RB_RW_SECTOR_SYMBOLS]);

/*
 * Decoder: raw symbols of consecutive sectors in; the logical packs of the
 * sector fed RB_RW_DECODE_LAG_SECTORS calls earlier out (the first two
 * calls give the packs of the sectors "before the stream", all zero unless
 * the stream starts mid-CD+G). Returns true when packs were produced.
 */
typedef struct rb_rw_decoder {
        uint8_t window[RB_RW_DECODE_LAG_SECTORS + 1][RB_RW_SECTOR_SYMBOLS];
        unsigned fed;
} rb_rw_decoder_t;

void rb_rw_decoder_init(rb_rw_decoder_t *d);
bool rb_rw_decode_sector(rb_rw_decoder_t *d, const uint8_t symbols[RB_RW_SECTOR_SYMBOLS],
                         uint8_t packs[RB_RW_SECTOR_SYMBOLS]);
