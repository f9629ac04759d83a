/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * drivesim: runs COMMAND with emulated MMC CD recorders at /dev/sr0, /dev/sr1, …
 * (umockdev), serving their SCSI commands from the drive model until COMMAND
 * exits, and exits with COMMAND's status. See --help and docs/drivesim.md.
 */
#include <errno.h>
#include <getopt.h>
#include <glib-unix.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frontend-options.h"
#include "frontend.h"

#ifndef DRIVESIM_VERSION
#define DRIVESIM_VERSION "0"
#endif
#ifndef DRIVESIM_FD_TURNS_BUILT /* meson.build sets it */
#define DRIVESIM_FD_TURNS_BUILT "fd-turns.so"
#endif

#define EXIT_USAGE      2
#define EXIT_CANNOT_RUN 127

static const char usage_text[] =
    "Usage: drivesim [OPTION]... [--] COMMAND [ARG]...\n"
    "Runs COMMAND with emulated SCSI MMC-5 CD-R/RW recorders at /dev/sr0, /dev/sr1, ...\n"
    "(and /dev/sg0, ...), faked with umockdev, and exits with COMMAND's status\n"
    "(128+N when a signal N killed it). SIGTERM, SIGINT and SIGHUP are passed on.\n"
    "\n"
    "Options:\n"
    "  -d, --drive SPEC      add a drive (srN in the order given); default: one cdr80\n"
    "  -s, --state-dir DIR   keep recorded discs in DIR (a SPEC with \"kept\" reloads them)\n"
    "  -c, --control SOCKET  listen for control commands on a Unix stream socket\n"
    "      --ready-fd FD     write \"READY=1\\n\" to FD and close it once the drives and\n"
    "                        the control socket are up, just before COMMAND starts\n"
    "  -t, --trace           log every SCSI command to stderr (also DRIVESIM_TRACE=1)\n"
    "  -h, --help            this text\n"
    "      --version         the version\n"
    "\n"
    "SPEC is MEDIA[,OPTION]...\n"
    "  MEDIA: cdr74 cdr80 cdr90 cdr99 (blank CD-R), cdrw74 cdrw80 cdrw (blank CD-RW;\n"
    "         cdrw is cdrw80), dvdr (a DVD-R: present but not writable in CD modes),\n"
    "         cdrom:FILE (a finished disc from a DAO-96 image, as \"srN export\" writes\n"
    "         it), none (empty tray)\n"
    "  speed=N          highest write speed in x (1x = 75 sectors/s); default 48\n"
    "  read-speed=N     highest read speed in x; default 48\n"
    "  buffer=SIZE      drive buffer, e.g. 2M or 512K; default 2M\n"
    "  capacity=MM:SS:FF  a recordable CD's last possible lead-out start (ATIP), e.g.\n"
    "                   00:30:00 for a disc that a test fills in seconds\n"
    "  overburn=N       sectors the drive writes past that start plus a lead-out; default 0\n"
    "  realtime         burn at the set speed: WRITEs complete when the buffer has room,\n"
    "                   SYNCHRONIZE CACHE when it has drained (otherwise at once)\n"
    "  kept             load the disc recorded earlier under --state-dir for this drive\n"
    "  vendor=S product=S revision=S   INQUIRY strings (8, 16 and 4 characters at most)\n"
    "  tray=open|closed  start with the tray open (a disc lies in it) or closed\n"
    "  cdrw-write=no    a CD-R-only writer: no CD-RW write bit in page 2Ah, no CD-RW\n"
    "                   profile (000Ah) or feature 0037h, BLANK refused with 05/20/00;\n"
    "                   a CD-RW reads as CD-ROM (profile 0008h), WRITE gets 05/30/05\n"
    "  modes=LIST       the write modes the drive accepts; the SPEC's next words that\n"
    "                   are mode names continue the list (modes=raw96p,raw16,sao):\n"
    "                   raw96r raw96p raw16 (RAW with data block type 3, 2, 1), raw (all\n"
    "                   three), sao, tao; notest, notest-raw, notest-sao, notest-tao take\n"
    "                   Test Write away (alone, they keep every mode). Default: all.\n"
    "                   GET CONFIGURATION 002Dh/002Eh, page 2Ah and MODE SELECT of\n"
    "                   page 05h (05/26/00 for the rest) follow the list\n"
    "  fault=NAME[:op=0xNN][:after=N][:count=N]   arm a fault from the start\n"
    "\n"
    "Faults (NAME: what the drive answers when it fires):\n"
    "  no-medium               02/3A/01 MEDIUM NOT PRESENT - TRAY CLOSED\n"
    "  tray-open               02/3A/02 MEDIUM NOT PRESENT - TRAY OPEN\n"
    "  becoming-ready          02/04/01 LOGICAL UNIT IS IN PROCESS OF BECOMING READY\n"
    "  format-in-progress      02/04/04 LOGICAL UNIT NOT READY, FORMAT IN PROGRESS\n"
    "  busy                    02/04/07 LOGICAL UNIT NOT READY, OPERATION IN PROGRESS\n"
    "  write-protected         07/27/00 WRITE PROTECTED (writing commands)\n"
    "  incompatible-medium     02/30/00 INCOMPATIBLE MEDIUM INSTALLED\n"
    "  upside-down             02/57/00 UNABLE TO RECOVER TABLE-OF-CONTENTS\n"
    "  speed-mismatch          02/30/11 CANNOT WRITE MEDIUM - UNSUPPORTED MEDIUM VERSION\n"
    "                          (writing commands and SET CD SPEED)\n"
    "  invalid-mode-parameters 05/26/00 INVALID FIELD IN PARAMETER LIST (MODE SELECT)\n"
    "  no-such-mode-page       05/24/00 INVALID FIELD IN CDB (MODE SENSE)\n"
    "  timeout                 no answer: SG_IO returns after the caller's timeout with\n"
    "                          host_status DID_TIME_OUT (03h)\n"
    "  invalid-response        the reply is cut to half and its length field says FFFFh\n"
    "  device-gone             the ioctl fails with ENODEV; the drive is unplugged\n"
    "                          (\"remove\" uevent) and every later ioctl fails ENODEV\n"
    "  loss-of-streaming       03/0C/09 LOSS OF STREAMING on the next WRITE\n"
    "  toc-mismatch            READ TOC formats 0 and 2 report the lead-out one frame\n"
    "                          later than the written lead-in says\n"
    "  sense:KK/AA/QQ          CHECK CONDITION with sense key KK, ASC AA, ASCQ QQ (hex)\n"
    "                          on matching commands (any command without op=), before\n"
    "                          the drive acts on them; one per op= and format= at a time\n"
    "                          (\"srN fault sense 05/30/02 op=0x2a\" on the socket)\n"
    "  op=0xNN: only commands with this opcode; format=N: only READ TOC/PMA/ATIP of that\n"
    "  format (e.g. op=0x43 format=0, the TOC, not the ATIP, format 4); lba=N[-M]: only\n"
    "  reads (READ CD, READ(10), READ(12)) that take one of those sectors; after=N: let N\n"
    "  matching commands pass first; count=N: fire N times, then disarm (default: until\n"
    "  clear-faults)\n"
    "\n"
    "Control socket (one command per line; each reply ends with \"OK\" or \"ERR MESSAGE\";\n"
    "a new connection is greeted with \"drivesim VERSION ready\" and \"OK\"):\n"
    "  list                    the drives: NAME DEVNODE SG-DEVNODE SYSPATH\n"
    "  add SPEC                a new drive (the next srN), with an \"add\" uevent\n"
    "  remove srN              unplug a drive, with a \"remove\" uevent\n"
    "  srN insert MEDIA        put a disc in and close the tray (\"change\" uevent,\n"
    "                          DISK_MEDIA_CHANGE=1); swaps a disc lying in the open tray,\n"
    "                          refused while a closed tray holds one\n"
    "  srN eject               open the tray, the disc staying in it until it closes;\n"
    "                          a locked tray reports DISK_EJECT_REQUEST=1\n"
    "  srN take                take the disc out (opening the tray): the tray is empty\n"
    "  srN open-tray | close-tray\n"
    "  srN fault NAME [op=0xNN] [format=N] [lba=N[-M]] [after=N] [count=N]\n"
    "  srN clear-faults\n"
    "  srN state               key=value lines: media, disc, tray, write mode, progress,\n"
    "                          burn figures (buffer_min_fill, underruns, writes, ...)\n"
    "  srN export FILE         write the recorded disc to FILE as a DAO-96 image\n"
    "  srN corrupt LBA [COUNT] invert the main channel (bytes 16-2351) of COUNT recorded\n"
    "                          sectors from LBA (1 by default): READ CD then returns other\n"
    "                          data; the subchannel and the TOC stay\n"
    "  ready                   OK; help: the commands\n"
    "\n"
    "Exit status: COMMAND's; 2 for a usage error or a bad SPEC; 127 if COMMAND cannot\n"
    "be run or fd-turns.so (drivesim's preload library, beside drivesim) is missing.\n"
    "More in docs/drivesim.md.\n";

typedef struct options {
        GPtrArray *specs;
        const char *state_dir;
        const char *control;
        int ready_fd;
        bool trace;
        char **command;
} options;

static int usage_error(const char *message)
{
        fprintf(stderr, "drivesim: %s\nTry 'drivesim --help'.\n", message);
        return -EINVAL;
}

/* Returns 0 to run, 1 when done (help, version), or a negative errno after a message. */
static int parse_options(int argc, char **argv, options *o)
{
        enum { OPT_READY_FD = 0x100, OPT_VERSION };
        static const struct option long_options[] = {
            {"drive", required_argument, NULL, 'd'},
            {"state-dir", required_argument, NULL, 's'},
            {"control", required_argument, NULL, 'c'},
            {"ready-fd", required_argument, NULL, OPT_READY_FD},
            {"trace", no_argument, NULL, 't'},
            {"help", no_argument, NULL, 'h'},
            {"version", no_argument, NULL, OPT_VERSION},
            {},
        };
        int c;

        o->ready_fd = -1;
        /* '+': COMMAND's own options are not ours, even without "--". */
        while ((c = getopt_long(argc, argv, "+d:s:c:th", long_options, NULL)) >= 0) {
                switch (c) {
                case 'd':
                        g_ptr_array_add(o->specs, optarg);
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
                case 't':
                        o->trace = true;
                        break;
                case 'h':
                        fputs(usage_text, stdout);
                        return 1;
                case OPT_VERSION:
                        puts("drivesim " DRIVESIM_VERSION);
                        return 1;
                default:
                        /* getopt_long has printed what was wrong. */
                        fprintf(stderr, "Try 'drivesim --help'.\n");
                        return -EINVAL;
                }
        }
        if (optind >= argc)
                return usage_error("missing COMMAND (drivesim [OPTION]... -- COMMAND [ARG]...)");
        o->command = argv + optind;
        if (o->specs->len == 0)
                g_ptr_array_add(o->specs, (char *)"cdr80");
        return 0;
}

/* Every SPEC is checked before anything runs, so a typo costs no testbed. */
static int check_specs(const options *o)
{
        for (unsigned i = 0; i < o->specs->len; i++) {
                int r = ds_frontend_check_spec("drivesim", g_ptr_array_index(o->specs, i));
                if (r < 0)
                        return r;
        }
        return 0;
}

#define PRELOAD_LIBRARY  "libumockdev-preload.so.0"
#define FD_TURNS_LIBRARY "fd-turns.so"

/*
 * fd-turns.so goes in front of umockdev's preload library in every program
 * drivesim runs: their threads must take turns at umockdev's table of
 * emulated descriptors (fd-turns.c says why). It is looked for beside this
 * executable (wherever drivesim was copied to with it), then where the build
 * put it. Returns NULL after a message when it is in neither place.
 */
static char *find_fd_turns(void)
{
        g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
        g_autofree char *beside = NULL;

        if (exe) {
                g_autofree char *dir = g_path_get_dirname(exe);
                beside = g_build_filename(dir, FD_TURNS_LIBRARY, NULL);
                if (access(beside, R_OK) == 0)
                        return g_steal_pointer(&beside);
        }
        if (access(DRIVESIM_FD_TURNS_BUILT, R_OK) == 0)
                return g_strdup(DRIVESIM_FD_TURNS_BUILT);
        fprintf(stderr,
                "drivesim: cannot find " FD_TURNS_LIBRARY " in %s or " DRIVESIM_FD_TURNS_BUILT
                "; without it, threads that open drives at once lose descriptors\n",
                beside ? beside : "drivesim's directory");
        return NULL;
}

/* An environment with fd-turns.so, then umockdev's preload library, in front
 * of any other. (A library named twice in LD_PRELOAD loads once, where it is
 * first named.) */
static char **preload_environment(const char *fd_turns)
{
        char **env = g_get_environ();
        const char *preload = g_environ_getenv(env, "LD_PRELOAD");
        const char *asan = g_environ_getenv(env, "ASAN_OPTIONS");
        g_autofree char *ours = g_strdup_printf("%s:" PRELOAD_LIBRARY, fd_turns);

        if (!preload || !g_str_has_prefix(preload, ours)) {
                g_autofree char *new_preload =
                    preload && *preload ? g_strdup_printf("%s:%s", ours, preload) : g_strdup(ours);
                env = g_environ_setenv(env, "LD_PRELOAD", new_preload, TRUE);
        }
        /* A sanitized COMMAND would refuse to start with the preload libraries ahead
         * of libasan; the check protects nothing here. */
        if (!asan || !strstr(asan, "verify_asan_link_order")) {
                g_autofree char *opts = asan && *asan
                                            ? g_strdup_printf("%s:verify_asan_link_order=0", asan)
                                            : g_strdup("verify_asan_link_order=0");
                env = g_environ_setenv(env, "ASAN_OPTIONS", opts, TRUE);
        }
        return env;
}

/*
 * umockdev's uevent sender looks devices up with libudev in the testbed's own
 * process, so drivesim must see the mocked /sys itself: it runs itself again
 * under the preload library (as umockdev-wrapper does) before creating the
 * testbed. Returns only on failure.
 */
static int reexec_in_mock_environment(char **argv, const char *fd_turns)
{
        char **env;

        if (getenv("DRIVESIM_IN_MOCK_ENVIRONMENT"))
                return 0;
        env = preload_environment(fd_turns);
        env = g_environ_setenv(env, "DRIVESIM_IN_MOCK_ENVIRONMENT", "1", TRUE);
        execve("/proc/self/exe", argv, env);
        fprintf(stderr, "drivesim: cannot run itself under %s: %s\n", PRELOAD_LIBRARY,
                g_strerror(errno));
        g_strfreev(env);
        return -errno;
}

typedef struct run_state {
        GMainLoop *loop;
        GPid child;
        int exit_status;
} run_state;

static void child_exited(GPid pid, gint status, gpointer userdata)
{
        run_state *st = userdata;

        if (WIFEXITED(status))
                st->exit_status = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
                st->exit_status = 128 + WTERMSIG(status);
        else
                st->exit_status = 1;
        g_spawn_close_pid(pid);
        st->child = 0;
        g_main_loop_quit(st->loop);
}

typedef struct forward {
        run_state *st;
        int signo;
} forward;

static gboolean forward_signal(gpointer userdata)
{
        forward *f = userdata;

        if (f->st->child > 0)
                kill(f->st->child, f->signo);
        return G_SOURCE_CONTINUE;
}

static int run(const options *o, const char *fd_turns)
{
        fe_frontend fe = {0};
        run_state st = {0};
        forward forwards[] = {{&st, SIGTERM}, {&st, SIGINT}, {&st, SIGHUP}};
        guint signal_sources[G_N_ELEMENTS(forwards)] = {0};
        char **env = NULL;
        GError *error = NULL;
        int r = 0;

        fe.state_dir = g_strdup(o->state_dir);
        fe.trace = o->trace;
        if (getenv("DRIVESIM_WRITE_TRACE") && *getenv("DRIVESIM_WRITE_TRACE")) {
                fe.write_trace = fopen(getenv("DRIVESIM_WRITE_TRACE"), "ae");
                if (!fe.write_trace)
                        fprintf(stderr, "drivesim: DRIVESIM_WRITE_TRACE: %s\n", g_strerror(errno));
        }
        fe.drives = g_ptr_array_new();
        /* Sets UMOCKDEV_DIR in our environment, which the child inherits. */
        fe.testbed = umockdev_testbed_new();
        fe_testbed_prepare(&fe);

        for (unsigned i = 0; i < o->specs->len && r == 0; i++) {
                char *msg = NULL;
                r = fe_drive_add(&fe, g_ptr_array_index(o->specs, i), NULL, &msg);
                if (r < 0)
                        fprintf(stderr, "drivesim: --drive %s: %s\n",
                                (const char *)g_ptr_array_index(o->specs, i),
                                msg ? msg : g_strerror(-r));
                free(msg);
        }
        if (r == 0 && o->control) {
                char *msg = NULL;
                r = fe_control_listen(&fe, o->control, &msg);
                if (r < 0)
                        fprintf(stderr, "drivesim: %s\n", msg);
                g_free(msg);
        }
        if (r < 0) {
                fe_control_close();
                fe_frontend_free(&fe);
                return EXIT_USAGE;
        }

        st.loop = g_main_loop_new(NULL, FALSE);
        for (size_t i = 0; i < G_N_ELEMENTS(forwards); i++)
                signal_sources[i] =
                    g_unix_signal_add(forwards[i].signo, forward_signal, &forwards[i]);

        ds_frontend_signal_ready("drivesim", o->ready_fd);
        env = preload_environment(fd_turns);
        env = g_environ_unsetenv(env, "DRIVESIM_IN_MOCK_ENVIRONMENT");
        if (!g_spawn_async(NULL, o->command, env,
                           G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH |
                               G_SPAWN_CHILD_INHERITS_STDIN,
                           NULL, NULL, &st.child, &error)) {
                fprintf(stderr, "drivesim: cannot run %s: %s\n", o->command[0], error->message);
                g_clear_error(&error);
                st.exit_status = EXIT_CANNOT_RUN;
        } else {
                g_child_watch_add(st.child, child_exited, &st);
                g_main_loop_run(st.loop);
        }

        for (size_t i = 0; i < G_N_ELEMENTS(forwards); i++)
                g_source_remove(signal_sources[i]);
        g_strfreev(env);
        fe_control_close();
        fe_frontend_free(&fe);
        if (fe.write_trace)
                fclose(fe.write_trace);
        g_main_loop_unref(st.loop);
        return st.exit_status;
}

int main(int argc, char **argv)
{
        options o = {.specs = g_ptr_array_new()};
        const char *trace = getenv("DRIVESIM_TRACE");
        g_autofree char *fd_turns = NULL;
        int r;

        /* umockdev hands each WRITE's data over in buffers it allocates per command (up
         * to 1.25 MiB, twice). Kept in the heap and reused, not mapped and unmapped each
         * time: a fresh mapping costs page faults and zeroing, its unmapping a TLB
         * shootdown across CPUs, and under memory pressure either can stall the drive's
         * thread for milliseconds. */
        (void)mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
        (void)mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);

        r = parse_options(argc, argv, &o);
        if (r == 0 && trace && *trace && strcmp(trace, "0") != 0)
                o.trace = true;
        if (r == 0)
                r = check_specs(&o);
        if (r == 0 && !(fd_turns = find_fd_turns())) {
                g_ptr_array_free(o.specs, TRUE);
                return EXIT_CANNOT_RUN;
        }
        if (r == 0 && reexec_in_mock_environment(argv, fd_turns) < 0)
                r = -ENOEXEC;
        if (r != 0) {
                g_ptr_array_free(o.specs, TRUE);
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        }
        r = run(&o, fd_turns);
        g_ptr_array_free(o.specs, TRUE);
        return r;
}
