/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Hotplug and media events as a libudev client (a udev monitor, as udisks and
 * rawburnd use) sees them, run under
 *   drivesim --drive cdr80 --control SOCKET -- test-uevents SOCKET
 * Events are awaited on the monitor's socket (poll with a generous bound).
 */
#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <limits.h>
#include <linux/cdrom.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "control-client.h"
#include "sg-client.h"

#define EVENT_WAIT_MS 20000

static const char *control_path;
static struct udev *udev;
static struct udev_monitor *monitor;
static ctl *control_conn;

static char *control(const char *line)
{
        char *reply = NULL;

        if (!ctl_command(control_conn, line, &reply))
                fail_msg("control '%s': %s", line, reply);
        return reply;
}

static int64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next event for sysname with this action; others in between are skipped. */
static struct udev_device *wait_event(const char *action, const char *sysname)
{
        int64_t deadline = now_ms() + EVENT_WAIT_MS;

        for (;;) {
                struct pollfd p = {.fd = udev_monitor_get_fd(monitor), .events = POLLIN};
                int64_t left = deadline - now_ms();
                struct udev_device *dev;

                if (left <= 0)
                        fail_msg("no '%s' event for %s", action, sysname);
                if (poll(&p, 1, (int)left) <= 0)
                        continue;
                dev = udev_monitor_receive_device(monitor);
                if (!dev)
                        continue;
                if (strcmp(udev_device_get_action(dev) ?: "", action) == 0 &&
                    strcmp(udev_device_get_sysname(dev), sysname) == 0)
                        return dev;
                udev_device_unref(dev);
        }
}

static void assert_property(struct udev_device *dev, const char *key, const char *value)
{
        const char *v = udev_device_get_property_value(dev, key);

        if (!value) {
                if (v)
                        fail_msg("%s: %s=%s, expected unset", udev_device_get_sysname(dev), key, v);
                return;
        }
        if (!v || strcmp(v, value) != 0)
                fail_msg("%s: %s=%s, expected %s", udev_device_get_sysname(dev), key,
                         v ? v : "(unset)", value);
}

static int setup(void **state)
{
        udev = udev_new();
        monitor = udev_monitor_new_from_netlink(udev, "udev");
        assert_non_null(monitor);
        assert_int_equal(udev_monitor_filter_add_match_subsystem_devtype(monitor, "block", NULL),
                         0);
        assert_int_equal(
            udev_monitor_filter_add_match_subsystem_devtype(monitor, "scsi_generic", NULL), 0);
        assert_int_equal(udev_monitor_enable_receiving(monitor), 0);
        control_conn = ctl_connect(control_path);
        assert_non_null(control_conn);
        return 0;
}

static int teardown(void **state)
{
        ctl_close(control_conn);
        udev_monitor_unref(monitor);
        udev_unref(udev);
        return 0;
}

/* The "drive name:" row of /proc/sys/dev/cdrom/info (libburn reads it). */
static char *proc_drive_names(void)
{
        FILE *f = fopen("/proc/sys/dev/cdrom/info", "r");
        char *line = NULL;
        size_t cap = 0;

        assert_non_null(f);
        while (getline(&line, &cap, f) > 0)
                if (strncmp(line, "drive name:", 11) == 0)
                        break;
        fclose(f);
        return line;
}

/* Coldplug: what an enumeration at daemon start finds. */
static void test_coldplug(void **state)
{
        struct udev_enumerate *e = udev_enumerate_new(udev);
        struct udev_device *dev, *scsi;
        struct udev_list_entry *l;
        unsigned found = 0;

        udev_enumerate_add_match_subsystem(e, "block");
        udev_enumerate_add_match_property(e, "ID_CDROM", "1");
        assert_int_equal(udev_enumerate_scan_devices(e), 0);
        udev_list_entry_foreach(l, udev_enumerate_get_list_entry(e))
        {
                dev = udev_device_new_from_syspath(udev, udev_list_entry_get_name(l));
                if (strcmp(udev_device_get_sysname(dev), "sr0") == 0) {
                        found++;
                        assert_string_equal(udev_device_get_devnode(dev), "/dev/sr0");
                        assert_int_equal(udev_device_get_devnum(dev), makedev(11, 0));
                        assert_property(dev, "DEVTYPE", "disk");
                        assert_property(dev, "ID_BUS", "ata");
                        assert_property(dev, "ID_CDROM_CD_R", "1");
                        assert_property(dev, "ID_CDROM_MEDIA_CD_R", "1");
                        assert_property(dev, "ID_CDROM_MEDIA_STATE", "blank");
                        /* The SCSI device above it: a CD/DVD (type 5) with INQUIRY strings. */
                        scsi = udev_device_get_parent_with_subsystem_devtype(dev, "scsi",
                                                                             "scsi_device");
                        assert_non_null(scsi);
                        assert_string_equal(udev_device_get_sysattr_value(scsi, "type"), "5");
                        assert_non_null(
                            strstr(udev_device_get_sysattr_value(scsi, "vendor"), "DRVSIM"));
                        assert_string_equal(udev_device_get_sysname(scsi), "1:0:0:0");
                }
                udev_device_unref(dev);
        }
        udev_enumerate_unref(e);
        assert_int_equal(found, 1);

        /* Its sg sibling. */
        dev = udev_device_new_from_subsystem_sysname(udev, "scsi_generic", "sg0");
        assert_non_null(dev);
        assert_string_equal(udev_device_get_devnode(dev), "/dev/sg0");
        assert_int_equal(udev_device_get_devnum(dev), makedev(21, 0));
        udev_device_unref(dev);
}

static void test_hotplug_and_media(void **state)
{
        struct udev_device *dev;
        struct stat st;
        char *reply;

        reply = control("add cdrw74");
        assert_string_equal(reply, "sr1");
        free(reply);
        dev = wait_event("add", "sr1");
        reply = proc_drive_names();
        assert_string_equal(reply, "drive name:\t\tsr1\tsr0\n");
        free(reply);
        assert_property(dev, "DEVNAME", "/dev/sr1");
        assert_property(dev, "ID_CDROM", "1");
        assert_property(dev, "ID_CDROM_MEDIA_CD_RW", "1");
        udev_device_unref(dev);
        udev_device_unref(wait_event("add", "sg1"));
        assert_int_equal(stat("/dev/sr1", &st), 0);
        assert_true(S_ISBLK(st.st_mode));
        assert_int_equal(st.st_rdev, makedev(11, 1));

        free(control("sr1 eject"));
        dev = wait_event("change", "sr1");
        assert_property(dev, "DISK_MEDIA_CHANGE", "1");
        assert_property(dev, "ID_CDROM_MEDIA", NULL);
        assert_property(dev, "ID_CDROM_MEDIA_CD_RW", NULL);
        udev_device_unref(dev);

        free(control("sr1 insert cdr80"));
        dev = wait_event("change", "sr1");
        assert_property(dev, "DISK_MEDIA_CHANGE", "1");
        assert_property(dev, "ID_CDROM_MEDIA", "1");
        assert_property(dev, "ID_CDROM_MEDIA_CD_R", "1");
        assert_property(dev, "ID_CDROM_MEDIA_STATE", "blank");
        udev_device_unref(dev);

        free(control("remove sr1"));
        udev_device_unref(wait_event("remove", "sg1"));
        dev = wait_event("remove", "sr1");
        assert_property(dev, "DEVNAME", "/dev/sr1");
        udev_device_unref(dev);
        assert_int_equal(stat("/dev/sr1", &st), -1);
        reply = proc_drive_names();
        assert_string_equal(reply, "drive name:\t\tsr0\n");
        free(reply);
        reply = control("list");
        assert_null(strstr(reply, "sr1"));
        free(reply);
}

/* Writing "change" to the sysfs uevent file, as rawburnd does after a burn,
 * brings a "change" uevent with the current properties, as the kernel and udev do. */
static void test_uevent_trigger(void **state)
{
        struct udev_device *dev = udev_device_new_from_subsystem_sysname(udev, "block", "sr0");
        char path[512];
        FILE *f;

        assert_non_null(dev);
        snprintf(path, sizeof path, "%s/uevent", udev_device_get_syspath(dev));
        udev_device_unref(dev);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs("change\n", f);
        assert_int_equal(fclose(f), 0);

        dev = wait_event("change", "sr0");
        assert_property(dev, "DEVNAME", "/dev/sr0");
        assert_property(dev, "ID_CDROM", "1");
        assert_property(dev, "ID_CDROM_MEDIA_CD_R", "1");
        assert_property(dev, "DISK_MEDIA_CHANGE", NULL);
        udev_device_unref(dev);
        /* And the device keeps its properties for later lookups. */
        dev = udev_device_new_from_subsystem_sysname(udev, "block", "sr0");
        assert_property(dev, "ID_CDROM", "1");
        udev_device_unref(dev);
}

/* A locked tray: the button only reports an eject request; the cdrom layer's
 * CDROMEJECT unlocks and opens it. */
static void test_eject_request(void **state)
{
        static const uint8_t prevent[6] = {0x1E, 0, 0, 0, 0x01, 0};
        static const uint8_t tur[6] = {0};
        struct udev_device *dev;
        char *reply;
        sg_result r;
        int fd = open("/dev/sr0", O_RDWR | O_NONBLOCK);

        assert_true(fd >= 0);
        sg_send(fd, tur, sizeof tur, SG_DXFER_NONE, NULL, 0, 32, 5000); /* eats a unit attention */
        r = sg_send(fd, prevent, sizeof prevent, SG_DXFER_NONE, NULL, 0, 32, 5000);
        assert_int_equal(r.ret, 0);
        assert_int_equal(r.hdr.status, 0);

        reply = control("sr0 eject");
        assert_non_null(strstr(reply, "eject request"));
        free(reply);
        dev = wait_event("change", "sr0");
        assert_property(dev, "DISK_EJECT_REQUEST", "1");
        assert_property(dev, "ID_CDROM_MEDIA", "1"); /* the disc stays in */
        udev_device_unref(dev);
        assert_int_equal(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_DISC_OK);

        assert_int_equal(ioctl(fd, CDROMEJECT, 0), 0);
        dev = wait_event("change", "sr0");
        assert_property(dev, "DISK_MEDIA_CHANGE", "1");
        assert_property(dev, "DISK_EJECT_REQUEST", NULL);
        assert_property(dev, "ID_CDROM_MEDIA", NULL);
        udev_device_unref(dev);
        assert_int_equal(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_TRAY_OPEN);

        /* The disc stayed in the open tray: closing it brings the same disc back. */
        assert_int_equal(ioctl(fd, CDROMCLOSETRAY, 0), 0);
        dev = wait_event("change", "sr0");
        assert_property(dev, "ID_CDROM_MEDIA", "1");
        assert_property(dev, "ID_CDROM_MEDIA_CD_R", "1");
        udev_device_unref(dev);
        assert_int_equal(ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_DISC_OK);
        close(fd);
}

/* The device-gone fault: the command fails ENODEV and the drive leaves udev. */
static void test_device_gone(void **state)
{
        static const uint8_t tur[6] = {0};
        struct udev_device *dev;
        char *reply;
        sg_result r;
        int fd;

        reply = control("add cdr74");
        assert_string_equal(reply, "sr2");
        free(reply);
        udev_device_unref(wait_event("add", "sr2"));
        fd = open("/dev/sr2", O_RDWR | O_NONBLOCK);
        assert_true(fd >= 0);
        r = sg_send(fd, tur, sizeof tur, SG_DXFER_NONE, NULL, 0, 32, 5000);
        assert_int_equal(r.ret, 0);

        free(control("sr2 fault device-gone"));
        r = sg_send(fd, tur, sizeof tur, SG_DXFER_NONE, NULL, 0, 32, 5000);
        assert_int_equal(r.ret, -1);
        assert_int_equal(r.errno_, ENODEV);
        dev = wait_event("remove", "sr2");
        udev_device_unref(dev);
        /* Still open: every later command fails the same way. */
        r = sg_send(fd, tur, sizeof tur, SG_DXFER_NONE, NULL, 0, 32, 5000);
        assert_int_equal(r.ret, -1);
        assert_int_equal(r.errno_, ENODEV);
        close(fd);
        assert_int_equal(access("/dev/sr2", F_OK), -1);
}

int main(int argc, char **argv)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_coldplug),       cmocka_unit_test(test_hotplug_and_media),
            cmocka_unit_test(test_uevent_trigger), cmocka_unit_test(test_eject_request),
            cmocka_unit_test(test_device_gone),
        };

        if (argc != 2) {
                fprintf(stderr, "usage: %s CONTROL-SOCKET (run under drivesim)\n", argv[0]);
                return 2;
        }
        control_path = argv[1];
        return cmocka_run_group_tests(tests, setup, teardown);
}
