/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * CRC-16/CCITT as the Q subchannel and CD-Text packs use it: polynomial
 * x^16 + x^12 + x^5 + 1 (0x1021), initial value 0, no reflection. Both store
 * the one's complement of this value, high byte first.
 */
uint16_t rb_crc16_ccitt(const uint8_t *data, size_t len);
