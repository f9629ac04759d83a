/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: a Sony input sheet (.v07t) through the reader, then
 * whatever it read through the CD-Text encoder and decoder. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rawburn/cdtext.h"
#include "rawburn/v07t.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        rb_cdtext_t t = {0}, back = {0};
        unsigned block = 0;
        char err[512];

        if (rb_v07t_parse("fuzz.v07t", (const char *)data, size, 99, &t, &block, err, sizeof err) ==
            0) {
                uint8_t *packs;
                size_t n;
                char warn[1024];
                if (rb_cdtext_build(&t, 1, 99, NULL, &packs, &n, NULL, warn, sizeof warn, err,
                                    sizeof err) == 0) {
                        (void)rb_cdtext_parse(packs, n, &back, NULL);
                        free(packs);
                }
        }
        rb_cdtext_clear(&t);
        rb_cdtext_clear(&back);
        return 0;
}
