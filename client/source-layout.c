/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "source-layout.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rawburn/ccd.h"
#include "rawburn/cue-parser.h"
#include "rawburn/file-list.h"
#include "rawburn/flac-cuesheet.h"
#include "rawburn/toc-parser.h"

static bool has_suffix(const char *path, const char *suffix)
{
        size_t n = strlen(path), k = strlen(suffix);
        return n >= k && strcasecmp(path + n - k, suffix) == 0;
}

bool source_is_sheet(const char *path)
{
        return has_suffix(path, ".cue") || has_suffix(path, ".toc") || has_suffix(path, ".ccd");
}

/* A lossy source is burned as its decoder made it: said once per file. */
static void warn_lossy(const rb_layout_t *l, char *warn, size_t warnlen)
{
        for (size_t i = 0; i < l->file_count; i++) {
                size_t used = strlen(warn);
                if (l->files[i].lossy && used + 1 < warnlen)
                        snprintf(warn + used, warnlen - used,
                                 "%s: %s: the disc gets the decoded sound, not the original's\n",
                                 l->files[i].path, l->files[i].format);
        }
}

static int load(rb_layout_t *l, char *const *paths, size_t n, const char *charset, char *warn,
                size_t warnlen, char *err, size_t errlen)
{
        int r;

        if (n == 1 && has_suffix(paths[0], ".cue"))
                return rb_cue_load_charset(paths[0], charset, l, warn, warnlen, err, errlen);
        if (n == 1 && has_suffix(paths[0], ".toc"))
                return rb_toc_load(paths[0], l, warn, warnlen, err, errlen);
        if (n == 1 && has_suffix(paths[0], ".ccd"))
                return rb_ccd_load(paths[0], l, warn, warnlen, err, errlen);
        if (n == 1 && has_suffix(paths[0], ".flac")) {
                /* A single FLAC with an embedded CUESHEET is a whole disc. */
                r = rb_flac_cuesheet_load(paths[0], l, warn, warnlen, err, errlen);
                if (r == 0)
                        fprintf(stderr, "%s: %u tracks from its embedded CUESHEET\n", paths[0],
                                l->track_count);
                if (r != -ENOENT)
                        return r;
        }
        return rb_layout_from_files(l, (const char *const *)paths, n, warn, warnlen, err, errlen);
}

int layout_from_sources(rb_layout_t *l, char *const *paths, size_t n, const char *charset,
                        char *warn, size_t warnlen, char *err, size_t errlen)
{
        int r = load(l, paths, n, charset, warn, warnlen, err, errlen);
        if (r == 0 && warn && warnlen)
                warn_lossy(l, warn, warnlen);
        return r;
}

int layout_check_short_tracks(const rb_layout_t *l, bool allow, char *warning, size_t warnlen,
                              char *err, size_t errlen)
{
        char shorts[512];

        if (warnlen)
                warning[0] = 0;
        if (!rb_layout_short_tracks(l, shorts, sizeof shorts))
                return 0;
        if (allow) {
                snprintf(warning, warnlen,
                         "shorter than the Red Book's 4 s minimum: %s; some players skip or "
                         "mis-seek such tracks",
                         shorts);
                return 0;
        }
        snprintf(err, errlen,
                 "shorter than the Red Book's 4 s minimum: %s (--allow-short-tracks burns them "
                 "anyway)",
                 shorts);
        return -EINVAL;
}
