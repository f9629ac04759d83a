/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The image `burn` sends to several drives at once, made once. A raw image
 * file is already that: each drive gets its own open of it. Anything else
 * is written by the image creator into a memfd, sealed (no write, no
 * resize), so that each drive gets its own read-only open of the same pages
 * and rawburnd maps it like a file: no pipe pacing, so a slow or stalled
 * drive never holds the others back, and no temporary file on disk. The
 * cost is the image's size in memory (shmem, which can go to swap) for the
 * length of the burn; docs/fanout.md has the figures behind that choice.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "burn-input.h"
#include "burn-options.h"
#include "drive-list.h"

typedef struct fanout_image {
        int fd;         /* what each drive opens again; -1 before it is made */
        bool owned;     /* the memfd (a raw image's descriptor is the source's) */
        int32_t offset; /* the write offset in samples it was made with */
        uint64_t bytes;
        uint64_t make_usec; /* time taken to make it */
        /* The image as a raw source, for --verify's read-back. */
        burn_input as_raw;
} fanout_image;

/* Makes src's image with the given write offset (ignored for a raw image).
 * Returns 0, or a negative errno with the reason in err (EXIT_SOURCE). */
int fanout_image_make(burn_input *src, int32_t write_offset, fanout_image *img, char *err,
                      size_t errlen);
void fanout_image_close(fanout_image *img);

/* The images a set of drives needs: one per write offset among them
 * (usually one: a tower of identical drives). */
typedef struct fanout_images {
        fanout_image items[BURN_MAX_DRIVES];
        size_t n;
} fanout_images;

/* The image for drive d, made on first use with the offset burn would put
 * in it (drive-offset.h); NULL with the reason in err. */
fanout_image *fanout_images_for(fanout_images *s, const burn_options *o, burn_input *src,
                                const drive *d, char *err, size_t errlen);
void fanout_images_close(fanout_images *s);
