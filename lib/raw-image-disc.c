/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The image creator's members that IMAPI2 does not have: a whole disc
 * loaded from what rippers and burning programs write (a cue sheet, a
 * cdrdao TOC, a CloneCD .ccd, a FLAC with its CUESHEET, or a list of audio
 * files and ISO images), the image's first LBA, the drive's write offset,
 * and the layout itself for what only a loaded disc has (CD-Text, byte
 * order). A loaded disc keeps its own pauses, files and CD-Text; IMAPI2's
 * members (TrackInfo, MediaCatalogNumber, ResultingImageType, the result)
 * work on it as on tracks added one by one, and the result is made by the
 * same code.
 */
#include "raw-image-creator-private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rawburn/ccd.h"
#include "rawburn/cue-parser.h"
#include "rawburn/file-list.h"
#include "rawburn/flac-cuesheet.h"
#include "rawburn/source-path.h"
#include "rawburn/toc-parser.h"
#include "rawburn/write-offset.h"

bool rb_raw_image_path_is_sheet(const char *path)
{
        return rb_path_has_suffix(path, ".cue") || rb_path_has_suffix(path, ".toc") ||
               rb_path_has_suffix(path, ".ccd");
}

static int load_sources(rb_layout_t *l, const char *const *paths, size_t n, const char *charset,
                        char *warn, size_t warnlen, char *err, size_t errlen)
{
        int r;

        if (n == 1 && rb_path_has_suffix(paths[0], ".cue"))
                return rb_cue_load_charset(paths[0], charset, l, warn, warnlen, err, errlen);
        if (n == 1 && rb_path_has_suffix(paths[0], ".toc"))
                return rb_toc_load(paths[0], l, warn, warnlen, err, errlen);
        if (n == 1 && rb_path_has_suffix(paths[0], ".ccd"))
                return rb_ccd_load(paths[0], l, warn, warnlen, err, errlen);
        if (n == 1 && rb_path_has_suffix(paths[0], ".flac")) {
                /* A single FLAC with an embedded CUESHEET is a whole disc. */
                r = rb_flac_cuesheet_load(paths[0], l, warn, warnlen, err, errlen);
                if (r == 0)
                        rb__append(warn, warnlen, "%s: %u tracks from its embedded CUESHEET\n",
                                   paths[0], l->track_count);
                if (r != -ENOENT)
                        return r;
        }
        return rb_layout_from_files(l, paths, n, warn, warnlen, err, errlen);
}

/* The IMAPI_CD_SECTOR_TYPE nearest to what a loaded track's index 1 holds. */
static rb_cd_sector_type_t loaded_sector_type(const rb_track_t *t)
{
        rb_data_format_t fmt = RB_FMT_AUDIO;
        uint64_t at = 0;

        for (size_t k = 0; k < t->segment_count; k++) {
                fmt = t->segments[k].format;
                at += t->segments[k].sectors;
                if (at > t->pause)
                        break;
        }
        switch (t->mode) {
        case RB_TRACK_AUDIO:
                return RB_CD_SECTOR_AUDIO;
        case RB_TRACK_MODE1:
                return fmt == RB_FMT_RAW_SCRAMBLED ? RB_CD_SECTOR_MODE1RAW : RB_CD_SECTOR_MODE1;
        case RB_TRACK_MODE2:
                break;
        }
        switch (fmt) {
        case RB_FMT_MODE2_FORM1:
                return RB_CD_SECTOR_MODE2FORM1;
        case RB_FMT_MODE2_FORMLESS:
                return RB_CD_SECTOR_MODE2FORM0;
        case RB_FMT_RAW_SCRAMBLED:
                return RB_CD_SECTOR_MODE2FORM0RAW;
        default:
                return RB_CD_SECTOR_MODE2FORM2; /* XA with its subheaders, either form */
        }
}

/* The track infos of a loaded disc: what IMAPI2's members read and change,
 * taken from the sheet. */
static void adopt_track(rb_raw_image_creator_t *c, unsigned i)
{
        const rb_track_t *t = &c->layout.tracks[i];
        rb_raw_image_track_info_t *ti = &c->tracks[i];

        *ti = (rb_raw_image_track_info_t){
            .creator = c,
            .index = i + 1,
            .type = loaded_sector_type(t),
            .data = {.fd = -1},
            .copy = t->scms                            ? RB_CD_COPY_SCMS
                    : t->flags & RB_CTL_COPY_PERMITTED ? RB_CD_COPY_PERMITTED
                                                       : RB_CD_COPY_PROHIBITED,
            .preemphasis = (t->flags & RB_CTL_PREEMPHASIS) != 0,
            .index_count = t->index_count ? t->index_count : 1,
            .disc_pause = t->pause,
            .disc_length = t->length,
        };
        memcpy(ti->isrc, t->isrc, sizeof ti->isrc);
        for (unsigned k = 2; k <= t->index_count; k++)
                ti->indexes[k - 1] = (int32_t)t->index_start[k];
}

int rb_raw_image_creator_load(rb_raw_image_creator_t *c, const char *const *paths, size_t n,
                              const char *charset, char *warn, size_t warnlen)
{
        rb_layout_t l;
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (c->track_count || c->pregap.fd >= 0)
                return fail(c, -RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED,
                            "tracks were added: a disc can be loaded only into an empty creator");
        if (c->first_number != 1)
                return fail(c, -EINVAL,
                            "a loaded disc numbers its own tracks: leave StartingTrackNumber at 1");
        if (n == 0)
                return fail(c, -EINVAL, "no source to load");
        rb_layout_init(&l);
        if ((r = load_sources(&l, paths, n, charset, warn, warnlen, c->error, sizeof c->error)) <
            0) {
                rb_layout_free(&l);
                return r;
        }
        if (l.track_count == 0) {
                rb_layout_free(&l);
                return fail(c, -RB_E_RAW_IMAGE_NO_TRACKS, "%s: no tracks", paths[0]);
        }
        /* A lossy source is burned as its decoder made it: said once per file. */
        for (size_t i = 0; i < l.file_count; i++)
                if (l.files[i].lossy)
                        rb__append(warn, warnlen,
                                   "%s: %s: the disc gets the decoded sound, not the original's\n",
                                   l.files[i].path, l.files[i].format);
        /* IMAPI2 refuses a catalog number whose check digit is wrong; a sheet
         * describes a disc that exists, so its number is kept and named. */
        if (l.mcn[0] && rb__mcn_check_digit(l.mcn) != l.mcn[RB_MCN_DIGITS - 1] - '0')
                rb__append(
                    warn, warnlen,
                    "note: catalog number %s: its check digit should be %d (kept as given)\n",
                    l.mcn, rb__mcn_check_digit(l.mcn));

        rb_layout_free(&c->layout);
        c->layout = l;
        c->model = &c->layout;
        c->loaded = true;
        c->rw_file = -1;
        memcpy(c->mcn, l.mcn, sizeof c->mcn);
        c->first_number = l.tracks[0].number;
        c->track_count = l.track_count;
        for (unsigned i = 0; i < l.track_count; i++)
                adopt_track(c, i);
        return 0;
}

bool rb_raw_image_creator_is_loaded(const rb_raw_image_creator_t *c)
{
        return c->loaded;
}

rb_layout_t *rb_raw_image_creator_edit_layout(rb_raw_image_creator_t *c)
{
        if (rb__creator_writable(c) < 0)
                return NULL;
        if (!c->loaded) {
                fail(c, -EINVAL, "only a loaded disc has a layout to edit");
                return NULL;
        }
        return &c->layout;
}

const rb_layout_t *rb_raw_image_creator_get_layout(rb_raw_image_creator_t *c)
{
        return rb__creator_lay_out(c) < 0 ? NULL : c->model;
}

int rb_raw_image_creator_set_first_lba(rb_raw_image_creator_t *c, int32_t lba)
{
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (lba < RB_LBA_MIN || lba > -GAP_SECTORS - 1)
                return fail(c, -EINVAL,
                            "the image must start in the lead-in (LBA %d..%d), not at %d",
                            RB_LBA_MIN, -GAP_SECTORS - 1, lba);
        c->first_lba = lba;
        return 0;
}

int32_t rb_raw_image_creator_get_first_lba(const rb_raw_image_creator_t *c)
{
        return c->first_lba;
}

int rb_raw_image_creator_set_write_offset(rb_raw_image_creator_t *c, int32_t samples)
{
        int r;

        if ((r = rb__creator_writable(c)) < 0)
                return r;
        if (samples < -RB_WRITE_OFFSET_MAX || samples > RB_WRITE_OFFSET_MAX)
                return fail(c, -EINVAL, "a write offset of %d samples is beyond ±%d (2 s)", samples,
                            RB_WRITE_OFFSET_MAX);
        c->write_offset = samples;
        return 0;
}

int32_t rb_raw_image_creator_get_write_offset(const rb_raw_image_creator_t *c)
{
        return c->write_offset;
}

int rb_raw_image_creator_get_write_report(const rb_raw_image_creator_t *c,
                                          rb_write_report_t *report)
{
        if (!c->read_only || c->result)
                return fail(c, -EINVAL,
                            "rb_raw_image_creator_write_result_image() has not written a result");
        *report = c->report;
        return 0;
}
