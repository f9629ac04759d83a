/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "drive-ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <rawburn/msf.h>

#include "sgio.h"

#define SHORT_TIMEOUT_MS 10000
#define READY_POLL_NS    (250 * 1000000L)

int drive_open_exclusive(const char *devnode, int *ret_fd)
{
        int fd = open(devnode, O_RDWR | O_NONBLOCK | O_EXCL | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                int r = -errno;

                /* A shared lock still to be had means every holder is a shared
                 * one: udev processing an event of the drive, which lets go by
                 * itself. (Closing fd lets go of ours.) */
                if (r == -EWOULDBLOCK)
                        r = flock(fd, LOCK_SH | LOCK_NB) == 0 ? -EAGAIN : -EBUSY;
                close(fd);
                return r;
        }
        *ret_fd = fd;
        return 0;
}

static int64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool sense_is(const sgio_result *res, uint8_t key, uint8_t asc)
{
        return res->has_sense && res->sense.key == key && res->sense.asc == asc;
}

int drive_wait_ready(int fd, unsigned timeout_ms, drive_error *e)
{
        int64_t deadline = now_ms() + timeout_ms;
        uint8_t cdb[6];
        sgio_result res;
        size_t n = mmc_cdb_test_unit_ready(cdb);
        int r;

        for (;;) {
                r = sgio_exec(fd, cdb, n, SGIO_NONE, NULL, 0, SHORT_TIMEOUT_MS, &res);
                if (r == 0)
                        return 0;
                /* Unit attention (disc changed, reset) is news, not a failure;
                 * "becoming ready" (02/04/01) and "not ready, cause not
                 * reportable" (02/04/00) pass by themselves: a disc spinning up. */
                bool transient =
                    r == -EIO && res.has_sense &&
                    (sense_is_unit_attention(&res.sense) ||
                     (res.sense.key == 0x02 && res.sense.asc == 0x04 && res.sense.ascq <= 0x01));
                if (!transient || now_ms() >= deadline)
                        break;
                struct timespec ts = {0, READY_POLL_NS};
                nanosleep(&ts, NULL);
        }
        drive_error_from_command(e, MMC_OP_TEST_UNIT_READY, "TEST UNIT READY", r, &res);
        if (sense_is(&res, 0x02, 0x04) && res.sense.ascq <= 0x01)
                snprintf(e->detail + strlen(e->detail), sizeof e->detail - strlen(e->detail),
                         "; still not ready after %u s", timeout_ms / 1000);
        return r;
}

static int read_profile(int fd, uint16_t *profile, drive_error *e)
{
        uint8_t cdb[10], buf[8 + 4 * MMC_MAX_PROFILES + 8] = {0};
        sgio_result res;
        mmc_config cfg;
        size_t n = mmc_cdb_get_configuration(cdb, 2, MMC_FEATURE_PROFILE_LIST, sizeof buf);
        int r = sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, buf, sizeof buf, SHORT_TIMEOUT_MS, &res);

        if (r < 0) {
                drive_error_from_command(e, MMC_OP_GET_CONFIGURATION, "GET CONFIGURATION", r, &res);
                return r;
        }
        if (mmc_parse_configuration(buf, res.transferred, &cfg) < 0) {
                drive_error_set(e, "RecorderInvalidResponseFromDevice",
                                "GET CONFIGURATION returned a malformed reply");
                return -EBADMSG;
        }
        *profile = cfg.current_profile;
        return 0;
}

static bool is_dvd_profile(uint16_t p)
{
        return p >= 0x0010 && p <= 0x002b;
}

static const char *dvd_book_name(uint8_t book)
{
        static const char *const names[16] = {
            [0] = "DVD-ROM", [1] = "DVD-RAM", [2] = "DVD-R",      [3] = "DVD-RW",
            [9] = "DVD+RW",  [10] = "DVD+R",  [13] = "DVD+RW DL", [14] = "DVD+R DL",
        };

        return names[book & 0x0f] ? names[book & 0x0f] : "DVD";
}

/* Names what a DVD in the drive is, from its physical format structure, for
 * the refusal; a DVD profile without that structure is an error of its own. */
static int describe_dvd(int fd, uint16_t profile, drive_error *e)
{
        uint8_t cdb[12], buf[4 + 17] = {0};
        sgio_result res;
        mmc_dvd_physical phys;
        size_t n = mmc_cdb_read_dvd_physical(cdb, sizeof buf);
        int r = sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, buf, sizeof buf, SHORT_TIMEOUT_MS, &res);

        if (r < 0) {
                drive_error_from_command(e, MMC_OP_READ_DISC_STRUCTURE,
                                         "READ DISC STRUCTURE of the DVD in the drive", r, &res);
                return r;
        }
        if (mmc_parse_dvd_physical(buf, res.transferred, &phys) < 0) {
                drive_error_set(e, "RecorderInvalidResponseFromDevice",
                                "READ DISC STRUCTURE returned a malformed reply");
                return -EBADMSG;
        }
        drive_error_set(e, "MediaIsNotSupported",
                        "the drive holds a %s (%u layer%s, profile %04Xh); raw writing needs a "
                        "blank CD-R or CD-RW",
                        dvd_book_name(phys.book_type), phys.layers, phys.layers > 1 ? "s" : "",
                        profile);
        return -EMEDIUMTYPE;
}

static const char *profile_name(uint16_t p)
{
        switch (p) {
        case MMC_PROFILE_CD_ROM:
                return "a pressed CD-ROM (or a closed disc the drive reads as one)";
        case 0x0040:
        case 0x0041:
        case 0x0042:
        case 0x0043:
                return "a Blu-ray disc";
        default:
                return "a disc of unknown kind";
        }
}

int drive_check_blank_cd(int fd, drive_media *m, drive_error *e)
{
        uint8_t cdb[10], buf[64];
        sgio_result res;
        size_t n;
        int r;

        memset(m, 0, sizeof *m);
        r = read_profile(fd, &m->profile, e);
        if (r < 0)
                return r;
        if (is_dvd_profile(m->profile))
                return describe_dvd(fd, m->profile, e);
        if (m->profile != MMC_PROFILE_CD_R && m->profile != MMC_PROFILE_CD_RW) {
                drive_error_set(e, "MediaIsNotSupported",
                                "the drive holds %s (profile %04Xh); raw writing needs a blank "
                                "CD-R or CD-RW",
                                profile_name(m->profile), m->profile);
                return -EMEDIUMTYPE;
        }

        memset(buf, 0, sizeof buf);
        n = mmc_cdb_read_disc_information(cdb, 34);
        r = sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, buf, 34, SHORT_TIMEOUT_MS, &res);
        if (r < 0) {
                drive_error_from_command(e, MMC_OP_READ_DISC_INFORMATION, "READ DISC INFORMATION",
                                         r, &res);
                return r;
        }
        if (mmc_parse_disc_information(buf, res.transferred, &m->disc) < 0) {
                drive_error_set(e, "RecorderInvalidResponseFromDevice",
                                "READ DISC INFORMATION returned a malformed reply");
                e->op = MMC_OP_READ_DISC_INFORMATION; /* an erase names it (media-erase.c) */
                return -EBADMSG;
        }
        if (m->disc.status != MMC_DISC_BLANK) {
                drive_error_set(e, "MediaIsNotBlank",
                                m->profile == MMC_PROFILE_CD_RW
                                    ? "the CD-RW holds data: erase it first"
                                    : "the CD-R has been written already: insert a blank one");
                return -EMEDIUMTYPE;
        }

        memset(buf, 0, sizeof buf);
        n = mmc_cdb_read_atip(cdb, 32);
        r = sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, buf, 32, SHORT_TIMEOUT_MS, &res);
        if (r == 0 && mmc_parse_atip(buf, res.transferred, &m->atip) == 0) {
                m->have_atip = true;
        } else if (r < 0 && !(r == -EIO && res.has_sense && res.sense.key == 0x05 &&
                              (res.sense.asc == 0x24 || res.sense.asc == 0x30))) {
                /* A disc without ATIP answers "invalid field" or "incompatible
                 * format", and READ DISC INFORMATION's lead-in start stands
                 * in; any other failure is the drive's. */
                drive_error_from_command(e, MMC_OP_READ_TOC_PMA_ATIP, "READ ATIP", r, &res);
                return r;
        }
        if (m->have_atip) {
                m->leadin_start = m->atip.leadin_start_lba;
                m->last_leadout = m->atip.last_leadout_lba;
        } else if (m->disc.has_leadin && m->disc.has_last_leadout) {
                m->leadin_start = m->disc.leadin_start_lba;
                m->last_leadout = m->disc.last_leadout_lba;
        } else {
                drive_error_set(e, "RecorderMediaIncompatible",
                                "the blank disc has no ATIP: its lead-in start is unknown");
                return -EMEDIUMTYPE;
        }
        /* A lead-in start outside 90:00:00..99:59:74 would make nonsense of
         * every address that follows. */
        if (m->leadin_start < RB_LBA_MIN || m->leadin_start >= -150 || m->last_leadout <= 0) {
                drive_error_set(e, "RecorderInvalidResponseFromDevice",
                                "the disc reports lead-in start LBA %d and last lead-out start "
                                "LBA %d",
                                m->leadin_start, m->last_leadout);
                return -EBADMSG;
        }
        return 0;
}

int drive_set_raw_write_params(int fd, const mmc_raw_write_params *wp, drive_error *e)
{
        uint8_t cdb[10], sense_buf[256] = {0}, list[256];
        sgio_result res;
        size_t n = mmc_cdb_mode_sense_10(cdb, 0, 0x05, sizeof sense_buf);
        int r = sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, sense_buf, sizeof sense_buf,
                          SHORT_TIMEOUT_MS, &res);
        int len;

        if (r < 0) {
                drive_error_from_command(e, MMC_OP_MODE_SENSE_10,
                                         "MODE SENSE of the write parameters page", r, &res);
                return r;
        }
        len = mmc_page05_raw_select_list(sense_buf, res.transferred, wp, list, sizeof list);
        if (len < 0) {
                drive_error_set(e, "RecorderInvalidResponseFromDevice",
                                "the drive's write parameters page (05h) is malformed");
                return -EBADMSG;
        }
        n = mmc_cdb_mode_select_10(cdb, (uint16_t)len);
        r = sgio_exec(fd, cdb, n, SGIO_TO_DEVICE, list, (size_t)len, SHORT_TIMEOUT_MS, &res);
        if (r < 0)
                drive_error_from_command(e, MMC_OP_MODE_SELECT_10,
                                         wp->test_write
                                             ? "MODE SELECT of RAW writing with Test Write"
                                             : "MODE SELECT of RAW writing",
                                         r, &res);
        return r;
}

static int read_current_speed(int fd, uint32_t *kbps, bool *cav, drive_error *e)
{
        uint8_t cdb[10], buf[512] = {0};
        sgio_result res;
        mmc_caps caps;
        size_t n = mmc_cdb_mode_sense_10(cdb, 0, MMC_MODE_PAGE_CAPABILITIES, sizeof buf);
        int r = sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, buf, sizeof buf, SHORT_TIMEOUT_MS, &res);

        if (r < 0) {
                drive_error_from_command(e, MMC_OP_MODE_SENSE_10, "MODE SENSE of page 2Ah", r,
                                         &res);
                return r;
        }
        if (mmc_parse_capabilities(buf, res.transferred, &caps) < 0) {
                drive_error_set(e, "RecorderInvalidResponseFromDevice",
                                "the capabilities page (2Ah) is malformed");
                return -EBADMSG;
        }
        *kbps = caps.current_write_kbps;
        *cav = caps.current_pure_cav;
        return 0;
}

int drive_set_write_speed(int fd, int32_t sectors_per_second, bool pure_cav, uint32_t *adjusted,
                          drive_error *e)
{
        uint8_t cdb[12];
        sgio_result res;
        uint32_t kbps = 0xffff, now_kbps = 0;
        bool now_cav = false, speed_differs, rotation_differs;
        size_t n;
        int r;

        if (sectors_per_second > 0) {
                uint64_t k = ((uint64_t)sectors_per_second * MMC_CD_SECTOR_BYTES + 999) / 1000;

                kbps = k > 0xfffe ? 0xfffe : (uint32_t)k;
        }
        n = mmc_cdb_set_cd_speed(cdb, (uint16_t)kbps, pure_cav);
        r = sgio_exec(fd, cdb, n, SGIO_NONE, NULL, 0, SHORT_TIMEOUT_MS, &res);
        if (r < 0) {
                drive_error_from_command(e, MMC_OP_SET_CD_SPEED, "SET CD SPEED", r, &res);
                return r;
        }
        r = read_current_speed(fd, &now_kbps, &now_cav, e);
        if (r < 0)
                return r;
        /* Drives round to the speeds they have: compare in sectors per second,
         * as the caller asked. */
        speed_differs = sectors_per_second > 0 &&
                        mmc_kbps_to_sectors_per_second(now_kbps) != (uint32_t)sectors_per_second;
        rotation_differs = pure_cav != now_cav;
        *adjusted = speed_differs && rotation_differs ? S_IMAPI_BOTHADJUSTED
                    : speed_differs                   ? S_IMAPI_SPEEDADJUSTED
                    : rotation_differs                ? S_IMAPI_ROTATIONADJUSTED
                                                      : 0;
        return 0;
}

int drive_lock_tray(int fd, bool lock, drive_error *e)
{
        uint8_t cdb[6];
        sgio_result res;
        size_t n = mmc_cdb_prevent_allow(cdb, lock);
        int r = sgio_exec(fd, cdb, n, SGIO_NONE, NULL, 0, SHORT_TIMEOUT_MS, &res);

        if (r < 0)
                drive_error_from_command(e, MMC_OP_PREVENT_ALLOW,
                                         lock ? "PREVENT MEDIUM REMOVAL" : "ALLOW MEDIUM REMOVAL",
                                         r, &res);
        return r;
}

int drive_eject(int fd, drive_error *e)
{
        uint8_t cdb[6];
        sgio_result res;
        size_t n = mmc_cdb_start_stop_unit(cdb, true, false);
        int r = sgio_exec(fd, cdb, n, SGIO_NONE, NULL, 0, SHORT_TIMEOUT_MS, &res);

        if (r < 0)
                drive_error_from_command(e, MMC_OP_START_STOP_UNIT, "START STOP UNIT (eject)", r,
                                         &res);
        return r;
}
