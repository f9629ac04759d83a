/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * drivesim's front end: serves drive models (tests/drivesim/model) to
 * unmodified programs through umockdev. One testbed per drivesim process;
 * each drive is a /dev/srN block node and a /dev/sgN char node whose ioctls
 * reach sgio.c, and whose udev state (properties, uevents) testbed.c keeps.
 *
 * Threads: umockdev calls the ioctl handler on its own worker thread; the
 * control socket, uevents and the child process live on the main loop. The
 * model is not thread-safe, so every call into it holds the drive's lock.
 */

#include <gio/gio.h>
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <umockdev.h>

#include "ds-drive.h"

typedef struct fe_frontend fe_frontend;

typedef struct fe_drive {
        fe_frontend *fe;
        unsigned index; /* N in srN, sgN */
        char name[16];  /* "sr0" */
        char sg_name[16];
        char *block_syspath; /* /sys/devices/…/block/sr0 */
        char *sg_syspath;
        UMockdevIoctlBase *handler;
        char *uevent_properties;      /* the block device's udev properties, as last set */
        GFileMonitor *uevent_monitor; /* clients writing "change" to its sysfs uevent file */

        GMutex lock; /* held for every call into the model, and for the fields below */
        ds_drive *model;
        bool gone;               /* removed (device-gone fault or "remove"): ioctls fail ENODEV */
        int reserved_size;       /* SG_SET_RESERVED_SIZE, as the kernel keeps it per device */
        int sg_timeout;          /* SG_SET_TIMEOUT */
        unsigned pending_events; /* taken from the model on the ioctl thread, for the main loop */
        bool flush_queued;

        /* sgio.c, the ioctl thread only: when the last completion was due and how late
         * the emulator sent it. */
        uint64_t completion_due_ns;
        uint64_t completion_late_ns;
        bool completion_was_write;
} fe_drive;

struct fe_frontend {
        UMockdevTestbed *testbed;
        char *state_dir;   /* handed to ds_drive_new(); may be NULL */
        bool trace;        /* DRIVESIM_TRACE: log every CDB to stderr */
        FILE *write_trace; /* DRIVESIM_WRITE_TRACE: one line per WRITE's timing (sgio.c) */
        GPtrArray *drives; /* fe_drive*, indexed by creation order; main thread only */
        unsigned next_index;
};

/* ---- testbed.c: the umockdev side of a drive ---- */

/* What the testbed needs besides the drives (sysfs furniture tools look for). */
void fe_testbed_prepare(fe_frontend *fe);

/* Creates the drive model from SPEC and its devices, announced with "add" uevents. */
int fe_drive_add(fe_frontend *fe, const char *spec, fe_drive **ret, char **error);
/* Sends "remove", deletes the devices; open file descriptors get ENODEV from then on. */
void fe_drive_remove(fe_drive *drive);
/* Takes the model's events and turns them into uevents. Main thread only. */
void fe_drive_flush_events(fe_drive *drive);
/* From any thread: schedule fe_drive_flush_events() on the main loop. */
void fe_drive_queue_flush(fe_drive *drive);
fe_drive *fe_drive_find(fe_frontend *fe, const char *name);
/* Frees every drive (models save "kept" discs) and the testbed. */
void fe_frontend_free(fe_frontend *fe);

/* ---- sgio.c: the ioctl handler ---- */

/* A handler for one drive, serving both its sr and sg nodes. */
UMockdevIoctlBase *fe_sgio_handler_new(fe_drive *drive);

/* ---- control-socket.c ---- */

/* Listens on a Unix stream socket at path (replaced if it exists). */
int fe_control_listen(fe_frontend *fe, const char *path, char **error);
void fe_control_close(void);
/* Runs one control line and returns the reply text (without the OK/ERR line). */
int fe_control_execute(fe_frontend *fe, const char *line, char **reply);
