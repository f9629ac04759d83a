/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Words and units for what rawburnd reports in IMAPI2's numbers. */

#include <stddef.h>
#include <stdint.h>

/* IMAPI_MEDIA_PHYSICAL_TYPE: "CD-R", "DVD-R", …; "unknown" for 0. */
const char *media_type_name(int32_t type);
/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE 1, 2, 3: "pq", "cooked", "raw". */
const char *sector_type_name(int32_t type);
/* "pq", "cooked", "raw" (also 1, 2, 3) → the type; -1 if none. */
int32_t sector_type_from_name(const char *name);
/* IMAPI_FORMAT2_RAW_CD_WRITE_ACTION: "preparing", "writing", "finishing". */
const char *write_action_name(int32_t action);

/* "97:26:66" for an LBA (lead-in LBAs as minutes 90–99). */
char *format_msf(int32_t lba, char *buf, size_t size);
/* "1:02:33" or "2:33" for seconds; "--:--" for a negative value. */
char *format_duration(int32_t seconds, char *buf, size_t size);
/* "48×" for sectors per second (75 per ×); one decimal unless whole. */
char *format_speed(double sectors_per_second, char *buf, size_t size);

/* What fits before a lead-out at LBA leadout: "79:59 of audio, 702.8 MiB of data". */
char *format_capacity(int32_t leadout, char *buf, size_t size);

/* Sectors per second → kB/s as MMC counts them (1× = 176.4 kB/s of 2352-byte sectors). */
#define KBPS_OF(sectors_per_second) ((sectors_per_second)*2352.0 / 1000.0)
