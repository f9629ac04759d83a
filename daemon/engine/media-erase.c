/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "media-erase.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drive-ops.h"
#include "drive-presence.h"
#include "mmc.h"
#include "sgio.h"

#define SHORT_TIMEOUT_MS 10000
#define POLL_NS          (250 * 1000000L)

static int64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the drive says of the running BLANK: 0 done, 1 still busy (with its
 * progress when it gives one), negative on failure. */
static int poll_blank(int fd, erase_progress *p, drive_error *e)
{
        uint8_t cdb[6], sense[18] = {0};
        sgio_result res;
        uint16_t progress;
        size_t n = mmc_cdb_test_unit_ready(cdb);
        int r = sgio_exec(fd, cdb, n, SGIO_NONE, NULL, 0, SHORT_TIMEOUT_MS, &res);

        if (r == 0)
                return 0;
        /* 02/04/07 (operation in progress) or 02/04/08 (long write): still at it. */
        if (!(r == -EIO && res.has_sense && res.sense.key == 0x02 && res.sense.asc == 0x04 &&
              (res.sense.ascq == 0x07 || res.sense.ascq == 0x08))) {
                drive_error_from_command(e, MMC_OP_TEST_UNIT_READY, "TEST UNIT READY while erasing",
                                         r, &res);
                /* Any other answer of the drive: IMAPI2's "unexpected response
                 * during the erase" (a transport failure keeps its own name,
                 * an unplug becomes DeviceNotExist). */
                if (e->has_sense)
                        e->name = "EraseUnexpectedDriveResponseDuringErase";
                return r;
        }
        n = mmc_cdb_request_sense(cdb, sizeof sense);
        if (sgio_exec(fd, cdb, n, SGIO_FROM_DEVICE, sense, sizeof sense, SHORT_TIMEOUT_MS, &res) ==
                0 &&
            mmc_sense_progress(sense, res.transferred, &progress))
                atomic_store(&p->permille, (unsigned)((uint32_t)progress * 1000u / 65536u));
        return 1;
}

static bool is_cd_profile(uint16_t p)
{
        return p == MMC_PROFILE_CD_ROM || p == MMC_PROFILE_CD_R || p == MMC_PROFILE_CD_RW;
}

/* The erase's own names for what the disc check finds (IMAPI2's
 * E_IMAPI_ERASE_* codes): a CD that is not a CD-RW is not erasable, a disc
 * that is no CD is not supported, a short READ DISC INFORMATION is too small. */
static int check_cdrw(int fd, drive_error *e)
{
        drive_media m;
        int r = drive_check_blank_cd(fd, &m, e);
        char why[sizeof e->detail];

        /* A blank CD-RW may be erased again; everything else a CD-RW holds is
         * what erasing is for. */
        if (r == 0 || (e->name && strcmp(e->name, "MediaIsNotBlank") == 0)) {
                if (m.profile == MMC_PROFILE_CD_RW) {
                        memset(e, 0, sizeof *e);
                        return 0;
                }
                drive_error_set(e, "EraseMediaIsNotErasable",
                                "the drive holds a CD-R: only CD-RW discs can be erased");
                return -EMEDIUMTYPE;
        }
        if (!e->name)
                return r;
        snprintf(why, sizeof why, "%s", e->detail);
        if (strcmp(e->name, "MediaIsNotSupported") == 0)
                drive_error_set(e,
                                is_cd_profile(m.profile) ? "EraseMediaIsNotErasable"
                                                         : "EraseMediaIsNotSupported",
                                "%s", why);
        else if (strcmp(e->name, "RecorderInvalidResponseFromDevice") == 0 &&
                 e->op == MMC_OP_READ_DISC_INFORMATION && !e->from_command)
                drive_error_set(e, "EraseDiscInformationTooSmall", "%s", why);
        return r;
}

/* START UNIT (spin the disc up) before BLANK, as IMAPI2's erase does. */
static int spin_up(int fd, drive_error *e)
{
        uint8_t cdb[6];
        sgio_result res;
        size_t n = mmc_cdb_start_stop_unit(cdb, false, true);
        int r = sgio_exec(fd, cdb, n, SGIO_NONE, NULL, 0, SHORT_TIMEOUT_MS, &res);

        if (r < 0) {
                drive_error_from_command(e, MMC_OP_START_STOP_UNIT, "START UNIT", r, &res);
                if (e->has_sense)
                        e->name = "EraseDriveFailedSpinupCommand";
        }
        return r;
}

void media_erase(const erase_request *req, erase_progress *p, erase_outcome *out)
{
        uint8_t cdb[12];
        sgio_result res;
        int64_t deadline;
        size_t n;
        int fd = req->fd, r;

        memset(out, 0, sizeof *out);
        atomic_store(&p->started_ms, now_ms());
        atomic_store(&p->now_ms, now_ms());
        if (drive_wait_ready(fd, req->ready_timeout_ms, &out->error) < 0 ||
            check_cdrw(fd, &out->error) < 0 || spin_up(fd, &out->error) < 0 ||
            drive_lock_tray(fd, true, &out->error) < 0) {
                drive_error_settle_unplug(&out->error, fd);
                return;
        }

        n = mmc_cdb_blank(cdb, req->full);
        r = sgio_exec(fd, cdb, n, SGIO_NONE, NULL, 0, SHORT_TIMEOUT_MS, &res);
        if (r < 0) {
                drive_error_from_command(&out->error, MMC_OP_BLANK,
                                         req->full ? "BLANK (full)" : "BLANK (minimal)", r, &res);
                if (out->error.has_sense &&
                    strcmp(out->error.name, "UnexpectedResponseFromDevice") == 0)
                        out->error.name = "EraseDriveFailedEraseCommand";
                goto unlock;
        }
        deadline = now_ms() + req->timeout_ms;
        for (;;) {
                r = poll_blank(fd, p, &out->error);
                atomic_store(&p->now_ms, now_ms());
                if (r <= 0)
                        break;
                if (now_ms() > deadline) {
                        drive_error_set(&out->error, "EraseTookLongerThanOneHour",
                                        "the drive did not finish erasing within %u s",
                                        req->timeout_ms / 1000);
                        break;
                }
                struct timespec ts = {0, POLL_NS};
                nanosleep(&ts, NULL);
        }
        if (!out->error.name)
                atomic_store(&p->permille, 1000);
unlock:
        (void)drive_lock_tray(fd, false, &(drive_error){0});
        drive_error_settle_unplug(&out->error, fd);
}
