/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A drive's life in the USB front end: plugged in (model, gadget, FunctionFS, threads, the
 * UDC, then the kernel's srN) and unplugged in the reverse order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usb.h"

/* How long usb-storage and sr may take to make srN once the gadget is bound: usb-storage
 * waits delay_use (1 s by default) before it scans; software emulation is slow. */
#define HOST_DEVICES_TIMEOUT_MS 30000

static bool name_taken(const usb_frontend *fe, const char *name)
{
        char path[64];

        /* Another CD drive of the machine (QEMU's own, say) holds its srN already. */
        snprintf(path, sizeof path, "/sys/class/block/%s", name);
        if (access(path, F_OK) == 0)
                return true;
        for (unsigned i = 0; i < USB_MAX_DRIVES; i++) {
                const usb_drive *d = fe->drives[i];
                if (d && (strcmp(d->name, name) == 0 || strcmp(d->model_name, name) == 0))
                        return true;
        }
        return false;
}

usb_drive *usb_drive_find(usb_frontend *fe, const char *name)
{
        for (unsigned i = 0; i < USB_MAX_DRIVES; i++) {
                usb_drive *d = fe->drives[i];
                if (d && (strcmp(d->name, name) == 0 ||
                          (!d->name[0] && strcmp(d->model_name, name) == 0)))
                        return d;
        }
        return NULL;
}

static void drive_free(usb_drive *d)
{
        if (d->udc[0])
                (void)usb_gadget_unbind(d);
        usb_ffs_stop(d);
        if (d->gadget_dir[0])
                usb_gadget_destroy(d);
        if (d->model)
                ds_drive_free(d->model); /* saves a "kept" disc */
        pthread_mutex_destroy(&d->lock);
        free(d);
}

int usb_drive_add(usb_frontend *fe, const char *spec, usb_drive **ret, char **error)
{
        char vendor[9], product[17];
        usb_drive *d;
        unsigned slot = 0, n = 0;
        int r;

        *error = NULL;
        while (slot < USB_MAX_DRIVES && fe->drives[slot])
                slot++;
        if (slot == USB_MAX_DRIVES) {
                *error = strdup("too many drives");
                return -EMFILE;
        }
        d = calloc(1, sizeof *d);
        if (!d)
                return -ENOMEM;
        d->fe = fe;
        d->index = slot;
        d->ep0 = d->ep_in = d->ep_out = d->wake_fd = -1;
        pthread_mutex_init(&d->lock, NULL);
        /* The kernel gives a new CD drive the lowest free srN; the model (and the file of
         * its kept disc) takes that name now, before the kernel has seen the drive. */
        do
                snprintf(d->model_name, sizeof d->model_name, "sr%u", n++);
        while (name_taken(fe, d->model_name));

        r = ds_drive_new(spec, d->model_name, fe->state_dir, &ds_clock_monotonic, &d->model, error);
        if (r < 0)
                goto fail;
        ds_drive_identity(d->model, vendor, product);
        r = usb_gadget_create(d, vendor, product, error);
        if (r == 0)
                r = usb_ffs_open(d, error);
        if (r == 0 && (r = usb_ffs_start(d)) < 0 &&
            asprintf(error, "cannot start: %s", strerror(-r)) < 0)
                *error = NULL;
        if (r == 0)
                r = usb_gadget_bind(d, error);
        if (r < 0)
                goto fail;
        fe->drives[slot] = d;
        r = usb_gadget_find_host_devices(d, HOST_DEVICES_TIMEOUT_MS);
        if (r < 0) {
                fe->drives[slot] = NULL;
                if (asprintf(error,
                             "plugged into %s, but no srN appeared on the host side within %u s "
                             "(is usb-storage loaded? dmesg says more)",
                             d->udc, HOST_DEVICES_TIMEOUT_MS / 1000) < 0)
                        *error = NULL;
                goto fail;
        }
        if (strcmp(d->name, d->model_name) != 0)
                fprintf(stderr,
                        "drivesim-usb: the kernel named the drive %s; its disc is kept as %s\n",
                        d->name, d->model_name);
        if (ret)
                *ret = d;
        return 0;
fail:
        drive_free(d);
        return r;
}

void usb_drive_remove(usb_drive *d)
{
        d->fe->drives[d->index] = NULL;
        drive_free(d);
}

void usb_drives_reap_gone(usb_frontend *fe)
{
        uint8_t index;

        while (read(fe->gone_pipe[0], &index, 1) == 1) {
                usb_drive *d = index < USB_MAX_DRIVES ? fe->drives[index] : NULL;
                if (!d)
                        continue;
                fprintf(stderr, "drivesim-usb: %s: device-gone fault: unplugged from %s\n",
                        d->name[0] ? d->name : d->model_name, d->udc);
                usb_drive_remove(d);
        }
}
