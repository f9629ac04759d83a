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

static uint32_t edc_table[256];
static uint8_t gf_exp[512];
static uint8_t gf_log[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void)
{
        for (uint32_t i = 0; i < 256; i++) {
                uint32_t r = i;
                for (int b = 0; b < 8; b++)
                        r = (r & 1) ? (r >> 1) ^ EDC_POLY_REFLECTED : r >> 1;
                edc_table[i] = r;
        }
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
}

static uint8_t gf_mul(uint8_t a, unsigned log_b)
{
        return a ? gf_exp[gf_log[a] + log_b] : 0;
}

uint32_t rb_edc_compute(const uint8_t *data, size_t len)
{
        pthread_once(&tables_once, tables_init);
        uint32_t crc = 0;
        for (size_t i = 0; i < len; i++)
                crc = edc_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return crc;
}

static void put_le32(uint8_t *p, uint32_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
        p[2] = (uint8_t)(v >> 16);
        p[3] = (uint8_t)(v >> 24);
}

/* log_alpha(1 / (alpha + 1)): both parity formulas divide by alpha + 1 = 3. */
static unsigned inv_alpha_plus_one_log(void)
{
        return (255u - gf_log[3]) % 255u;
}

/*
 * One RSPC vector of n = data + 2 words in one byte plane. word(i) gives the
 * byte offset of the i-th element (from sector byte 12). The two syndromes
 * of the data part, S0 = sum d_i and S1 = sum alpha^(n-1-i) d_i, fix the
 * parity: p_(n-2) = (S0 + S1) / (alpha + 1), p_(n-1) = S0 + p_(n-2).
 */
static void rspc_vector(uint8_t *base, const size_t *offsets, size_t n, bool check_only,
                        bool *ok)
{
        uint8_t s0 = 0, s1 = 0;
        size_t data = check_only ? n : n - 2;
        for (size_t i = 0; i < data; i++) {
                uint8_t v = base[offsets[i]];
                s0 ^= v;
                s1 ^= gf_mul(v, (unsigned)(n - 1 - i));
        }
        if (check_only) {
                if (s0 || s1)
                        *ok = false;
                return;
        }
        uint8_t p0 = gf_mul((uint8_t)(s0 ^ s1), inv_alpha_plus_one_log());
        base[offsets[n - 2]] = p0;
        base[offsets[n - 1]] = (uint8_t)(s0 ^ p0);
}

static bool rspc(uint8_t sector[RB_SECTOR_SIZE], bool check_only)
{
        pthread_once(&tables_once, tables_init);
        uint8_t *base = sector + 12;
        size_t offsets[45];
        bool ok = true;

        for (int plane = 0; plane < 2; plane++) {
                for (size_t col = 0; col < 43; col++) {
                        for (size_t row = 0; row < 26; row++)
                                offsets[row] = 2 * (43 * row + col) + (size_t)plane;
                        rspc_vector(base, offsets, 26, check_only, &ok);
                }
        }
        for (int plane = 0; plane < 2; plane++) {
                for (size_t diag = 0; diag < 26; diag++) {
                        for (size_t k = 0; k < 43; k++)
                                offsets[k] = 2 * ((44 * k + 43 * diag) % 1118) + (size_t)plane;
                        offsets[43] = 2 * (1118 + diag) + (size_t)plane;
                        offsets[44] = 2 * (1118 + 26 + diag) + (size_t)plane;
                        rspc_vector(base, offsets, 45, check_only, &ok);
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
