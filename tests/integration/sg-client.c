/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "sg-client.h"

sg_result sg_send(int fd, const uint8_t *cdb, size_t cdb_len, int dir, void *data, size_t len,
                  unsigned char mx_sb_len, unsigned timeout_ms)
{
        sg_result r;

        memset(&r, 0, sizeof r);
        r.hdr.interface_id = 'S';
        r.hdr.cmdp = (unsigned char *)cdb;
        r.hdr.cmd_len = (unsigned char)cdb_len;
        r.hdr.dxfer_direction = dir;
        r.hdr.dxferp = data;
        r.hdr.dxfer_len = (unsigned)len;
        r.hdr.sbp = r.sense;
        r.hdr.mx_sb_len = mx_sb_len > sizeof r.sense ? sizeof r.sense : mx_sb_len;
        r.hdr.timeout = timeout_ms;
        r.ret = ioctl(fd, SG_IO, &r.hdr);
        r.errno_ = r.ret < 0 ? errno : 0;
        return r;
}
