/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "media-read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rawburn/scramble.h>

#include "drive-ops.h"
#include "drive-presence.h"
#include "mmc.h"
#include "sgio.h"

#define SECTOR          2448
#define READ_TIMEOUT_MS 30000

static int write_all(int fd, const uint8_t *buf, size_t n)
{
        while (n > 0) {
                ssize_t w = write(fd, buf, n);

                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                buf += w;
                n -= (size_t)w;
        }
        return 0;
}

void media_read(const read_request *req, read_outcome *out)
{
        uint32_t chunk = req->max_transfer / SECTOR;
        uint8_t *buf = NULL;
        int fd = req->drive_fd, r;

        memset(out, 0, sizeof *out);
        if (chunk == 0)
                chunk = 1;
        if (chunk > 64)
                chunk = 64; /* 153 KiB: short commands keep a cancel-free read responsive */
        if (req->wait_ready && drive_wait_ready(fd, req->ready_timeout_ms, &out->error) < 0)
                goto out;
        buf = malloc((size_t)chunk * SECTOR);
        if (!buf) {
                drive_error_set(&out->error, "OutOfMemory", "no memory for the read");
                goto out;
        }
        for (int64_t done = 0; done < req->sector_count;) {
                uint32_t n =
                    (uint32_t)(req->sector_count - done < chunk ? req->sector_count - done : chunk);
                int32_t lba = req->first_lba + (int32_t)done;
                uint8_t cdb[12];
                sgio_result res;
                size_t len = mmc_cdb_read_cd_raw(cdb, lba, n);

                r = sgio_exec(fd, cdb, len, SGIO_FROM_DEVICE, buf, (size_t)n * SECTOR,
                              READ_TIMEOUT_MS, &res);
                if (r == 0 && res.transferred != (size_t)n * SECTOR)
                        r = -EBADMSG;
                if (r < 0) {
                        char what[64];

                        snprintf(what, sizeof what, "READ CD of %u sectors at LBA %d", n, lba);
                        drive_error_from_command(&out->error, MMC_OP_READ_CD, what, r, &res);
                        break;
                }
                /* The drive descrambles data sectors; the image has them as the
                 * host sent them. */
                for (uint32_t i = 0; i < n; i++)
                        if (rb_sector_has_sync(buf + (size_t)i * SECTOR))
                                rb_scramble_sector(buf + (size_t)i * SECTOR);
                r = write_all(req->output_fd, buf, (size_t)n * SECTOR);
                if (r < 0) {
                        drive_error_set(&out->error, "Fail",
                                        "writing the sectors read to the caller failed: %s",
                                        r == -EPIPE ? "the reader closed its end" : strerror(-r));
                        break;
                }
                done += n;
                out->sectors_read = done;
        }
out:
        drive_error_settle_unplug(&out->error, fd);
        free(buf);
        close(req->output_fd);
}

void media_read_toc(const read_toc_request *req, read_toc_outcome *out)
{
        uint8_t cdb[10];
        sgio_result res;
        size_t len;
        int r;

        memset(out, 0, sizeof *out);
        if (req->wait_ready &&
            drive_wait_ready(req->drive_fd, req->ready_timeout_ms, &out->error) < 0)
                goto out;
        out->response = calloc(1, READ_TOC_MAX);
        if (!out->response) {
                drive_error_set(&out->error, "OutOfMemory", "no memory for the TOC");
                goto out;
        }
        len = mmc_cdb_read_toc(cdb, req->format, READ_TOC_MAX);
        r = sgio_exec(req->drive_fd, cdb, len, SGIO_FROM_DEVICE, out->response, READ_TOC_MAX,
                      READ_TIMEOUT_MS, &res);
        if (r < 0) {
                char what[40];

                snprintf(what, sizeof what, "READ TOC format %u", req->format);
                drive_error_from_command(&out->error, MMC_OP_READ_TOC_PMA_ATIP, what, r, &res);
                goto out;
        }
        /* The response says its own length (after its first two bytes); a
         * drive may transfer less, or pad. */
        out->response_len = res.transferred;
        if (res.transferred >= 2) {
                size_t said = 2 + ((size_t)out->response[0] << 8 | out->response[1]);
                if (said < out->response_len)
                        out->response_len = said;
        }
out:
        drive_error_settle_unplug(&out->error, req->drive_fd);
}
