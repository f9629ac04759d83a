/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The Q subchannel: 12 bytes per sector. Byte 0 is CONTROL (high nibble) and
 * ADR (low nibble), bytes 1-9 the payload (BCD), bytes 10-11 the CRC-16
 * stored inverted, high byte first.
 *
 * ADR 1 in the program area and lead-out: TNO, INDEX, relative time, 0,
 * absolute time. ADR 1 in the lead-in (TNO 00): POINT, running time, 0,
 * PMIN/PSEC/PFRAME — one TOC entry per sector, each repeated three times.
 * ADR 2: media catalogue number (13 digits). ADR 3: ISRC.
 */

#include <stdbool.h>
#include <stdint.h>

#include "rawburn/msf.h"

#define RB_Q_SIZE 12

/* CONTROL bits (Red Book; MMC "Q Sub-channel control field"). */
#define RB_CTL_PREEMPHASIS 0x1
#define RB_CTL_COPY_PERMITTED 0x2
#define RB_CTL_DATA 0x4
#define RB_CTL_FOUR_CHANNEL 0x8

#define RB_Q_ADR_POSITION 1
#define RB_Q_ADR_MCN 2
#define RB_Q_ADR_ISRC 3
#define RB_Q_ADR_MULTISESSION 5

/* TNO values and lead-in POINT values that are not BCD track numbers. */
#define RB_Q_TNO_LEADIN 0x00
#define RB_Q_TNO_LEADOUT 0xAA
#define RB_Q_POINT_FIRST_TRACK 0xA0 /* PMIN = first track, PSEC = disc type */
#define RB_Q_POINT_LAST_TRACK 0xA1  /* PMIN = last track */
#define RB_Q_POINT_LEADOUT 0xA2     /* PMIN:PSEC:PFRAME = lead-out start */

/* Disc type in A0's PSEC. */
#define RB_DISC_TYPE_CDDA_CDROM 0 /* decoded from BCD 00h, like every Q field */
#define RB_DISC_TYPE_CDI 10 /* BCD 10h */
#define RB_DISC_TYPE_CDROM_XA 20 /* BCD 20h */

#define RB_MCN_DIGITS 13
#define RB_ISRC_CHARS 12

typedef enum rb_subq_kind {
        RB_SUBQ_POSITION,   /* ADR 1, TNO 01..99 or AA */
        RB_SUBQ_LEADIN_TOC, /* ADR 1, TNO 00 */
        RB_SUBQ_MCN,        /* ADR 2 */
        RB_SUBQ_ISRC,       /* ADR 3 */
        RB_SUBQ_OTHER,      /* any other ADR: payload kept as raw bytes */
} rb_subq_kind_t;

typedef struct rb_subq {
        rb_subq_kind_t kind;
        uint8_t control; /* RB_CTL_* bits, 0..15 */
        uint8_t adr;     /* filled by decode; encode derives it from kind unless OTHER */
        union {
                struct {
                        uint8_t tno;   /* 1..99, or RB_Q_TNO_LEADOUT */
                        uint8_t index; /* 0..99 */
                        rb_msf_t rel;  /* relative time in the track or pause */
                        rb_msf_t abs;  /* absolute time, MSF of LBA + 150 */
                } position;
                struct {
                        uint8_t point;    /* 1..99, A0, A1, A2 (or another BCD-free point) */
                        rb_msf_t running; /* lead-in running time */
                        rb_msf_t p;       /* PMIN, PSEC, PFRAME as numbers */
                } toc;
                struct {
                        char digits[RB_MCN_DIGITS + 1]; /* NUL-terminated, '0'..'9' */
                        uint8_t aframe;
                } mcn;
                struct {
                        char code[RB_ISRC_CHARS + 1]; /* CCOOOYYSSSSS, NUL-terminated */
                        uint8_t aframe;
                } isrc;
                uint8_t raw[9]; /* bytes 1..9 for RB_SUBQ_OTHER */
        };
} rb_subq_t;

/*
 * Builds the 12 bytes of a Q subchannel, CRC included. Returns 0, or -EINVAL
 * for a field out of range (a non-digit in an MCN, an ISRC character outside
 * 0-9/A-Z, an MSF beyond 99:59:74, a TNO of 100, …).
 */
int rb_subq_encode(const rb_subq_t *q, uint8_t out[RB_Q_SIZE]);

/*
 * Decodes 12 bytes of Q. The CRC is not looked at (see rb_subq_crc_ok()).
 * Returns 0, or -EBADMSG for a field that is not valid BCD or an ISRC
 * character code outside the table.
 */
int rb_subq_decode(const uint8_t in[RB_Q_SIZE], rb_subq_t *q);

/* True when bytes 10-11 hold the inverted CRC of bytes 0-9. */
bool rb_subq_crc_ok(const uint8_t q[RB_Q_SIZE]);

/* Writes the inverted CRC of bytes 0-9 into bytes 10-11. */
void rb_subq_set_crc(uint8_t q[RB_Q_SIZE]);
