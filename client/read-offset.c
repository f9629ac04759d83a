/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read offset is a write offset the other way round: both move every
 * audio sample of the image by a number of samples, silence shifted in where
 * no audio is and data sectors left alone. librawburn's offset shifter
 * (rawburn/write-offset.h) does that for the image writer; here it runs over
 * the image file, reading each sector before it writes it back (it keeps the
 * sectors it still needs in its own ring), so the file is shifted in place.
 */
#include "read-offset.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rawburn/msf.h"
#include "rawburn/subq.h"
#include "rawburn/write-offset.h"

#define SECTOR 2448 /* of the image: main channel and raw P-W */

typedef struct image_shift {
        int fd;
        const rb_disc_toc_t *toc;
} image_shift;

static off_t main_offset(int32_t lba)
{
        return (off_t)(lba - RB_IMAGE_START_LBA) * SECTOR;
}

static int read_main(void *ctx, int32_t lba, uint8_t main[RB_SECTOR_SIZE],
                     uint8_t rw[RB_OFFSET_RW_BYTES])
{
        const image_shift *x = ctx;

        memset(rw, 0, RB_OFFSET_RW_BYTES); /* the subchannel stays in the file as read */
        if (pread(x->fd, main, RB_SECTOR_SIZE, main_offset(lba)) != RB_SECTOR_SIZE)
                return -EIO;
        return 0;
}

/* The track a sector belongs to by the TOC (before track 1's start: track 1,
 * its hidden audio included) says whether it is audio. */
static bool is_audio(void *ctx, int32_t lba)
{
        const image_shift *x = ctx;
        unsigned i = 0;

        while (i + 1 < x->toc->track_count && x->toc->tracks[i + 1].start_lba <= lba)
                i++;
        return !(x->toc->tracks[i].control & RB_CTL_DATA);
}

int read_offset_apply(int fd, const rb_disc_toc_t *toc, int32_t offset, char *err, size_t errlen)
{
        image_shift x = {.fd = fd, .toc = toc};
        rb_offset_shifter_t *s = NULL;
        uint8_t main[RB_SECTOR_SIZE], rw[RB_OFFSET_RW_BYTES];
        int r;

        if (offset < -READ_OFFSET_MAX || offset > READ_OFFSET_MAX) {
                snprintf(err, errlen, "a read offset of %d samples is beyond ±%d (2 s)", offset,
                         READ_OFFSET_MAX);
                return -EINVAL;
        }
        if (offset == 0 || toc->track_count == 0 || toc->leadout_lba <= 0)
                return 0;
        /* +N from the drive is the disc's sample N earlier: the shifter's +N. */
        r = rb_offset_shifter_new(offset, 0, toc->leadout_lba, read_main, is_audio, &x, &s);
        for (int32_t lba = 0; r == 0 && lba < toc->leadout_lba; lba++) {
                r = rb_offset_shifter_get(s, lba, main, rw);
                if (r == 0 && is_audio(&x, lba) &&
                    pwrite(fd, main, sizeof main, main_offset(lba)) != (ssize_t)sizeof main)
                        r = -EIO;
        }
        rb_offset_shifter_free(s);
        if (r < 0)
                snprintf(err, errlen, "moving the audio by the read offset: %s", strerror(-r));
        return r;
}
