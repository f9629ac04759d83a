/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/crc.h"

uint16_t rb_crc16_ccitt(const uint8_t *data, size_t len)
{
        uint16_t crc = 0;

        /* Bitwise: Q CRCs cover 10 bytes, CD-Text packs 16, so a table buys nothing. */
        for (size_t i = 0; i < len; i++) {
                crc ^= (uint16_t)(data[i] << 8);
                for (int bit = 0; bit < 8; bit++)
                        crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
        }
        return crc;
}
