/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: a binary CD-Text file (cdtext.dat) through the file
 * reader, the pack checker and decoder, and the text back into packs. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rawburn/cdtext-file.h"
#include "rawburn/cdtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        rb_cdtext_t t = {0};
        uint8_t *packs = NULL, *again = NULL;
        size_t n = 0, m = 0;
        char err[512], warn[1024];

        /* Packs as they are, bad CRCs and all, and through the file reader. */
        if (size >= 18)
                (void)rb_cdtext_parse(data, size / 18, &t, NULL);
        (void)rb_cdtext_check(data, size / 18, warn, sizeof warn);
        rb_cdtext_clear(&t);
        if (rb_cdtext_file_parse("fuzz.dat", data, size, &packs, &n, err, sizeof err) == 0 &&
            rb_cdtext_parse(packs, n, &t, NULL) == 0 &&
            rb_cdtext_build(&t, 1, 99, NULL, &again, &m, NULL, warn, sizeof warn, err,
                            sizeof err) == 0)
                free(again);
        free(packs);
        rb_cdtext_clear(&t);
        return 0;
}
