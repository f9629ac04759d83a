/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rawburnctl: the command line of rawburn. main() only dispatches. */
#include "rawburnctl.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exit-status.h"
#include "output.h"

bool arg_verbose = false;
bool arg_json = false;
bool arg_ask_password = true;

static const struct subcommand {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary;
} subcommands[] = {
    {"list", cmd_list, "list the drives and what is in them"},
    {"info", cmd_info, "show a drive, its disc and its capacity"},
    {"monitor", cmd_monitor, "follow drives, discs and burns as they change"},
    {"burn", cmd_burn, "burn an image, cue sheet, TOC, CloneCD image, ISO or audio files"},
    {"duplicate", cmd_duplicate, "burn N copies, disc after disc, on the drives given"},
    {"blank", cmd_blank, "erase a CD-RW so that it can be burned again"},
    {"cancel", cmd_cancel, "stop the burn running on a drive"},
    {"eject", cmd_eject, "open a drive's tray"},
    {"close-tray", cmd_close_tray, "close a drive's tray"},
    {"image", cmd_image, "create and inspect raw DAO-96 disc images"},
    {"copy", cmd_copy, "copy a disc raw from one drive to another"},
    {"drives", cmd_drives, "what each drive can write, and remembered settings (write offset)"},
};

bool common_option(int c)
{
        switch (c) {
        case 'v':
        case OPT_VERBOSE:
                arg_verbose = true;
                return true;
        case OPT_JSON:
                arg_json = true;
                return true;
        case OPT_NO_ASK_PASSWORD:
                arg_ask_password = false;
                return true;
        default:
                return false;
        }
}

static void usage(FILE *f)
{
        fprintf(f, "usage: rawburnctl [OPTIONS] COMMAND [ARGS…]\n\ncommands:\n");
        for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
                fprintf(f, "  %-11s %s\n", subcommands[i].name, subcommands[i].summary);
        fprintf(f, "\noptions:\n" COMMON_OPTIONS_HELP "  -h, --help             this text\n"
                   "      --version          the version\n"
                   "\nrawburnctl COMMAND --help describes each command; see rawburnctl(1).\n");
}

int main(int argc, char **argv)
{
        int i = 1;

        /* Nobody is there to type a password when stdin is not a terminal. */
        arg_ask_password = isatty(STDIN_FILENO);
        for (; i < argc && argv[i][0] == '-'; i++) {
                if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
                        usage(stdout);
                        return EXIT_OK;
                }
                if (strcmp(argv[i], "--version") == 0) {
                        printf("rawburnctl %s\n", RAWBURN_VERSION);
                        return EXIT_OK;
                }
                if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0)
                        arg_verbose = true;
                else if (strcmp(argv[i], "--json") == 0)
                        arg_json = true;
                else if (strcmp(argv[i], "--no-ask-password") == 0)
                        arg_ask_password = false;
                else {
                        fprintf(stderr, "rawburnctl: unknown option \"%s\"\n", argv[i]);
                        usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (i >= argc) {
                usage(stderr);
                return EXIT_USAGE;
        }
        if (strcmp(argv[i], "help") == 0) {
                usage(stdout);
                return EXIT_OK;
        }
        for (size_t k = 0; k < sizeof subcommands / sizeof subcommands[0]; k++)
                if (strcmp(argv[i], subcommands[k].name) == 0)
                        return subcommands[k].run(argc - i, argv + i);
        fprintf(stderr, "rawburnctl: unknown command \"%s\"\n", argv[i]);
        usage(stderr);
        return EXIT_USAGE;
}
