/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "drive-monitor.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct drive_monitor {
        Daemon *daemon;
        struct udev *udev;
        struct udev_monitor *monitor;
        uv_poll_t poll;
};

static bool is_optical_drive(struct udev_device *dev)
{
        const char *cdrom = udev_device_get_property_value(dev, "ID_CDROM");
        const char *type = udev_device_get_devtype(dev);
        const char *name = udev_device_get_sysname(dev);

        if (type && strcmp(type, "disk") != 0)
                return false;
        if (cdrom && strcmp(cdrom, "1") == 0)
                return true;
        /* Without udev's database (is_initialized 0) ID_CDROM may be missing:
         * the sr driver's name is then the evidence. */
        return !udev_device_get_is_initialized(dev) && name && strncmp(name, "sr", 2) == 0;
}

/* The SCSI generic sibling: <scsi device>/scsi_generic/sgN. */
static char *find_sg_devnode(struct udev *udev, struct udev_device *dev)
{
        struct udev_device *scsi =
            udev_device_get_parent_with_subsystem_devtype(dev, "scsi", "scsi_device");
        struct udev_enumerate *e;
        struct udev_list_entry *it;
        char *result = NULL;

        if (!scsi)
                return NULL;
        e = udev_enumerate_new(udev);
        if (!e)
                return NULL;
        udev_enumerate_add_match_subsystem(e, "scsi_generic");
        udev_enumerate_add_match_parent(e, scsi);
        if (udev_enumerate_scan_devices(e) >= 0) {
                udev_list_entry_foreach(it, udev_enumerate_get_list_entry(e))
                {
                        struct udev_device *sg =
                            udev_device_new_from_syspath(udev, udev_list_entry_get_name(it));
                        const char *node = sg ? udev_device_get_devnode(sg) : NULL;

                        if (node && !result)
                                result = strdup(node);
                        udev_device_unref(sg);
                }
        }
        udev_enumerate_unref(e);
        return result;
}

/* The bytes one SG_IO command may carry: the queue's max_sectors_kb (sr
 * maps the caller's buffer; a larger one fails with EIO). 64 KiB, what
 * every drive takes, when sysfs does not say. */
static uint32_t max_transfer_of(struct udev_device *dev)
{
        const char *kb = udev_device_get_sysattr_value(dev, "queue/max_sectors_kb");
        unsigned long v = kb ? strtoul(kb, NULL, 10) : 0;

        if (v == 0 || v > 32768)
                v = 64;
        return (uint32_t)(v * 1024);
}

static void device_added(drive_monitor *m, struct udev_device *dev)
{
        const char *name = udev_device_get_sysname(dev);
        const char *devnode = udev_device_get_devnode(dev);
        const char *id_path = udev_device_get_property_value(dev, "ID_PATH");
        Recorder *r;
        char *sg;
        int k;

        if (!name || !devnode || daemon_find_recorder(m->daemon, name))
                return;
        sg = find_sg_devnode(m->udev, dev);
        k = recorder_new(m->daemon, name, devnode, sg,
                         id_path ? id_path : udev_device_get_syspath(dev), &r);
        free(sg);
        if (k < 0) {
                log_error_errno(k, "Cannot track drive %s", name);
                return;
        }
        r->syspath = strdup(udev_device_get_syspath(dev));
        r->max_transfer = max_transfer_of(dev);
        log_info("Drive %s (%s) appeared", name, devnode);
        recorder_unlock_stale_tray(r);
        recorder_refresh(r);
}

static void handle_event(drive_monitor *m, struct udev_device *dev)
{
        const char *action = udev_device_get_action(dev);
        const char *name = udev_device_get_sysname(dev);
        Recorder *r = name ? daemon_find_recorder(m->daemon, name) : NULL;

        if (!action)
                return;
        if (strcmp(action, "remove") == 0) {
                if (r) {
                        log_info("Drive %s disappeared", name);
                        recorder_remove(r);
                }
                return;
        }
        if (!is_optical_drive(dev))
                return;
        if (!r) {
                device_added(m, dev);
                return;
        }
        if (strcmp(action, "change") == 0) {
                const char *eject = udev_device_get_property_value(dev, "DISK_EJECT_REQUEST");

                /* The button on a locked tray: the kernel tells, the drive
                 * stays shut; udev's cdrom_id would eject, but rawburn keeps
                 * the disc in while it is held (the tray is unlocked, and
                 * the button works, once it is let go). */
                if (eject && strcmp(eject, "1") == 0 && r->rawcd.state != RAWCD_IDLE)
                        log_notice("%s: eject button pressed while the drive is %s: ignored", name,
                                   r->rawcd.state == RAWCD_WRITING ? "writing" : "prepared");
                if (r->mcn_track && sd_bus_track_count(r->mcn_track) > 0) {
                        log_debug("Media change on %s ignored: notifications disabled", name);
                        return;
                }
                log_debug("Media change on %s", name);
                recorder_refresh(r);
        }
}

static void on_udev_readable(uv_poll_t *handle, int status, int events)
{
        drive_monitor *m = handle->data;
        struct udev_device *dev;

        /* Drain everything queued: one wakeup per burst of uevents. */
        while ((dev = udev_monitor_receive_device(m->monitor))) {
                handle_event(m, dev);
                udev_device_unref(dev);
        }
}

static int enumerate(drive_monitor *m)
{
        struct udev_enumerate *e = udev_enumerate_new(m->udev);
        struct udev_list_entry *it;
        int r;

        if (!e)
                return -ENOMEM;
        udev_enumerate_add_match_subsystem(e, "block");
        r = udev_enumerate_scan_devices(e);
        if (r < 0) {
                udev_enumerate_unref(e);
                return r;
        }
        udev_list_entry_foreach(it, udev_enumerate_get_list_entry(e))
        {
                struct udev_device *dev =
                    udev_device_new_from_syspath(m->udev, udev_list_entry_get_name(it));

                if (dev && is_optical_drive(dev))
                        device_added(m, dev);
                udev_device_unref(dev);
        }
        udev_enumerate_unref(e);
        return 0;
}

int drive_monitor_start(Daemon *d, drive_monitor **ret)
{
        drive_monitor *m = calloc(1, sizeof *m);
        int r;

        if (!m)
                return -ENOMEM;
        m->daemon = d;
        m->udev = udev_new();
        if (!m->udev) {
                free(m);
                return -ENOMEM;
        }
        /* Listen before enumerating, so that no drive slips between the two. */
        m->monitor = udev_monitor_new_from_netlink(m->udev, "udev");
        if (!m->monitor) {
                r = -EIO;
                goto fail;
        }
        udev_monitor_filter_add_match_subsystem_devtype(m->monitor, "block", NULL);
        r = udev_monitor_enable_receiving(m->monitor);
        if (r < 0)
                goto fail;
        r = uv_poll_init(d->loop, &m->poll, udev_monitor_get_fd(m->monitor));
        if (r < 0)
                goto fail;
        m->poll.data = m;
        uv_poll_start(&m->poll, UV_READABLE, on_udev_readable);

        r = enumerate(m);
        if (r < 0)
                log_warning_errno(r, "Enumerating drives failed");
        *ret = m;
        return 0;

fail:
        udev_monitor_unref(m->monitor);
        udev_unref(m->udev);
        free(m);
        return r;
}

static void on_closed(uv_handle_t *handle)
{
        drive_monitor *m = handle->data;

        udev_monitor_unref(m->monitor);
        udev_unref(m->udev);
        free(m);
}

void drive_monitor_stop(drive_monitor *m)
{
        if (!m)
                return;
        uv_poll_stop(&m->poll);
        uv_close((uv_handle_t *)&m->poll, on_closed);
}
