/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Sends SCSI commands with SG_IO, as the burning tools do, for the tests of
 * drivesim's ioctl surface. */

#include <scsi/sg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sg_result {
        int ret;    /* ioctl() result */
        int errno_; /* errno when ret < 0 */
        sg_io_hdr_t hdr;
        uint8_t sense[32];
} sg_result;

/* dir: SG_DXFER_NONE, SG_DXFER_TO_DEV or SG_DXFER_FROM_DEV. */
sg_result sg_send(int fd, const uint8_t *cdb, size_t cdb_len, int dir, void *data, size_t len,
                  unsigned char mx_sb_len, unsigned timeout_ms);
