/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "drive-command.h"

#include <stdio.h>

#include "bus-util.h"
#include "exit-status.h"
#include "output.h"
#include "rawburn-bus.h"
#include "rawburnctl.h"

static void method_usage(FILE *f, const drive_method *m)
{
        fprintf(f,
                "usage: rawburnctl %s [DRIVE]\n\n%s\nDRIVE is sr0, /dev/sr0 or an object "
                "path.\n\n" COMMON_OPTIONS_HELP,
                m->command, m->description);
}

int run_drive_method(int argc, char **argv, const drive_method *m)
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
                        method_usage(stdout, m);
                        return EXIT_OK;
                }
                method_usage(stderr, m);
                return EXIT_USAGE;
        }
        if (argc - optind > 1) {
                method_usage(stderr, m);
                return EXIT_USAGE;
        }
        const char *arg = optind < argc ? argv[optind] : NULL;

        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list drives = {0};
        drive *d;
        int status;
        int r = bus_open(&bus);
        if (r < 0)
                return report_bus_open_error(r);
        r = drives_load(bus, &drives, &error);
        if (r < 0)
                return report_bus_error(arg, "reading the drives", &error, r);
        r = drives_choose(&drives, arg, m->pick, &d);
        if (r < 0) {
                status = drives_choose_report(r, &drives, arg, m->pick);
                drives_clear(&drives);
                return status;
        }
        r = sd_bus_call_method(bus, RAWBURN_BUS_NAME, d->path, m->interface, m->method, &error,
                               NULL, "");
        if (r < 0)
                status = report_bus_error(d->name, m->method, &error, r);
        else {
                status = EXIT_OK;
                if (arg_json) {
                        json_obj j;
                        json_event(&j, m->command, d->name);
                        json_bool(&j, "ok", true);
                        json_close(&j);
                        json_end_line(stdout);
                } else
                        printf("%s: %s\n", d->name, m->done);
        }
        drives_clear(&drives);
        return status;
}
