/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rawburnctl image create | inspect */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bus-util.h"
#include "drive-list.h"
#include "drive-offset.h"
#include "drive-text.h"
#include "inspect-report.h"
#include "layout-text.h"
#include "rawburn/audio-order.h"
#include "rawburn/cdtext-file.h"
#include "rawburn/image-inspect.h"
#include "rawburn/image-layout.h"
#include "rawburn/image-writer.h"
#include "rawburn/raw-image-creator.h"
#include "rawburn/v07t.h"
#include "rawburn/write-offset.h"
#include "rawburnctl.h"
#include "source-layout.h"

#define ERRLEN  1024
#define WARNLEN 8192

static void image_usage(FILE *f)
{
        fprintf(f,
                "usage: rawburnctl image create [OPTIONS] (SHEET.cue | CDRDAO.toc | CLONE.ccd | "
                "FILE…) -o IMAGE\n"
                "       rawburnctl image inspect [--json] [--sector-type pq|pw] [--first-lba N] "
                "[--cdtext-dat FILE] IMAGE\n"
                "       rawburnctl image read [OPTIONS] [DRIVE] -o IMAGE\n"
                "\ncreate options:\n"
                "  -o, --output FILE         the image (\"-\" for standard output)\n"
                "  -t, --sector-type TYPE    raw (2448, default), cooked (2448) or pq (2368)\n"
                "      --first-lba N         first image sector (default -22650 = 95:00:00)\n"
                "      --start-msf MM:SS:FF  the same as an address in the lead-in\n"
                "      --media MINUTES       refuse what does not fit 74, 80, 90 or 99-minute "
                "media\n"
                "      --leadout-limit LBA   latest lead-out start\n"
                "      --catalog DIGITS      media catalogue number (13 digits)\n"
                "      --swap-audio[=N,…]    swap the audio bytes of these tracks (all: no list)\n"
                "      --allow-short-tracks  take tracks under 4 s (with a warning)\n"
                "      --cue-charset NAME    the cue sheet's character set (CP1252, SHIFT_JIS, "
                "UTF-8, …; default: detected)\n"
                "      --cdtext-v07t FILE    CD-Text from a Sony input sheet (.v07t), each sheet "
                "a\n"
                "                            block (language) after the sheet's own; may repeat\n"
                "      --cdtext-file FILE    CD-Text packs as they are (cdtext.dat), instead of "
                "any\n"
                "      --cdtext-language L   language of CD-Text block 0 (English, Japanese, de, "
                "…)\n"
                "      --cdtext-tab WHEN     repeated track text as TAB: auto (when a block would "
                "not\n"
                "                            fit otherwise, default), always, never\n"
                "      --cdtext-toc-info     add TOC_INFO (88h) packs\n"
                "      --write-offset N      the drive's write offset in samples, as offset "
                "databases\n"
                "                            list it: the audio moves N samples earlier\n"
                "  -d, --drive DRIVE         the write offset rawburnd has for this drive (its\n"
                "                            WriteOffset, from the quirks files)\n"
                "      --drive-model MODEL   the write offset the quirks files have for "
                "\"VENDOR\n"
                "                            PRODUCT\" (as INQUIRY has them, case and blanks "
                "count)\n"
                "      --no-write-offset     no write offset: the image unshifted\n"
                "  -n, --dry-run             show the layout, write nothing\n"
                "\ninspect options:\n"
                "      --cdtext-dat FILE     save the CD-Text packs found (cdtext.dat form)\n");
}

static int parse_sector_type(const char *s, rb_sector_type_t *t)
{
        if (strcasecmp(s, "raw") == 0 || strcmp(s, "3") == 0)
                *t = RB_SECTOR_RAW;
        else if (strcasecmp(s, "cooked") == 0 || strcmp(s, "2") == 0)
                *t = RB_SECTOR_COOKED;
        else if (strcasecmp(s, "pq") == 0 || strcmp(s, "1") == 0)
                *t = RB_SECTOR_PQ_ONLY;
        else if (strcasecmp(s, "pw") == 0 || strcasecmp(s, "pw96") == 0)
                *t = RB_SECTOR_RAW;
        else
                return -EINVAL;
        return 0;
}

static int parse_int(const char *s, long lo, long hi, long *v)
{
        char *end;
        errno = 0;
        long n = strtol(s, &end, 10);
        if (!*s || *end || errno || n < lo || n > hi)
                return -EINVAL;
        *v = n;
        return 0;
}

/* --swap-audio: "all" or a comma-separated list of track numbers. */
static int apply_swap(rb_layout_t *l, const char *list, char *err, size_t errlen)
{
        if (strcmp(list, "all") == 0) {
                for (unsigned i = 0; i < l->track_count; i++)
                        l->tracks[i].swap_audio = true;
                return 0;
        }
        char *copy = strdup(list), *save = NULL;
        if (!copy)
                return -ENOMEM;
        int r = 0;
        for (char *tok = strtok_r(copy, ",", &save); tok && r == 0;
             tok = strtok_r(NULL, ",", &save)) {
                long n;
                bool found = false;
                if (parse_int(tok, 1, 99, &n) == 0)
                        for (unsigned i = 0; i < l->track_count; i++)
                                if (l->tracks[i].number == n) {
                                        l->tracks[i].swap_audio = true;
                                        found = true;
                                }
                if (!found) {
                        snprintf(err, errlen, "--swap-audio: no track \"%s\"", tok);
                        r = -EINVAL;
                }
        }
        free(copy);
        return r;
}

/* CD-Text given beside the sheet: a binary file (as it is) or .v07t sheets
 * (blocks after the sheet's own); the language of block 0. */
static int apply_cdtext(rb_layout_t *l, const char *file, const char *const *v07t, size_t nv07t,
                        int language, char *warn, size_t warnlen, char *err, size_t errlen)
{
        int r;
        if (file && nv07t) {
                snprintf(err, errlen, "--cdtext-file and --cdtext-v07t: give one");
                return -EINVAL;
        }
        if (file) {
                uint8_t *packs;
                size_t count;
                if ((r = rb_cdtext_file_load(file, &packs, &count, err, errlen)) < 0)
                        return r;
                if (l->cdtext_given || rb_cdtext_any(&l->cdtext)) {
                        size_t used = strlen(warn);
                        snprintf(warn + used, warnlen - used,
                                 "note: %s replaces the sheet's CD-Text\n", file);
                }
                rb_cdtext_clear(&l->cdtext);
                free(l->cdtext_given);
                l->cdtext_given = packs;
                l->cdtext_given_count = count;
        }
        if (nv07t && l->cdtext_given) {
                snprintf(err, errlen,
                         "the sheet's CD-Text is binary packs (CDTEXTFILE): .v07t blocks cannot "
                         "join them");
                return -EINVAL;
        }
        unsigned block = rb_cdtext_block_count(&l->cdtext);
        for (size_t i = 0; i < nv07t; i++)
                if ((r = rb_v07t_load(v07t[i], l->track_count, &l->cdtext, &block, err, errlen)) <
                    0)
                        return r;
        if (language != RB_CDTEXT_LANGUAGE_AUTO) {
                rb_cdtext_block_t *b = rb_cdtext_block(&l->cdtext, 0);
                if (!b)
                        return -ENOMEM;
                b->language = language;
        }
        return 0;
}

/* The write offset the quirks files have for "VENDOR PRODUCT" (the vendor is the first
 * word; the revision is not known, so entries naming one do not apply). */
static int offset_of_model(const char *model, int32_t *offset, char *say, size_t saylen, char *err,
                           size_t errlen)
{
        char vendor[64];
        size_t n = strcspn(model, " \t");
        const char *product = model + n + strspn(model + n, " \t");
        rb_quirks_t q;
        int r;

        if (n == 0 || n >= sizeof vendor || !*product) {
                snprintf(err, errlen,
                         "--drive-model takes \"VENDOR PRODUCT\", e.g. \"PLEXTOR "
                         "DVDR   PX-716A\"");
                return -EINVAL;
        }
        memcpy(vendor, model, n);
        vendor[n] = '\0';
        if ((r = quirks_load_both(&q, NULL, err, errlen)) < 0)
                return r;
        const rb_quirk_t *k = rb_quirks_write_offset(&q, vendor, product, NULL);
        if (!k) {
                snprintf(err, errlen,
                         "no quirks file (%s, %s) has a write-offset for vendor \"%s\" product "
                         "\"%s\" (rawburnctl drives set-offset VENDOR PRODUCT SAMPLES records "
                         "one)",
                         quirks_path(RB_QUIRKS_DISTRIBUTION), quirks_path(RB_QUIRKS_LOCAL), vendor,
                         product);
                r = -ENOENT;
        } else {
                *offset = k->write_offset;
                snprintf(say, saylen, "%s %s: write offset %+d samples (%s quirks file, line %u)",
                         vendor, product, k->write_offset, rb_quirks_origin_name(k->origin),
                         k->line);
        }
        rb_quirks_free(&q);
        return r;
}

/* The write offset rawburnd has for a drive (WriteOffset). Returns 0, or an exit status
 * after saying why not. */
static int offset_of_drive(const char *name, int32_t *offset, char *say, size_t saylen)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list drives = {0};
        drive *d;
        char model[96], text[96];
        int r = bus_open(&bus);

        if (r < 0)
                return report_bus_open_error(r);
        r = drives_load(bus, &drives, &error);
        if (r < 0)
                return report_bus_error(name, "reading the drives", &error, r);
        r = drives_choose(&drives, name, PICK_ONLY, &d);
        if (r < 0) {
                int status = drives_choose_report(r, &drives, name, PICK_ONLY);
                drives_clear(&drives);
                return status;
        }
        if (!drive_offset_known(d)) {
                log_error("%s: rawburnd does not say the drive's write offset (WriteOffset): "
                          "give --write-offset, or --no-write-offset",
                          d->name);
                drives_clear(&drives);
                return 1;
        }
        *offset = d->write_offset;
        snprintf(say, saylen, "%s (%s): write offset %s", d->name,
                 drive_model(d, model, sizeof model), drive_offset_text(d, text, sizeof text));
        drives_clear(&drives);
        return 0;
}

/* What `image create` was asked for, its options parsed. */
typedef struct image_create_request {
        const char *const *paths;
        size_t path_count;
        const char *output; /* NULL with dry */
        bool dry;
        rb_sector_type_t sector_type;
        int32_t first_lba, leadout_limit;
        const char *cue_charset, *catalog, *swap, *cdtext_file;
        const char *const *v07t;
        size_t v07t_count;
        int cdtext_language;
        rb_cdtext_tab_t tab;
        bool toc_info, allow_short;
        bool have_offset;
        int32_t write_offset;
        const char *drive_model, *drive_name;
        bool no_offset;
} image_create_request;

/* r, with the creator's words for it in err when it failed. */
static int creator_said(rb_raw_image_creator_t *cr, int r, const char *prefix, char *err,
                        size_t errlen)
{
        if (r < 0)
                snprintf(err, errlen, "%s%s", prefix, rb_raw_image_creator_last_error(cr));
        return r;
}

/* Settings given beside the sources: the catalog number, byte order, CD-Text. */
static int apply_extras(rb_raw_image_creator_t *cr, const image_create_request *q, char *warn,
                        size_t warnlen, char *err, size_t errlen)
{
        rb_layout_t *l = rb_raw_image_creator_edit_layout(cr);
        int r = 0;

        if (!l)
                return creator_said(cr, -EINVAL, "", err, errlen);
        if (q->catalog)
                r = creator_said(cr, rb_raw_image_creator_set_media_catalog_number(cr, q->catalog),
                                 "--catalog: ", err, errlen);
        if (r == 0 && q->swap)
                r = apply_swap(l, q->swap, err, errlen);
        if (r == 0)
                r = apply_cdtext(l, q->cdtext_file, q->v07t, q->v07t_count, q->cdtext_language,
                                 warn, warnlen, err, errlen);
        l->cdtext_tab = q->tab;
        l->cdtext_toc_info = l->cdtext_toc_info || q->toc_info;
        return r;
}

/* --write-offset, --drive, --drive-model or --no-write-offset. Returns 0, -errno
 * with err, or a positive exit status already reported. */
static int choose_offset(const image_create_request *q, int32_t *offset, char *said, size_t saidlen,
                         char *err, size_t errlen)
{
        *offset = q->write_offset;
        if (q->have_offset + (q->drive_model != NULL) + (q->drive_name != NULL) + q->no_offset >
            1) {
                snprintf(err, errlen,
                         "--write-offset, --drive, --drive-model and --no-write-offset: give one");
                return -EINVAL;
        }
        if (q->drive_model)
                return offset_of_model(q->drive_model, offset, said, saidlen, err, errlen);
        if (q->drive_name)
                return offset_of_drive(q->drive_name, offset, said, saidlen);
        if (q->no_offset)
                *offset = 0;
        return 0;
}

/* The image through the creator, as a user of librawburn would make it:
 * settings, the disc loaded, the extras, the result. Returns the exit status. */
static int image_create_with(rb_raw_image_creator_t *cr, const image_create_request *q)
{
        char err[ERRLEN] = "", warn[WARNLEN] = "", offset_said[256] = "";
        const rb_layout_t *l = NULL;
        int32_t offset = 0;
        int r;

        r = creator_said(cr, rb_raw_image_creator_set_resulting_image_type(cr, q->sector_type), "",
                         err, sizeof err);
        if (r == 0)
                r = creator_said(cr, rb_raw_image_creator_set_first_lba(cr, q->first_lba), "", err,
                                 sizeof err);
        if (r == 0)
                r = creator_said(
                    cr, rb_raw_image_creator_set_start_of_leadout_limit(cr, q->leadout_limit), "",
                    err, sizeof err);
        if (r == 0)
                r = creator_said(cr,
                                 rb_raw_image_creator_load(cr, q->paths, q->path_count,
                                                           q->cue_charset, warn, sizeof warn),
                                 "", err, sizeof err);
        if (r == 0)
                r = apply_extras(cr, q, warn, sizeof warn, err, sizeof err);
        if (r == 0)
                r = choose_offset(q, &offset, offset_said, sizeof offset_said, err, sizeof err);
        if (r > 0) {
                if (warn[0])
                        fprintf(stderr, "%s", warn);
                return r;
        }
        if (r == 0)
                r = creator_said(cr, rb_raw_image_creator_set_write_offset(cr, offset), "", err,
                                 sizeof err);
        if (r == 0 && !(l = rb_raw_image_creator_get_layout(cr)))
                r = creator_said(cr, -EINVAL, "", err, sizeof err);
        char short_tracks[640] = "";
        if (r == 0)
                r = layout_check_short_tracks(l, q->allow_short, short_tracks, sizeof short_tracks,
                                              err, sizeof err);
        if (short_tracks[0])
                fprintf(stderr, "warning: %s\n", short_tracks);
        if (warn[0])
                fprintf(stderr, "%s", warn);
        if (r < 0) {
                fprintf(stderr, "rawburnctl: %s\n", err[0] ? err : strerror(-r));
                return 1;
        }
        FILE *info = q->output && strcmp(q->output, "-") == 0 ? stderr : stdout;
        if (offset_said[0])
                fprintf(info, "%s\n", offset_said);
        layout_print(l, info);
        layout_warn_byte_order(l, stderr);
        if (q->dry)
                return 0;
        int fd = strcmp(q->output, "-") == 0
                     ? STDOUT_FILENO
                     : open(q->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
                fprintf(stderr, "rawburnctl: %s: %s\n", q->output, strerror(errno));
                return 1;
        }
        rb_write_report_t report = {0};
        r = creator_said(cr, rb_raw_image_creator_write_result_image(cr, fd, NULL, NULL), "", err,
                         sizeof err);
        if (r == 0 && rb_raw_image_creator_get_write_report(cr, &report) == 0 &&
            report.offset_dropped_samples)
                fprintf(stderr,
                        "warning: the write offset moved %llu audio samples that are not silent "
                        "off the audio (before the first or past the last audio sector, or onto "
                        "a data track): they are not on the disc\n",
                        (unsigned long long)report.offset_dropped_samples);
        if (fd != STDOUT_FILENO && close(fd) < 0 && r == 0) {
                r = -errno;
                snprintf(err, sizeof err, "%s: %s", q->output, strerror(errno));
        }
        if (r < 0) {
                fprintf(stderr, "rawburnctl: %s\n", err[0] ? err : strerror(-r));
                return 1;
        }
        return 0;
}

static int image_create(int argc, char **argv)
{
        static const struct option options[] = {
            {"output", required_argument, NULL, 'o'},
            {"sector-type", required_argument, NULL, 't'},
            {"first-lba", required_argument, NULL, 'L'},
            {"start-msf", required_argument, NULL, 'M'},
            {"media", required_argument, NULL, 'm'},
            {"leadout-limit", required_argument, NULL, 'l'},
            {"catalog", required_argument, NULL, 'c'},
            {"dry-run", no_argument, NULL, 'n'},
            {"swap-audio", optional_argument, NULL, 'S'},
            {"cue-charset", required_argument, NULL, 'C'},
            {"allow-short-tracks", no_argument, NULL, 'A'},
            {"cdtext-v07t", required_argument, NULL, 'V'},
            {"cdtext-file", required_argument, NULL, 'F'},
            {"cdtext-language", required_argument, NULL, 'G'},
            {"cdtext-tab", required_argument, NULL, 'T'},
            {"cdtext-toc-info", no_argument, NULL, 'I'},
            {"write-offset", required_argument, NULL, 'W'},
            {"drive", required_argument, NULL, 'd'},
            {"drive-model", required_argument, NULL, 'D'},
            {"no-write-offset", no_argument, NULL, 'N'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        const char *output = NULL, *catalog = NULL, *swap = NULL, *cue_charset = NULL;
        const char *v07t[RB_CDTEXT_MAX_BLOCKS + 1], *cdtext_file = NULL, *drive_model = NULL;
        const char *drive_name = NULL;
        bool no_offset = false;
        size_t v07t_count = 0;
        int cdtext_language = RB_CDTEXT_LANGUAGE_AUTO;
        bool have_offset = false;
        rb_cdtext_tab_t tab = RB_CDTEXT_TAB_AUTO;
        bool toc_info = false;
        int32_t write_offset = 0;
        rb_sector_type_t sector_type = RB_SECTOR_RAW;
        int32_t first_lba = RB_IMAGE_START_LBA, leadout_limit = RB_LEADOUT_LIMIT_MAX;
        bool dry = false, allow_short = false;
        int c, r;
        long v;

        optind = 1;
        while ((c = getopt_long(argc, argv, "o:t:d:nh", options, NULL)) != -1) {
                switch (c) {
                case 'o':
                        output = optarg;
                        break;
                case 't':
                        if (parse_sector_type(optarg, &sector_type) < 0) {
                                fprintf(stderr, "rawburnctl: sector type is raw, cooked or pq\n");
                                return 2;
                        }
                        break;
                case 'L':
                        if (parse_int(optarg, RB_LBA_MIN, -151, &v) < 0) {
                                fprintf(stderr, "rawburnctl: --first-lba must be %d..-151\n",
                                        RB_LBA_MIN);
                                return 2;
                        }
                        first_lba = (int32_t)v;
                        break;
                case 'M': {
                        unsigned m, s, f;
                        rb_msf_t x;
                        if (sscanf(optarg, "%u:%u:%u", &m, &s, &f) != 3 || m > 99 || s > 59 ||
                            f > 74 || m < 90) {
                                fprintf(stderr, "rawburnctl: --start-msf is 90:00:00..99:59:74\n");
                                return 2;
                        }
                        x = (rb_msf_t){(uint8_t)m, (uint8_t)s, (uint8_t)f};
                        first_lba = rb_msf_to_lba(x);
                        break;
                }
                case 'm':
                        if (parse_int(optarg, 1, 99, &v) < 0 ||
                            rb_leadout_limit_for_minutes((unsigned)v, &leadout_limit) < 0) {
                                fprintf(stderr, "rawburnctl: --media is 74, 80, 90 or 99\n");
                                return 2;
                        }
                        break;
                case 'l':
                        if (parse_int(optarg, 1, RB_LEADOUT_LIMIT_MAX, &v) < 0) {
                                fprintf(stderr, "rawburnctl: --leadout-limit is 1..%d\n",
                                        RB_LEADOUT_LIMIT_MAX);
                                return 2;
                        }
                        leadout_limit = (int32_t)v;
                        break;
                case 'C':
                        cue_charset = optarg;
                        break;
                case 'A':
                        allow_short = true;
                        break;
                case 'V':
                        if (v07t_count == RB_CDTEXT_MAX_BLOCKS) {
                                fprintf(stderr, "rawburnctl: at most 8 --cdtext-v07t\n");
                                return 2;
                        }
                        v07t[v07t_count++] = optarg;
                        break;
                case 'F':
                        cdtext_file = optarg;
                        break;
                case 'G':
                        cdtext_language = rb_cdtext_language_from_name(optarg);
                        if (cdtext_language < 0) {
                                fprintf(stderr,
                                        "rawburnctl: --cdtext-language: unknown language \"%s\" "
                                        "(English, Japanese, de, ja, 0x09, …)\n",
                                        optarg);
                                return 2;
                        }
                        break;
                case 'T':
                        if (strcmp(optarg, "auto") == 0)
                                tab = RB_CDTEXT_TAB_AUTO;
                        else if (strcmp(optarg, "always") == 0)
                                tab = RB_CDTEXT_TAB_ALWAYS;
                        else if (strcmp(optarg, "never") == 0)
                                tab = RB_CDTEXT_TAB_NEVER;
                        else {
                                fprintf(stderr,
                                        "rawburnctl: --cdtext-tab is auto, always or never\n");
                                return 2;
                        }
                        break;
                case 'I':
                        toc_info = true;
                        break;
                case 'W':
                        if (parse_int(optarg, -RB_WRITE_OFFSET_MAX, RB_WRITE_OFFSET_MAX, &v) < 0) {
                                fprintf(stderr,
                                        "rawburnctl: --write-offset is a number of samples from "
                                        "%d to %d\n",
                                        -RB_WRITE_OFFSET_MAX, RB_WRITE_OFFSET_MAX);
                                return 2;
                        }
                        write_offset = (int32_t)v;
                        have_offset = true;
                        break;
                case 'D':
                        drive_model = optarg;
                        break;
                case 'd':
                        drive_name = optarg;
                        break;
                case 'N':
                        no_offset = true;
                        break;
                case 'c':
                        catalog = optarg;
                        break;
                case 'n':
                        dry = true;
                        break;
                case 'S':
                        swap = optarg ? optarg : "all";
                        break;
                case 'h':
                        image_usage(stdout);
                        return 0;
                default:
                        image_usage(stderr);
                        return 2;
                }
        }
        if (optind >= argc || (!output && !dry)) {
                image_usage(stderr);
                return 2;
        }
        rb_raw_image_creator_t *creator = NULL;
        if (rb_raw_image_creator_new(&creator) < 0) {
                fprintf(stderr, "rawburnctl: %s\n", strerror(ENOMEM));
                return 1;
        }
        r = image_create_with(creator, &(image_create_request){
                                           .paths = (const char *const *)argv + optind,
                                           .path_count = (size_t)(argc - optind),
                                           .output = output,
                                           .dry = dry,
                                           .sector_type = sector_type,
                                           .first_lba = first_lba,
                                           .leadout_limit = leadout_limit,
                                           .cue_charset = cue_charset,
                                           .catalog = catalog,
                                           .swap = swap,
                                           .cdtext_file = cdtext_file,
                                           .v07t = v07t,
                                           .v07t_count = v07t_count,
                                           .cdtext_language = cdtext_language,
                                           .tab = tab,
                                           .toc_info = toc_info,
                                           .allow_short = allow_short,
                                           .have_offset = have_offset,
                                           .write_offset = write_offset,
                                           .drive_model = drive_model,
                                           .drive_name = drive_name,
                                           .no_offset = no_offset,
                                       });
        rb_raw_image_creator_free(creator);
        return r;
}

static int image_inspect(int argc, char **argv)
{
        static const struct option options[] = {
            {"json", no_argument, NULL, 'j'},
            {"sector-type", required_argument, NULL, 't'},
            {"first-lba", required_argument, NULL, 'L'},
            {"cdtext-dat", required_argument, NULL, 'X'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        const char *cdtext_dat = NULL;
        rb_sector_type_t type = 0;
        int32_t first = RB_IMAGE_START_LBA;
        bool json = false;
        char err[ERRLEN] = "";
        int c;
        long v;

        optind = 1;
        while ((c = getopt_long(argc, argv, "jt:h", options, NULL)) != -1) {
                switch (c) {
                case 'j':
                        json = true;
                        break;
                case 't':
                        if (parse_sector_type(optarg, &type) < 0) {
                                fprintf(stderr, "rawburnctl: sector type is pq or pw\n");
                                return 2;
                        }
                        break;
                case 'L':
                        if (parse_int(optarg, RB_LBA_MIN, RB_LBA_MAX, &v) < 0) {
                                fprintf(stderr, "rawburnctl: bad --first-lba\n");
                                return 2;
                        }
                        first = (int32_t)v;
                        break;
                case 'X':
                        cdtext_dat = optarg;
                        break;
                case 'h':
                        image_usage(stdout);
                        return 0;
                default:
                        image_usage(stderr);
                        return 2;
                }
        }
        if (argc - optind != 1) {
                image_usage(stderr);
                return 2;
        }
        const char *path = argv[optind];
        int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                fprintf(stderr, "rawburnctl: %s: %s\n", path, strerror(errno));
                return 1;
        }
        rb_inspect_t *in = malloc(sizeof *in);
        if (!in) {
                close(fd);
                return 1;
        }
        int r = rb_image_inspect_fd(fd, type, first, in, err, sizeof err);
        if (fd != STDIN_FILENO)
                close(fd);
        if (r < 0) {
                fprintf(stderr, "rawburnctl: %s: %s\n", path, err[0] ? err : strerror(-r));
                rb_inspect_free(in);
                free(in);
                return 1;
        }
        if (json)
                inspect_report_json(in, stdout);
        else
                inspect_report_text(in, stdout);
        if (cdtext_dat) {
                if (!in->cdtext_pack_list || !in->cdtext_packs) {
                        fprintf(stderr, "rawburnctl: %s: no CD-Text packs to save\n", path);
                        rb_inspect_free(in);
                        free(in);
                        return 1;
                }
                r = rb_cdtext_file_save(cdtext_dat, in->cdtext_pack_list, in->cdtext_packs, err,
                                        sizeof err);
                if (r < 0) {
                        fprintf(stderr, "rawburnctl: %s\n", err);
                        rb_inspect_free(in);
                        free(in);
                        return 1;
                }
        }
        bool bad = in->q_crc_errors || in->sectors == 0;
        rb_inspect_free(in);
        free(in);
        return bad ? 3 : 0;
}

int cmd_image(int argc, char **argv)
{
        if (argc < 2) {
                image_usage(stderr);
                return 2;
        }
        if (strcmp(argv[1], "create") == 0)
                return image_create(argc - 1, argv + 1);
        if (strcmp(argv[1], "inspect") == 0)
                return image_inspect(argc - 1, argv + 1);
        if (strcmp(argv[1], "read") == 0)
                return cmd_image_read(argc - 1, argv + 1);
        if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
                image_usage(stdout);
                return 0;
        }
        fprintf(stderr, "rawburnctl image: unknown command \"%s\"\n", argv[1]);
        image_usage(stderr);
        return 2;
}
