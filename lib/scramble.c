/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/scramble.h"

#include <pthread.h>
#include <string.h>

static uint8_t scramble_table[RB_SECTOR_SIZE - 12];
static pthread_once_t scramble_once = PTHREAD_ONCE_INIT;

static void scramble_table_init(void)
{
        uint16_t reg = 1;

        for (size_t i = 0; i < sizeof scramble_table; i++) {
                uint8_t byte = 0;
                for (int bit = 0; bit < 8; bit++) {
                        /* Output the register's low bit, feed back x^15 + x + 1. */
                        byte |= (uint8_t)((reg & 1) << bit);
                        uint16_t feedback = (uint16_t)((reg ^ (reg >> 1)) & 1);
                        reg = (uint16_t)((reg >> 1) | (feedback << 14));
                }
                scramble_table[i] = byte;
        }
}

void rb_scramble_sector(uint8_t sector[RB_SECTOR_SIZE])
{
        pthread_once(&scramble_once, scramble_table_init);
        for (size_t i = 0; i < sizeof scramble_table; i++)
                sector[12 + i] ^= scramble_table[i];
}

bool rb_sector_has_sync(const uint8_t sector[RB_SECTOR_SIZE])
{
        static const uint8_t sync[12] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0xff, 0x00};

        return memcmp(sector, sync, sizeof sync) == 0;
}
