/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: FLAC metadata with a CUESHEET block through its reader,
 * the layout builder (the FLAC assumed to hold 10 MB, nothing opened) and
 * the layout checks. */
#include <stddef.h>
#include <stdint.h>

#include "rawburn/flac-cuesheet.h"
#include "rawburn/image-layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        rb_cue_sheet_t sheet;
        rb_layout_t l;
        char err[512], warn[1024] = "";

        if (rb_flac_cuesheet_parse("fuzz.flac", "fuzz.flac", data, size, &sheet, err, sizeof err) <
            0)
                return 0;
        rb_layout_init(&l);
        if (rb_cue_to_layout(&sheet, ".", 10u << 20, &l, warn, sizeof warn, err, sizeof err) == 0)
                (void)rb_layout_finalize(&l, err, sizeof err);
        rb_layout_free(&l);
        rb_cue_sheet_free(&sheet);
        return 0;
}
