/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/file-list.h"
#include "rawburn/source-path.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MODE_CHANGE_PAUSE 150

int rb_layout_from_files(rb_layout_t *l, const char *const *paths, size_t count, char *warn,
                         size_t warnlen, char *err, size_t errlen)
{
        size_t wused = warn && warnlen ? strlen(warn) : 0;

        if (count == 0 || count > 99) {
                snprintf(err, errlen, "a disc holds 1 to 99 tracks, not %zu", count);
                return -EINVAL;
        }
        for (size_t i = 0; i < count; i++) {
                const char *path = paths[i];
                bool iso = rb_path_has_suffix(path, ".iso");
                if (rb_path_has_suffix(path, ".bin") || rb_path_has_suffix(path, ".raw") ||
                    rb_path_has_suffix(path, ".pcm") || rb_path_has_suffix(path, ".cdr")) {
                        snprintf(err, errlen,
                                 "%s: raw sectors or PCM have no header to tell their layout and "
                                 "byte order; describe them with a cue sheet (FILE … BINARY for "
                                 "little-endian, MOTOROLA for big-endian)",
                                 path);
                        return -EINVAL;
                }
                int f = rb_layout_add_file(l, path, iso ? RB_FILE_RAW : RB_FILE_SNDFILE,
                                           RB_LITTLE_ENDIAN, err, errlen);
                if (f < 0)
                        return f;
                const rb_source_file_t *src = &l->files[f];
                rb_data_format_t format = iso ? RB_FMT_MODE1 : RB_FMT_AUDIO;
                size_t ss = rb_data_format_size(format);
                if (iso && src->size % ss) {
                        snprintf(err, errlen,
                                 "%s: %llu bytes is not a whole number of 2048-byte "
                                 "sectors",
                                 path, (unsigned long long)src->size);
                        return -EINVAL;
                }
                if (src->size == 0) {
                        snprintf(err, errlen, "%s: empty", path);
                        return -EINVAL;
                }
                rb_track_t *t = rb_layout_add_track(l, iso ? RB_TRACK_MODE1 : RB_TRACK_AUDIO);
                if (!t)
                        return -E2BIG;
                uint32_t pause = 0;
                if (i == 0 || l->tracks[i - 1].mode != t->mode)
                        pause = MODE_CHANGE_PAUSE;
                uint64_t sectors = (src->size + ss - 1) / ss;
                uint32_t rem = (uint32_t)(src->size % ss);
                if (rem && warn && wused + 1 < warnlen) {
                        snprintf(warn + wused, warnlen - wused,
                                 "%s: %u bytes short of a whole sector: padded with silence\n",
                                 path, (unsigned)(ss - rem));
                        wused = strlen(warn);
                }
                t->pause = pause;
                t->length = (uint32_t)sectors;
                rb_segment_t gap = {.file = -1, .sectors = pause, .format = format};
                rb_segment_t body = {
                    .file = f, .sectors = (uint32_t)sectors, .format = format, .short_last = rem};
                int r;
                if ((r = rb_track_add_segment(t, &gap)) < 0 ||
                    (r = rb_track_add_segment(t, &body)) < 0)
                        return r;
        }
        return 0;
}
