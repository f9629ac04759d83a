/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fanout-image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drive-offset.h"
#include "output.h"
#include "rawburn/raw-image-creator.h"

static uint64_t now_usec(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int fanout_image_start(burn_input *src, int32_t write_offset, fanout_image *img, char *err,
                       size_t errlen)
{
        struct stat st;
        int r;

        memset(img, 0, sizeof *img);
        img->fd = -1;
        img->writer = (stream_writer){0, -1};
        img->offset = write_offset;
        img->started_usec = now_usec();
        if (src->raw) {
                /* Each drive opens it again through /proc/self/fd: a pipe
                 * cannot be read by several readers. */
                if (!src->seekable) {
                        snprintf(err, errlen,
                                 "a raw image on a pipe can go to one drive only: give its file");
                        return -EINVAL;
                }
                img->fd = src->fd;
                img->as_raw = *src;
                img->bytes = fstat(src->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
                return 0;
        }
        r = rb_raw_image_creator_set_write_offset(src->creator, write_offset);
        const rb_layout_t *l = rb_raw_image_creator_get_layout(src->creator);
        if (r < 0 || !l) {
                snprintf(err, errlen, "cannot lay the image out with a write offset of %+d: %s",
                         write_offset, rb_raw_image_creator_last_error(src->creator));
                return r < 0 ? r : -EINVAL;
        }
        src->layout = l;
        int fd = memfd_create("rawburn-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0) {
                r = -errno;
                snprintf(err, errlen, "cannot make the image in memory (memfd): %s", strerror(-r));
                return r;
        }
        /* Reserved first: running out of memory is said here, not as a
         * SIGBUS in rawburnd's mapping halfway through a burn. */
        uint64_t sectors = rb_layout_image_sectors(l);
        uint64_t want = sectors * rb_sector_type_size(l->sector_type);
        if (want && fallocate(fd, 0, 0, (off_t)want) < 0 && errno != EOPNOTSUPP) {
                r = -errno;
                snprintf(err, errlen, "cannot hold the image in memory (%llu MB): %s",
                         (unsigned long long)(want >> 20), strerror(-r));
                close(fd);
                return r;
        }
        /* A child makes it (stream-writer.h), so that the drives are
         * prepared meanwhile and the loop keeps answering. */
        r = stream_writer_start_into(src->creator, &img->writer, fd);
        if (r < 0) {
                snprintf(err, errlen, "cannot start making the image: %s", strerror(-r));
                close(fd);
                return r;
        }
        img->fd = fd;
        img->owned = true;
        img->making = true;
        img->as_raw = (burn_input){
            .raw = true,
            .fd = fd,
            .path = "the image made in memory",
            .seekable = true,
            .sector_type = (int32_t)l->sector_type,
            .first_lba = l->first_lba,
            .sectors = sectors,
            .leadout_lba = burn_input_leadout(src),
            .tracks = l->track_count,
        };
        return 0;
}

int fanout_image_finish(fanout_image *img, char *err, size_t errlen)
{
        struct stat st;
        int r;

        if (!img->making)
                return 0;
        img->making = false;
        img->watch = sd_event_source_disable_unref(img->watch);
        r = stream_writer_finish(&img->writer, false, err, errlen);
        if (r < 0)
                return r;
        /* The image is what was written (the child's position in the shared
         * open file), whatever was reserved. */
        off_t end = lseek(img->fd, 0, SEEK_CUR);
        if (end > 0)
                (void)ftruncate(img->fd, end);
        if (fstat(img->fd, &st) < 0 ||
            fcntl(img->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) <
                0) {
                r = -errno;
                snprintf(err, errlen, "cannot seal the image in memory: %s", strerror(-r));
                return r;
        }
        img->bytes = (uint64_t)st.st_size;
        img->make_usec = now_usec() - img->started_usec;
        img->ready = true;
        log_debug("image with write offset %+d made in memory: %llu bytes in %.3f s", img->offset,
                  (unsigned long long)img->bytes, img->make_usec / 1e6);
        return 0;
}

int fanout_image_make(burn_input *src, int32_t write_offset, fanout_image *img, char *err,
                      size_t errlen)
{
        int r = fanout_image_start(src, write_offset, img, err, errlen);
        if (r >= 0)
                r = fanout_image_finish(img, err, errlen);
        if (r >= 0)
                img->ready = true;
        return r;
}

void fanout_image_close(fanout_image *img)
{
        char err[64];
        img->watch = sd_event_source_disable_unref(img->watch);
        /* Stopped when the burns ended before it was made. */
        if (img->making)
                (void)stream_writer_finish(&img->writer, true, err, sizeof err);
        img->making = false;
        if (img->owned && img->fd >= 0)
                close(img->fd);
        img->fd = -1;
        img->owned = false;
}

fanout_image *fanout_images_for(fanout_images *s, const burn_options *o, burn_input *src,
                                const drive *d, bool wait, char *err, size_t errlen)
{
        int32_t offset =
            src->raw || o->no_write_offset || !drive_offset_known(d) ? 0 : d->write_offset;
        for (size_t i = 0; i < s->n; i++)
                if (s->items[i].offset == offset)
                        return &s->items[i];
        if (s->n == BURN_MAX_DRIVES) {
                snprintf(err, errlen, "too many write offsets among the drives");
                return NULL;
        }
        fanout_image *img = &s->items[s->n];
        int r = wait ? fanout_image_make(src, offset, img, err, errlen)
                     : fanout_image_start(src, offset, img, err, errlen);
        if (r < 0)
                return NULL;
        if (!img->making)
                img->ready = true;
        s->n++;
        return img;
}

static int on_writer_done(sd_event_source *es, int fd, uint32_t revents, void *userdata)
{
        fanout_image *img = userdata;
        fanout_images *s = img->set;
        char err[1100] = "";
        int r = fanout_image_finish(img, err, sizeof err);
        s->ready(img, r < 0 ? err : NULL, s->userdata);
        return 0;
}

int fanout_images_watch(fanout_images *s, sd_event *event,
                        void (*ready)(fanout_image *img, const char *error, void *userdata),
                        void *userdata)
{
        s->ready = ready;
        s->userdata = userdata;
        for (size_t i = 0; i < s->n; i++) {
                fanout_image *img = &s->items[i];
                if (!img->making)
                        continue;
                img->set = s;
                /* The child's error pipe: a message, then the hang-up of its
                 * exit (or only the hang-up when all went well). */
                int r = sd_event_add_io(event, &img->watch, img->writer.error_fd, EPOLLHUP,
                                        on_writer_done, img);
                if (r < 0)
                        return r;
        }
        return 0;
}

void fanout_images_close(fanout_images *s)
{
        for (size_t i = 0; i < s->n; i++)
                fanout_image_close(&s->items[i]);
        s->n = 0;
}
