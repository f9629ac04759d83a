/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * SCSI MMC command builders and reply parsers. Pure functions on byte
 * arrays: no I/O here (sgio.c moves the bytes), so every layout is
 * unit-tested against the byte positions of SPC/MMC (tests/daemon/test-mmc.c).
 * Builders fill a CDB and return its length; parsers return 0 or -EBADMSG
 * for a reply that is shorter than it claims or malformed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
        MMC_OP_TEST_UNIT_READY = 0x00,
        MMC_OP_INQUIRY = 0x12,
        MMC_OP_START_STOP_UNIT = 0x1b,
        MMC_OP_PREVENT_ALLOW = 0x1e,
        MMC_OP_REQUEST_SENSE = 0x03,
        MMC_OP_WRITE_10 = 0x2a,
        MMC_OP_SYNCHRONIZE_CACHE = 0x35,
        MMC_OP_READ_BUFFER_CAPACITY = 0x5c,
        MMC_OP_SET_CD_SPEED = 0xbb,
        MMC_OP_READ_DISC_STRUCTURE = 0xad,
        MMC_OP_BLANK = 0xa1,
        MMC_OP_READ_CD = 0xbe,
        MMC_OP_READ_TOC_PMA_ATIP = 0x43,
        MMC_OP_GET_CONFIGURATION = 0x46,
        MMC_OP_READ_DISC_INFORMATION = 0x51,
        MMC_OP_MODE_SELECT_10 = 0x55,
        MMC_OP_MODE_SENSE_10 = 0x5a,
        MMC_OP_GET_PERFORMANCE = 0xac,
};

enum {
        MMC_PROFILE_CD_ROM = 0x0008,
        MMC_PROFILE_CD_R = 0x0009,
        MMC_PROFILE_CD_RW = 0x000a,
};

enum {
        MMC_FEATURE_PROFILE_LIST = 0x0000,
        MMC_FEATURE_CD_TRACK_AT_ONCE = 0x002d,
        MMC_FEATURE_CD_MASTERING = 0x002e,
        MMC_FEATURE_REAL_TIME_STREAMING = 0x0107,
};

#define MMC_MODE_PAGE_CAPABILITIES 0x2a

/* Sectors per second at 1×, and bytes of one CD-DA sector (kB/s ⇄ sectors/s). */
#define MMC_SECTORS_PER_SECOND_1X 75
#define MMC_CD_SECTOR_BYTES       2352

#define MMC_MAX_PROFILES 32
#define MMC_MAX_FEATURES 128
#define MMC_MAX_SPEEDS   32

/* ---- builders ---- */
size_t mmc_cdb_test_unit_ready(uint8_t cdb[6]);
size_t mmc_cdb_inquiry(uint8_t cdb[6], uint16_t alloc);
/* rt: 0 all features, 1 current ones, 2 only start_feature. */
size_t mmc_cdb_get_configuration(uint8_t cdb[10], uint8_t rt, uint16_t start_feature,
                                 uint16_t alloc);
/* pc: 0 current, 1 changeable, 2 default, 3 saved. Block descriptors off (DBD). */
size_t mmc_cdb_mode_sense_10(uint8_t cdb[10], uint8_t pc, uint8_t page, uint16_t alloc);
size_t mmc_cdb_read_disc_information(uint8_t cdb[10], uint16_t alloc);
/* READ TOC/PMA/ATIP format 4 (ATIP), MSF bit set as libburn does. */
size_t mmc_cdb_read_atip(uint8_t cdb[10], uint16_t alloc);
/* READ TOC/PMA/ATIP of format 0-5 with the MSF bit clear (LBAs in format 0). */
size_t mmc_cdb_read_toc(uint8_t cdb[10], uint8_t format, uint16_t alloc);
/* GET PERFORMANCE type 03h: write speed descriptors. */
size_t mmc_cdb_get_performance_write_speed(uint8_t cdb[12], uint16_t max_descriptors);
/* START STOP UNIT: load_eject with start = eject (start false) or load (start true). */
size_t mmc_cdb_start_stop_unit(uint8_t cdb[6], bool load_eject, bool start);
size_t mmc_cdb_prevent_allow(uint8_t cdb[6], bool prevent);
size_t mmc_cdb_request_sense(uint8_t cdb[6], uint8_t alloc);

/* ---- the burn: write parameters, speed, data, buffer, cache ---- */

/* MODE SELECT(10) with PF set and SP clear (nothing saved): len is the whole
 * parameter list, 8-byte header included. */
size_t mmc_cdb_mode_select_10(uint8_t cdb[10], uint16_t len);
/* WRITE(10): lba is signed; lead-in addresses are negative, two's complement. */
size_t mmc_cdb_write_10(uint8_t cdb[10], int32_t lba, uint16_t blocks);
/* SYNCHRONIZE CACHE(10) of the whole medium; immed: return at once, the drive
 * reports 02/04/08 LONG WRITE IN PROGRESS while it drains. */
size_t mmc_cdb_synchronize_cache(uint8_t cdb[10], bool immed);
/* READ BUFFER CAPACITY in bytes (Block bit clear), 12-byte reply. */
size_t mmc_cdb_read_buffer_capacity(uint8_t cdb[10]);
/* SET CD SPEED: read speed "as fast as possible", write speed in kB/s
 * (0xFFFF: the fastest), rotation control 0 CLV, 1 pure CAV (MMC byte 1). */
size_t mmc_cdb_set_cd_speed(uint8_t cdb[12], uint16_t write_kbps, bool pure_cav);

/* The RAW fields of the Write Parameters mode page 05h (MMC "Write
 * Parameters"; mmc-raw.md §2.1), applied to the page the drive reported so
 * that vendor bytes and the page length stay as the drive has them. */
typedef struct mmc_raw_write_params {
        uint8_t data_block_type; /* 1 PQ 2368, 2 packed P-W 2448, 3 raw P-W 2448 */
        bool test_write;
        bool bufe;
} mmc_raw_write_params;
#define MMC_WRITE_TYPE_RAW 0x03
#define MMC_PAGE05_MIN_LEN 0x32 /* page length byte of a page with MCN, ISRC, subheader */
/* Builds the MODE SELECT(10) parameter list (header + page) in out from the
 * page 05h found in a MODE SENSE(10) reply. Returns its length or -EBADMSG
 * when the reply holds no usable page 05h, -ENOBUFS when out is too small. */
int mmc_page05_raw_select_list(const uint8_t *sense_reply, size_t sense_len,
                               const mmc_raw_write_params *p, uint8_t *out, size_t out_size);

/* BLANK with Immed: type 0 the whole disc, 1 minimal (PMA, TOC, first pregap). */
size_t mmc_cdb_blank(uint8_t cdb[12], bool full);

/* READ CD of count sectors from lba, any sector type: the whole 2352-byte
 * main channel and the 96-byte raw P-W subchannel (2448 bytes a sector). */
size_t mmc_cdb_read_cd_raw(uint8_t cdb[12], int32_t lba, uint32_t count);

/* The progress indication of sense data (SKSV and bytes 16-17 of fixed
 * format): 0..65535 in *progress; false when the sense carries none. */
bool mmc_sense_progress(const uint8_t *sense, size_t len, uint16_t *progress);

/* READ DISC STRUCTURE, media type DVD, format 00h: physical format information. */
size_t mmc_cdb_read_dvd_physical(uint8_t cdb[12], uint16_t alloc);

typedef struct mmc_dvd_physical {
        uint8_t book_type; /* 0 DVD-ROM, 1 DVD-RAM, 2 DVD-R, 3 DVD-RW, 9 DVD+RW, 10 DVD+R */
        uint8_t layers;    /* 1 or 2 */
} mmc_dvd_physical;
int mmc_parse_dvd_physical(const uint8_t *buf, size_t len, mmc_dvd_physical *ret);

typedef struct mmc_buffer_capacity {
        uint32_t total_bytes, free_bytes;
} mmc_buffer_capacity;
int mmc_parse_buffer_capacity(const uint8_t *buf, size_t len, mmc_buffer_capacity *ret);

/* ---- parsers ---- */
typedef struct mmc_inquiry {
        uint8_t device_type; /* 05h: CD/DVD */
        char vendor[9], product[17], revision[5];
} mmc_inquiry;
int mmc_parse_inquiry(const uint8_t *buf, size_t len, mmc_inquiry *ret);

typedef struct mmc_config {
        uint16_t current_profile;
        size_t n_profiles;
        uint16_t profiles[MMC_MAX_PROFILES];
        bool profile_current[MMC_MAX_PROFILES];
        size_t n_features;
        uint16_t features[MMC_MAX_FEATURES];
        bool feature_current[MMC_MAX_FEATURES];
        /* Byte 4 of features 002Dh and 002Eh (write-mode bits), when present. */
        bool has_tao, has_mastering;
        uint8_t tao_flags, mastering_flags;
} mmc_config;
int mmc_parse_configuration(const uint8_t *buf, size_t len, mmc_config *ret);

/* Bits of byte 4 of feature 002Eh "CD Mastering" (MMC; sg_get_config). */
#define MMC_MASTERING_SAO    0x20
#define MMC_MASTERING_RAW_MS 0x10
#define MMC_MASTERING_RAW    0x08
#define MMC_MASTERING_TEST   0x04
#define MMC_MASTERING_RW     0x01
/* Bits of byte 4 of feature 002Dh "CD Track at Once". */
#define MMC_TAO_RW_RAW  0x10
#define MMC_TAO_RW_PACK 0x08

/* Finds the mode page in a MODE SENSE(10) reply; *page points into buf. */
int mmc_mode_sense_page(const uint8_t *buf, size_t len, uint8_t page_code, const uint8_t **page,
                        size_t *page_len);

typedef struct mmc_speed {
        uint32_t kbps; /* kB/s, 1 kB = 1000 bytes */
        bool pure_cav; /* rotation control CAV (vs. CLV) */
} mmc_speed;

typedef struct mmc_caps {
        bool cdr_write, cdrw_write, test_write, buf, eject;
        uint8_t loading_mechanism; /* 0 caddy/slot, 1 tray, 2 pop-up, 4/5 changer */
        uint32_t max_write_kbps, current_write_kbps;
        bool current_pure_cav;
        size_t n_speeds;
        mmc_speed speeds[MMC_MAX_SPEEDS];
} mmc_caps;
/* Parses a MODE SENSE(10) reply holding page 2Ah. */
int mmc_parse_capabilities(const uint8_t *buf, size_t len, mmc_caps *ret);
/* True when the drive can close its own tray (tray or changer, and eject works). */
bool mmc_caps_can_load(const mmc_caps *caps);

typedef enum mmc_disc_status {
        MMC_DISC_BLANK = 0,
        MMC_DISC_INCOMPLETE = 1,
        MMC_DISC_COMPLETE = 2,
        MMC_DISC_OTHER = 3,
} mmc_disc_status;

typedef struct mmc_disc_info {
        mmc_disc_status status;
        bool erasable;
        bool has_leadin; /* false when bytes 17–19 hold FF:FF:FF (closed disc) */
        int32_t leadin_start_lba;
        bool has_last_leadout;
        int32_t last_leadout_lba;
} mmc_disc_info;
int mmc_parse_disc_information(const uint8_t *buf, size_t len, mmc_disc_info *ret);

typedef struct mmc_atip {
        bool rewritable; /* disc type bit: CD-RW */
        int32_t leadin_start_lba;
        int32_t last_leadout_lba;
} mmc_atip;
/* -ENODATA when the drive returned only a header (no ATIP on this disc). */
int mmc_parse_atip(const uint8_t *buf, size_t len, mmc_atip *ret);

/* GET PERFORMANCE type 03h reply → write speeds, highest first as drives list them. */
int mmc_parse_write_speeds(const uint8_t *buf, size_t len, mmc_speed *speeds, size_t max,
                           size_t *n);

/* kB/s (1000 bytes) to CD sectors per second, rounded to nearest. */
uint32_t mmc_kbps_to_sectors_per_second(uint32_t kbps);

/* IMAPI_MEDIA_PHYSICAL_TYPE for an MMC profile (0 = unknown / no media). */
int32_t mmc_profile_to_imapi_media_type(uint16_t profile);

/* ---- MODE SELECT(10) and the Write Parameters page 05h ----
 * (mmc-raw.md §2: the page's layout and how hosts read-modify-write it.) */

#define MMC_MODE_PAGE_WRITE_PARAMETERS 0x05
/* MODE SELECT/SENSE(10) parameter header: mode data length, medium type, block
 * descriptor length; zero on MODE SELECT. */
#define MMC_MODE_HEADER_10 8

/* Page 05h byte 2 bits 3-0 (MMC_WRITE_TYPE_RAW is with the burn's builders above). */
#define MMC_WRITE_TYPE_TAO 0x01
#define MMC_WRITE_TYPE_SAO 0x02

/* Page 05h byte 4 bits 3-0, the ones the burn and the probes use. */
enum {
        MMC_DBT_RAW_PQ = 1,        /* 2352 + 16-byte PQ: 2368 bytes (RAW/R16) */
        MMC_DBT_RAW_PW_PACKED = 2, /* 2352 + packed P-W: 2448 bytes (RAW/R96P) */
        MMC_DBT_RAW_PW = 3,        /* 2352 + raw P-W: 2448 bytes (RAW/R96R) */
        MMC_DBT_MODE1 = 8,         /* 2048 bytes of Mode 1 user data (TAO, SAO) */
};

/* Byte 4 bit 2 of feature 002Dh "CD Track at Once": Test Write in TAO. */
#define MMC_TAO_TEST 0x04

/* The fields of page 05h a burner sets; the others keep what the drive reported. */
typedef struct mmc_page05 {
        uint8_t write_type;      /* MMC_WRITE_TYPE_* */
        uint8_t data_block_type; /* MMC_DBT_* */
        bool test_write;         /* simulate: the laser stays off */
        bool bufe;               /* buffer underrun free recording (BURN-Proof and the like) */
        uint8_t multisession;    /* byte 3 bits 7-6: 0 no next session, 3 next session allowed */
        uint8_t track_mode;      /* byte 3 bits 3-0: Q CONTROL nibble (4 data, 0 audio) */
        uint8_t session_format;  /* byte 8: 00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA */
} mmc_page05;

/* MODE SELECT(10) itself: mmc_cdb_mode_select_10() above. */

/*
 * A MODE SELECT(10) parameter list carrying page 05h: the 8-byte header, zero, then the
 * page. base is page 05h as MODE SENSE returned it (page code byte first; its length byte
 * is kept, its PS bit cleared) and p's fields are set in it; with base NULL the page is
 * built from zeros with length MMC_PAGE05_MIN_LEN and an audio pause of 150 sectors.
 * Returns 0 and the list's length in *len, or -EINVAL (base not a page 05h or shorter
 * than it says, or than byte 8) or -ENOBUFS (size too small).
 */
int mmc_page05_build(uint8_t *buf, size_t size, const uint8_t *base, size_t base_len,
                     const mmc_page05 *p, size_t *len);

/* The fields of page 05h (page code byte first). -EINVAL when it is not one. */
int mmc_page05_parse(const uint8_t *page, size_t len, mmc_page05 *ret);

/*
 * A MODE SELECT(10) parameter list that puts back a page exactly as MODE SENSE returned it
 * (page code byte first): header zeroed, PS cleared. Returns 0 and the list's length in
 * *len, -EINVAL for a page shorter than its length byte says, -ENOBUFS.
 */
int mmc_mode_select_list(uint8_t *buf, size_t size, const uint8_t *page, size_t page_len,
                         size_t *len);
