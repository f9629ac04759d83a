/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rawburnctl list: one line per drive. */
#include <stdio.h>
#include <string.h>

#include "bus-util.h"
#include "drive-list.h"
#include "drive-text.h"
#include "exit-status.h"
#include "output.h"
#include "rawburnctl.h"

static void list_usage(FILE *f)
{
        fprintf(f, "usage: rawburnctl list [--no-legend] [--json]\n\n"
                   "One line per drive: its name, device, model, disc and state.\n\n"
                   "      --no-legend        no header line\n" COMMON_OPTIONS_HELP);
}

int cmd_list(int argc, char **argv)
{
        static const struct option options[] = {
            {"no-legend", no_argument, NULL, 'L'},
            {"help", no_argument, NULL, 'h'},
            COMMON_LONG_OPTIONS,
            {0},
        };
        bool legend = true;
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "hv", options, NULL)) != -1) {
                if (common_option(c))
                        continue;
                switch (c) {
                case 'L':
                        legend = false;
                        break;
                case 'h':
                        list_usage(stdout);
                        return EXIT_OK;
                default:
                        list_usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (optind != argc) {
                list_usage(stderr);
                return EXIT_USAGE;
        }

        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list drives = {0};
        int r = bus_open(&bus);
        if (r < 0)
                return report_bus_open_error(r);
        r = drives_load(bus, &drives, &error);
        if (r < 0)
                return report_bus_error(NULL, "listing the drives", &error, r);

        if (legend && !arg_json && drives.n)
                printf("%-6s %-10s %-28s %-26s %s\n", "DRIVE", "DEVICE", "MODEL", "DISC", "STATE");
        for (size_t i = 0; i < drives.n; i++) {
                const drive *d = drives.items[i];
                char media[64], state[128], model[96];
                if (arg_json) {
                        json_obj j;
                        json_event(&j, "drive", d->name);
                        drive_write_json(d, &j);
                        json_close(&j);
                        json_end_line(stdout);
                        continue;
                }
                drive_media_summary(d, media, sizeof media);
                if (d->media_present && d->media_supported && d->blank && d->last_leadout > 0) {
                        /* Minutes of audio, as discs are sold. */
                        size_t used = strlen(media);
                        snprintf(media + used, sizeof media - used, ", %d:%02d",
                                 d->last_leadout / 4500, d->last_leadout / 75 % 60);
                }
                printf("%-6s %-10s %-28s %-26s %s\n", d->name,
                       d->volume_name ? d->volume_name : "-", drive_model(d, model, sizeof model),
                       media, drive_state_summary(d, state, sizeof state));
        }
        if (drives.n == 0 && !arg_json)
                log_notice("no drives: rawburnd sees no optical drive");
        drives_clear(&drives);
        return EXIT_OK;
}
