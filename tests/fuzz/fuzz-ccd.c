/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: a CloneCD .ccd through the parser and the layout checks
 * (.img and .sub assumed to hold 10 MB, nothing opened). */
#include <stddef.h>
#include <stdint.h>

#include "rawburn/ccd.h"
#include "rawburn/image-layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        rb_layout_t l;
        char err[512], warn[512] = "";

        rb_layout_init(&l);
        if (rb_ccd_parse("fuzz.ccd", (const char *)data, size, "fuzz.img", "fuzz.sub", 10u << 20,
                         &l, warn, sizeof warn, err, sizeof err) == 0)
                (void)rb_layout_finalize(&l, err, sizeof err);
        rb_layout_free(&l);
        return 0;
}
