/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rawburnctl info [DRIVE]: a drive, its disc and what fits on it. */
#include <stdio.h>
#include <string.h>

#include "bus-util.h"
#include "drive-list.h"
#include "drive-text.h"
#include "exit-status.h"
#include "format.h"
#include "output.h"
#include "rawburnctl.h"

static void info_usage(FILE *f)
{
        fprintf(f, "usage: rawburnctl info [--json] [DRIVE]\n\n"
                   "The drive (all drives without DRIVE), the write modes it accepts, its disc,\n"
                   "the disc's lead-in start and capacity from its ATIP, write speeds and who\n"
                   "holds the drive.\n"
                   "DRIVE is sr0, /dev/sr0 or an object path.\n\n" COMMON_OPTIONS_HELP);
}

#define LABEL "%16s: "

static void print_speeds(const drive *d)
{
        char s[16];
        printf(LABEL, "Write speeds");
        if (!d->write_speeds.n)
                printf("-");
        for (size_t i = 0; i < d->write_speeds.n; i++)
                printf("%s%s", i ? " " : "", format_speed(d->write_speeds.v[i], s, sizeof s));
        if (d->write_speeds.n) {
                printf(" (");
                for (size_t i = 0; i < d->write_speeds.n; i++)
                        printf("%s%d", i ? ", " : "", d->write_speeds.v[i]);
                printf(" sectors/s)");
        }
        putchar('\n');
        if (d->current_speed > 0)
                printf(LABEL "%s (%d sectors/s, %.0f kB/s)\n", "Current speed",
                       format_speed(d->current_speed, s, sizeof s), d->current_speed,
                       KBPS_OF(d->current_speed));
}

static void print_media(const drive *d)
{
        char a[16], b[96];

        if (!d->media_present) {
                printf(LABEL "none\n", "Disc");
                return;
        }
        printf(LABEL "%s\n", "Disc", media_type_name(d->media_type));
        printf(LABEL "%s\n", "Blank", d->blank ? "yes" : "no");
        printf(LABEL "%s\n", "Writable",
               d->media_supported && d->blank ? "yes, in raw DAO-96 mode"
               : d->media_supported           ? "no: the disc is not blank"
                                    : "no: only blank CD-R and CD-RW discs can be burned raw");
        /* StartOfNextSession is where this disc's lead-in starts (the ATIP
         * lead-in start on a blank disc): an image must begin no later. */
        if (d->next_session < -150)
                printf(LABEL "%s (LBA %d)\n", "Lead-in start",
                       format_msf(d->next_session, a, sizeof a), d->next_session);
        if (d->last_leadout > 0)
                printf(LABEL "%s (LBA %d): room for %s\n", "Last lead-out",
                       format_msf(d->last_leadout, a, sizeof a), d->last_leadout,
                       format_capacity(d->last_leadout, b, sizeof b));
}

static void print_drive(const drive *d)
{
        char model[96], state[128];

        printf("%s (%s)\n", d->name, d->path);
        printf(LABEL "%s", "Device", d->volume_name ? d->volume_name : "-");
        for (char **p = d->device_paths; p && *p; p++)
                if (!d->volume_name || strcmp(*p, d->volume_name) != 0)
                        printf(", %s", *p);
        putchar('\n');
        printf(LABEL "%s\n", "Model", drive_model(d, model, sizeof model));
        if (d->write_modes) {
                printf(LABEL, "Write modes");
                for (char **m = d->write_modes; *m; m++)
                        printf("%s%s", m == d->write_modes ? "" : " ", *m);
                printf("%s\n", d->write_modes[0] ? "" : "none");
        }
        printf(LABEL "%s", "Raw writing", d->recorder_supported ? "yes" : "no");
        if (d->sector_types.n) {
                printf(", sector types");
                for (size_t i = 0; i < d->sector_types.n; i++)
                        printf("%s %s", i ? "," : "", sector_type_name(d->sector_types.v[i]));
        }
        putchar('\n');
        print_media(d);
        if (d->media_present)
                print_speeds(d);
        printf(LABEL "%s\n", "Exclusive owner",
               d->exclusive_owner && d->exclusive_owner[0] ? d->exclusive_owner : "none");
        printf(LABEL "%s\n", "State", drive_state_summary(d, state, sizeof state));
        if (d->simulate && d->state && strcmp(d->state, "idle") != 0)
                printf(LABEL "%s\n", "Simulation", "yes: the drive records nothing");
        if (d->probe_error && d->probe_error[0])
                printf(LABEL "%s\n", "Probe error", d->probe_error);
}

int cmd_info(int argc, char **argv)
{
        static const struct option options[] = {
            {"help", no_argument, NULL, 'h'},
            COMMON_LONG_OPTIONS,
            {0},
        };
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "hv", options, NULL)) != -1) {
                if (common_option(c))
                        continue;
                if (c == 'h') {
                        info_usage(stdout);
                        return EXIT_OK;
                }
                info_usage(stderr);
                return EXIT_USAGE;
        }
        if (argc - optind > 1) {
                info_usage(stderr);
                return EXIT_USAGE;
        }
        const char *arg = optind < argc ? argv[optind] : NULL;

        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list drives = {0};
        int r = bus_open(&bus);
        if (r < 0)
                return report_bus_open_error(r);
        r = drives_load(bus, &drives, &error);
        if (r < 0)
                return report_bus_error(arg, "reading the drives", &error, r);

        int status = EXIT_OK;
        drive *one = NULL;
        if (arg || drives.n == 0) {
                r = drives_choose(&drives, arg, PICK_ONLY, &one);
                if (r < 0)
                        status = drives_choose_report(r, &drives, arg, PICK_ONLY);
        }
        for (size_t i = 0; status == EXIT_OK && i < drives.n; i++) {
                const drive *d = drives.items[i];
                if (one && d != one)
                        continue;
                if (arg_json) {
                        json_obj j;
                        json_event(&j, "drive", d->name);
                        drive_write_json(d, &j);
                        json_close(&j);
                        json_end_line(stdout);
                        continue;
                }
                if (i && !one)
                        putchar('\n');
                print_drive(d);
        }
        drives_clear(&drives);
        return status;
}
