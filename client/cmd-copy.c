/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawburnctl copy [OPTIONS] SOURCE TARGET… [-- BURN-OPTIONS…]: the disc in
 * SOURCE read raw (as image read) into memory, then burned as a raw image
 * by burn's own path on each TARGET (several at once: burn's fan-out).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "disc-read-options.h"
#include "disc-read.h"
#include "exit-status.h"
#include "output.h"
#include "rawburnctl.h"

static void usage(FILE *f)
{
        fprintf(f,
                "usage: rawburnctl copy [OPTIONS] SOURCE TARGET… [-- BURN-OPTIONS…]\n\n"
                "Reads the disc in drive SOURCE raw (as image read does) and burns it on\n"
                "each drive TARGET at once (as burn does with the image; \"all\": every\n"
                "drive holding a blank disc; BURN-OPTIONS are burn's).\n\n"
                "%s"
                "%s",
                DISC_READ_OPTIONS_HELP, COMMON_OPTIONS_HELP);
}

/* The image burned as `burn` would: one TARGET, or several at once (burn's fan-out: each
 * drive opens the image on its own, prepared, written and checked by itself; "all" is
 * every drive holding a blank disc). */
static int burn_targets(char **targets, int n, const char *image, char **burn_args, int nburn)
{
        char **argv;
        int argc = 0, r;

        argv = calloc((size_t)nburn + 2 * (size_t)n + 4, sizeof *argv);
        if (!argv)
                return EXIT_FAILED;
        argv[argc++] = "burn";
        for (int i = 0; i < n; i++) {
                argv[argc++] = "--drive";
                argv[argc++] = targets[i];
        }
        if (arg_json)
                argv[argc++] = "--json";
        for (int i = 0; i < nburn; i++)
                argv[argc++] = burn_args[i];
        argv[argc++] = (char *)image;
        r = cmd_burn(argc, argv);
        free(argv);
        return r;
}

int cmd_copy(int argc, char **argv)
{
        static const struct option options[] = {
            COMMON_LONG_OPTIONS,
            {"help", no_argument, NULL, 'h'},
            DISC_READ_LONG_OPTIONS,
            {0},
        };
        disc_read_options o = DISC_READ_OPTIONS_INIT;
        char image[64];
        int c, r, nburn = 0, fd;
        char **burn_args = NULL;

        /* What follows "--" is burn's. */
        for (int i = 1; i < argc; i++)
                if (strcmp(argv[i], "--") == 0) {
                        burn_args = argv + i + 1;
                        nburn = argc - i - 1;
                        argc = i;
                        break;
                }
        optind = 1;
        while ((c = getopt_long(argc, argv, "hv", options, NULL)) != -1) {
                if (common_option(c))
                        continue;
                switch (c) {
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        r = disc_read_option(c, optarg, &o);
                        if (r == 0)
                                break;
                        if (r == -ENOENT)
                                usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (argc - optind < 2) {
                usage(stderr);
                return EXIT_USAGE;
        }
        for (int i = optind + 1; i < argc; i++)
                if (strcmp(argv[i], argv[optind]) == 0) {
                        fprintf(stderr, "rawburnctl: %s: the source cannot be a target too\n",
                                argv[i]);
                        return EXIT_USAGE;
                }
        /* In memory: a disc is at most some 900 MB, and nothing is left behind. */
        fd = memfd_create("rawburn-copy.dao96", MFD_CLOEXEC);
        if (fd < 0) {
                fprintf(stderr, "rawburnctl: no memory file for the image: %s\n", strerror(errno));
                return EXIT_FAILED;
        }
        r = disc_read_drive(argv[optind], fd, &o);
        if (r == EXIT_OK) {
                snprintf(image, sizeof image, "/proc/self/fd/%d", fd);
                r = burn_targets(argv + optind + 1, argc - optind - 1, image, burn_args, nburn);
        }
        close(fd);
        return r;
}
