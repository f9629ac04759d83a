/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mmc.h"

#include <errno.h>
#include <string.h>

#include <rawburn/msf.h>

static uint16_t be16(const uint8_t *p)
{
        return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t)(v >> 8);
        p[1] = (uint8_t)v;
}

size_t mmc_cdb_test_unit_ready(uint8_t cdb[6])
{
        memset(cdb, 0, 6);
        cdb[0] = MMC_OP_TEST_UNIT_READY;
        return 6;
}

size_t mmc_cdb_inquiry(uint8_t cdb[6], uint16_t alloc)
{
        memset(cdb, 0, 6);
        cdb[0] = MMC_OP_INQUIRY;
        put_be16(cdb + 3, alloc);
        return 6;
}

size_t mmc_cdb_get_configuration(uint8_t cdb[10], uint8_t rt, uint16_t start_feature,
                                 uint16_t alloc)
{
        memset(cdb, 0, 10);
        cdb[0] = MMC_OP_GET_CONFIGURATION;
        cdb[1] = rt & 0x03;
        put_be16(cdb + 2, start_feature);
        put_be16(cdb + 7, alloc);
        return 10;
}

size_t mmc_cdb_mode_sense_10(uint8_t cdb[10], uint8_t pc, uint8_t page, uint16_t alloc)
{
        memset(cdb, 0, 10);
        cdb[0] = MMC_OP_MODE_SENSE_10;
        cdb[1] = 0x08; /* DBD: MMC drives have no block descriptors to give */
        cdb[2] = (uint8_t)((pc & 0x03) << 6 | (page & 0x3f));
        put_be16(cdb + 7, alloc);
        return 10;
}

size_t mmc_cdb_read_disc_information(uint8_t cdb[10], uint16_t alloc)
{
        memset(cdb, 0, 10);
        cdb[0] = MMC_OP_READ_DISC_INFORMATION;
        put_be16(cdb + 7, alloc);
        return 10;
}

size_t mmc_cdb_read_atip(uint8_t cdb[10], uint16_t alloc)
{
        memset(cdb, 0, 10);
        cdb[0] = MMC_OP_READ_TOC_PMA_ATIP;
        cdb[1] = 0x02; /* MSF */
        cdb[2] = 0x04; /* format: ATIP */
        put_be16(cdb + 7, alloc);
        return 10;
}

size_t mmc_cdb_read_toc(uint8_t cdb[10], uint8_t format, uint16_t alloc)
{
        memset(cdb, 0, 10);
        cdb[0] = MMC_OP_READ_TOC_PMA_ATIP;
        cdb[2] = format & 0x0f;
        put_be16(cdb + 7, alloc);
        return 10;
}

size_t mmc_cdb_get_performance_write_speed(uint8_t cdb[12], uint16_t max_descriptors)
{
        memset(cdb, 0, 12);
        cdb[0] = MMC_OP_GET_PERFORMANCE;
        put_be16(cdb + 8, max_descriptors);
        cdb[10] = 0x03; /* type: write speed */
        return 12;
}

size_t mmc_cdb_start_stop_unit(uint8_t cdb[6], bool load_eject, bool start)
{
        memset(cdb, 0, 6);
        cdb[0] = MMC_OP_START_STOP_UNIT;
        cdb[4] = (uint8_t)((load_eject ? 0x02 : 0) | (start ? 0x01 : 0));
        return 6;
}

size_t mmc_cdb_prevent_allow(uint8_t cdb[6], bool prevent)
{
        memset(cdb, 0, 6);
        cdb[0] = MMC_OP_PREVENT_ALLOW;
        cdb[4] = prevent ? 0x01 : 0x00;
        return 6;
}

size_t mmc_cdb_request_sense(uint8_t cdb[6], uint8_t alloc)
{
        memset(cdb, 0, 6);
        cdb[0] = MMC_OP_REQUEST_SENSE;
        cdb[4] = alloc;
        return 6;
}

size_t mmc_cdb_mode_select_10(uint8_t cdb[10], uint16_t len)
{
        memset(cdb, 0, 10);
        cdb[0] = MMC_OP_MODE_SELECT_10;
        cdb[1] = 0x10; /* PF: the page format of SCSI-2 and later */
        put_be16(cdb + 7, len);
        return 10;
}

size_t mmc_cdb_write_10(uint8_t cdb[10], int32_t lba, uint16_t blocks)
{
        uint32_t u = (uint32_t)lba;

        memset(cdb, 0, 10);
        cdb[0] = MMC_OP_WRITE_10;
        cdb[2] = (uint8_t)(u >> 24);
        cdb[3] = (uint8_t)(u >> 16);
        cdb[4] = (uint8_t)(u >> 8);
        cdb[5] = (uint8_t)u;
        put_be16(cdb + 7, blocks);
        return 10;
}

size_t mmc_cdb_synchronize_cache(uint8_t cdb[10], bool immed)
{
        memset(cdb, 0, 10);
        cdb[0] = MMC_OP_SYNCHRONIZE_CACHE;
        cdb[1] = immed ? 0x02 : 0x00;
        return 10;
}

size_t mmc_cdb_read_buffer_capacity(uint8_t cdb[10])
{
        memset(cdb, 0, 10);
        cdb[0] = MMC_OP_READ_BUFFER_CAPACITY;
        put_be16(cdb + 7, 12);
        return 10;
}

size_t mmc_cdb_set_cd_speed(uint8_t cdb[12], uint16_t write_kbps, bool pure_cav)
{
        memset(cdb, 0, 12);
        cdb[0] = MMC_OP_SET_CD_SPEED;
        cdb[1] = pure_cav ? 0x01 : 0x00;
        put_be16(cdb + 2, 0xffff); /* read: the fastest */
        put_be16(cdb + 4, write_kbps);
        return 12;
}

int mmc_page05_raw_select_list(const uint8_t *sense_reply, size_t sense_len,
                               const mmc_raw_write_params *p, uint8_t *out, size_t out_size)
{
        const uint8_t *page;
        size_t page_len, n;

        if (mmc_mode_sense_page(sense_reply, sense_len, 0x05, &page, &page_len) < 0)
                return -EBADMSG;
        if (page_len < 2u + MMC_PAGE05_MIN_LEN || page[1] + 2u != page_len)
                return -EBADMSG;
        n = 8 + page_len;
        if (n > out_size)
                return -ENOBUFS;

        /* An all-zero header: the mode data length is reserved in MODE SELECT,
         * and no block descriptor is sent. */
        memset(out, 0, 8);
        memcpy(out + 8, page, page_len);
        uint8_t *q = out + 8;
        q[0] &= 0x3f; /* PS is the drive's to report, not ours to send */
        /* Byte 2: BUFE, Test Write and the write type; LS_V off. */
        q[2] = (uint8_t)((p->bufe ? 0x40 : 0) | (p->test_write ? 0x10 : 0) | MMC_WRITE_TYPE_RAW);
        /* Byte 3: single session (no B0 pointer, closed), no copy, track mode
         * 0: in RAW the host writes every subcode bit itself. */
        q[3] = 0x00;
        q[4] = (uint8_t)((q[4] & 0xf0) | (p->data_block_type & 0x0f));
        q[5] = 0;    /* link size: not valid without LS_V */
        q[8] = 0x00; /* session format: CD-DA / CD-ROM (the lead-in Q carries the disc type) */
        memset(q + 10, 0, 4); /* packet size */
        /* MCN and ISRC travel in the Q subchannel of a RAW stream. */
        q[16] &= 0x7f;
        q[32] &= 0x7f;
        return (int)n;
}

size_t mmc_cdb_blank(uint8_t cdb[12], bool full)
{
        memset(cdb, 0, 12);
        cdb[0] = MMC_OP_BLANK;
        cdb[1] = (uint8_t)(0x10 | (full ? 0x00 : 0x01)); /* Immed, blanking type */
        return 12;
}

size_t mmc_cdb_read_cd_raw(uint8_t cdb[12], int32_t lba, uint32_t count)
{
        uint32_t u = (uint32_t)lba;

        memset(cdb, 0, 12);
        cdb[0] = MMC_OP_READ_CD;
        cdb[1] = 0x00; /* expected sector type: any */
        cdb[2] = (uint8_t)(u >> 24);
        cdb[3] = (uint8_t)(u >> 16);
        cdb[4] = (uint8_t)(u >> 8);
        cdb[5] = (uint8_t)u;
        cdb[6] = (uint8_t)(count >> 16);
        cdb[7] = (uint8_t)(count >> 8);
        cdb[8] = (uint8_t)count;
        cdb[9] = 0xf8;  /* sync, headers, user data, EDC/ECC: all 2352 bytes */
        cdb[10] = 0x01; /* sub-channel: raw P-W, 96 bytes */
        return 12;
}

bool mmc_sense_progress(const uint8_t *sense, size_t len, uint16_t *progress)
{
        if (len < 18 || (sense[0] & 0x7e) != 0x70 || !(sense[15] & 0x80))
                return false;
        *progress = be16(sense + 16);
        return true;
}

size_t mmc_cdb_read_dvd_physical(uint8_t cdb[12], uint16_t alloc)
{
        memset(cdb, 0, 12);
        cdb[0] = MMC_OP_READ_DISC_STRUCTURE;
        cdb[1] = 0x00; /* media type: DVD */
        cdb[7] = 0x00; /* format: physical format information */
        put_be16(cdb + 8, alloc);
        return 12;
}

int mmc_parse_dvd_physical(const uint8_t *buf, size_t len, mmc_dvd_physical *ret)
{
        if (len < 4 + 3 || be16(buf) < 2 + 3)
                return -EBADMSG;
        ret->book_type = buf[4] >> 4;
        ret->layers = (uint8_t)(((buf[6] >> 5) & 0x03) + 1);
        return 0;
}

int mmc_parse_buffer_capacity(const uint8_t *buf, size_t len, mmc_buffer_capacity *ret)
{
        if (len < 12 || be16(buf) < 10)
                return -EBADMSG;
        ret->total_bytes = be32(buf + 4);
        ret->free_bytes = be32(buf + 8);
        if (ret->free_bytes > ret->total_bytes)
                return -EBADMSG;
        return 0;
}

/* INQUIRY strings are space-padded ASCII; D-Bus strings must be UTF-8, so
 * anything outside printable ASCII becomes '?'. */
static void copy_ascii(char *dst, const uint8_t *src, size_t n)
{
        size_t end = n;

        while (end > 0 && (src[end - 1] == ' ' || src[end - 1] == '\0'))
                end--;
        for (size_t i = 0; i < end; i++)
                dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
        dst[end] = '\0';
}

int mmc_parse_inquiry(const uint8_t *buf, size_t len, mmc_inquiry *ret)
{
        if (len < 36)
                return -EBADMSG;
        memset(ret, 0, sizeof *ret);
        ret->device_type = buf[0] & 0x1f;
        copy_ascii(ret->vendor, buf + 8, 8);
        copy_ascii(ret->product, buf + 16, 16);
        copy_ascii(ret->revision, buf + 32, 4);
        return 0;
}

/* The usable length of a reply whose header says declared bytes follow the
 * first header_len bytes: a reply that claims more than arrived is broken. */
static int reply_end(size_t len, size_t header_len, uint32_t declared, size_t *end)
{
        if ((uint64_t)declared + header_len > len)
                return -EBADMSG;
        *end = (size_t)declared + header_len;
        return 0;
}

int mmc_parse_configuration(const uint8_t *buf, size_t len, mmc_config *ret)
{
        size_t end, p;
        int r;

        if (len < 8)
                return -EBADMSG;
        r = reply_end(len, 4, be32(buf), &end);
        if (r < 0)
                return r;
        if (end < 8)
                return -EBADMSG;

        memset(ret, 0, sizeof *ret);
        ret->current_profile = be16(buf + 6);
        for (p = 8; p + 4 <= end;) {
                uint16_t code = be16(buf + p);
                bool current = buf[p + 2] & 0x01;
                size_t add = buf[p + 3];
                const uint8_t *data = buf + p + 4;

                if (p + 4 + add > end)
                        return -EBADMSG;
                if (ret->n_features < MMC_MAX_FEATURES) {
                        ret->features[ret->n_features] = code;
                        ret->feature_current[ret->n_features] = current;
                        ret->n_features++;
                }
                if (code == MMC_FEATURE_PROFILE_LIST) {
                        for (size_t i = 0; i + 4 <= add; i += 4) {
                                if (ret->n_profiles >= MMC_MAX_PROFILES)
                                        break;
                                ret->profiles[ret->n_profiles] = be16(data + i);
                                ret->profile_current[ret->n_profiles] = data[i + 2] & 0x01;
                                ret->n_profiles++;
                        }
                } else if (code == MMC_FEATURE_CD_TRACK_AT_ONCE && add >= 1) {
                        ret->has_tao = true;
                        ret->tao_flags = data[0];
                } else if (code == MMC_FEATURE_CD_MASTERING && add >= 1) {
                        ret->has_mastering = true;
                        ret->mastering_flags = data[0];
                }
                p += 4 + add;
        }
        return 0;
}

int mmc_mode_sense_page(const uint8_t *buf, size_t len, uint8_t page_code, const uint8_t **page,
                        size_t *page_len)
{
        size_t end, p;
        int r;

        if (len < 8)
                return -EBADMSG;
        r = reply_end(len, 2, be16(buf), &end);
        if (r < 0)
                return r;
        p = 8 + (size_t)be16(buf + 6); /* skip block descriptors, if any */
        if (p + 2 > end)
                return -EBADMSG;
        if ((buf[p] & 0x3f) != page_code)
                return -EBADMSG;
        if (p + 2 + buf[p + 1] > end)
                return -EBADMSG;
        *page = buf + p;
        *page_len = 2 + (size_t)buf[p + 1];
        return 0;
}

int mmc_parse_capabilities(const uint8_t *buf, size_t len, mmc_caps *ret)
{
        const uint8_t *pg;
        size_t n;
        int r;

        r = mmc_mode_sense_page(buf, len, MMC_MODE_PAGE_CAPABILITIES, &pg, &n);
        if (r < 0)
                return r;
        if (n < 22) /* up to the obsolete current write speed, MMC-1 size */
                return -EBADMSG;

        memset(ret, 0, sizeof *ret);
        ret->cdr_write = pg[3] & 0x01;
        ret->cdrw_write = pg[3] & 0x02;
        ret->test_write = pg[3] & 0x04;
        ret->buf = pg[4] & 0x80;
        ret->eject = pg[6] & 0x08;
        ret->loading_mechanism = pg[6] >> 5;
        ret->max_write_kbps = be16(pg + 18);
        ret->current_write_kbps = be16(pg + 20);
        if (n >= 32) {
                /* MMC-3 and later: the selected speed and the descriptor table. */
                size_t count = be16(pg + 30);

                ret->current_write_kbps = be16(pg + 28);
                ret->current_pure_cav = (pg[27] & 0x03) == 0x01;
                for (size_t i = 0; i < count && 32 + 4 * i + 4 <= n; i++) {
                        const uint8_t *d = pg + 32 + 4 * i;

                        if (ret->n_speeds >= MMC_MAX_SPEEDS)
                                break;
                        ret->speeds[ret->n_speeds++] = (mmc_speed){
                            .kbps = be16(d + 2),
                            .pure_cav = (d[1] & 0x03) == 0x01,
                        };
                }
        }
        return 0;
}

bool mmc_caps_can_load(const mmc_caps *caps)
{
        switch (caps->loading_mechanism) {
        case 1: /* tray */
        case 4: /* changer, individual discs */
        case 5: /* changer, cartridge */
                return caps->eject;
        default: /* caddy/slot and pop-up trays cannot pull a disc in */
                return false;
        }
}

static bool msf_to_lba_checked(const uint8_t *p, int32_t *lba)
{
        rb_msf_t msf = {p[0], p[1], p[2]};

        if (!rb_msf_valid(msf))
                return false;
        *lba = rb_msf_to_lba(msf);
        return true;
}

int mmc_parse_disc_information(const uint8_t *buf, size_t len, mmc_disc_info *ret)
{
        size_t end;
        int r;

        if (len < 2)
                return -EBADMSG;
        r = reply_end(len, 2, be16(buf), &end);
        if (r < 0)
                return r;
        if (end < 24)
                return -EBADMSG;

        memset(ret, 0, sizeof *ret);
        ret->status = (mmc_disc_status)(buf[2] & 0x03);
        ret->erasable = buf[2] & 0x10;
        ret->has_leadin = msf_to_lba_checked(buf + 17, &ret->leadin_start_lba);
        ret->has_last_leadout = msf_to_lba_checked(buf + 21, &ret->last_leadout_lba);
        return 0;
}

int mmc_parse_atip(const uint8_t *buf, size_t len, mmc_atip *ret)
{
        size_t end;
        int r;

        if (len < 4)
                return -EBADMSG;
        r = reply_end(len, 2, be16(buf), &end);
        if (r < 0)
                return r;
        if (end <= 4)
                return -ENODATA;
        if (end < 15)
                return -EBADMSG;

        memset(ret, 0, sizeof *ret);
        ret->rewritable = buf[6] & 0x40;
        if (!msf_to_lba_checked(buf + 8, &ret->leadin_start_lba) ||
            !msf_to_lba_checked(buf + 12, &ret->last_leadout_lba))
                return -EBADMSG;
        return 0;
}

int mmc_parse_write_speeds(const uint8_t *buf, size_t len, mmc_speed *speeds, size_t max, size_t *n)
{
        size_t end;
        int r;

        if (len < 8)
                return -EBADMSG;
        r = reply_end(len, 4, be32(buf), &end);
        if (r < 0)
                return r;
        if (end < 8)
                return -EBADMSG;

        *n = 0;
        for (size_t p = 8; p + 16 <= end && *n < max; p += 16)
                speeds[(*n)++] = (mmc_speed){
                    .kbps = be32(buf + p + 12),
                    /* WRC 01b: CAV */
                    .pure_cav = ((buf[p] >> 3) & 0x03) == 0x01,
                };
        return 0;
}

uint32_t mmc_kbps_to_sectors_per_second(uint32_t kbps)
{
        return (uint32_t)(((uint64_t)kbps * 1000 + MMC_CD_SECTOR_BYTES / 2) / MMC_CD_SECTOR_BYTES);
}

int32_t mmc_profile_to_imapi_media_type(uint16_t profile)
{
        switch (profile) {
        case 0x0008:
                return 0x01; /* CDROM */
        case 0x0009:
                return 0x02; /* CDR */
        case 0x000a:
                return 0x03; /* CDRW */
        case 0x0010:
                return 0x04; /* DVDROM */
        case 0x0011:
                return 0x09; /* DVDDASHR */
        case 0x0012:
                return 0x05; /* DVDRAM */
        case 0x0013:
        case 0x0014:
                return 0x0a; /* DVDDASHRW */
        case 0x0015:
        case 0x0016:
                return 0x0b; /* DVDDASHR_DUALLAYER */
        case 0x001a:
                return 0x07; /* DVDPLUSRW */
        case 0x001b:
                return 0x06; /* DVDPLUSR */
        case 0x002a:
                return 0x0d; /* DVDPLUSRW_DUALLAYER */
        case 0x002b:
                return 0x08; /* DVDPLUSR_DUALLAYER */
        case 0x0040:
                return 0x11; /* BDROM */
        case 0x0041:
        case 0x0042:
                return 0x12; /* BDR */
        case 0x0043:
                return 0x13; /* BDRE */
        case 0x0050:
                return 0x0e; /* HDDVDROM */
        case 0x0051:
                return 0x0f; /* HDDVDR */
        case 0x0052:
                return 0x10; /* HDDVDRAM */
        case 0x0001:
        case 0x0002:
                return 0x0c; /* DISK */
        default:
                return 0x00; /* UNKNOWN, or no media */
        }
}

/* ---- MODE SELECT(10) and the Write Parameters page 05h ---- */

/* Bytes a page 05h must have for the fields of mmc_page05: up to the session format. */
#define PAGE05_FIELDS_END 9

static bool is_page05(const uint8_t *page, size_t len)
{
        return len >= PAGE05_FIELDS_END && (page[0] & 0x3f) == MMC_MODE_PAGE_WRITE_PARAMETERS &&
               (size_t)page[1] + 2 <= len && (size_t)page[1] + 2 >= PAGE05_FIELDS_END;
}

int mmc_page05_build(uint8_t *buf, size_t size, const uint8_t *base, size_t base_len,
                     const mmc_page05 *p, size_t *len)
{
        size_t page_len = base ? (size_t)base[1] + 2 : 2 + MMC_PAGE05_MIN_LEN;
        uint8_t *pg = buf + MMC_MODE_HEADER_10;

        if (base && !is_page05(base, base_len))
                return -EINVAL;
        if (size < MMC_MODE_HEADER_10 + page_len)
                return -ENOBUFS;
        memset(buf, 0, MMC_MODE_HEADER_10);
        if (base) {
                memcpy(pg, base, page_len);
        } else {
                memset(pg, 0, page_len);
                pg[1] = MMC_PAGE05_MIN_LEN;
                put_be16(pg + 14, 150); /* audio pause length: 2 s */
        }
        pg[0] = MMC_MODE_PAGE_WRITE_PARAMETERS; /* PS is the drive's to report */
        /* Byte 2: keep LS_V (bit 5) with its link size; BUFE, Test Write, Write Type ours. */
        pg[2] = (uint8_t)((pg[2] & 0x20) | (p->bufe ? 0x40 : 0) | (p->test_write ? 0x10 : 0) |
                          (p->write_type & 0x0f));
        /* Byte 3: multi-session and track mode ours; FP and Copy (packet, SCMS) off. */
        pg[3] = (uint8_t)((p->multisession & 0x03) << 6 | (p->track_mode & 0x0f));
        pg[4] = (uint8_t)((pg[4] & 0xf0) | (p->data_block_type & 0x0f));
        pg[8] = p->session_format;
        *len = MMC_MODE_HEADER_10 + page_len;
        return 0;
}

int mmc_page05_parse(const uint8_t *page, size_t len, mmc_page05 *ret)
{
        if (!is_page05(page, len))
                return -EINVAL;
        *ret = (mmc_page05){
            .write_type = page[2] & 0x0f,
            .data_block_type = page[4] & 0x0f,
            .test_write = page[2] & 0x10,
            .bufe = page[2] & 0x40,
            .multisession = page[3] >> 6,
            .track_mode = page[3] & 0x0f,
            .session_format = page[8],
        };
        return 0;
}

int mmc_mode_select_list(uint8_t *buf, size_t size, const uint8_t *page, size_t page_len,
                         size_t *len)
{
        size_t n;

        if (page_len < 2 || (size_t)page[1] + 2 > page_len)
                return -EINVAL;
        n = (size_t)page[1] + 2;
        if (size < MMC_MODE_HEADER_10 + n)
                return -ENOBUFS;
        memset(buf, 0, MMC_MODE_HEADER_10);
        memcpy(buf + MMC_MODE_HEADER_10, page, n);
        buf[MMC_MODE_HEADER_10] &= 0x7f; /* PS */
        *len = MMC_MODE_HEADER_10 + n;
        return 0;
}
