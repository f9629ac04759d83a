/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sgio.h"

#include <errno.h>
#include <scsi/sg.h>
#include <string.h>
#include <sys/ioctl.h>

#define SG_DID_TIME_OUT           0x03 /* host_status, include/scsi/scsi_status.h */
#define SG_CHECK_CONDITION_STATUS 0x02

int sgio_exec(int fd, const uint8_t *cdb, size_t cdb_len, sgio_dir dir, void *buf, size_t len,
              unsigned timeout_ms, sgio_result *res)
{
        uint8_t sense[32] = {0};
        sg_io_hdr_t hdr = {
            .interface_id = 'S',
            .cmd_len = (unsigned char)cdb_len,
            .cmdp = (unsigned char *)cdb,
            .mx_sb_len = sizeof sense,
            .sbp = sense,
            .dxfer_len = (unsigned)len,
            .dxferp = buf,
            .timeout = timeout_ms,
        };

        memset(res, 0, sizeof *res);
        switch (dir) {
        case SGIO_NONE:
                hdr.dxfer_direction = SG_DXFER_NONE;
                hdr.dxfer_len = 0;
                hdr.dxferp = NULL;
                break;
        case SGIO_FROM_DEVICE:
                hdr.dxfer_direction = SG_DXFER_FROM_DEV;
                break;
        case SGIO_TO_DEVICE:
                hdr.dxfer_direction = SG_DXFER_TO_DEV;
                break;
        }

        if (ioctl(fd, SG_IO, &hdr) < 0)
                return -errno;

        if (hdr.resid >= 0 && (size_t)hdr.resid <= hdr.dxfer_len)
                res->transferred = hdr.dxfer_len - (size_t)hdr.resid;
        if (hdr.host_status == SG_DID_TIME_OUT)
                return -ETIMEDOUT;
        if (hdr.status == SG_CHECK_CONDITION_STATUS || hdr.sb_len_wr > 0) {
                if (sense_parse(sense, hdr.sb_len_wr, &res->sense) < 0)
                        return -EBADMSG;
                res->has_sense = true;
                /* Sense key 0 (NO SENSE) and 1 (RECOVERED ERROR) are successes. */
                if (res->sense.key > 0x01)
                        return -EIO;
                return 0;
        }
        if (hdr.status != 0 || hdr.host_status != 0)
                return -EIO;
        return 0;
}
