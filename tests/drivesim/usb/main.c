/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * drivesim-usb: serves emulated MMC CD recorders as USB CD writers plugged into this
 * machine's own kernel (configfs gadgets on dummy_hcd, FunctionFS, Bulk-Only Transport), so
 * that usb-storage, sr, sg, cdrom and udev stand between them and the programs that use
 * them. A service: it runs until SIGTERM. See --help and docs/drivesim.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "frontend-options.h"
#include "usb.h"

#ifndef DRIVESIM_VERSION
#define DRIVESIM_VERSION "0"
#endif

#define EXIT_USAGE 2
#define EXIT_SETUP 3

static const char usage_text[] =
    "Usage: drivesim-usb [OPTION]...\n"
    "Plugs emulated SCSI MMC-5 CD-R/RW recorders into this machine as USB CD writers:\n"
    "one USB gadget per drive (configfs, FunctionFS), bound to a UDC of dummy_hcd, so the\n"
    "kernel's usb-storage binds it and makes /dev/srN and /dev/sgN. Runs until SIGTERM,\n"
    "SIGINT or SIGHUP, then unplugs every drive (saving \"kept\" discs). Needs root,\n"
    "configfs at /sys/kernel/config and the modules dummy_hcd (num=N for N drives),\n"
    "libcomposite and usb_f_fs.\n"
    "\n"
    "Options:\n"
    "  -d, --drive SPEC      plug in a drive at start (repeatable; default: none until\n"
    "                        \"add\" on the control socket)\n"
    "  -s, --state-dir DIR   keep recorded discs in DIR, created when missing\n"
    "  -c, --control SOCKET  listen for control commands on a Unix stream socket\n"
    "      --ready-fd FD     write \"READY=1\\n\" to FD and close it once every --drive has\n"
    "                        its /dev/srN and the control socket listens; under systemd\n"
    "                        (Type=notify) the same moment is sent as sd_notify READY=1\n"
    "      --configfs DIR    where configfs is mounted (default /sys/kernel/config)\n"
    "      --run-dir DIR     where FunctionFS is mounted (default /run/drivesim-usb)\n"
    "  -t, --trace           log every command, its BOT case and ep0 events to stderr\n"
    "                        (also DRIVESIM_TRACE=1)\n"
    "  -h, --help            this text\n"
    "      --version         the version\n"
    "\n"
    "SPEC, faults and the control socket's commands are those of drivesim(1) (drivesim\n"
    "--help, docs/drivesim.md), with drives named by the kernel's srN:\n"
    "  list                    NAME DEVNODE SG-DEVNODE SYSPATH, names found in sysfs\n"
    "  add SPEC                a new gadget on the next free UDC: a real plug-in; the\n"
    "                          answer (srN) comes once the kernel has made the devices\n"
    "  remove srN              unbind the UDC: a real unplug\n"
    "  srN insert/eject/take/open-tray/close-tray/fault/clear-faults/state/export/...\n"
    "                          the kernel sees media changes through its own polling\n"
    "                          (GET EVENT STATUS NOTIFICATION), within about 2 s\n"
    "\n"
    "The USB side: interface class 08h (mass storage), subclass 06h (SCSI), protocol 50h\n"
    "(Bulk-Only), full and high speed, vendor and product from the SPEC's INQUIRY\n"
    "strings, one LUN. Faults as the transport shows them: timeout sends no CSW (the\n"
    "kernel resets the device), device-gone unbinds the UDC (an unplug), a realtime\n"
    "drive's pacing delays the CSW.\n"
    "\n"
    "Exit status: 0 after a signal; 2 for a usage error or a bad SPEC; 3 when the\n"
    "gadget cannot be set up (the message says what is missing).\n";

typedef struct options {
        const char *specs[USB_MAX_DRIVES];
        unsigned n_specs;
        const char *state_dir;
        const char *control;
        const char *configfs;
        const char *run_dir;
        int ready_fd;
        bool trace;
} options;

static int usage_error(const char *message)
{
        fprintf(stderr, "drivesim-usb: %s\nTry 'drivesim-usb --help'.\n", message);
        return -EINVAL;
}

static int parse_options(int argc, char **argv, options *o)
{
        enum { OPT_READY_FD = 0x100, OPT_VERSION, OPT_CONFIGFS, OPT_RUN_DIR };
        static const struct option long_options[] = {
            {"drive", required_argument, NULL, 'd'},
            {"state-dir", required_argument, NULL, 's'},
            {"control", required_argument, NULL, 'c'},
            {"ready-fd", required_argument, NULL, OPT_READY_FD},
            {"configfs", required_argument, NULL, OPT_CONFIGFS},
            {"run-dir", required_argument, NULL, OPT_RUN_DIR},
            {"trace", no_argument, NULL, 't'},
            {"help", no_argument, NULL, 'h'},
            {"version", no_argument, NULL, OPT_VERSION},
            {},
        };
        int c;

        o->ready_fd = -1;
        o->configfs = "/sys/kernel/config";
        o->run_dir = "/run/drivesim-usb";
        while ((c = getopt_long(argc, argv, "d:s:c:th", long_options, NULL)) >= 0) {
                switch (c) {
                case 'd':
                        if (o->n_specs == USB_MAX_DRIVES)
                                return usage_error("too many --drive options");
                        o->specs[o->n_specs++] = optarg;
                        break;
                case 's':
                        o->state_dir = optarg;
                        break;
                case 'c':
                        o->control = optarg;
                        break;
                case OPT_READY_FD:
                        if (ds_frontend_parse_fd(optarg, &o->ready_fd) < 0)
                                return usage_error("--ready-fd: give a file descriptor number");
                        break;
                case OPT_CONFIGFS:
                        o->configfs = optarg;
                        break;
                case OPT_RUN_DIR:
                        o->run_dir = optarg;
                        break;
                case 't':
                        o->trace = true;
                        break;
                case 'h':
                        fputs(usage_text, stdout);
                        return 1;
                case OPT_VERSION:
                        puts("drivesim-usb " DRIVESIM_VERSION);
                        return 1;
                default:
                        fprintf(stderr, "Try 'drivesim-usb --help'.\n");
                        return -EINVAL;
                }
        }
        if (optind < argc)
                return usage_error("no arguments are taken besides options");
        return 0;
}

/* Every SPEC is checked before any gadget is made. */
static int check_specs(const options *o)
{
        for (unsigned i = 0; i < o->n_specs; i++) {
                int r = ds_frontend_check_spec("drivesim-usb", o->specs[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The state dir is made when missing (with its parents); one that cannot hold a disc is
 * refused now, not found out when a kept disc is lost at the end. */
static int prepare_state_dir(const char *dir)
{
        char path[4096];
        struct stat st;

        if (strlen(dir) >= sizeof path)
                return -ENAMETOOLONG;
        strcpy(path, dir);
        for (char *p = path + 1;; p++) {
                if (*p == '/' || *p == '\0') {
                        char saved = *p;
                        *p = '\0';
                        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                                return -errno;
                        *p = saved;
                        if (!saved)
                                break;
                }
        }
        if (stat(dir, &st) < 0)
                return -errno;
        if (!S_ISDIR(st.st_mode))
                return -ENOTDIR;
        return access(dir, W_OK | X_OK) < 0 ? -errno : 0;
}

static void unplug_all(usb_frontend *fe)
{
        for (unsigned i = 0; i < USB_MAX_DRIVES; i++)
                if (fe->drives[i])
                        usb_drive_remove(fe->drives[i]);
}

static int run(const options *o)
{
        usb_frontend fe = {
            .state_dir = o->state_dir,
            .configfs = o->configfs,
            .run_dir = o->run_dir,
            .trace = o->trace,
        };
        sigset_t mask;
        char *error = NULL;
        int r, status = EXIT_SUCCESS;

        /* The main loop takes these through a signalfd; the drives' threads, created
         * after this, inherit the mask. */
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        signal(SIGPIPE, SIG_IGN);

        if (pipe2(fe.gone_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
                fprintf(stderr, "drivesim-usb: %m\n");
                return EXIT_SETUP;
        }
        r = usb_gadget_check(&fe, &error);
        for (unsigned i = 0; r == 0 && i < o->n_specs; i++) {
                r = usb_drive_add(&fe, o->specs[i], NULL, &error);
                if (r < 0) {
                        fprintf(stderr, "drivesim-usb: --drive %s: %s\n", o->specs[i],
                                error ? error : strerror(-r));
                        free(error);
                        error = NULL;
                }
        }
        if (r == 0 && o->control)
                r = usb_control_listen(&fe, o->control, &error);
        if (r < 0) {
                if (error)
                        fprintf(stderr, "drivesim-usb: %s\n", error);
                status = EXIT_SETUP;
        } else {
                for (unsigned i = 0; i < USB_MAX_DRIVES; i++)
                        if (fe.drives[i])
                                fprintf(stderr, "drivesim-usb: %s /dev/%s on %s\n",
                                        fe.drives[i]->name, fe.drives[i]->sg_name,
                                        fe.drives[i]->udc);
                (void)sd_notify(0, "READY=1");
                ds_frontend_signal_ready("drivesim-usb", o->ready_fd);
                r = usb_control_run(&fe);
                if (r < 0) {
                        fprintf(stderr, "drivesim-usb: main loop: %s\n", strerror(-r));
                        status = EXIT_SETUP;
                }
                (void)sd_notify(0, "STOPPING=1");
        }
        free(error);
        usb_control_close();
        unplug_all(&fe);
        close(fe.gone_pipe[0]);
        close(fe.gone_pipe[1]);
        return status;
}

int main(int argc, char **argv)
{
        options o = {0};
        const char *trace = getenv("DRIVESIM_TRACE");
        int r;

        r = parse_options(argc, argv, &o);
        if (r == 0 && trace && *trace && strcmp(trace, "0") != 0)
                o.trace = true;
        if (r == 0)
                r = check_specs(&o);
        if (r == 0 && o.state_dir && (r = prepare_state_dir(o.state_dir)) < 0)
                fprintf(stderr,
                        "drivesim-usb: --state-dir %s: %s (a recorded disc could not "
                        "be kept there)\n",
                        o.state_dir, strerror(-r));
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        return run(&o);
}
