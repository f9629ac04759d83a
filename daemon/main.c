/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawburnd: the system service that finds optical drives, describes them
 * and their media on the system bus (org.rawburn1), and checks with polkit
 * who may use them. One libuv loop drives everything; see docs/rawburnd.8.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "imapi-errors.h"
#include "log.h"
#include "tray-marks.h"

static void usage(FILE *f)
{
        fprintf(
            f, "Usage: rawburnd [OPTIONS]\n"
               "\n"
               "The rawburn system service (org.rawburn1 on the system bus).\n"
               "\n"
               "  --rt-priority N          SCHED_FIFO priority of burn threads (1-99, default 40)\n"
               "  --buffer-size SIZE       host buffer per burn (default 32M)\n"
               "  --max-buffer-memory SIZE buffer of all burns together (default 512M)\n"
               "  --command-timeout S      seconds a WRITE may take (default 60)\n"
               "  --ready-timeout S        seconds PrepareMedia waits for a drive becoming\n"
               "                           ready, and a call for udev to finish with the\n"
               "                           drive (default 30)\n"
               "  --finish-timeout S       seconds the drive may take to empty its buffer\n"
               "                           (default 600)\n"
               "  --always-check-polkit    ask polkit even for root callers (tests)\n"
               "  --quirks FILE            the distribution's drive quirks file (docs/quirks.md)\n"
               "  --local-quirks FILE      the local administrator's, read after it\n"
               "  --list-errors            print the org.rawburn1.Error table and exit\n"
               "  -v, --verbose            log debug messages\n"
               "  -h, --help               this text\n"
               "  --version                the version\n"
               "\n"
               "SIZE takes K, M or G. The bus is $DBUS_SYSTEM_BUS_ADDRESS, else the system bus.\n"
               "RAWBURND_ALWAYS_CHECK_POLKIT=1 is the same as --always-check-polkit;\n"
               "RAWBURND_QUIRKS=FILE as --quirks FILE; RAWBURND_LOCAL_QUIRKS=FILE as\n"
               "--local-quirks FILE.\n");
        fprintf(f, "Defaults: %s and %s\n", rb_quirks_default_path(RB_QUIRKS_DISTRIBUTION),
                rb_quirks_default_path(RB_QUIRKS_LOCAL));
}

static int parse_size(const char *s, size_t *ret)
{
        char *end;
        unsigned long long v;

        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || end == s)
                return -EINVAL;
        switch (*end) {
        case 'G':
                v <<= 10;
                /* fall through */
        case 'M':
                v <<= 10;
                /* fall through */
        case 'K':
                v <<= 10;
                end++;
                break;
        default:
                break;
        }
        if (*end || v == 0 || v > (1ull << 40))
                return -EINVAL;
        *ret = (size_t)v;
        return 0;
}

static int parse_seconds(const char *s, unsigned *ret_ms)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || end == s || *end || v == 0 || v > 86400)
                return -EINVAL;
        *ret_ms = (unsigned)v * 1000;
        return 0;
}

static int parse_priority(const char *s, int *ret)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < 1 || v > 99)
                return -EINVAL;
        *ret = (int)v;
        return 0;
}

static int parse_args(Daemon *d, int argc, char **argv)
{
        enum {
                OPT_VERSION = 0x100,
                OPT_POLKIT,
                OPT_LIST_ERRORS,
                OPT_RT_PRIORITY,
                OPT_BUFFER_SIZE,
                OPT_MAX_BUFFER,
                OPT_COMMAND_TIMEOUT,
                OPT_READY_TIMEOUT,
                OPT_FINISH_TIMEOUT,
                OPT_ERASE_TIMEOUT,
                OPT_RUNTIME_DIR,
                OPT_UNLOCK_TRAYS,
                OPT_QUIRKS,
                OPT_LOCAL_QUIRKS,
        };
        static const struct option options[] = {
            {"rt-priority", required_argument, NULL, OPT_RT_PRIORITY},
            {"buffer-size", required_argument, NULL, OPT_BUFFER_SIZE},
            {"max-buffer-memory", required_argument, NULL, OPT_MAX_BUFFER},
            {"command-timeout", required_argument, NULL, OPT_COMMAND_TIMEOUT},
            {"ready-timeout", required_argument, NULL, OPT_READY_TIMEOUT},
            {"finish-timeout", required_argument, NULL, OPT_FINISH_TIMEOUT},
            {"erase-timeout", required_argument, NULL, OPT_ERASE_TIMEOUT},
            {"runtime-dir", required_argument, NULL, OPT_RUNTIME_DIR},
            {"unlock-trays", no_argument, NULL, OPT_UNLOCK_TRAYS},
            {"always-check-polkit", no_argument, NULL, OPT_POLKIT},
            {"quirks", required_argument, NULL, OPT_QUIRKS},
            {"local-quirks", required_argument, NULL, OPT_LOCAL_QUIRKS},
            {"list-errors", no_argument, NULL, OPT_LIST_ERRORS},
            {"verbose", no_argument, NULL, 'v'},
            {"help", no_argument, NULL, 'h'},
            {"version", no_argument, NULL, OPT_VERSION},
            {},
        };
        const char *env = getenv("RAWBURND_ALWAYS_CHECK_POLKIT");
        int c;

        d->always_check_polkit = env && strcmp(env, "1") == 0;
        d->quirks_path = getenv("RAWBURND_QUIRKS");
        if (!d->quirks_path || !*d->quirks_path)
                d->quirks_path = rb_quirks_default_path(RB_QUIRKS_DISTRIBUTION);
        d->local_quirks_path = getenv("RAWBURND_LOCAL_QUIRKS");
        if (!d->local_quirks_path || !*d->local_quirks_path)
                d->local_quirks_path = rb_quirks_default_path(RB_QUIRKS_LOCAL);
        d->burn = (burn_config){
            .rt_priority = 40,
            .buffer_bytes = 32u << 20,
            .max_buffer_bytes = 512u << 20,
            .command_timeout_ms = 60000,
            .ready_timeout_ms = 30000,
            .finish_timeout_ms = 600000,
            .erase_timeout_ms = 3600000,
        };
        while ((c = getopt_long(argc, argv, "vh", options, NULL)) >= 0) {
                int bad = 0;

                switch (c) {
                case OPT_RT_PRIORITY:
                        bad = parse_priority(optarg, &d->burn.rt_priority);
                        break;
                case OPT_BUFFER_SIZE:
                        bad = parse_size(optarg, &d->burn.buffer_bytes);
                        break;
                case OPT_MAX_BUFFER:
                        bad = parse_size(optarg, &d->burn.max_buffer_bytes);
                        break;
                case OPT_COMMAND_TIMEOUT:
                        bad = parse_seconds(optarg, &d->burn.command_timeout_ms);
                        break;
                case OPT_READY_TIMEOUT:
                        bad = parse_seconds(optarg, &d->burn.ready_timeout_ms);
                        break;
                case OPT_FINISH_TIMEOUT:
                        bad = parse_seconds(optarg, &d->burn.finish_timeout_ms);
                        break;
                case OPT_ERASE_TIMEOUT:
                        bad = parse_seconds(optarg, &d->burn.erase_timeout_ms);
                        break;
                case OPT_RUNTIME_DIR:
                        d->runtime_dir = optarg;
                        break;
                case OPT_UNLOCK_TRAYS:
                        d->unlock_trays = true;
                        break;
                case OPT_POLKIT:
                        d->always_check_polkit = true;
                        break;
                case OPT_QUIRKS:
                        d->quirks_path = optarg;
                        break;
                case OPT_LOCAL_QUIRKS:
                        d->local_quirks_path = optarg;
                        break;
                case 'v':
                        log_set_max_level(LOG_DEBUG);
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                case OPT_LIST_ERRORS:
                        for (size_t i = 0; i < imapi_error_count(); i++) {
                                const imapi_error *e = imapi_error_at(i);

                                printf("%s\t0x%08X\t%s\t%s\n", e->name, (unsigned)e->hresult,
                                       e->symbol, e->message);
                        }
                        return 0;
                case OPT_VERSION:
                        puts("rawburnd " RAWBURN_VERSION);
                        return 0;
                default:
                        usage(stderr);
                        return -EINVAL;
                }
                if (bad < 0) {
                        fprintf(stderr, "rawburnd: bad value \"%s\" for an option\n", optarg);
                        return -EINVAL;
                }
        }
        if (optind < argc) {
                usage(stderr);
                return -EINVAL;
        }
        return 1;
}

int main(int argc, char **argv)
{
        Daemon d = {0};
        int r;

        r = parse_args(&d, argc, argv);
        if (r <= 0)
                return r < 0 ? 2 : 0;
        (void)tray_marks_init(d.runtime_dir);
        if (d.unlock_trays)
                return tray_marks_unlock_all() > 0 ? 1 : 0;

        /* A client vanishing mid-reply must not kill the daemon. */
        signal(SIGPIPE, SIG_IGN);
        d.loop = uv_default_loop();

        r = daemon_start(&d);
        if (r >= 0)
                uv_run(d.loop, UV_RUN_DEFAULT);
        daemon_shutdown(&d);
        return r < 0 ? 1 : 0;
}
