/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rawburnctl: the command line of rawburn. main() only dispatches. */
#include <stdio.h>
#include <string.h>

#include "rawburnctl.h"

static const struct subcommand {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary;
} subcommands[] = {
    {"image", cmd_image, "create and inspect raw DAO-96 disc images"},
    {"drives", cmd_drives, "drive models and their remembered settings (write offset)"},
};

static void usage(FILE *f)
{
        fprintf(f, "usage: rawburnctl COMMAND [ARGS…]\n\ncommands:\n");
        for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
                fprintf(f, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
        fprintf(f, "\nSee rawburnctl(1).\n");
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                usage(stderr);
                return 2;
        }
        if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
                usage(stdout);
                return 0;
        }
        if (strcmp(argv[1], "--version") == 0) {
                printf("rawburnctl %s\n", RAWBURN_VERSION);
                return 0;
        }
        for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
                if (strcmp(argv[1], subcommands[i].name) == 0)
                        return subcommands[i].run(argc - 1, argv + 1);
        fprintf(stderr, "rawburnctl: unknown command \"%s\"\n", argv[1]);
        usage(stderr);
        return 2;
}
