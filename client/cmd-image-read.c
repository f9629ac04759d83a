/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rawburnctl image read [OPTIONS] [DRIVE] -o IMAGE, and the options it shares with copy */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disc-read-options.h"
#include "disc-read.h"
#include "exit-status.h"
#include "output.h"
#include "rawburnctl.h"

static void usage(FILE *f)
{
        fprintf(f,
                "usage: rawburnctl image read [OPTIONS] [DRIVE] -o IMAGE\n\n"
                "Reads the disc in DRIVE raw into a DAO-96 image (main channel and P-W of\n"
                "every sector, the lead-in made again from the TOC and CD-Text).\n\n"
                "  -o, --output FILE     the image\n"
                "%s"
                "%s",
                DISC_READ_OPTIONS_HELP, COMMON_OPTIONS_HELP);
}

int cmd_image_read(int argc, char **argv)
{
        static const struct option options[] = {
            {"output", required_argument, NULL, 'o'},
            COMMON_LONG_OPTIONS,
            {"help", no_argument, NULL, 'h'},
            DISC_READ_LONG_OPTIONS,
            {0},
        };
        disc_read_options o = DISC_READ_OPTIONS_INIT;
        const char *output = NULL;
        int c, r;

        optind = 1;
        while ((c = getopt_long(argc, argv, "o:hv", options, NULL)) != -1) {
                if (common_option(c))
                        continue;
                switch (c) {
                case 'o':
                        output = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        r = disc_read_option(c, optarg, &o);
                        if (r == 0)
                                break;
                        if (r != -ENOENT)
                                return EXIT_USAGE;
                        usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (!output || argc - optind > 1) {
                usage(stderr);
                return EXIT_USAGE;
        }
        if (strcmp(output, "-") == 0) {
                fprintf(stderr, "rawburnctl: image read writes the lead-in last: give -o a file, "
                                "not standard output\n");
                return EXIT_USAGE;
        }
        /* Written beside IMAGE and renamed over it once whole: a failed read
         * leaves no half image, and whatever IMAGE was stays. */
        char *part = NULL;
        if (asprintf(&part, "%s.XXXXXX", output) < 0) {
                fprintf(stderr, "rawburnctl: no memory\n");
                return EXIT_FAILED;
        }
        int fd = mkostemp(part, O_CLOEXEC);
        if (fd < 0 || fchmod(fd, 0644) < 0) {
                fprintf(stderr, "rawburnctl: %s: %s\n", output, strerror(errno));
                if (fd >= 0) {
                        close(fd);
                        unlink(part);
                }
                free(part);
                return EXIT_SOURCE;
        }
        r = disc_read_drive(optind < argc ? argv[optind] : NULL, fd, &o);
        if (close(fd) < 0 && r == EXIT_OK) {
                fprintf(stderr, "rawburnctl: %s: %s\n", output, strerror(errno));
                r = EXIT_FAILED;
        }
        if (r == EXIT_OK && rename(part, output) < 0) {
                fprintf(stderr, "rawburnctl: %s: %s\n", output, strerror(errno));
                r = EXIT_FAILED;
        }
        if (r != EXIT_OK)
                (void)unlink(part);
        free(part);
        return r;
}
