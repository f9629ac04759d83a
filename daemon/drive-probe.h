/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Everything the daemon reads from a drive and its media, in one snapshot.
 * drive_probe() runs on a libuv worker thread (it blocks on SG_IO), touches
 * no sd-bus or libudev object, and hands back a complete struct that the
 * loop thread swaps in.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc.h"
#include "sense.h"

#define DRIVE_MAX_MODE_PAGES 8

typedef struct drive_info {
        bool have_inquiry;
        mmc_inquiry inquiry;
        bool have_config;
        mmc_config config;
        bool have_caps;
        mmc_caps caps;
        size_t n_mode_pages;
        uint8_t mode_pages[DRIVE_MAX_MODE_PAGES];

        bool media_present;
        bool have_disc_info;
        mmc_disc_info disc;
        bool have_atip;
        mmc_atip atip;
        size_t n_speeds;
        mmc_speed speeds[MMC_MAX_SPEEDS]; /* GET PERFORMANCE, else page 2Ah's table */

        /* The first thing the drive got wrong ("" when it behaved): the drive is
         * marked with it (property ProbeError) and logged, never fatal. */
        char error[160];
        int error_errno; /* the transport error, 0 if none */
} drive_info;

/* Opens devnode (O_RDONLY|O_NONBLOCK, no exclusive hold) and probes it.
 * Returns 0 (even for a misbehaving drive: see info->error) or -errno when the
 * node cannot be opened at all. */
int drive_probe(const char *devnode, drive_info *info);

/* Same, on an already open descriptor. */
int drive_probe_fd(int fd, drive_info *info);

/* Eject (load=false) or close the tray (load=true). Returns 0, -EIO with
 * *sense set, or another -errno. */
int drive_load_eject(const char *devnode, bool load, rb_sense *sense);
