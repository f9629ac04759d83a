/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/subchannel.h"

#include <string.h>

#include "rawburn/crc.h"

/* Bit position of a channel inside a raw interleaved byte: P is bit 7, W bit 0. */
static unsigned channel_bit(enum rb_channel ch)
{
        return 7u - (unsigned)ch;
}

void rb_subchannel_get(const uint8_t raw[RB_SUBCHANNEL_SIZE], enum rb_channel ch,
                       uint8_t out[RB_CHANNEL_BYTES])
{
        unsigned bit = channel_bit(ch);

        for (int k = 0; k < RB_CHANNEL_BYTES; k++) {
                uint8_t v = 0;
                for (int i = 0; i < 8; i++)
                        v = (uint8_t)(v << 1 | ((raw[8 * k + i] >> bit) & 1));
                out[k] = v;
        }
}

void rb_subchannel_put(uint8_t raw[RB_SUBCHANNEL_SIZE], enum rb_channel ch,
                       const uint8_t in[RB_CHANNEL_BYTES])
{
        unsigned bit = channel_bit(ch);

        for (int k = 0; k < RB_CHANNEL_BYTES; k++)
                for (int i = 0; i < 8; i++) {
                        uint8_t *b = &raw[8 * k + i];
                        *b = (uint8_t)((*b & ~(1u << bit)) | (((in[k] >> (7 - i)) & 1u) << bit));
                }
}

void rb_subchannel_pack(const uint8_t raw[RB_SUBCHANNEL_SIZE], uint8_t packed[RB_SUBCHANNEL_SIZE])
{
        for (int ch = RB_CH_P; ch <= RB_CH_W; ch++)
                rb_subchannel_get(raw, (enum rb_channel)ch, packed + ch * RB_CHANNEL_BYTES);
}

void rb_subchannel_unpack(const uint8_t packed[RB_SUBCHANNEL_SIZE], uint8_t raw[RB_SUBCHANNEL_SIZE])
{
        memset(raw, 0, RB_SUBCHANNEL_SIZE);
        for (int ch = RB_CH_P; ch <= RB_CH_W; ch++)
                rb_subchannel_put(raw, (enum rb_channel)ch, packed + ch * RB_CHANNEL_BYTES);
}

bool rb_subchannel_get_p(const uint8_t raw[RB_SUBCHANNEL_SIZE])
{
        int set = 0;

        for (int i = 0; i < RB_SUBCHANNEL_SIZE; i++)
                set += raw[i] >> 7;
        return set > RB_SUBCHANNEL_SIZE / 2;
}

void rb_subchannel_set_p(uint8_t raw[RB_SUBCHANNEL_SIZE], bool p)
{
        for (int i = 0; i < RB_SUBCHANNEL_SIZE; i++)
                raw[i] = (uint8_t)((raw[i] & 0x7f) | (p ? 0x80 : 0));
}

void rb_subchannel_get_rw(const uint8_t raw[RB_SUBCHANNEL_SIZE], uint8_t symbols[96])
{
        for (int i = 0; i < RB_SUBCHANNEL_SIZE; i++)
                symbols[i] = raw[i] & 0x3f;
}

void rb_subchannel_put_rw(uint8_t raw[RB_SUBCHANNEL_SIZE], const uint8_t symbols[96])
{
        for (int i = 0; i < RB_SUBCHANNEL_SIZE; i++)
                raw[i] = (uint8_t)((raw[i] & 0xc0) | (symbols[i] & 0x3f));
}

void rb_pq16_build(const uint8_t q[RB_CHANNEL_BYTES], bool p, uint8_t out[RB_PQ16_SIZE])
{
        memcpy(out, q, RB_CHANNEL_BYTES);
        out[12] = out[13] = out[14] = 0;
        out[15] = p ? 0x80 : 0;
}

void rb_pq16_to_raw(const uint8_t pq[RB_PQ16_SIZE], uint8_t raw[RB_SUBCHANNEL_SIZE])
{
        memset(raw, 0, RB_SUBCHANNEL_SIZE);
        rb_subchannel_put(raw, RB_CH_Q, pq);
        rb_subchannel_set_p(raw, pq[15] & 0x80);
}

void rb_pq16_from_raw(const uint8_t raw[RB_SUBCHANNEL_SIZE], uint8_t pq[RB_PQ16_SIZE])
{
        uint8_t q[RB_CHANNEL_BYTES];

        rb_subchannel_get(raw, RB_CH_Q, q);
        rb_pq16_build(q, rb_subchannel_get_p(raw), pq);
}

void rb_cdtext_packs_to_rw(const uint8_t packs[RB_CDTEXT_PACKS_PER_SECTOR * RB_CDTEXT_PACK_SIZE],
                           uint8_t symbols[96])
{
        /* 72 bytes = 24 groups of 3 bytes; each group becomes 4 six-bit symbols. */
        for (int g = 0; g < 24; g++) {
                const uint8_t *b = packs + 3 * g;
                uint8_t *s = symbols + 4 * g;
                s[0] = b[0] >> 2;
                s[1] = (uint8_t)(((b[0] & 0x03) << 4) | (b[1] >> 4));
                s[2] = (uint8_t)(((b[1] & 0x0f) << 2) | (b[2] >> 6));
                s[3] = b[2] & 0x3f;
        }
}

void rb_cdtext_packs_from_rw(const uint8_t symbols[96],
                             uint8_t packs[RB_CDTEXT_PACKS_PER_SECTOR * RB_CDTEXT_PACK_SIZE])
{
        for (int g = 0; g < 24; g++) {
                const uint8_t *s = symbols + 4 * g;
                uint8_t *b = packs + 3 * g;
                b[0] = (uint8_t)(((s[0] & 0x3f) << 2) | ((s[1] >> 4) & 0x03));
                b[1] = (uint8_t)(((s[1] & 0x0f) << 4) | ((s[2] >> 2) & 0x0f));
                b[2] = (uint8_t)(((s[2] & 0x03) << 6) | (s[3] & 0x3f));
        }
}

bool rb_cdtext_pack_crc_ok(const uint8_t pack[RB_CDTEXT_PACK_SIZE])
{
        uint16_t crc = (uint16_t)~rb_crc16_ccitt(pack, 16);

        return pack[16] == (uint8_t)(crc >> 8) && pack[17] == (uint8_t)crc;
}

void rb_cdtext_pack_set_crc(uint8_t pack[RB_CDTEXT_PACK_SIZE])
{
        uint16_t crc = (uint16_t)~rb_crc16_ccitt(pack, 16);

        pack[16] = (uint8_t)(crc >> 8);
        pack[17] = (uint8_t)crc;
}
