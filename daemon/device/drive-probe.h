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
#include "rawburn/drive-quirks.h"
#include "sense.h"
#include "write-modes.h"

#define DRIVE_MAX_MODE_PAGES 8

/* An offset from the quirks files, in samples, and the file that gave it (RB_QUIRKS_NONE and
 * 0 when none did). */
typedef struct quirk_offset {
        bool have;
        int32_t samples;
        rb_quirks_origin_t origin;
} quirk_offset;

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

        /* The write modes the drive accepts (write-modes.h): claimed by every probe, confirmed
         * by drive_probe_write_modes() once, less the quirks file's. */
        write_modes write_modes;
        /* The quirks files' offsets for the drive (quirks.h): its write offset (burn) and
         * its read offset (image read, copy). */
        quirk_offset write_offset;
        quirk_offset read_offset;

        /* The first thing the drive got wrong ("" when it behaved): the drive is
         * marked with it (property ProbeError) and logged, never fatal. */
        char error[160];
        int error_errno; /* the transport error, 0 if none */
} drive_info;

/* What the drive says it writes of CDs, from page 2Ah (CD-R Write, CD-RW Write) and the
 * GET CONFIGURATION profile list (0009h, 000Ah). */
typedef enum drive_cd_writing {
        DRIVE_WRITES_UNKNOWN, /* the drive answered neither */
        DRIVE_WRITES_NO_CD,   /* a reader */
        DRIVE_WRITES_CDR,     /* CD-R only */
        DRIVE_WRITES_CDRW,    /* CD-RW too, so it can erase them */
} drive_cd_writing;

drive_cd_writing drive_info_cd_writing(const drive_info *info);

/* Opens devnode (O_RDONLY|O_NONBLOCK, no exclusive hold) and probes it.
 * Returns 0 (even for a misbehaving drive: see info->error) or -errno when the
 * node cannot be opened at all. */
int drive_probe(const char *devnode, drive_info *info);

/* Same, on an already open descriptor. */
int drive_probe_fd(int fd, drive_info *info);

/*
 * Confirms the write modes GET CONFIGURATION claimed (info->write_modes.claimed, set by
 * drive_probe) with MODE SELECT probes of page 05h: MODE SENSE of the current page first,
 * each mode (and with Test Write) in turn, then the sensed page selected back, so the drive
 * ends as it was. Sets write_modes.accepted, and .probed when every probe had an answer (a
 * NOT READY drive leaves it false: probe again later). The descriptor must be open for
 * writing (MODE SELECT needs it without CAP_SYS_RAWIO). Returns 0, or the transport error
 * that stopped it (also in info->error); a failed restore is marked in info->error.
 */
int drive_probe_write_modes_fd(int fd, drive_info *info);

/* Same on devnode, opened O_RDWR|O_NONBLOCK|O_EXCL and held with flock(LOCK_EX|LOCK_NB)
 * so that a burn by anyone else (which holds the node one of these ways) is never
 * disturbed: -EBUSY then, and nothing was sent. */
int drive_probe_write_modes(const char *devnode, drive_info *info);

/* Eject (load=false) or close the tray (load=true). Returns 0, -EIO with
 * *sense set, or another -errno. */
int drive_load_eject(const char *devnode, bool load, scsi_sense *sense);
