/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The P-W subchannel of one sector in its three host forms (MMC Write
 * Parameters page, Data Block Type):
 *
 *  - raw interleaved, 96 bytes (DBT 3, and DBT 2 with R-W de-interleaved):
 *    byte n carries bit n of every channel, P in bit 7, Q in bit 6, R..W in
 *    bits 5..0. Q byte k occupies bytes 8k..8k+7, most significant bit first.
 *  - packed / channel-sequential, 96 bytes: 12 bytes of P, then 12 of Q, then
 *    R, S, T, U, V, W.
 *  - PQ16 (DBT 1, 2368-byte blocks): 12 bytes of Q, three zero bytes, and
 *    byte 15 whose bit 7 is P. The drive generates R-W as zero.
 */

#include <stdbool.h>
#include <stdint.h>

#define RB_SUBCHANNEL_SIZE 96
#define RB_PQ16_SIZE 16
#define RB_CHANNEL_BYTES 12

/* Channel numbers, also the byte index of the channel in the packed form / 12. */
enum rb_channel { RB_CH_P, RB_CH_Q, RB_CH_R, RB_CH_S, RB_CH_T, RB_CH_U, RB_CH_V, RB_CH_W };

/* Raw interleaved to channel-sequential and back. */
void rb_subchannel_pack(const uint8_t raw[RB_SUBCHANNEL_SIZE], uint8_t packed[RB_SUBCHANNEL_SIZE]);
void rb_subchannel_unpack(const uint8_t packed[RB_SUBCHANNEL_SIZE],
                          uint8_t raw[RB_SUBCHANNEL_SIZE]);

/* One channel (12 bytes) out of, or into, the raw interleaved form. */
void rb_subchannel_get(const uint8_t raw[RB_SUBCHANNEL_SIZE], enum rb_channel ch,
                       uint8_t out[RB_CHANNEL_BYTES]);
void rb_subchannel_put(uint8_t raw[RB_SUBCHANNEL_SIZE], enum rb_channel ch,
                       const uint8_t in[RB_CHANNEL_BYTES]);

/* P is one flag per sector: set when most of its 96 bits are set. */
bool rb_subchannel_get_p(const uint8_t raw[RB_SUBCHANNEL_SIZE]);
void rb_subchannel_set_p(uint8_t raw[RB_SUBCHANNEL_SIZE], bool p);

/* The 96 six-bit R-W symbols (bits 5..0 of each raw byte). */
void rb_subchannel_get_rw(const uint8_t raw[RB_SUBCHANNEL_SIZE], uint8_t symbols[96]);
void rb_subchannel_put_rw(uint8_t raw[RB_SUBCHANNEL_SIZE], const uint8_t symbols[96]);

/* PQ16 ⇄ raw interleaved (R-W zero). */
void rb_pq16_build(const uint8_t q[RB_CHANNEL_BYTES], bool p, uint8_t out[RB_PQ16_SIZE]);
void rb_pq16_to_raw(const uint8_t pq[RB_PQ16_SIZE], uint8_t raw[RB_SUBCHANNEL_SIZE]);
void rb_pq16_from_raw(const uint8_t raw[RB_SUBCHANNEL_SIZE], uint8_t pq[RB_PQ16_SIZE]);

/*
 * CD-Text in the lead-in: four 18-byte packs per sector, every 3 bytes
 * spread over 4 six-bit R-W symbols, most significant first, with neither
 * interleave nor Reed-Solomon parity (MMC Annex J; libburn doc/cookbook.txt).
 */
#define RB_CDTEXT_PACK_SIZE 18
#define RB_CDTEXT_PACKS_PER_SECTOR 4
void rb_cdtext_packs_to_rw(const uint8_t packs[RB_CDTEXT_PACKS_PER_SECTOR * RB_CDTEXT_PACK_SIZE],
                           uint8_t symbols[96]);
void rb_cdtext_packs_from_rw(const uint8_t symbols[96],
                             uint8_t packs[RB_CDTEXT_PACKS_PER_SECTOR * RB_CDTEXT_PACK_SIZE]);
/* True when bytes 16-17 of a pack hold the inverted CRC-16 of bytes 0-15. */
bool rb_cdtext_pack_crc_ok(const uint8_t pack[RB_CDTEXT_PACK_SIZE]);
void rb_cdtext_pack_set_crc(uint8_t pack[RB_CDTEXT_PACK_SIZE]);
