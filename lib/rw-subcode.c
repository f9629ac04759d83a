/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Program-area R-W packs: Reed-Solomon parity over GF(64) and the
 * swap + convolutional interleave of IEC 60908 (see rw-subcode.h for the
 * layout and the sources).
 */
#include "rawburn/rw-subcode.h"

#include <string.h>

#define GF64_POLY 0x43 /* x^6 + x + 1 */
#define ALPHA     0x02 /* the primitive element x */

uint8_t rb_gf64_mul(uint8_t a, uint8_t b)
{
        unsigned p = 0;
        for (unsigned i = 0; i < 6; i++)
                if (a & (1u << i))
                        p ^= (unsigned)b << i;
        for (unsigned i = 11; i >= 6; i--)
                if (p & (1u << i))
                        p ^= (unsigned)GF64_POLY << (i - 6);
        return (uint8_t)(p & 0x3f);
}

/*
 * Systematic RS encoding: the codeword, read as a polynomial with its first
 * symbol as the highest power, must vanish at alpha^0 .. alpha^(nparity-1).
 * The parity is the remainder of message(x) * x^nparity divided by the
 * generator g(x) = prod (x - alpha^k), computed by the usual division LFSR.
 */
static void rs_parity(const uint8_t *msg, size_t nmsg, uint8_t *parity, size_t nparity)
{
        uint8_t g[5] = {1}; /* g[0] is the coefficient of x^nparity */
        uint8_t root = 1;
        for (size_t k = 0; k < nparity; k++) {
                /* g(x) *= (x + root): shift and add root * g */
                for (size_t i = k + 1; i > 0; i--)
                        g[i] ^= rb_gf64_mul(g[i - 1], root);
                root = rb_gf64_mul(root, ALPHA);
        }
        uint8_t rem[4] = {0};
        for (size_t i = 0; i < nmsg; i++) {
                uint8_t feedback = (msg[i] & 0x3f) ^ rem[0];
                for (size_t j = 0; j + 1 < nparity; j++)
                        rem[j] = rem[j + 1] ^ rb_gf64_mul(feedback, g[j + 1]);
                rem[nparity - 1] = rb_gf64_mul(feedback, g[nparity]);
        }
        memcpy(parity, rem, nparity);
}

/* Syndromes: the codeword polynomial at alpha^0 .. alpha^(n-1), all zero
 * for a valid codeword. */
static bool rs_check(const uint8_t *word, size_t len, size_t nparity)
{
        uint8_t root = 1;
        for (size_t k = 0; k < nparity; k++) {
                uint8_t s = 0;
                for (size_t i = 0; i < len; i++) /* Horner */
                        s = rb_gf64_mul(s, root) ^ (word[i] & 0x3f);
                if (s)
                        return false;
                root = rb_gf64_mul(root, ALPHA);
        }
        return true;
}

void rb_rw_pack_set_parity(uint8_t pack[RB_RW_PACK_SYMBOLS])
{
        for (unsigned i = 0; i < RB_RW_PACK_SYMBOLS; i++)
                pack[i] &= 0x3f;
        rs_parity(pack, 2, pack + 2, 2);
        rs_parity(pack, 20, pack + 20, 4);
}

bool rb_rw_pack_q_ok(const uint8_t pack[RB_RW_PACK_SYMBOLS])
{
        return rs_check(pack, 4, 2);
}

bool rb_rw_pack_p_ok(const uint8_t pack[RB_RW_PACK_SYMBOLS])
{
        return rs_check(pack, RB_RW_PACK_SYMBOLS, 4);
}

/* The swap is its own inverse: 1<->18, 2<->5, 3<->23. */
static unsigned swap_column(unsigned col)
{
        switch (col) {
        case 1:
                return 18;
        case 18:
                return 1;
        case 2:
                return 5;
        case 5:
                return 2;
        case 3:
                return 23;
        case 23:
                return 3;
        default:
                return col;
        }
}

size_t rb_rw_interleaved_offset(size_t pack, unsigned col)
{
        unsigned c = swap_column(col);
        return (pack + (c & 7)) * RB_RW_PACK_SYMBOLS + c;
}

void rb_rw_encoder_init(rb_rw_encoder_t *e)
{
        memset(e, 0, sizeof *e);
}

void rb_rw_encode_sector(rb_rw_encoder_t *e, const uint8_t packs[RB_RW_SECTOR_SYMBOLS],
                         bool add_parity, uint8_t symbols[RB_RW_SECTOR_SYMBOLS])
{
        /* history[0..6]: the 7 packs before this sector; [7..10]: this sector. */
        for (unsigned j = 0; j < RB_RW_PACKS_PER_SECTOR; j++) {
                uint8_t *p = e->history[RB_RW_MAX_DELAY + j];
                for (unsigned i = 0; i < RB_RW_PACK_SYMBOLS; i++)
                        p[i] = packs[j * RB_RW_PACK_SYMBOLS + i] & 0x3f;
                if (add_parity)
                        rb_rw_pack_set_parity(p);
        }
        /* Raw column c of pack j holds logical column swap(c) of the pack
         * (c & 7) packs earlier. */
        for (unsigned j = 0; j < RB_RW_PACKS_PER_SECTOR; j++)
                for (unsigned c = 0; c < RB_RW_PACK_SYMBOLS; c++)
                        symbols[j * RB_RW_PACK_SYMBOLS + c] =
                            e->history[RB_RW_MAX_DELAY + j - (c & 7)][swap_column(c)];
        memmove(e->history[0], e->history[RB_RW_PACKS_PER_SECTOR],
                RB_RW_MAX_DELAY * RB_RW_PACK_SYMBOLS);
}

void rb_rw_decoder_init(rb_rw_decoder_t *d)
{
        memset(d, 0, sizeof *d);
}

bool rb_rw_decode_sector(rb_rw_decoder_t *d, const uint8_t symbols[RB_RW_SECTOR_SYMBOLS],
                         uint8_t packs[RB_RW_SECTOR_SYMBOLS])
{
        /* window[0] is the sector whose packs come out: all their symbols
         * lie within the next 7 packs, i.e. in window[0..2]. */
        memmove(d->window[0], d->window[1], RB_RW_DECODE_LAG_SECTORS * RB_RW_SECTOR_SYMBOLS);
        for (unsigned i = 0; i < RB_RW_SECTOR_SYMBOLS; i++)
                d->window[RB_RW_DECODE_LAG_SECTORS][i] = symbols[i] & 0x3f;
        const uint8_t *w = d->window[0];
        for (unsigned j = 0; j < RB_RW_PACKS_PER_SECTOR; j++)
                for (unsigned col = 0; col < RB_RW_PACK_SYMBOLS; col++)
                        packs[j * RB_RW_PACK_SYMBOLS + col] = w[rb_rw_interleaved_offset(j, col)];
        if (d->fed < RB_RW_DECODE_LAG_SECTORS) {
                d->fed++;
                return false;
        }
        return true;
}
