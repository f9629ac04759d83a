/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "burn-options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "output.h"
#include "rawburn/msf.h"
#include "rawburnctl.h"

static void duplicate_usage(FILE *f)
{
        fprintf(f,
                "usage: rawburnctl duplicate [OPTIONS] --copies N SOURCE…\n\n"
                "Burns N copies of SOURCE (as burn takes it) on whichever drive holds a blank\n"
                "disc: each disc is ejected once burned (and verified with --verify), and the\n"
                "drive waits for the next blank disc. A disc that fails is ejected and not\n"
                "counted. It ends at N good copies, or on Ctrl-C, with the tally.\n\n"
                "  -n, --copies N             how many good discs to make\n"
                "  -d, --drive DRIVE          a drive to use; repeated for several (default: all)\n"
                "" COMMON_OPTIONS_HELP
                "\nand burn's -s, -t, --no-burnfree, --simulate, --verify, --no-check,\n"
                "--first-lba, --cue-charset, --allow-short-tracks, --no-write-offset\n"
                "(rawburnctl burn --help).\n"
                "\nCtrl-C stops waiting for discs; while discs are written it asks first, and a\n"
                "second Ctrl-C cancels them (those discs are then unusable).\n");
}

static void burn_usage(FILE *f)
{
        fprintf(
            f,
            "usage: rawburnctl burn [OPTIONS] SOURCE…\n\n"
            "Burns SOURCE in raw DAO-96 mode: a raw image (as `image create` writes it,\n"
            "or \"-\" for one on standard input), a cue sheet, a cdrdao TOC, a CloneCD .ccd,\n"
            "an ISO, or audio files (one track each). Anything but a raw image is made\n"
            "into one on the fly and streamed to rawburnd, with no temporary file.\n\n"
            "  -d, --drive DRIVE          sr0, /dev/sr0 or an object path (default: the only\n"
            "                             drive, or the first one with a blank disc); repeated,\n"
            "                             or \"all\" (every drive holding a blank disc), the\n"
            "                             same image is burned on each at once\n"
            "  -s, --speed X|max          write speed in × (1× = 75 sectors/s)\n"
            "  -t, --sector-type TYPE     raw, cooked or pq (default: the image's; raw for\n"
            "                             images made here)\n"
            "      --no-burnfree          turn off buffer underrun protection (BURN-Free)\n"
            "      --simulate             go through the motions, record nothing (Test Write)\n"
            "      --dry-run              touch no disc: show the layout, the size against the\n"
            "                             disc's capacity, the CD-Text and the warnings\n"
            "      --verify               read the disc back and compare every sector with\n"
            "                             what was sent\n"
            "      --no-check             do not have rawburnd read back the TOC and CD-Text\n"
            "                             after the write (it does by default)\n"
            "      --eject                eject the disc after a successful burn\n"
            "      --first-lba N          LBA of a raw image's first sector (default -22650,\n"
            "                             MSF 95:00:00)\n"
            "      --cue-charset NAME     a cue sheet's character set (default: detected)\n"
            "      --allow-short-tracks   burn tracks under the Red Book's 4 s as well\n"
            "      --no-write-offset      make the image without the drive's write offset\n"
            "                             (rawburnd's WriteOffset, from the quirks files)\n"
            "" COMMON_OPTIONS_HELP
            "\nCtrl-C once asks; a second Ctrl-C cancels the burn (the disc is then unusable).\n");
}

static int parse_speed(const char *s, int32_t *ret)
{
        char *end;
        if (strcmp(s, "max") == 0) {
                *ret = -1;
                return 0;
        }
        errno = 0;
        double x = strtod(s, &end);
        if (end != s && (*end == 'x' || strncmp(end, "×", strlen("×")) == 0))
                end += *end == 'x' ? 1 : strlen("×");
        if (errno || end == s || *end || !(x > 0) || x > 100)
                return -EINVAL;
        *ret = (int32_t)lround(x * 75);
        return 0;
}

int burn_parse_options(int argc, char **argv, burn_options *o)
{
        enum {
                OPT_NO_BURNFREE = 0x100,
                OPT_SIMULATE,
                OPT_EJECT,
                OPT_FIRST_LBA,
                OPT_CHARSET,
                OPT_SHORT,
                OPT_DRY_RUN,
                OPT_VERIFY,
                OPT_NO_CHECK,
                OPT_NO_WRITE_OFFSET,
                OPT_COPIES,
        };
        static const struct option options[] = {
            {"drive", required_argument, NULL, 'd'},
            {"speed", required_argument, NULL, 's'},
            {"sector-type", required_argument, NULL, 't'},
            {"no-burnfree", no_argument, NULL, OPT_NO_BURNFREE},
            {"simulate", no_argument, NULL, OPT_SIMULATE},
            {"eject", no_argument, NULL, OPT_EJECT},
            {"first-lba", required_argument, NULL, OPT_FIRST_LBA},
            {"cue-charset", required_argument, NULL, OPT_CHARSET},
            {"allow-short-tracks", no_argument, NULL, OPT_SHORT},
            {"dry-run", no_argument, NULL, OPT_DRY_RUN},
            {"verify", no_argument, NULL, OPT_VERIFY},
            {"no-check", no_argument, NULL, OPT_NO_CHECK},
            {"no-write-offset", no_argument, NULL, OPT_NO_WRITE_OFFSET},
            {"copies", required_argument, NULL, OPT_COPIES},
            {"help", no_argument, NULL, 'h'},
            COMMON_LONG_OPTIONS,
            {0},
        };
        int c;
        char *end;
        long v;

        optind = 1;
        while ((c = getopt_long(argc, argv, o->duplicate ? "d:s:t:n:hv" : "d:s:t:hv", options,
                                NULL)) != -1) {
                if (c == 'n')
                        c = OPT_COPIES;
                if (common_option(c))
                        continue;
                switch (c) {
                case 'd':
                        if (o->n_drives == BURN_MAX_DRIVES) {
                                log_error("--drive is given at most %d times", BURN_MAX_DRIVES);
                                return -EINVAL;
                        }
                        if (!o->drive)
                                o->drive = optarg;
                        o->drives[o->n_drives++] = optarg;
                        break;
                case 's':
                        if (parse_speed(optarg, &o->speed) < 0) {
                                log_error("--speed takes a speed in × (e.g. 16 or 8.5) or max");
                                return -EINVAL;
                        }
                        break;
                case 't':
                        o->input.sector_type = sector_type_from_name(optarg);
                        if (o->input.sector_type < 0) {
                                log_error("--sector-type is raw, cooked or pq");
                                return -EINVAL;
                        }
                        break;
                case OPT_NO_BURNFREE:
                        o->no_burnfree = true;
                        break;
                case OPT_SIMULATE:
                        o->simulate = true;
                        break;
                case OPT_EJECT:
                        o->eject = true;
                        break;
                case OPT_FIRST_LBA:
                        errno = 0;
                        v = strtol(optarg, &end, 10);
                        if (errno || !*optarg || *end || v < RB_LBA_MIN || v > -151) {
                                log_error("--first-lba is %d to -151", RB_LBA_MIN);
                                return -EINVAL;
                        }
                        o->input.first_lba = (int32_t)v;
                        break;
                case OPT_CHARSET:
                        o->input.cue_charset = optarg;
                        break;
                case OPT_SHORT:
                        o->input.allow_short_tracks = true;
                        break;
                case OPT_DRY_RUN:
                        o->dry_run = true;
                        break;
                case OPT_VERIFY:
                        o->verify = true;
                        break;
                case OPT_NO_CHECK:
                        o->no_check = true;
                        break;
                case OPT_NO_WRITE_OFFSET:
                        o->no_write_offset = true;
                        break;
                case OPT_COPIES:
                        errno = 0;
                        v = strtol(optarg, &end, 10);
                        if (!o->duplicate) {
                                log_error("--copies is duplicate's: rawburnctl duplicate "
                                          "--copies N SOURCE…");
                                return -EINVAL;
                        }
                        if (errno || !*optarg || *end || v < 1 || v > 1000000) {
                                log_error("--copies takes a number of discs, 1 or more");
                                return -EINVAL;
                        }
                        o->copies = (unsigned)v;
                        break;
                case 'h':
                        (o->duplicate ? duplicate_usage : burn_usage)(stdout);
                        return 0;
                default:
                        (o->duplicate ? duplicate_usage : burn_usage)(stderr);
                        return -EINVAL;
                }
        }
        if (optind >= argc) {
                (o->duplicate ? duplicate_usage : burn_usage)(stderr);
                return -EINVAL;
        }
        if (o->duplicate && o->copies == 0) {
                log_error("duplicate needs --copies N: how many good discs to make");
                return -EINVAL;
        }
        if (o->duplicate && o->dry_run) {
                log_error("--dry-run is burn's: rawburnctl burn --dry-run SOURCE…");
                return -EINVAL;
        }
        if (o->dry_run && burn_options_many_drives(o)) {
                log_error("--dry-run looks at one drive: give --drive once");
                return -EINVAL;
        }
        if (o->verify && o->simulate) {
                log_error("--verify and --simulate: a simulation records nothing to read back");
                return -EINVAL;
        }
        return 1;
}

bool burn_options_many_drives(const burn_options *o)
{
        return o->n_drives > 1 || (o->n_drives == 1 && strcmp(o->drive, "all") == 0);
}
