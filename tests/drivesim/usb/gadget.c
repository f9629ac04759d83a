/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The gadget in configfs (Documentation/usb/gadget_configfs.rst): one gadget per drive,
 * usb_gadget/drivesim-N, with one configuration holding one FunctionFS function; binding it
 * to a UDC of dummy_hcd plugs the drive into the same kernel's host side, and unbinding
 * unplugs it. Then the host side's sysfs names the srN and sgN that usb-storage and sr made.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "usb.h"

/* The Linux Foundation's IDs for configfs-made composite gadgets. No quirk of usb-storage
 * (unusual_devs.h) applies to them, so the kernel treats the drive as plain Bulk-Only. */
#define USB_VENDOR_ID  0x1d6b
#define USB_PRODUCT_ID 0x0104

static int fail(char **error, int r, const char *what, const char *path)
{
        if (error && asprintf(error, "%s %s: %s", what, path, strerror(-r)) < 0)
                *error = NULL;
        return r;
}

static int write_file(const char *dir, const char *name, const char *value)
{
        char path[PATH_MAX];
        int fd, r = 0;
        size_t len = strlen(value);

        snprintf(path, sizeof path, "%s/%s", dir, name);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (write(fd, value, len) != (ssize_t)len)
                r = -errno ? -errno : -EIO;
        close(fd);
        return r;
}

static int read_line(const char *path, char *buf, size_t size)
{
        FILE *f = fopen(path, "re");
        int r = 0;

        if (!f)
                return -errno;
        if (!fgets(buf, (int)size, f))
                buf[0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        if (ferror(f))
                r = -EIO;
        fclose(f);
        return r;
}

static int make_dir(const char *dir, const char *name)
{
        char path[PATH_MAX];

        snprintf(path, sizeof path, "%s%s%s", dir, name ? "/" : "", name ? name : "");
        return mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

int usb_gadget_check(usb_frontend *fe, char **error)
{
        char path[PATH_MAX];
        glob_t g;
        int found;

        snprintf(path, sizeof path, "%s/usb_gadget", fe->configfs);
        if (access(path, W_OK) < 0)
                return fail(error, -errno,
                            "no USB gadget configfs (mount -t configfs none /sys/kernel/config; "
                            "modprobe libcomposite) at",
                            path);
        found = glob("/sys/class/udc/dummy_udc.*", 0, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
        globfree(&g);
        if (found == 0)
                return fail(error, -ENODEV, "no UDC of dummy_hcd (modprobe dummy_hcd num=N) in",
                            "/sys/class/udc");
        return 0;
}

/* A gadget left by a run that was killed: unbound and taken down, so its name is free. */
static void remove_stale(usb_drive *d)
{
        if (access(d->gadget_dir, F_OK) < 0)
                return;
        (void)usb_gadget_unbind(d);
        usb_gadget_destroy(d);
}

int usb_gadget_create(usb_drive *d, const char *vendor, const char *product, char **error)
{
        const usb_frontend *fe = d->fe;
        char path[PATH_MAX], value[64], instance[32];
        int r;

        snprintf(d->gadget_dir, sizeof d->gadget_dir, "%s/usb_gadget/drivesim-%u", fe->configfs,
                 d->index);
        snprintf(d->ffs_dir, sizeof d->ffs_dir, "%s/ffs-%u", fe->run_dir, d->index);
        snprintf(instance, sizeof instance, "drivesim%u", d->index);
        remove_stale(d);

        r = make_dir(d->gadget_dir, NULL);
        if (r < 0)
                return fail(error, r, "cannot create the gadget", d->gadget_dir);
        snprintf(value, sizeof value, "0x%04x", USB_VENDOR_ID);
        r = write_file(d->gadget_dir, "idVendor", value);
        snprintf(value, sizeof value, "0x%04x", USB_PRODUCT_ID);
        if (r == 0)
                r = write_file(d->gadget_dir, "idProduct", value);
        if (r == 0)
                r = write_file(d->gadget_dir, "bcdDevice", "0x0100");
        if (r == 0)
                r = write_file(d->gadget_dir, "bcdUSB", "0x0200");
        if (r == 0)
                r = make_dir(d->gadget_dir, "strings/0x409");
        snprintf(path, sizeof path, "%s/strings/0x409", d->gadget_dir);
        if (r == 0)
                r = write_file(path, "manufacturer", vendor);
        if (r == 0)
                r = write_file(path, "product", product);
        /* BOT 4.1.1: a serial number of at least 12 hexadecimal digits. */
        snprintf(value, sizeof value, "D5%010X", d->index);
        if (r == 0)
                r = write_file(path, "serialnumber", value);
        if (r == 0)
                r = make_dir(d->gadget_dir, "configs/c.1");
        snprintf(path, sizeof path, "%s/configs/c.1", d->gadget_dir);
        if (r == 0)
                r = write_file(path, "MaxPower", "500");
        if (r == 0)
                r = make_dir(path, "strings/0x409");
        snprintf(path, sizeof path, "%s/configs/c.1/strings/0x409", d->gadget_dir);
        if (r == 0)
                r = write_file(path, "configuration", "CD writer");
        if (r < 0)
                return fail(error, r, "cannot set up the gadget", d->gadget_dir);

        /* The FunctionFS instance (loads usb_f_fs when the kernel can) and its link into
         * the configuration. */
        snprintf(path, sizeof path, "%s/functions/ffs.%s", d->gadget_dir, instance);
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return fail(error, -errno,
                            "cannot create the FunctionFS function (modprobe usb_f_fs)", path);
        {
                char link[PATH_MAX];
                snprintf(link, sizeof link, "%s/configs/c.1/ffs.%s", d->gadget_dir, instance);
                if (symlink(path, link) < 0 && errno != EEXIST)
                        return fail(error, -errno, "cannot link the function into", link);
        }

        if (mkdir(fe->run_dir, 0755) < 0 && errno != EEXIST)
                return fail(error, -errno, "cannot create", fe->run_dir);
        if (mkdir(d->ffs_dir, 0755) < 0 && errno != EEXIST)
                return fail(error, -errno, "cannot create", d->ffs_dir);
        if (mount(instance, d->ffs_dir, "functionfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
                return fail(error, -errno, "cannot mount FunctionFS on", d->ffs_dir);
        d->ffs_mounted = true;
        return 0;
}

static bool udc_in_use(const usb_frontend *fe, const char *udc)
{
        char pattern[PATH_MAX], bound[128];
        glob_t g;
        bool used = false;

        snprintf(pattern, sizeof pattern, "%s/usb_gadget/*/UDC", fe->configfs);
        if (glob(pattern, 0, NULL, &g) != 0)
                return false;
        for (size_t i = 0; i < g.gl_pathc && !used; i++)
                used =
                    read_line(g.gl_pathv[i], bound, sizeof bound) == 0 && strcmp(bound, udc) == 0;
        globfree(&g);
        return used;
}

int usb_gadget_bind(usb_drive *d, char **error)
{
        glob_t g;
        int r = -EBUSY;

        /* glob sorts: dummy_udc.0 first, as a person would plug into the first free port. */
        if (glob("/sys/class/udc/dummy_udc.*", 0, NULL, &g) != 0)
                return fail(error, -ENODEV, "no UDC of dummy_hcd in", "/sys/class/udc");
        for (size_t i = 0; i < g.gl_pathc; i++) {
                const char *udc = strrchr(g.gl_pathv[i], '/') + 1;
                if (udc_in_use(d->fe, udc))
                        continue;
                r = write_file(d->gadget_dir, "UDC", udc);
                if (r == 0) {
                        snprintf(d->udc, sizeof d->udc, "%s", udc);
                        break;
                }
        }
        globfree(&g);
        if (r == -EBUSY)
                return fail(error, r, "every UDC of dummy_hcd is in use (modprobe dummy_hcd num=N)",
                            "/sys/class/udc");
        if (r < 0)
                return fail(error, r, "cannot bind the gadget", d->gadget_dir);
        return 0;
}

int usb_gadget_unbind(usb_drive *d)
{
        int r = write_file(d->gadget_dir, "UDC", "\n");

        d->udc[0] = '\0';
        d->name[0] = d->sg_name[0] = d->syspath[0] = '\0';
        return r;
}

void usb_gadget_destroy(usb_drive *d)
{
        char path[PATH_MAX];

        if (d->ffs_mounted || access(d->ffs_dir, F_OK) == 0) {
                (void)umount2(d->ffs_dir, UMOUNT_NOFOLLOW);
                (void)rmdir(d->ffs_dir);
                d->ffs_mounted = false;
        }
        /* configfs wants the tree taken down leaf first. */
        snprintf(path, sizeof path, "%s/configs/c.1/ffs.drivesim%u", d->gadget_dir, d->index);
        (void)unlink(path);
        snprintf(path, sizeof path, "%s/configs/c.1/strings/0x409", d->gadget_dir);
        (void)rmdir(path);
        snprintf(path, sizeof path, "%s/configs/c.1", d->gadget_dir);
        (void)rmdir(path);
        snprintf(path, sizeof path, "%s/functions/ffs.drivesim%u", d->gadget_dir, d->index);
        (void)rmdir(path);
        snprintf(path, sizeof path, "%s/strings/0x409", d->gadget_dir);
        (void)rmdir(path);
        (void)rmdir(d->gadget_dir);
}

/* The one path matching pattern, its last component in name. */
static bool find_one(const char *pattern, char *path, size_t path_size, char *name,
                     size_t name_size)
{
        glob_t g;
        bool found = false;

        if (glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc > 0) {
                snprintf(path, path_size, "%s", g.gl_pathv[0]);
                snprintf(name, name_size, "%s", strrchr(g.gl_pathv[0], '/') + 1);
                found = true;
        }
        globfree(&g);
        return found;
}

/* The host side's devices of the drive: the sysfs path of its SCSI device's children. */
static bool find_devices(usb_drive *d, const char *hcd)
{
        char pattern[PATH_MAX], sg_path[PATH_MAX];
        if (!d->name[0]) {
                snprintf(pattern, sizeof pattern,
                         "/sys/devices/platform/%s/usb*/*/*/host*/target*/*/block/sr*", hcd);
                if (!find_one(pattern, d->syspath, sizeof d->syspath, d->name, sizeof d->name))
                        return false;
        }
        if (!d->sg_name[0]) {
                snprintf(pattern, sizeof pattern,
                         "/sys/devices/platform/%s/usb*/*/*/host*/target*/*/scsi_generic/sg*", hcd);
                if (!find_one(pattern, sg_path, sizeof sg_path, d->sg_name, sizeof d->sg_name))
                        return false;
        }
        return true;
}

int usb_gadget_find_host_devices(usb_drive *d, unsigned timeout_ms)
{
        /* sg is loaded by udev's rule for SCSI devices, a little after sr made srN. */
        const unsigned sg_grace_ms = 5000;
        unsigned sr_found_at = 0;
        char hcd[64];
        const char *n;

        /* dummy_udc.N's other half is the host controller dummy_hcd.N; the drive is the
         * SCSI device of the mass-storage interface of the device on its root port. */
        n = strrchr(d->udc, '.');
        if (!n)
                return -ENODEV;
        snprintf(hcd, sizeof hcd, "dummy_hcd%s", n);
        for (unsigned waited = 0;; waited += 50) {
                if (find_devices(d, hcd))
                        return 0;
                if (waited >= timeout_ms)
                        return d->name[0] ? 0 : -ETIMEDOUT;
                if (d->name[0] && !sr_found_at)
                        sr_found_at = waited + 1;
                if (sr_found_at && waited + 1 - sr_found_at >= sg_grace_ms)
                        return 0; /* no sg yet: list looks again, shows "-" until then */
                /* usb-storage scans the device on its own schedule (delay_use); sysfs has
                 * nothing to wait on, so this bounded wait looks again every 50 ms. */
                nanosleep(&(struct timespec){.tv_nsec = 50000000}, NULL);
        }
}
