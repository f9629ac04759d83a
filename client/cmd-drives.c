/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawburnctl drives: what rawburn knows about the drives. The drives rawburnd
 * sees, with the write modes each really accepts (SupportedWriteModes, as
 * its probes at discovery confirmed them), the sector types that follow and
 * its write and read offsets (WriteOffset, ReadOffset, from the quirks
 * files); then the offsets the quirks files hold (drive-offset.h). Without
 * rawburnd, the files alone, saying so. rawburnctl drives set-offset records a model's
 * write offset in the local quirks file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"
#include "drive-list.h"
#include "drive-offset.h"
#include "drive-text.h"
#include "exit-status.h"
#include "format.h"
#include "output.h"
#include "rawburnctl.h"

static void drives_usage(FILE *f)
{
        fprintf(f,
                "usage: rawburnctl drives [--config FILE] [--json] [list]\n"
                "       rawburnctl drives [--config FILE] set-offset VENDOR PRODUCT SAMPLES\n"
                "\n"
                "  list        the drives rawburnd sees, with the write modes each really\n"
                "              accepts, its sector types and its write and read offsets; then\n"
                "              the offsets the quirks files hold (the default; the files alone\n"
                "              when rawburnd is not running)\n"
                "  set-offset  remember a model's write offset in samples, as drive offset\n"
                "              databases list it, in the local quirks file (burn applies it\n"
                "              once rawburnd has read the file again: systemctl reload rawburnd)\n"
                "  -c, --config FILE  the local quirks file (default $RAWBURN_LOCAL_QUIRKS or "
                "%s)\n"
                "\n" COMMON_OPTIONS_HELP,
                rb_quirks_default_path(RB_QUIRKS_LOCAL));
}

/* The raw write modes and the sector type each carries (SupportedWriteModes). */
static const struct {
        const char *mode;
        int32_t sector_type;
} raw_modes[] = {
    {"RAW/R16", 1},
    {"RAW/R96P", 2},
    {"RAW/R96R", 3},
};
#define N_RAW_MODES (sizeof raw_modes / sizeof raw_modes[0])

static bool can_simulate(const drive *d, size_t k)
{
        char test[32];
        snprintf(test, sizeof test, "TEST/%s", raw_modes[k].mode);
        return drive_has_write_mode(d, test);
}

static bool writes_raw(const drive *d)
{
        for (size_t k = 0; k < N_RAW_MODES; k++)
                if (drive_has_write_mode(d, raw_modes[k].mode))
                        return true;
        /* A rawburnd without SupportedWriteModes: its IsRecorderSupported. */
        return !d->write_modes && d->recorder_supported;
}

static void strv_json(json_obj *j, const char *key, char **l)
{
        json_key(j, key);
        fputc('[', j->f);
        for (char **p = l; p && *p; p++) {
                if (p != l)
                        fputc(',', j->f);
                json_string(j->f, *p);
        }
        fputc(']', j->f);
}

static void drive_json(const drive *d)
{
        json_obj j;
        json_event(&j, "drive", d->name);
        json_str(&j, "device", d->volume_name);
        json_str(&j, "vendor", d->vendor);
        json_str(&j, "product", d->product);
        json_str(&j, "revision", d->revision);
        strv_json(&j, "write_modes", d->write_modes);
        json_bool(&j, "raw_writing", writes_raw(d));
        json_key(&j, "sector_types");
        fputc('[', j.f);
        for (size_t i = 0; i < d->sector_types.n; i++) {
                if (i)
                        fputc(',', j.f);
                json_string(j.f, sector_type_name(d->sector_types.v[i]));
        }
        fputc(']', j.f);
        json_key(&j, "simulate_sector_types");
        fputc('[', j.f);
        bool first = true;
        for (size_t k = 0; k < N_RAW_MODES; k++)
                if (can_simulate(d, k)) {
                        if (!first)
                                fputc(',', j.f);
                        first = false;
                        json_string(j.f, sector_type_name(raw_modes[k].sector_type));
                }
        fputc(']', j.f);
        json_int_if(&j, "write_offset", drive_offset_known(d), d->write_offset);
        json_str(&j, "write_offset_source", d->write_offset_source);
        json_int_if(&j, "read_offset", d->read_offset_source != NULL, d->read_offset);
        json_str(&j, "read_offset_source", d->read_offset_source);
        json_close(&j);
        json_end_line(stdout);
}

static void drive_text(const drive *d)
{
        char model[96], offset[96];

        printf("%s  %s (%s)\n", d->name, drive_model(d, model, sizeof model),
               d->volume_name ? d->volume_name : "-");
        printf("  Write modes:  ");
        if (!d->write_modes || !d->write_modes[0])
                printf("none");
        for (char **m = d->write_modes; m && *m; m++)
                printf("%s%s", m == d->write_modes ? "" : " ", *m);
        putchar('\n');
        if (writes_raw(d)) {
                printf("  Raw writing:  yes, sector types");
                for (size_t i = 0; i < d->sector_types.n; i++)
                        printf("%s %s", i ? "," : "", sector_type_name(d->sector_types.v[i]));
                printf("\n  Simulation:   ");
                size_t n = 0;
                for (size_t k = 0; k < N_RAW_MODES; k++)
                        if (drive_has_write_mode(d, raw_modes[k].mode) && can_simulate(d, k))
                                printf("%s%s", n++ ? ", " : "yes (Test Write), with ",
                                       sector_type_name(raw_modes[k].sector_type));
                if (!n)
                        printf("no: this drive has no Test Write in raw mode, burn --simulate is "
                               "refused (burn --dry-run needs no drive)");
                putchar('\n');
        } else
                printf("  Raw writing:  no: this drive cannot burn raw (it has no RAW write "
                       "mode), rawburn cannot burn with it\n");
        printf("  Write offset: %s\n", drive_offset_text(d, offset, sizeof offset));
        printf("  Read offset:  %s\n", drive_read_offset_text(d, offset, sizeof offset));
}

/* Whether a failure to read the drives means rawburnd is simply not there. */
static bool daemon_absent(const sd_bus_error *e, int r)
{
        if (e && sd_bus_error_is_set(e))
                return sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN,
                                              SD_BUS_ERROR_NAME_HAS_NO_OWNER,
                                              SD_BUS_ERROR_NO_SERVER);
        return r == -ENOENT || r == -ECONNREFUSED || r == -ENOTCONN;
}

/* The drives rawburnd sees; returns an exit status (EXIT_OK also when
 * rawburnd is not running: that is said, and the settings follow). */
static int list_daemon_drives(void)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        drive_list drives = {0};
        int r = bus_open(&bus);
        if (r >= 0)
                r = drives_load(bus, &drives, &error);
        if (r < 0) {
                if (!daemon_absent(&error, r))
                        return report_bus_error(NULL, "reading the drives", &error, r);
                if (arg_json) {
                        json_obj j;
                        json_event(&j, "daemon", NULL);
                        json_bool(&j, "running", false);
                        json_close(&j);
                        json_end_line(stdout);
                } else
                        printf("rawburnd is not running: no drives to show, only the quirks "
                               "files\n\n");
                return EXIT_OK;
        }
        if (!arg_json)
                printf(drives.n ? "drives rawburnd sees:\n" : "rawburnd sees no drive\n");
        for (size_t i = 0; i < drives.n; i++) {
                const drive *d = drives.items[i];
                if (arg_json)
                        drive_json(d);
                else
                        drive_text(d);
        }
        if (!arg_json)
                putchar('\n');
        drives_clear(&drives);
        return EXIT_OK;
}

static int list(const char *local)
{
        rb_quirks_t q;
        char err[512] = "";
        int r = quirks_load_both(&q, local, err, sizeof err);
        if (r < 0) {
                log_error("%s", err);
                return EXIT_FAILED;
        }
        const char *paths[] = {[RB_QUIRKS_DISTRIBUTION] = quirks_path(RB_QUIRKS_DISTRIBUTION),
                               [RB_QUIRKS_LOCAL] = local};
        int status = list_daemon_drives();
        if (arg_json) {
                for (size_t i = 0; i < q.count; i++) {
                        const rb_quirk_t *e = &q.entries[i];
                        if (!e->has_write_offset && !e->has_read_offset)
                                continue;
                        json_obj j;
                        json_event(&j, "drive-model", NULL);
                        json_str(&j, "vendor", e->vendor);
                        json_str(&j, "product", e->product);
                        json_str(&j, "revision", e->revision);
                        json_int_if(&j, "write_offset", e->has_write_offset, e->write_offset);
                        json_int_if(&j, "read_offset", e->has_read_offset, e->read_offset);
                        json_str(&j, "source", rb_quirks_origin_name(e->origin));
                        json_str(&j, "file", paths[e->origin]);
                        json_int(&j, "line", e->line);
                        json_close(&j);
                        json_end_line(stdout);
                }
                rb_quirks_free(&q);
                return status;
        }
        printf("offsets in %s, then %s (the later wins):\n", paths[RB_QUIRKS_DISTRIBUTION], local);
        size_t n = 0;
        for (size_t i = 0; i < q.count; i++) {
                const rb_quirk_t *e = &q.entries[i];
                char woff[32] = "-", roff[32] = "-";
                if (!e->has_write_offset && !e->has_read_offset)
                        continue;
                if (n++ == 0)
                        printf("  %-10s %-18s %-9s %-14s %-14s %s\n", "VENDOR", "PRODUCT",
                               "REVISION", "WRITE OFFSET", "READ OFFSET", "FILE");
                if (e->has_write_offset)
                        snprintf(woff, sizeof woff, "%+d samples", e->write_offset);
                if (e->has_read_offset)
                        snprintf(roff, sizeof roff, "%+d samples", e->read_offset);
                printf("  %-10s %-18s %-9s %-14s %-14s %s:%u\n", e->vendor, e->product, e->revision,
                       woff, roff, rb_quirks_origin_name(e->origin), e->line);
        }
        if (n == 0)
                printf("  (none)\n");
        rb_quirks_free(&q);
        return status;
}

static int set_offset(const char *path, const char *vendor, const char *product, const char *n)
{
        char *end, err[512] = "";
        errno = 0;
        long v = strtol(n, &end, 10);
        if (!*n || *end || errno || v < INT32_MIN || v > INT32_MAX) {
                log_error("\"%s\" is not a number of samples", n);
                return EXIT_USAGE;
        }
        int r = rb_quirks_set_write_offset(path, vendor, product, (int32_t)v, err, sizeof err);
        if (r < 0) {
                log_error("%s", err[0] ? err : strerror(-r));
                return EXIT_FAILED;
        }
        printf("%s %s: write offset %+ld samples, in %s (for rawburnd to use it: systemctl "
               "reload rawburnd)\n",
               vendor, product, v, path);
        return EXIT_OK;
}

int cmd_drives(int argc, char **argv)
{
        static const struct option options[] = {
            {"config", required_argument, NULL, 'c'},
            {"help", no_argument, NULL, 'h'},
            COMMON_LONG_OPTIONS,
            {0},
        };
        const char *path = quirks_path(RB_QUIRKS_LOCAL);
        int c;

        optind = 1;
        /* "+": options stop at the subcommand, so that a negative offset is no option. */
        while ((c = getopt_long(argc, argv, "+c:hv", options, NULL)) != -1) {
                if (common_option(c))
                        continue;
                switch (c) {
                case 'c':
                        path = optarg;
                        break;
                case 'h':
                        drives_usage(stdout);
                        return EXIT_OK;
                default:
                        drives_usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (optind == argc || strcmp(argv[optind], "list") == 0) {
                if (optind + 1 < argc) {
                        drives_usage(stderr);
                        return EXIT_USAGE;
                }
                return list(path);
        }
        if (strcmp(argv[optind], "set-offset") == 0) {
                if (argc - optind != 4) {
                        drives_usage(stderr);
                        return EXIT_USAGE;
                }
                return set_offset(path, argv[optind + 1], argv[optind + 2], argv[optind + 3]);
        }
        log_error("drives: unknown command \"%s\"", argv[optind]);
        drives_usage(stderr);
        return EXIT_USAGE;
}
