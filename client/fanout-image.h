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
#include "stream-writer.h"

#include <systemd/sd-event.h>

typedef struct fanout_images fanout_images;

typedef struct fanout_image {
        int fd;         /* what each drive opens again; -1 before it is made */
        bool owned;     /* the memfd (a raw image's descriptor is the source's) */
        int32_t offset; /* the write offset in samples it was made with */
        uint64_t bytes;
        uint64_t started_usec, make_usec; /* when it began, and how long it took */
        bool making, ready;
        stream_writer writer; /* the child making it */
        sd_event_source *watch;
        fanout_images *set;
        /* The image as a raw source, for --verify's read-back. */
        burn_input as_raw;
} fanout_image;

/* Starts making src's image with the given write offset (ignored for a raw
 * image, which is ready at once) in a child process; fanout_image_finish()
 * waits for it and seals it. Returns 0, or a negative errno with the reason
 * in err (EXIT_SOURCE). */
int fanout_image_start(burn_input *src, int32_t write_offset, fanout_image *img, char *err,
                       size_t errlen);
int fanout_image_finish(fanout_image *img, char *err, size_t errlen);
/* Both, waiting. */
int fanout_image_make(burn_input *src, int32_t write_offset, fanout_image *img, char *err,
                      size_t errlen);
void fanout_image_close(fanout_image *img);

/* The images a set of drives needs: one per write offset among them
 * (usually one: a tower of identical drives). */
struct fanout_images {
        fanout_image items[BURN_MAX_DRIVES];
        size_t n;
        void (*ready)(fanout_image *img, const char *error, void *userdata);
        void *userdata;
};

/* The image for drive d, started on first use with the offset burn would
 * put in it (drive-offset.h), and made before returning when wait is set;
 * NULL with the reason in err. */
fanout_image *fanout_images_for(fanout_images *s, const burn_options *o, burn_input *src,
                                const drive *d, bool wait, char *err, size_t errlen);
/* Calls ready from the loop as each image still being made is done (error
 * NULL) or has failed (error says why). */
int fanout_images_watch(fanout_images *s, sd_event *event,
                        void (*ready)(fanout_image *img, const char *error, void *userdata),
                        void *userdata);
void fanout_images_close(fanout_images *s);
