/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawburnctl drives: what rawburn knows about drive models. For now the
 * entries of drives.conf (drive-config.h); the drives the daemon sees come
 * later. rawburnctl drives set-offset records a model's write offset.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawburn/drive-config.h"
#include "rawburnctl.h"

static void drives_usage(FILE *f)
{
        fprintf(f,
                "usage: rawburnctl drives [--config FILE] [list]\n"
                "       rawburnctl drives [--config FILE] set-offset VENDOR PRODUCT SAMPLES\n"
                "\n"
                "  list        the drive models drives.conf has settings for (default)\n"
                "  set-offset  remember a model's write offset in samples, as drive offset\n"
                "              databases list it (image create --drive-model uses it)\n"
                "  -c, --config FILE  the file (default $RAWBURN_DRIVES_CONF or %s)\n",
                rb_drive_config_default_path());
}

static int list(const char *path)
{
        rb_drive_config_t c;
        char err[512] = "";
        int r = rb_drive_config_load(path, &c, err, sizeof err);
        if (r < 0) {
                fprintf(stderr, "rawburnctl: %s\n", err[0] ? err : strerror(-r));
                return 1;
        }
        printf("drive settings from %s:\n", path);
        if (c.count == 0)
                printf("  (none)\n");
        else
                printf("  %-10s %-18s %s\n", "VENDOR", "PRODUCT", "WRITE OFFSET");
        for (size_t i = 0; i < c.count; i++) {
                const rb_drive_entry_t *e = &c.entries[i];
                char off[32] = "-";
                if (e->has_write_offset)
                        snprintf(off, sizeof off, "%+d samples", e->write_offset);
                printf("  %-10s %-18s %s\n", e->vendor, e->product, off);
        }
        rb_drive_config_free(&c);
        return 0;
}

static int set_offset(const char *path, const char *vendor, const char *product, const char *n)
{
        char *end, err[512] = "";
        errno = 0;
        long v = strtol(n, &end, 10);
        if (!*n || *end || errno || v < INT32_MIN || v > INT32_MAX) {
                fprintf(stderr, "rawburnctl: \"%s\" is not a number of samples\n", n);
                return 2;
        }
        int r =
            rb_drive_config_set_write_offset(path, vendor, product, (int32_t)v, err, sizeof err);
        if (r < 0) {
                fprintf(stderr, "rawburnctl: %s\n", err[0] ? err : strerror(-r));
                return 1;
        }
        printf("%s %s: write offset %+ld samples, in %s\n", vendor, product, v, path);
        return 0;
}

int cmd_drives(int argc, char **argv)
{
        static const struct option options[] = {
            {"config", required_argument, NULL, 'c'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        const char *path = rb_drive_config_default_path();
        int c;

        optind = 1;
        /* "+": options stop at the subcommand, so that a negative offset is no option. */
        while ((c = getopt_long(argc, argv, "+c:h", options, NULL)) != -1) {
                switch (c) {
                case 'c':
                        path = optarg;
                        break;
                case 'h':
                        drives_usage(stdout);
                        return 0;
                default:
                        drives_usage(stderr);
                        return 2;
                }
        }
        if (optind == argc || strcmp(argv[optind], "list") == 0) {
                if (optind + 1 < argc) {
                        drives_usage(stderr);
                        return 2;
                }
                return list(path);
        }
        if (strcmp(argv[optind], "set-offset") == 0) {
                if (argc - optind != 4) {
                        drives_usage(stderr);
                        return 2;
                }
                return set_offset(path, argv[optind + 1], argv[optind + 2], argv[optind + 3]);
        }
        fprintf(stderr, "rawburnctl drives: unknown command \"%s\"\n", argv[optind]);
        drives_usage(stderr);
        return 2;
}
