/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The SG_IO transport: one synchronous SCSI command on an open /dev/srN. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sense.h"

typedef enum sgio_dir {
        SGIO_NONE,
        SGIO_FROM_DEVICE,
        SGIO_TO_DEVICE,
} sgio_dir;

typedef struct sgio_result {
        size_t transferred; /* dxfer_len - resid */
        bool has_sense;
        scsi_sense sense;
} sgio_result;

/*
 * Returns 0 on GOOD status; -EIO with res->has_sense on CHECK CONDITION;
 * -ETIMEDOUT when the host adapter timed the command out; -EBADMSG for a
 * CHECK CONDITION without readable sense; the ioctl's -errno (-ENODEV when
 * the drive is gone).
 */
int sgio_exec(int fd, const uint8_t *cdb, size_t cdb_len, sgio_dir dir, void *buf, size_t len,
              unsigned timeout_ms, sgio_result *res);
