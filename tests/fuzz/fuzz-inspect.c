/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: arbitrary bytes as a raw image for the inspector.
 * Byte 0 picks the sector type and whether the Q CRCs are repaired first
 * (so that the fuzzer gets past the CRC into the decoders); bytes 1-2 pick
 * the first LBA, lead-in or program area. What it finds is printed (to
 * /dev/null) as `rawburnctl image inspect` prints it, text and JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect-report.h"
#include "rawburn/image-inspect.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"

/* rawburnctl's global options, which its output helpers read (output.h). */
bool arg_verbose, arg_json, arg_ask_password;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size < 3)
                return 0;
        rb_sector_type_t type = (data[0] & 1) ? RB_SECTOR_PQ_ONLY : RB_SECTOR_RAW;
        bool fix_crc = data[0] & 2;
        int32_t first = -22650 + (int32_t)((data[1] << 8 | data[2]) % 30000);
        size_t len = size - 3, ss = rb_sector_type_size(type);
        uint8_t *img = malloc(len ? len : 1);
        if (!img)
                return 0;
        memcpy(img, data + 3, len);
        for (size_t off = 0; fix_crc && off + ss <= len; off += ss) {
                uint8_t *sub = img + off + 2352, q[RB_Q_SIZE];
                if (type == RB_SECTOR_PQ_ONLY) {
                        rb_subq_set_crc(sub);
                } else {
                        rb_subchannel_get(sub, RB_CH_Q, q);
                        rb_subq_set_crc(q);
                        rb_subchannel_put(sub, RB_CH_Q, q);
                }
        }
        rb_inspect_t *in = malloc(sizeof *in);
        char err[256];
        if (in && rb_image_inspect_buffer(img, len, type, first, in, err, sizeof err) == 0) {
                FILE *null = fopen("/dev/null", "w");
                if (null) {
                        inspect_report_text(in, null);
                        inspect_report_json(in, null);
                        fclose(null);
                }
        }
        if (in)
                rb_inspect_free(in);
        free(in);
        free(img);
        return 0;
}
