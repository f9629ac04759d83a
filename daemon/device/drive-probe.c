/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "drive-probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drive-ops.h"
#include "sgio.h"

/* Probing commands answer at once on a healthy drive; a hung one must not
 * keep a worker thread for the 60 s default. */
#define PROBE_TIMEOUT_MS 10000
/* Mode pages IMAPI_MODE_PAGE_TYPE names, asked one by one (some drives do
 * not implement "all pages", 3Fh). */
static const uint8_t imapi_mode_pages[] = {0x01, 0x03, 0x05, 0x08, 0x1a, 0x1c, 0x1d, 0x2a};

static void mark(drive_info *info, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void mark(drive_info *info, int error, const char *fmt, ...)
{
        va_list ap;

        if (info->error[0] != '\0')
                return; /* keep the first: later failures are often its echo */
        va_start(ap, fmt);
        vsnprintf(info->error, sizeof info->error, fmt, ap);
        va_end(ap);
        info->error_errno = error;
}

static void mark_failure(drive_info *info, uint8_t op, const char *what, int r,
                         const sgio_result *res)
{
        if (r == -EIO && res->has_sense)
                mark(info, r, "%s failed with sense %02X/%02X/%02X (%s)", what, res->sense.key,
                     res->sense.asc, res->sense.ascq, sense_to_error(op, &res->sense));
        else
                mark(info, r, "%s failed: %s", what, strerror(-r));
}

/* Runs a command, retrying once per UNIT ATTENTION (medium changed, reset):
 * those report an event, not a failure of this command. */
static int run(int fd, const uint8_t *cdb, size_t cdb_len, sgio_dir dir, void *buf, size_t len,
               sgio_result *res)
{
        int r = 0;

        for (int attempt = 0; attempt < 4; attempt++) {
                r = sgio_exec(fd, cdb, cdb_len, dir, buf, len, PROBE_TIMEOUT_MS, res);
                if (!(r == -EIO && res->has_sense && sense_is_unit_attention(&res->sense)))
                        break;
        }
        return r;
}

/* A transport failure (timeout, device gone) makes every further command
 * pointless. */
static bool fatal(int r)
{
        return r == -ETIMEDOUT || r == -ENODEV || r == -ENXIO;
}

static int probe_identity(int fd, drive_info *info)
{
        uint8_t cdb[12], buf[96] = {0};
        sgio_result res;
        size_t n;
        int r;

        n = mmc_cdb_inquiry(cdb, sizeof buf);
        r = run(fd, cdb, n, SGIO_FROM_DEVICE, buf, sizeof buf, &res);
        if (r < 0) {
                mark_failure(info, MMC_OP_INQUIRY, "INQUIRY", r, &res);
                return r;
        }
        r = mmc_parse_inquiry(buf, res.transferred, &info->inquiry);
        if (r < 0) {
                mark(info, r, "INQUIRY reply malformed (%zu bytes)", res.transferred);
                return 0;
        }
        info->have_inquiry = true;
        return 0;
}

static int probe_configuration(int fd, drive_info *info)
{
        uint8_t cdb[12];
        size_t alloc = 65530, n;
        sgio_result res;
        uint8_t *buf;
        int r;

        buf = calloc(1, alloc);
        if (!buf)
                return -ENOMEM;
        n = mmc_cdb_get_configuration(cdb, 0, 0, (uint16_t)alloc);
        r = run(fd, cdb, n, SGIO_FROM_DEVICE, buf, alloc, &res);
        if (r < 0)
                mark_failure(info, MMC_OP_GET_CONFIGURATION, "GET CONFIGURATION", r, &res);
        else if (mmc_parse_configuration(buf, res.transferred, &info->config) < 0)
                mark(info, -EBADMSG, "GET CONFIGURATION reply malformed (%zu bytes)",
                     res.transferred);
        else
                info->have_config = true;
        free(buf);
        return fatal(r) ? r : 0;
}

static int probe_mode_pages(int fd, drive_info *info)
{
        uint8_t cdb[12], buf[512];

        for (size_t i = 0; i < sizeof imapi_mode_pages; i++) {
                uint8_t page = imapi_mode_pages[i];
                const uint8_t *pg;
                sgio_result res;
                size_t n, pg_len;
                int r;

                memset(buf, 0, sizeof buf);
                n = mmc_cdb_mode_sense_10(cdb, 0, page, sizeof buf);
                r = run(fd, cdb, n, SGIO_FROM_DEVICE, buf, sizeof buf, &res);
                if (fatal(r)) {
                        mark_failure(info, MMC_OP_MODE_SENSE_10, "MODE SENSE", r, &res);
                        return r;
                }
                if (r < 0)
                        continue; /* 05/24/00: the drive lacks the page */
                if (mmc_mode_sense_page(buf, res.transferred, page, &pg, &pg_len) < 0) {
                        mark(info, -EBADMSG, "MODE SENSE page %02Xh reply malformed", page);
                        continue;
                }
                info->mode_pages[info->n_mode_pages++] = page;
                if (page == MMC_MODE_PAGE_CAPABILITIES) {
                        if (mmc_parse_capabilities(buf, res.transferred, &info->caps) == 0)
                                info->have_caps = true;
                        else
                                mark(info, -EBADMSG, "mode page 2Ah too short");
                }
        }
        return 0;
}

static int probe_media(int fd, drive_info *info)
{
        uint8_t cdb[12], buf[256];
        sgio_result res;
        size_t n;
        int r;

        n = mmc_cdb_test_unit_ready(cdb);
        r = run(fd, cdb, n, SGIO_NONE, NULL, 0, &res);
        if (r == -EIO && res.has_sense && res.sense.key == 0x02 && res.sense.asc == 0x3a)
                return 0; /* no medium: a state, not a fault */
        if (fatal(r)) {
                mark_failure(info, MMC_OP_TEST_UNIT_READY, "TEST UNIT READY", r, &res);
                return r;
        }
        if (r < 0) {
                /* Becoming ready, upside-down, incompatible…: present but unusable. */
                mark_failure(info, MMC_OP_TEST_UNIT_READY, "TEST UNIT READY", r, &res);
        }
        info->media_present = true;

        memset(buf, 0, sizeof buf);
        n = mmc_cdb_read_disc_information(cdb, 34);
        r = run(fd, cdb, n, SGIO_FROM_DEVICE, buf, 34, &res);
        if (fatal(r)) {
                mark_failure(info, MMC_OP_READ_DISC_INFORMATION, "READ DISC INFORMATION", r, &res);
                return r;
        }
        if (r < 0)
                mark_failure(info, MMC_OP_READ_DISC_INFORMATION, "READ DISC INFORMATION", r, &res);
        else if (mmc_parse_disc_information(buf, res.transferred, &info->disc) < 0)
                mark(info, -EBADMSG, "READ DISC INFORMATION reply malformed (%zu bytes)",
                     res.transferred);
        else
                info->have_disc_info = true;

        memset(buf, 0, sizeof buf);
        n = mmc_cdb_read_atip(cdb, 32);
        r = run(fd, cdb, n, SGIO_FROM_DEVICE, buf, 32, &res);
        if (fatal(r)) {
                mark_failure(info, MMC_OP_READ_TOC_PMA_ATIP, "READ ATIP", r, &res);
                return r;
        }
        /* A pressed CD or a DVD has no ATIP: an error here is expected. */
        if (r == 0 && mmc_parse_atip(buf, res.transferred, &info->atip) == 0)
                info->have_atip = true;

        memset(buf, 0, sizeof buf);
        n = mmc_cdb_get_performance_write_speed(cdb, 8);
        r = run(fd, cdb, n, SGIO_FROM_DEVICE, buf, 8 + 8 * 16, &res);
        if (fatal(r)) {
                mark_failure(info, MMC_OP_GET_PERFORMANCE, "GET PERFORMANCE", r, &res);
                return r;
        }
        if (r == 0)
                (void)mmc_parse_write_speeds(buf, res.transferred, info->speeds, MMC_MAX_SPEEDS,
                                             &info->n_speeds);
        return 0;
}

static void probe_all(int fd, drive_info *info)
{
        int r;

        r = probe_identity(fd, info);
        if (r < 0 && fatal(r))
                return;
        if (probe_configuration(fd, info) < 0)
                return;
        if (probe_mode_pages(fd, info) < 0)
                return;
        if (probe_media(fd, info) < 0)
                return;
        /* Without GET PERFORMANCE, page 2Ah's descriptor table is the list. */
        if (info->n_speeds == 0 && info->have_caps) {
                info->n_speeds = info->caps.n_speeds;
                memcpy(info->speeds, info->caps.speeds, sizeof info->caps.speeds);
        }
}

int drive_probe_fd(int fd, drive_info *info)
{
        memset(info, 0, sizeof *info);
        probe_all(fd, info);
        info->write_modes.claimed =
            write_modes_claimed(&info->config, info->have_config, &info->caps, info->have_caps);
        return 0;
}

static bool has_profile(const mmc_config *c, uint16_t profile)
{
        for (size_t i = 0; i < c->n_profiles; i++)
                if (c->profiles[i] == profile)
                        return true;
        return false;
}

drive_cd_writing drive_info_cd_writing(const drive_info *info)
{
        bool cdr = false, cdrw = false;
        /* A profile list that is empty says nothing (some drives answer the header only). */
        bool have_profiles = info->have_config && info->config.n_profiles > 0;

        if (!info->have_caps && !have_profiles)
                return DRIVE_WRITES_UNKNOWN;
        /* Either answer that claims a kind is believed: refusing a drive that can do it
         * would be worse than letting its own command refuse. */
        if (info->have_caps) {
                cdr = info->caps.cdr_write;
                cdrw = info->caps.cdrw_write;
        }
        if (have_profiles) {
                cdr = cdr || has_profile(&info->config, MMC_PROFILE_CD_R);
                cdrw = cdrw || has_profile(&info->config, MMC_PROFILE_CD_RW);
        }
        if (cdrw)
                return DRIVE_WRITES_CDRW;
        return cdr ? DRIVE_WRITES_CDR : DRIVE_WRITES_NO_CD;
}

/* ---- write-mode probes ---- */

/* One MODE SELECT(10) of a parameter list. */
static int mode_select(int fd, uint8_t *list, size_t len, sgio_result *res)
{
        uint8_t cdb[10];
        size_t n = mmc_cdb_mode_select_10(cdb, (uint16_t)len);

        return run(fd, cdb, n, SGIO_TO_DEVICE, list, len, res);
}

int drive_probe_write_modes_fd(int fd, drive_info *info)
{
        write_mode_probe probes[2 * WRITE_MODE_COUNT];
        uint8_t cdb[10], buf[255], saved[255], list[8 + 255];
        write_modes *w = &info->write_modes;
        const uint8_t *pg;
        size_t n, pg_len, saved_len, len;
        bool complete = true;
        sgio_result res;
        int r;

        w->accepted = 0;
        w->probed = false;
        if (w->claimed == 0) {
                w->probed = true; /* a reader: nothing to confirm */
                return 0;
        }
        /* The page as it is now: each probe changes it, and it goes back at the end. */
        memset(buf, 0, sizeof buf);
        n = mmc_cdb_mode_sense_10(cdb, 0, MMC_MODE_PAGE_WRITE_PARAMETERS, sizeof buf);
        r = run(fd, cdb, n, SGIO_FROM_DEVICE, buf, sizeof buf, &res);
        if (r == -EIO && res.has_sense && res.sense.key == 0x05) {
                w->probed = true; /* no write parameters page: the drive writes nothing */
                return 0;
        }
        if (fatal(r)) {
                mark_failure(info, MMC_OP_MODE_SENSE_10, "MODE SENSE of page 05h", r, &res);
                return r;
        }
        if (r < 0)
                return 0; /* not ready, say: no answer, probe again later */
        if (mmc_mode_sense_page(buf, res.transferred, MMC_MODE_PAGE_WRITE_PARAMETERS, &pg,
                                &pg_len) < 0) {
                mark(info, -EBADMSG, "MODE SENSE page 05h reply malformed");
                return 0;
        }
        memcpy(saved, pg, pg_len);
        saved_len = pg_len;

        n = write_modes_probe_list(w->claimed, probes, sizeof probes / sizeof probes[0]);
        for (size_t k = 0; k < n; k++) {
                write_mode m = probes[k].mode;
                mmc_page05 p;

                if (probes[k].test_write && !(w->accepted & WRITE_MODE_BIT(m)))
                        continue; /* no simulation in a mode the drive does not write */
                write_mode_page05(m, probes[k].test_write, &p);
                if (mmc_page05_build(list, sizeof list, saved, saved_len, &p, &len) < 0) {
                        mark(info, -EBADMSG, "MODE SENSE page 05h too short (%zu bytes)",
                             saved_len);
                        return 0;
                }
                r = mode_select(fd, list, len, &res);
                if (r == 0) {
                        w->accepted |=
                            probes[k].test_write ? WRITE_MODE_TEST_BIT(m) : WRITE_MODE_BIT(m);
                } else if (fatal(r)) {
                        mark_failure(info, MMC_OP_MODE_SELECT_10, "MODE SELECT", r, &res);
                        return r;
                } else if (!(r == -EIO && res.has_sense && res.sense.key == 0x05)) {
                        /* ILLEGAL REQUEST is the drive's no; anything else (NOT READY, a
                         * transient error) is no answer, and the probe must run again. */
                        complete = false;
                }
        }

        r = mmc_mode_select_list(list, sizeof list, saved, saved_len, &len);
        if (r == 0)
                r = mode_select(fd, list, len, &res);
        if (r < 0) {
                mark_failure(info, MMC_OP_MODE_SELECT_10, "MODE SELECT restoring page 05h", r,
                             &res);
                return fatal(r) ? r : 0;
        }
        w->probed = complete;
        return 0;
}

int drive_probe_write_modes(const char *devnode, drive_info *info)
{
        int fd, r;

        if (info->write_modes.claimed == 0) {
                /* A reader: nothing to confirm, and no need to open it for writing. */
                info->write_modes.accepted = 0;
                info->write_modes.probed = true;
                return 0;
        }

        /* O_EXCL fails while cdrdao, wodim, libburn or a rawburn burn hold the node, flock
         * while a BLOCK_DEVICE_LOCKING holder does: their page 05h is theirs. */
        r = drive_open_exclusive(devnode, &fd);
        if (r < 0)
                return r;
        r = drive_probe_write_modes_fd(fd, info);
        close(fd); /* also lets go of the lock */
        return r;
}

int drive_probe(const char *devnode, drive_info *info)
{
        int fd, r;

        /* O_NONBLOCK: the sr driver refuses a blocking open of an empty drive. */
        fd = open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
                memset(info, 0, sizeof *info);
                r = -errno;
                mark(info, r, "cannot open %s: %s", devnode, strerror(-r));
                return r;
        }
        r = drive_probe_fd(fd, info);
        close(fd);
        return r;
}

int drive_load_eject(const char *devnode, bool load, scsi_sense *sense)
{
        uint8_t cdb[6];
        sgio_result res;
        size_t n;
        int fd, r;

        fd = open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        /* A tray locked by an earlier PREVENT (by us or a crashed tool) would
         * refuse; the caller was authorized to eject, so allow removal first. */
        if (!load) {
                n = mmc_cdb_prevent_allow(cdb, false);
                (void)run(fd, cdb, n, SGIO_NONE, NULL, 0, &res);
        }
        n = mmc_cdb_start_stop_unit(cdb, true, load);
        r = run(fd, cdb, n, SGIO_NONE, NULL, 0, &res);
        if (r == -EIO && res.has_sense)
                *sense = res.sense;
        close(fd);
        return r;
}
