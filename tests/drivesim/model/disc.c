/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ds-disc.h"

struct ds_disc {
        int fd; /* DAO-96 sectors from first_lba on */
        int32_t first_lba, end_lba, recorded_end;
        enum ds_disc_state state;
        ds_toc toc;
};

int ds_disc_new_blank(int32_t first_lba, int32_t end_lba, ds_disc **ret)
{
        ds_disc *disc;

        if (end_lba <= first_lba)
                return -EINVAL;
        disc = calloc(1, sizeof *disc);
        if (!disc)
                return -ENOMEM;
        /* A memfd grows sparsely: an unburnt 80-minute disc costs nothing. */
        disc->fd = memfd_create("drivesim-disc", MFD_CLOEXEC);
        if (disc->fd < 0) {
                int r = -errno;
                free(disc);
                return r;
        }
        disc->first_lba = first_lba;
        disc->end_lba = end_lba;
        disc->recorded_end = first_lba;
        disc->state = DS_DISC_BLANK;
        *ret = disc;
        return 0;
}

void ds_disc_free(ds_disc *disc)
{
        if (!disc)
                return;
        if (disc->fd >= 0)
                close(disc->fd);
        free(disc->toc.cdtext);
        free(disc);
}

enum ds_disc_state ds_disc_get_state(const ds_disc *disc)
{
        return disc->state;
}

int32_t ds_disc_first_lba(const ds_disc *disc)
{
        return disc->first_lba;
}

int32_t ds_disc_recorded_end(const ds_disc *disc)
{
        return disc->recorded_end;
}

static off_t sector_offset(const ds_disc *disc, int32_t lba)
{
        return (off_t)(lba - disc->first_lba) * DS_RAW_SECTOR_SIZE;
}

int ds_disc_write(ds_disc *disc, int32_t lba, const uint8_t main[DS_MAIN_SIZE],
                  const uint8_t sub[DS_SUB_SIZE])
{
        uint8_t raw[DS_RAW_SECTOR_SIZE];

        if (lba < disc->first_lba || lba >= disc->end_lba)
                return -ERANGE;
        memcpy(raw, main, DS_MAIN_SIZE);
        memcpy(raw + DS_MAIN_SIZE, sub, DS_SUB_SIZE);
        if (pwrite(disc->fd, raw, sizeof raw, sector_offset(disc, lba)) != (ssize_t)sizeof raw)
                return -EIO;
        if (lba + 1 > disc->recorded_end)
                disc->recorded_end = lba + 1;
        return 0;
}

int ds_disc_read(const ds_disc *disc, int32_t lba, uint8_t main[DS_MAIN_SIZE],
                 uint8_t sub[DS_SUB_SIZE])
{
        uint8_t raw[DS_RAW_SECTOR_SIZE];

        if (lba < disc->first_lba || lba >= disc->recorded_end)
                return -ENODATA;
        if (pread(disc->fd, raw, sizeof raw, sector_offset(disc, lba)) != (ssize_t)sizeof raw)
                return -EIO;
        if (main)
                memcpy(main, raw, DS_MAIN_SIZE);
        if (sub)
                memcpy(sub, raw + DS_MAIN_SIZE, DS_SUB_SIZE);
        return 0;
}

void ds_disc_set_incomplete(ds_disc *disc)
{
        disc->state = DS_DISC_INCOMPLETE;
}

int ds_disc_complete(ds_disc *disc)
{
        /* TODO(drivesim writer): derive disc->toc from the lead-in Q subchannel. */
        disc->state = DS_DISC_COMPLETE;
        return 0;
}

void ds_disc_erase(ds_disc *disc)
{
        if (ftruncate(disc->fd, 0) < 0) {
                /* A memfd always truncates; nothing sensible to do otherwise. */
        }
        disc->recorded_end = disc->first_lba;
        disc->state = DS_DISC_BLANK;
        free(disc->toc.cdtext);
        memset(&disc->toc, 0, sizeof disc->toc);
}

const ds_toc *ds_disc_get_toc(const ds_disc *disc)
{
        return &disc->toc;
}
