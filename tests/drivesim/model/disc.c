/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ds-disc.h"
#include "rawburn/cdtext-collect.h"
#include "rawburn/scramble.h"
#include "rawburn/subchannel.h"
#include "rawburn/subq.h"

struct ds_disc {
        int fd;         /* DAO-96 sectors from first_lba on */
        bool read_only; /* served from an image file (cdrom:FILE) */
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

int ds_disc_write_run(ds_disc *disc, int32_t lba, uint32_t n, const uint8_t *raw)
{
        size_t len = (size_t)n * DS_RAW_SECTOR_SIZE;

        if (lba < disc->first_lba || (int64_t)lba + n > disc->end_lba)
                return -ERANGE;
        if (pwrite(disc->fd, raw, len, sector_offset(disc, lba)) != (ssize_t)len)
                return -EIO;
        if (lba + (int32_t)n > disc->recorded_end)
                disc->recorded_end = lba + (int32_t)n;
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

int ds_disc_corrupt(ds_disc *disc, int32_t lba, int32_t count)
{
        if (disc->read_only)
                return -EROFS;
        if (count <= 0 || lba < disc->first_lba || (int64_t)lba + count > disc->recorded_end)
                return -ERANGE;
        for (int32_t i = 0; i < count; i++) {
                uint8_t main[DS_MAIN_SIZE];
                off_t off = sector_offset(disc, lba + i);

                if (pread(disc->fd, main, sizeof main, off) != (ssize_t)sizeof main)
                        return -EIO;
                /* Stored data sectors are scrambled; inverting commutes with descrambling. */
                for (size_t k = 16; k < DS_MAIN_SIZE; k++)
                        main[k] ^= 0xff;
                if (pwrite(disc->fd, main, sizeof main, off) != (ssize_t)sizeof main)
                        return -EIO;
        }
        return 0;
}

void ds_disc_set_incomplete(ds_disc *disc)
{
        disc->state = DS_DISC_INCOMPLETE;
}

bool ds_sub_q(const uint8_t sub[DS_SUB_SIZE], uint8_t q[12])
{
        rb_subchannel_get(sub, RB_CH_Q, q);
        return rb_subq_crc_ok(q);
}

/* The decoded Q of a recorded sector; false when unrecorded, CRC-damaged or undecodable. */
static bool read_q(const ds_disc *disc, int32_t lba, rb_subq_t *q)
{
        uint8_t sub[DS_SUB_SIZE], raw_q[12];

        if (ds_disc_read(disc, lba, NULL, sub) < 0 || !ds_sub_q(sub, raw_q))
                return false;
        return rb_subq_decode(raw_q, q) == 0;
}

static int store_cdtext(ds_toc *toc, const rb_cdtext_collector_t *c)
{
        size_t n;

        toc->cdtext = rb_cdtext_collector_list(c, &n);
        if (n && !toc->cdtext)
                return -ENOMEM;
        toc->cdtext_len = n * RB_CDTEXT_PACK_SIZE;
        return 0;
}

/* The lead-in: one TOC point per sector (each repeated, the list cycled), and CD-Text in R-W.
 * Stops at the first program-area sector. */
static int scan_leadin(ds_disc *disc, ds_toc *toc)
{
        rb_cdtext_collector_t *c = calloc(1, sizeof *c);
        bool have_a0 = false, have_a1 = false, have_a2 = false, have_track[100] = {false};
        int r;

        if (!c)
                return -ENOMEM;
        for (int32_t lba = disc->first_lba; lba < disc->recorded_end; lba++) {
                uint8_t sub[DS_SUB_SIZE], raw_q[12];
                rb_subq_t q;

                if (ds_disc_read(disc, lba, NULL, sub) < 0)
                        break;
                if (!ds_sub_q(sub, raw_q) || rb_subq_decode(raw_q, &q) < 0)
                        continue; /* a damaged Q: skip it as a reader would */
                if (q.kind == RB_SUBQ_POSITION)
                        break; /* the program area (or lead-out) begins */
                if (q.kind != RB_SUBQ_LEADIN_TOC)
                        continue;
                rb_cdtext_collector_add_sector(c, sub);
                switch (q.toc.point) {
                case RB_Q_POINT_FIRST_TRACK:
                        have_a0 = true;
                        toc->first_track = q.toc.p.m;
                        toc->disc_type = q.toc.p.s;
                        break;
                case RB_Q_POINT_LAST_TRACK:
                        have_a1 = true;
                        toc->last_track = q.toc.p.m;
                        break;
                case RB_Q_POINT_LEADOUT:
                        have_a2 = true;
                        toc->leadout_start = rb_msf_to_lba(q.toc.p);
                        break;
                default:
                        if (q.toc.point >= 1 && q.toc.point <= 99 && !have_track[q.toc.point]) {
                                ds_toc_track *t = &toc->tracks[q.toc.point - 1];

                                have_track[q.toc.point] = true;
                                t->number = q.toc.point;
                                t->control = q.control;
                                t->start = rb_msf_to_lba(q.toc.p);
                        }
                }
        }
        r = store_cdtext(toc, c);
        free(c);
        if (r < 0)
                return r;
        if (!have_a0 || !have_a1 || !have_a2 || toc->first_track < 1 ||
            toc->last_track < toc->first_track || toc->last_track > 99)
                return 0;
        /* Compact the tracks the TOC names, in order; all must be there. */
        toc->n_tracks = 0;
        for (unsigned n = toc->first_track; n <= toc->last_track; n++) {
                if (!have_track[n])
                        return 0;
                toc->tracks[toc->n_tracks++] = toc->tracks[n - 1];
        }
        toc->valid = true;
        return 0;
}

/* Mode of a track from its first sector's header (data sectors are stored scrambled). */
static uint8_t sector_mode(const ds_disc *disc, int32_t lba)
{
        uint8_t main[DS_MAIN_SIZE];

        if (ds_disc_read(disc, lba, main, NULL) < 0 || !rb_sector_has_sync(main))
                return 0;
        rb_scramble_sector(main);
        return main[15] <= 2 ? main[15] : 0;
}

/* The program area: pregap starts, modes, MCN and ISRC, from Q and sector headers. Writers put
 * MCN and ISRC at least once per 100 sectors, so a bounded look at each track suffices. */
static void scan_program_area(const ds_disc *disc, ds_toc *toc)
{
        for (unsigned i = 0; i < toc->n_tracks; i++) {
                ds_toc_track *t = &toc->tracks[i];
                int32_t floor = i == 0 ? disc->first_lba : toc->tracks[i - 1].start + 1;
                int32_t end = i + 1 < toc->n_tracks ? toc->tracks[i + 1].start : toc->leadout_start;
                rb_subq_t q;

                t->pregap_start = t->start;
                while (t->pregap_start - 1 >= floor && read_q(disc, t->pregap_start - 1, &q) &&
                       q.kind == RB_SUBQ_POSITION && q.position.tno == t->number &&
                       q.position.index == 0)
                        t->pregap_start--;
                t->mode = sector_mode(disc, t->start);
                for (int32_t lba = t->pregap_start; lba < end && lba < t->start + 300; lba++) {
                        if (!read_q(disc, lba, &q))
                                continue;
                        if (q.kind == RB_SUBQ_ISRC && !t->isrc[0])
                                memcpy(t->isrc, q.isrc.code, sizeof t->isrc);
                        if (q.kind == RB_SUBQ_MCN && !toc->mcn[0])
                                memcpy(toc->mcn, q.mcn.digits, sizeof toc->mcn);
                }
        }
}

int ds_disc_complete(ds_disc *disc)
{
        int r;

        free(disc->toc.cdtext);
        memset(&disc->toc, 0, sizeof disc->toc);
        r = scan_leadin(disc, &disc->toc);
        if (r < 0)
                return r;
        if (disc->toc.valid)
                scan_program_area(disc, &disc->toc);
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

/* The LBA of image sector 0, from the first sector whose Q gives an absolute time. */
static int locate_image(int fd, size_t n_sectors, int32_t *first_lba)
{
        for (size_t i = 0; i < n_sectors; i++) {
                uint8_t sub[DS_SUB_SIZE], raw_q[12];
                rb_subq_t q;

                if (pread(fd, sub, sizeof sub, (off_t)i * DS_RAW_SECTOR_SIZE + DS_MAIN_SIZE) !=
                    (ssize_t)sizeof sub)
                        return -EIO;
                if (!ds_sub_q(sub, raw_q) || rb_subq_decode(raw_q, &q) < 0 ||
                    q.kind != RB_SUBQ_POSITION)
                        continue;
                *first_lba = rb_msf_to_lba(q.position.abs) - (int32_t)i;
                return 0;
        }
        return -EBADMSG;
}

int ds_disc_open_image(const char *path, ds_disc **ret)
{
        ds_disc *disc;
        struct stat st;
        int32_t first_lba;
        int fd, r;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0) {
                r = -errno;
                close(fd);
                return r;
        }
        if (st.st_size == 0 || st.st_size % DS_RAW_SECTOR_SIZE != 0 ||
            st.st_size / DS_RAW_SECTOR_SIZE > 500000) {
                close(fd);
                return -EINVAL; /* not a DAO-96 image: 2448-byte sectors, under 100 minutes */
        }
        r = locate_image(fd, (size_t)(st.st_size / DS_RAW_SECTOR_SIZE), &first_lba);
        if (r < 0) {
                close(fd);
                return r;
        }
        disc = calloc(1, sizeof *disc);
        if (!disc) {
                close(fd);
                return -ENOMEM;
        }
        /* Served straight from the file: a pressed disc is never written. */
        disc->fd = fd;
        disc->read_only = true;
        disc->first_lba = first_lba;
        disc->end_lba = disc->recorded_end = first_lba + (int32_t)(st.st_size / DS_RAW_SECTOR_SIZE);
        r = ds_disc_complete(disc);
        if (r < 0) {
                ds_disc_free(disc);
                return r;
        }
        *ret = disc;
        return 0;
}

int ds_disc_import(ds_disc *disc, const char *path, int32_t first_lba)
{
        uint8_t raw[DS_RAW_SECTOR_SIZE];
        int32_t lba = first_lba;
        ssize_t n;
        int fd, r = 0;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        while ((n = read(fd, raw, sizeof raw)) == (ssize_t)sizeof raw) {
                r = ds_disc_write(disc, lba++, raw, raw + DS_MAIN_SIZE);
                if (r < 0)
                        break;
        }
        if (r == 0 && n != 0)
                r = n < 0 ? -errno : -EINVAL; /* a torn last sector */
        close(fd);
        return r;
}
