/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * drivesim-usb: drive models (tests/drivesim/model) served as USB CD writers. Each drive is
 * one USB gadget made with configfs (gadget.c) whose one function is FunctionFS
 * (functionfs.c): a mass-storage interface of the Bulk-Only kind (bot.c), bound to a UDC of
 * the kernel's dummy_hcd, so the host side of the same kernel sees a USB CD writer plugged
 * in and binds usb-storage, sr and sg to it.
 *
 * Threads: per drive, one thread reads ep0's events (ep0 must never wait for a bulk
 * transfer: resets arrive there) and one serves the bulk endpoints; the main thread runs
 * the control socket (control.c). The model is not thread-safe: every call into it holds
 * the drive's lock.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "bot.h"
#include "ds-drive.h"

#define USB_MAX_DRIVES 32

typedef struct usb_frontend usb_frontend;

typedef struct usb_drive {
        usb_frontend *fe;
        unsigned index;       /* N in the gadget's name, drivesim-N */
        char model_name[16];  /* the name the model (and its kept disc) goes by: "sr0" */
        char udc[64];         /* "dummy_udc.0" */
        char gadget_dir[256]; /* /sys/kernel/config/usb_gadget/drivesim-N */
        char ffs_dir[256];    /* where this gadget's FunctionFS is mounted */
        bool ffs_mounted;

        /* Found in sysfs once usb-storage and sr have bound (gadget.c). */
        char name[16];    /* "sr0"; empty until found */
        char sg_name[16]; /* "sg0" */
        char syspath[512];

        int ep0, ep_in, ep_out; /* FunctionFS files; -1 when closed */
        pthread_t ep0_thread, bulk_thread;
        bool threads_started;
        atomic_bool stopping;
        atomic_bool enabled; /* the host has configured the gadget (ENABLE .. DISABLE) */
        int wake_fd;         /* eventfd: ends a paced CSW's wait at a reset */
        bot bot;

        pthread_mutex_t lock; /* every call into the model */
        ds_drive *model;
} usb_drive;

struct usb_frontend {
        const char *state_dir;
        const char *configfs; /* /sys/kernel/config */
        const char *run_dir;  /* FunctionFS mount points live under it */
        bool trace;
        usb_drive *drives[USB_MAX_DRIVES];
        /* A drive's bulk thread asks the main loop to unplug it (the device-gone fault)
         * by writing its index, one byte, to this pipe. */
        int gone_pipe[2];
};

/* ---- gadget.c: configfs, the UDC, and what the host then shows in sysfs ---- */

/* Checks configfs and dummy_hcd are there; a message for a person when not. */
int usb_gadget_check(usb_frontend *fe, char **error);
/* Creates the gadget's configfs tree and mounts its FunctionFS (not yet bound). */
int usb_gadget_create(usb_drive *d, const char *vendor, const char *product, char **error);
/* Binds to the first UDC no gadget uses: the host sees a plug-in. */
int usb_gadget_bind(usb_drive *d, char **error);
/* Unbinds: the host sees an unplug. */
int usb_gadget_unbind(usb_drive *d);
/* Removes the configfs tree and unmounts FunctionFS (after the files are closed). */
void usb_gadget_destroy(usb_drive *d);
/* Looks for the host side's srN and sgN; waits up to timeout_ms (usb-storage scans the
 * device after its delay_use, one second by default). 0, or -ETIMEDOUT. */
int usb_gadget_find_host_devices(usb_drive *d, unsigned timeout_ms);

/* ---- functionfs.c: descriptors, ep0, the bulk endpoints ---- */

/* Writes the descriptors and strings to ep0 and opens the bulk endpoints. */
int usb_ffs_open(usb_drive *d, char **error);
/* Starts the ep0 and bulk threads. */
int usb_ffs_start(usb_drive *d);
/* Stops both threads and closes the files. */
void usb_ffs_stop(usb_drive *d);

/* ---- drive.c: a drive's life ---- */

int usb_drive_add(usb_frontend *fe, const char *spec, usb_drive **ret, char **error);
void usb_drive_remove(usb_drive *d);
usb_drive *usb_drive_find(usb_frontend *fe, const char *name);
/* The drives whose device-gone fault fired are unplugged (main thread). */
void usb_drives_reap_gone(usb_frontend *fe);

/* ---- control.c: the control socket ---- */

int usb_control_listen(usb_frontend *fe, const char *path, char **error);
/* Runs the main loop until SIGTERM or SIGINT: the control socket and gone drives. */
int usb_control_run(usb_frontend *fe);
void usb_control_close(void);
