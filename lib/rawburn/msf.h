/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Minute/second/frame addresses and logical block addresses of a CD.
 *
 * A CD has 75 frames (sectors) per second. The program area starts at
 * MSF 00:02:00 = LBA 0. Addresses in the lead-in are written with minutes
 * 90..99 and map to negative LBAs: for M >= 90, LBA = frames - 450150
 * (MMC, "LBA to MSF translation"), so 95:00:00 is -22650 and 99:59:74 is -151.
 */

#include <stdbool.h>
#include <stdint.h>

#define RB_FRAMES_PER_SECOND 75
#define RB_FRAMES_PER_MINUTE (60 * RB_FRAMES_PER_SECOND)
/* LBA of MSF 00:00:00: the 150-sector pregap of track 1 precedes LBA 0. */
#define RB_MSF_OFFSET 150
/* LBA = (M*60+S)*75+F - RB_LEADIN_MSF_OFFSET for minutes 90..99. */
#define RB_LEADIN_MSF_OFFSET 450150
/* Smallest and largest LBA an MSF triple can express. */
#define RB_LBA_MIN (90 * RB_FRAMES_PER_MINUTE - RB_LEADIN_MSF_OFFSET) /* 90:00:00 = -45150 */
#define RB_LBA_MAX (90 * RB_FRAMES_PER_MINUTE - 1 - RB_MSF_OFFSET)    /* 89:59:74 = 404849 */
/* First sector of the image IMAPI's WriteMedia takes: MSF 95:00:00. */
#define RB_IMAGE_START_LBA (-22650)

typedef struct rb_msf {
        uint8_t m, s, f;
} rb_msf_t;

/* True when s < 60, f < 75 and m < 100. */
bool rb_msf_valid(rb_msf_t msf);

/* Absolute MSF to LBA. Minutes 90..99 give the negative lead-in LBAs. */
int32_t rb_msf_to_lba(rb_msf_t msf);

/* LBA to absolute MSF. Returns 0, or -ERANGE outside RB_LBA_MIN..RB_LBA_MAX. */
int rb_lba_to_msf(int32_t lba, rb_msf_t *ret);

/* Plain frame counts (relative times, lengths) to MSF and back; no offsets. */
rb_msf_t rb_frames_to_msf(uint32_t frames);
uint32_t rb_msf_to_frames(rb_msf_t msf);

/* Binary-coded decimal. rb_bcd_encode() needs v < 100; rb_bcd_decode()
 * returns -EINVAL for a byte with a nibble above 9. */
uint8_t rb_bcd_encode(uint8_t v);
int rb_bcd_decode(uint8_t bcd);
