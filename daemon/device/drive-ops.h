/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The device steps of preparing, writing and releasing, each one or a few
 * SCSI commands, blocking (worker and burn threads only). Each returns 0 or
 * a negative errno and, on failure, fills a drive_error with the name the
 * caller gets.
 */

#include <stdbool.h>
#include <stdint.h>

#include "drive-error.h"
#include "mmc.h"

/* O_EXCL keeps the kernel's mounts and other exclusive openers away, the
 * flock the tools that follow systemd's BLOCK_DEVICE_LOCKING. -EBUSY when
 * either is taken; -EAGAIN when only shared flocks stand in the way: udev
 * processing an event of the drive, which ends by itself. */
int drive_open_exclusive(const char *devnode, int *ret_fd);

/* TEST UNIT READY until the drive is ready, waiting out "becoming ready"
 * and unit attentions for at most timeout_ms. */
int drive_wait_ready(int fd, unsigned timeout_ms, drive_error *e);

typedef struct drive_media {
        uint16_t profile;
        mmc_disc_info disc;
        bool have_atip;
        mmc_atip atip;
        int32_t leadin_start, last_leadout; /* from ATIP, else READ DISC INFORMATION */
} drive_media;

/* Reads what is in the drive and checks that it is a blank CD-R or CD-RW. */
int drive_check_blank_cd(int fd, drive_media *m, drive_error *e);

/* Page 05h: RAW with the data block type, BUFE and Test Write. */
int drive_set_raw_write_params(int fd, const mmc_raw_write_params *wp, drive_error *e);

/* SET CD SPEED for sectors_per_second (-1: the fastest) and rotation, then
 * reads page 2Ah back: *adjusted gets the IMAPI2 success code (0,
 * S_IMAPI_SPEEDADJUSTED, S_IMAPI_ROTATIONADJUSTED, S_IMAPI_BOTHADJUSTED). */
#define S_IMAPI_SPEEDADJUSTED    0x00AA0004u
#define S_IMAPI_ROTATIONADJUSTED 0x00AA0005u
#define S_IMAPI_BOTHADJUSTED     0x00AA0006u
int drive_set_write_speed(int fd, int32_t sectors_per_second, bool pure_cav, uint32_t *adjusted,
                          drive_error *e);

/* PREVENT ALLOW MEDIUM REMOVAL. */
int drive_lock_tray(int fd, bool lock, drive_error *e);

/* START STOP UNIT with LoEj: open the tray. */
int drive_eject(int fd, drive_error *e);
