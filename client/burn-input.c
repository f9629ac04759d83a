/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "burn-input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exit-status.h"
#include "output.h"
#include "rawburn-bus.h"
#include "rawburn/image-inspect.h"
#include "rawburn/source-path.h"
#include "source-layout.h"

/* Enough sectors to tell 2448- from 2368-byte sectors by their Q CRCs:
 * the least common multiple of both sizes, 148 and 153 sectors, all in
 * the lead-in of any image. */
#define PROBE_BYTES 362304

/* Sources that are never raw images, so they need no probe. */
static bool known_not_raw(const char *path)
{
        static const char *const suffixes[] = {".cue", ".toc",  ".ccd",  ".wav", ".wave", ".flac",
                                               ".aif", ".aiff", ".aifc", ".iso", ".ogg"};
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
                if (rb_path_has_suffix(path, suffixes[i]))
                        return true;
        return false;
}

/* 1 when the file is a raw image (s filled in), 0 when not, or a negative errno. */
static int probe_raw(burn_input *s, const char *path, const burn_input_options *o, char *err,
                     size_t errlen)
{
        struct stat st;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                snprintf(err, errlen, "%s: %s", path, strerror(errno));
                return -errno;
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return 0; /* not a file: let the layout code say what it is */
        }
        size_t len = st.st_size < PROBE_BYTES ? (size_t)st.st_size : PROBE_BYTES;
        uint8_t *buf = malloc(len ? len : 1);
        rb_inspect_t *in = malloc(sizeof *in);
        int r = buf && in ? 0 : -ENOMEM;
        ssize_t got = r == 0 ? pread(fd, buf, len, 0) : -1;
        if (r == 0 && got != (ssize_t)len) {
                r = got < 0 ? -errno : -EIO;
                snprintf(err, errlen, "%s: %s", path, got < 0 ? strerror(errno) : "short read");
        }
        int32_t first = o->first_lba != INT32_MIN ? o->first_lba : RB_IMAGE_START_LBA;
        if (r == 0)
                r = rb_image_inspect_buffer(
                    buf, len,
                    (rb_sector_type_t)(o->sector_type == RAWBURN_SECTOR_IS_COOKED
                                           ? RAWBURN_SECTOR_IS_RAW
                                           : o->sector_type),
                    first, in, err, errlen);
        /* Raw when the lead-in's TOC is there in valid Q. */
        bool raw = r == 0 && in->leadin_first != INT32_MIN && in->toc_count > 0;
        if (raw) {
                s->raw = true;
                s->fd = fd;
                s->path = path;
                s->seekable = true;
                s->sector_type = o->sector_type ? o->sector_type : (int32_t)in->sector_type;
                s->first_lba = first;
                s->sectors = (uint64_t)st.st_size / in->sector_size;
                s->leadout_lba = INT32_MIN;
                for (size_t i = 0; i < in->toc_count; i++) {
                        if (in->toc[i].point == 0xA2)
                                s->leadout_lba = rb_msf_to_lba(in->toc[i].p);
                        else if (in->toc[i].point >= 1 && in->toc[i].point <= 99)
                                s->tracks++;
                }
                if ((uint64_t)st.st_size % in->sector_size) {
                        snprintf(err, errlen,
                                 "%s: %llu bytes are not a whole number of %zu-byte sectors", path,
                                 (unsigned long long)st.st_size, in->sector_size);
                        r = -EINVAL;
                        raw = false;
                }
        }
        free(buf);
        if (in)
                rb_inspect_free(in);
        free(in);
        if (!raw)
                close(fd);
        if (r < 0)
                return r;
        return raw;
}

static int open_stdin(burn_input *s, const burn_input_options *o)
{
        s->raw = true;
        s->fd = STDIN_FILENO;
        s->path = "standard input";
        s->seekable = lseek(STDIN_FILENO, 0, SEEK_CUR) >= 0;
        /* A stream cannot be probed without consuming it: the image creator's
         * default unless told. */
        s->sector_type = o->sector_type ? o->sector_type : RB_SECTOR_RAW;
        s->first_lba = o->first_lba != INT32_MIN ? o->first_lba : RB_IMAGE_START_LBA;
        s->leadout_lba = INT32_MIN;
        return 0;
}

static int open_layout(burn_input *s, char *const *paths, size_t n, const burn_input_options *o,
                       char *err, size_t errlen)
{
        char warn[8192] = "";
        rb_raw_image_creator_t *c;
        int r;

        if ((r = rb_raw_image_creator_new(&s->creator)) < 0)
                return r;
        c = s->creator;
        if (o->sector_type)
                r = rb_raw_image_creator_set_resulting_image_type(c,
                                                                  (rb_sector_type_t)o->sector_type);
        if (r == 0 && o->first_lba != INT32_MIN)
                r = rb_raw_image_creator_set_first_lba(c, o->first_lba);
        if (r == 0)
                r = rb_raw_image_creator_load(c, (const char *const *)paths, n, o->cue_charset,
                                              warn, sizeof warn);
        if (r == 0 && !(s->layout = rb_raw_image_creator_get_layout(c)))
                r = -EINVAL;
        if (r < 0)
                snprintf(err, errlen, "%s", rb_raw_image_creator_last_error(c));
        char short_tracks[640] = "";
        if (r == 0)
                r = layout_check_short_tracks(s->layout, o->allow_short_tracks, short_tracks,
                                              sizeof short_tracks, err, errlen);
        if (short_tracks[0])
                log_warning("%s", short_tracks);
        if (warn[0])
                fprintf(stderr, "%s", warn);
        return r;
}

int burn_input_open(burn_input *s, char *const *paths, size_t n, const burn_input_options *o,
                    char *err, size_t errlen)
{
        memset(s, 0, sizeof *s);
        s->fd = -1;
        if (n == 1 && strcmp(paths[0], "-") == 0)
                return open_stdin(s, o);
        if (n == 1 && !known_not_raw(paths[0])) {
                int r = probe_raw(s, paths[0], o, err, errlen);
                if (r != 0)
                        return r < 0 ? r : 0;
        }
        return open_layout(s, paths, n, o, err, errlen);
}

int burn_input_open_or_say(burn_input *s, char *const *paths, size_t n, const burn_input_options *o)
{
        char err[1024] = "";
        int r = burn_input_open(s, paths, n, o, err, sizeof err);

        if (r >= 0)
                return EXIT_OK;
        log_error("%s", err[0] ? err : strerror(-r));
        burn_input_close(s);
        return EXIT_SOURCE;
}

void burn_input_close(burn_input *s)
{
        if (s->raw && s->fd > STDIN_FILENO)
                close(s->fd);
        s->fd = -1;
        rb_raw_image_creator_free(s->creator);
        s->creator = NULL;
        s->layout = NULL;
}

int32_t burn_input_leadout(const burn_input *s)
{
        return s->raw ? s->leadout_lba : s->layout->leadout_lba;
}

int32_t burn_input_leadin_sectors(const burn_input *s)
{
        return -(s->raw ? s->first_lba : s->layout->first_lba);
}

void burn_input_describe(const burn_input *s, char *buf, size_t size)
{
        int32_t leadout = burn_input_leadout(s);
        unsigned tracks = s->raw ? s->tracks : s->layout->track_count;
        char what[64] = "", length[32] = "";
        if (tracks)
                snprintf(what, sizeof what, "%u track%s", tracks, tracks == 1 ? "" : "s");
        if (leadout != INT32_MIN && leadout > 0)
                snprintf(length, sizeof length, "%s%d:%02d", tracks ? ", " : "", leadout / 4500,
                         leadout / 75 % 60);
        if (s->raw)
                snprintf(buf, size, "%s: raw image, %s sectors%s%s%s%s", s->path,
                         s->sector_type == RAWBURN_SECTOR_PQ_ONLY     ? "PQ (2368-byte)"
                         : s->sector_type == RAWBURN_SECTOR_IS_COOKED ? "cooked P-W (2448-byte)"
                                                                      : "raw P-W (2448-byte)",
                         tracks || length[0] ? " (" : "", what, length,
                         tracks || length[0] ? ")" : "");
        else
                snprintf(buf, size, "%s%s, made on the fly as %s sectors", what, length,
                         rb_sector_type_name(s->layout->sector_type));
}
