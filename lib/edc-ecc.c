/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * EDC and RSPC (ECMA-130 Annex A). The 2064 bytes from the header on form
 * 1032 sixteen-bit words, whose high and low bytes make two independent
 * planes. P parity: 43 columns of 24 words (word 43*row + col), each closed
 * by two parity words so that the 26-symbol codeword V satisfies
 * sum V_i = 0 and sum alpha^(25-i) V_i = 0 in GF(2^8) mod x^8+x^4+x^3+x^2+1.
 * Q parity: 26 diagonals of 43 words (word (44*k + 43*d) mod 1118) over the
 * data and the P parity, closed the same way with alpha^(44-i).
 */
#include "rawburn/edc-ecc.h"

#include <pthread.h>
#include <string.h>

#include "rawburn/msf.h"

#define EDC_POLY_REFLECTED 0xD8018001u /* 0x8001801B, bit-reversed */

static uint32_t edc_table[4][256]; /* slice-by-4 */
static uint8_t gf_exp[512];
static uint8_t gf_log[256];
static uint8_t mul_alpha[256];        /* x -> alpha * x */
static uint8_t div_alpha_plus_1[256]; /* x -> x / (alpha + 1) */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static uint8_t gf_mul(uint8_t a, unsigned log_b)
{
        return a ? gf_exp[gf_log[a] + log_b] : 0;
}

static void tables_init(void)
{
        for (uint32_t i = 0; i < 256; i++) {
                uint32_t r = i;
                for (int b = 0; b < 8; b++)
                        r = (r & 1) ? (r >> 1) ^ EDC_POLY_REFLECTED : r >> 1;
                edc_table[0][i] = r;
        }
        for (uint32_t i = 0; i < 256; i++)
                for (int k = 1; k < 4; k++)
                        edc_table[k][i] =
                            (edc_table[k - 1][i] >> 8) ^ edc_table[0][edc_table[k - 1][i] & 0xFF];
        unsigned x = 1;
        for (int i = 0; i < 255; i++) {
                gf_exp[i] = (uint8_t)x;
                gf_log[x] = (uint8_t)i;
                x <<= 1;
                if (x & 0x100)
                        x ^= 0x11D;
        }
        for (int i = 255; i < 512; i++)
                gf_exp[i] = gf_exp[i - 255];
        unsigned inv_log = (255u - gf_log[3]) % 255u; /* alpha + 1 = 3 */
        for (int i = 0; i < 256; i++) {
                mul_alpha[i] = gf_mul((uint8_t)i, 1);
                div_alpha_plus_1[i] = gf_mul((uint8_t)i, inv_log);
        }
}

uint32_t rb_edc_compute(const uint8_t *data, size_t len)
{
        pthread_once(&tables_once, tables_init);
        uint32_t crc = 0;
        size_t i = 0;
        for (; i + 4 <= len; i += 4) {
                crc ^= (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
                       (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
                crc = edc_table[3][crc & 0xFF] ^ edc_table[2][(crc >> 8) & 0xFF] ^
                      edc_table[1][(crc >> 16) & 0xFF] ^ edc_table[0][crc >> 24];
        }
        for (; i < len; i++)
                crc = edc_table[0][(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return crc;
}

static void put_le32(uint8_t *p, uint32_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
        p[2] = (uint8_t)(v >> 16);
        p[3] = (uint8_t)(v >> 24);
}

/*
 * One RSPC vector of n words in one byte plane; the element i sits at byte
 * base[2 * word(i)]. The data syndromes S0 = sum d_i and, by Horner,
 * H = sum alpha^(n-3-i) d_i give S1 = alpha^2 H (the weights alpha^(n-1-i));
 * then p_(n-2) = (S0 + S1) / (alpha + 1) and p_(n-1) = S0 + p_(n-2).
 * Checking runs Horner over all n elements: the codeword is valid when both
 * sums are zero.
 */
#define P_ROW_BYTES 86 /* 43 words */
#define P_LANES     11 /* 86 bytes in 8-byte lanes, 2 bytes of padding */

/* alpha * x in each byte of x: shift left, reduce by x^8 = x^4+x^3+x^2+1. */
static inline uint64_t swar_mul_alpha(uint64_t x)
{
        uint64_t high = (x >> 7) & 0x0101010101010101ull;
        return ((x & 0x7F7F7F7F7F7F7F7Full) << 1) ^ (high * 0x1D);
}

static bool rspc(uint8_t sector[RB_SECTOR_SIZE], bool check_only)
{
        pthread_once(&tables_once, tables_init);
        uint8_t *base = sector + 12;
        bool ok = true;

        /* P: row r of every column is the 86 contiguous bytes 86r..86r+85
         * (both planes), so all 86 vectors advance together, 8 bytes at a
         * time (SWAR multiplication by alpha). */
        uint64_t ps0[P_LANES] = {0}, ph[P_LANES] = {0};
        size_t rows = check_only ? 26 : 24;
        for (size_t row = 0; row < rows; row++) {
                uint64_t v[P_LANES] = {0};
                memcpy(v, base + P_ROW_BYTES * row, P_ROW_BYTES);
                for (int i = 0; i < P_LANES; i++) {
                        ps0[i] ^= v[i];
                        ph[i] = swar_mul_alpha(ph[i]) ^ v[i];
                }
        }
        if (check_only) {
                for (int i = 0; i < P_LANES; i++)
                        ok &= !ps0[i] && !ph[i];
        } else {
                uint8_t bs0[P_LANES * 8], bs1[P_LANES * 8];
                for (int i = 0; i < P_LANES; i++)
                        ph[i] = swar_mul_alpha(swar_mul_alpha(ph[i]));
                memcpy(bs0, ps0, sizeof bs0);
                memcpy(bs1, ph, sizeof bs1);
                uint8_t *p0 = base + P_ROW_BYTES * 24, *p1 = base + P_ROW_BYTES * 25;
                for (size_t j = 0; j < P_ROW_BYTES; j++) {
                        p0[j] = div_alpha_plus_1[bs0[j] ^ bs1[j]];
                        p1[j] = bs0[j] ^ p0[j];
                }
        }
        for (int plane = 0; plane < 2; plane++) {
                uint8_t *b = base + plane;
                for (size_t diag = 0; diag < 26; diag++) {
                        uint8_t s0 = 0, h = 0;
                        size_t w = 43 * diag;
                        for (size_t k = 0; k < 43; k++) {
                                uint8_t v = b[2 * w];
                                s0 ^= v;
                                h = mul_alpha[h] ^ v;
                                w += 44;
                                if (w >= 1118)
                                        w -= 1118;
                        }
                        uint8_t *q0 = &b[2 * (1118 + diag)], *q1 = &b[2 * (1118 + 26 + diag)];
                        if (check_only) {
                                s0 ^= *q0 ^ *q1;
                                h = mul_alpha[mul_alpha[h] ^ *q0] ^ *q1;
                                ok &= !s0 && !h;
                                continue;
                        }
                        uint8_t s1 = mul_alpha[mul_alpha[h]];
                        uint8_t p0 = div_alpha_plus_1[s0 ^ s1];
                        *q0 = p0;
                        *q1 = s0 ^ p0;
                }
        }
        return ok;
}

void rb_ecc_compute(uint8_t sector[RB_SECTOR_SIZE])
{
        rspc(sector, false);
}

bool rb_ecc_check(const uint8_t sector[RB_SECTOR_SIZE])
{
        uint8_t copy[RB_SECTOR_SIZE];
        memcpy(copy, sector, sizeof copy);
        return rspc(copy, true);
}

void rb_sector_header(uint8_t sector[RB_SECTOR_SIZE], int32_t lba, uint8_t mode)
{
        static const uint8_t sync[12] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
        rb_msf_t msf = {0, 0, 0};

        memcpy(sector, sync, sizeof sync);
        (void)rb_lba_to_msf(lba, &msf);
        sector[12] = rb_bcd_encode(msf.m);
        sector[13] = rb_bcd_encode(msf.s);
        sector[14] = rb_bcd_encode(msf.f);
        sector[15] = mode;
}

void rb_sector_encode_mode0(uint8_t sector[RB_SECTOR_SIZE], int32_t lba)
{
        memset(sector, 0, RB_SECTOR_SIZE);
        rb_sector_header(sector, lba, 0);
}

void rb_sector_encode_mode1(uint8_t sector[RB_SECTOR_SIZE], int32_t lba,
                            const uint8_t data[RB_MODE1_DATA_SIZE])
{
        rb_sector_header(sector, lba, 1);
        memcpy(sector + 16, data, RB_MODE1_DATA_SIZE);
        put_le32(sector + 2064, rb_edc_compute(sector, 2064));
        memset(sector + 2068, 0, 8);
        rb_ecc_compute(sector);
}

void rb_sector_encode_mode2_xa(uint8_t sector[RB_SECTOR_SIZE], int32_t lba,
                               const uint8_t data[RB_MODE2_DATA_SIZE])
{
        rb_sector_header(sector, lba, 2);
        memcpy(sector + 16, data, RB_MODE2_DATA_SIZE);
        if (sector[18] & RB_XA_SUBMODE_FORM2) {
                put_le32(sector + 2348, rb_edc_compute(sector + 16, 2332));
                return;
        }
        put_le32(sector + 2072, rb_edc_compute(sector + 16, 2056));
        /* Form 1 parity is computed as if the header were zero (XA spec). */
        uint8_t header[4];
        memcpy(header, sector + 12, 4);
        memset(sector + 12, 0, 4);
        rb_ecc_compute(sector);
        memcpy(sector + 12, header, 4);
}

static uint32_t get_le32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

rb_sector_check_t rb_sector_verify(const uint8_t sector[RB_SECTOR_SIZE])
{
        if (!rb_sector_has_sync(sector))
                return RB_SECTOR_NO_SYNC;
        switch (sector[15]) {
        case 1:
                if (rb_edc_compute(sector, 2064) != get_le32(sector + 2064))
                        return RB_SECTOR_EDC_BAD;
                return rb_ecc_check(sector) ? RB_SECTOR_OK : RB_SECTOR_ECC_BAD;
        case 2: {
                if (sector[18] & RB_XA_SUBMODE_FORM2) {
                        uint32_t edc = get_le32(sector + 2348);
                        /* Form 2 EDC is optional: zero means "not computed". */
                        if (edc && edc != rb_edc_compute(sector + 16, 2332))
                                return RB_SECTOR_EDC_BAD;
                        return RB_SECTOR_OK;
                }
                if (rb_edc_compute(sector + 16, 2056) != get_le32(sector + 2072))
                        return RB_SECTOR_EDC_BAD;
                uint8_t copy[RB_SECTOR_SIZE];
                memcpy(copy, sector, sizeof copy);
                memset(copy + 12, 0, 4);
                return rb_ecc_check(copy) ? RB_SECTOR_OK : RB_SECTOR_ECC_BAD;
        }
        default:
                return RB_SECTOR_OK;
        }
}
