/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/cdtext-collect.h"

#include <stdlib.h>
#include <string.h>

void rb_cdtext_collector_init(rb_cdtext_collector_t *c)
{
        memset(c->seen, 0, sizeof c->seen);
        c->count = 0;
        c->crc_errors = 0;
}

void rb_cdtext_collector_add_sector(rb_cdtext_collector_t *c, const uint8_t sub[RB_SUBCHANNEL_SIZE])
{
        uint8_t symbols[96], packs[RB_CDTEXT_PACKS_PER_SECTOR * RB_CDTEXT_PACK_SIZE];

        rb_subchannel_get_rw(sub, symbols);
        rb_cdtext_packs_from_rw(symbols, packs);
        for (int i = 0; i < RB_CDTEXT_PACKS_PER_SECTOR; i++) {
                const uint8_t *pack = packs + i * RB_CDTEXT_PACK_SIZE;
                unsigned block = (pack[3] >> 4) & 7, seq = pack[2];

                if (pack[0] < 0x80 || pack[0] > 0x8f)
                        continue;
                if (!rb_cdtext_pack_crc_ok(pack)) {
                        c->crc_errors++;
                        continue;
                }
                if (c->seen[block][seq])
                        continue;
                c->seen[block][seq] = true;
                memcpy(c->packs[block][seq], pack, RB_CDTEXT_PACK_SIZE);
                c->count++;
        }
}

uint8_t *rb_cdtext_collector_list(const rb_cdtext_collector_t *c, size_t *count)
{
        uint8_t *list;
        size_t n = 0;

        *count = c->count;
        if (c->count == 0)
                return NULL;
        list = malloc(c->count * RB_CDTEXT_PACK_SIZE);
        if (!list)
                return NULL;
        for (unsigned b = 0; b < 8; b++)
                for (unsigned q = 0; q < 256; q++)
                        if (c->seen[b][q])
                                memcpy(list + RB_CDTEXT_PACK_SIZE * n++, c->packs[b][q],
                                       RB_CDTEXT_PACK_SIZE);
        return list;
}
