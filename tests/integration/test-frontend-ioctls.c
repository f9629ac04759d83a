/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * drivesim's ioctl surface as the burning tools meet it, run under
 *   drivesim --drive cdr80 --drive none --control SOCKET -- test-frontend-ioctls SOCKET
 * The expected values are what the Linux sr/sg drivers answer
 * (docs/drivesim.md "Ioctls", reference mmc-raw.md §10), not drivesim's code.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/cdrom.h>
#include <scsi/scsi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmocka.h>

#include "control-client.h"
#include "sg-client.h"

static const char *control_path;

static int open_node(const char *path)
{
        /* The flags cdrdao and wodim use. */
        int fd = open(path, O_RDWR | O_NONBLOCK | O_EXCL);

        if (fd < 0)
                fail_msg("open %s: %s", path, strerror(errno));
        return fd;
}

static void control(const char *line)
{
        ctl *c = ctl_connect(control_path);
        char *reply = NULL;

        assert_non_null(c);
        if (!ctl_command(c, line, &reply))
                fail_msg("control '%s': %s", line, reply);
        free(reply);
        ctl_close(c);
}

static void test_sg_driver_ioctls(void **state)
{
        int fd = open_node("/dev/sr0");
        int v = 0;

        assert_int_equal(ioctl(fd, SG_GET_VERSION_NUM, &v), 0);
        assert_int_equal(v, 30527);

        /* cdrdao sets 64 KiB and reads it back to size its WRITEs. */
        v = 65536;
        assert_int_equal(ioctl(fd, SG_SET_RESERVED_SIZE, &v), 0);
        v = 0;
        assert_int_equal(ioctl(fd, SG_GET_RESERVED_SIZE, &v), 0);
        assert_int_equal(v, 65536);
        /* More than the queue takes is clamped to it (1280 KiB); negative is refused. */
        v = 16 << 20;
        assert_int_equal(ioctl(fd, SG_SET_RESERVED_SIZE, &v), 0);
        assert_int_equal(ioctl(fd, SG_GET_RESERVED_SIZE, &v), 0);
        assert_int_equal(v, 1280 * 1024);
        v = -1;
        assert_int_equal(ioctl(fd, SG_SET_RESERVED_SIZE, &v), -1);
        assert_int_equal(errno, EINVAL);

        /* wodim: fatal if SG_SET_TIMEOUT fails. */
        v = 40 * 100;
        assert_int_equal(ioctl(fd, SG_SET_TIMEOUT, &v), 0);
        assert_int_equal(ioctl(fd, SG_GET_TIMEOUT, 0), 40 * 100);

        assert_int_equal(ioctl(fd, SG_EMULATED_HOST, &v), 0);
        assert_int_equal(v, 1);
        close(fd);
}

static void test_scsi_address(void **state)
{
        struct {
                int dev_id, host_unique_id;
        } idlun;
        struct sg_scsi_id id;
        int fd = open_node("/dev/sr0"), fd1 = open_node("/dev/sr1"), sg = open_node("/dev/sg0");
        int bus = -1;

        /* sr0 sits at 1:0:0:0 (host 1, channel 0, id 0, lun 0), sr1 at 2:0:0:0. */
        assert_int_equal(ioctl(fd, SCSI_IOCTL_GET_IDLUN, &idlun), 0);
        assert_int_equal(idlun.dev_id, 1 << 24);
        assert_int_equal(ioctl(fd, SCSI_IOCTL_GET_BUS_NUMBER, &bus), 0);
        assert_int_equal(bus, 1);
        assert_int_equal(ioctl(fd1, SCSI_IOCTL_GET_IDLUN, &idlun), 0);
        assert_int_equal(idlun.dev_id, 2 << 24);

        /* SG_GET_SCSI_ID: the sg node answers, the sr node does not (libburn falls back). */
        assert_int_equal(ioctl(fd, SG_GET_SCSI_ID, &id), -1);
        memset(&id, 0xff, sizeof id);
        assert_int_equal(ioctl(sg, SG_GET_SCSI_ID, &id), 0);
        assert_int_equal(id.host_no, 1);
        assert_int_equal(id.channel, 0);
        assert_int_equal(id.scsi_id, 0);
        assert_int_equal(id.lun, 0);
        assert_int_equal(id.scsi_type, 5);
        close(fd);
        close(fd1);
        close(sg);
}

static void test_inquiry(void **state)
{
        static const uint8_t inquiry[6] = {0x12, 0, 0, 0, 36, 0};
        int fd = open_node("/dev/sr0");
        uint8_t data[36], split[36];
        sg_io_hdr_t hdr;
        sg_iovec_t iov[2] = {{split, 20}, {split + 20, 16}};
        uint8_t sense[32];
        sg_result r;

        memset(data, 0xEE, sizeof data);
        r = sg_send(fd, inquiry, sizeof inquiry, SG_DXFER_FROM_DEV, data, sizeof data, 32, 5000);
        assert_int_equal(r.ret, 0);
        assert_int_equal(r.hdr.status, 0);
        assert_int_equal(r.hdr.info & SG_INFO_CHECK, 0);
        assert_int_equal(r.hdr.resid, 0);
        assert_int_equal(r.hdr.sb_len_wr, 0);
        assert_int_equal(data[0], 0x05); /* CD/DVD device */
        assert_memory_equal(data + 8, "DRVSIM  ", 8);

        /* The same through a scatter list of two pieces. */
        memset(&hdr, 0, sizeof hdr);
        memset(split, 0xEE, sizeof split);
        hdr.interface_id = 'S';
        hdr.cmdp = (unsigned char *)inquiry;
        hdr.cmd_len = sizeof inquiry;
        hdr.dxfer_direction = SG_DXFER_FROM_DEV;
        hdr.iovec_count = 2;
        hdr.dxferp = iov;
        hdr.dxfer_len = sizeof split;
        hdr.sbp = sense;
        hdr.mx_sb_len = sizeof sense;
        hdr.timeout = 5000;
        assert_int_equal(ioctl(fd, SG_IO, &hdr), 0);
        assert_int_equal(hdr.status, 0);
        assert_memory_equal(split, data, sizeof data);

        /* The kernel refuses anything but the 'S' interface. */
        hdr.interface_id = 'Q';
        assert_int_equal(ioctl(fd, SG_IO, &hdr), -1);
        assert_int_equal(errno, EINVAL);
        close(fd);
}

static void test_check_condition(void **state)
{
        static const uint8_t tur[6] = {0};
        int fd = open_node("/dev/sr1"); /* empty tray */
        sg_result r;

        r = sg_send(fd, tur, sizeof tur, SG_DXFER_NONE, NULL, 0, 32, 5000);
        /* scsi_complete_sghdr_rq(): CHECK CONDITION, DRIVER_SENSE, SG_INFO_CHECK. */
        assert_int_equal(r.ret, 0);
        assert_int_equal(r.hdr.status, 0x02);
        assert_int_equal(r.hdr.masked_status, 0x01);
        assert_int_equal(r.hdr.host_status, 0);
        assert_int_equal(r.hdr.driver_status, 0x08);
        assert_int_equal(r.hdr.info & SG_INFO_CHECK, SG_INFO_CHECK);
        assert_int_equal(r.hdr.sb_len_wr, 18);
        assert_int_equal(r.sense[0], 0x70);
        assert_int_equal(r.sense[2] & 0x0f, 0x02); /* NOT READY */
        assert_int_equal(r.sense[12], 0x3A);       /* MEDIUM NOT PRESENT */

        /* The sense is cut to what the caller has room for. */
        r = sg_send(fd, tur, sizeof tur, SG_DXFER_NONE, NULL, 0, 8, 5000);
        assert_int_equal(r.hdr.sb_len_wr, 8);
        close(fd);
}

static void test_drive_status(void **state)
{
        int fd0 = open_node("/dev/sr0"), fd1 = open_node("/dev/sr1"), sg = open_node("/dev/sg0");

        assert_int_equal(ioctl(fd0, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_DISC_OK);
        assert_int_equal(ioctl(fd1, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_NO_DISC);
        control("sr1 open-tray");
        assert_int_equal(ioctl(fd1, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_TRAY_OPEN);
        control("sr1 close-tray");
        assert_int_equal(ioctl(fd1, CDROM_DRIVE_STATUS, CDSL_CURRENT), CDS_NO_DISC);
        /* The cdrom layer is the block driver's: the sg node does not know the ioctl. */
        assert_int_equal(ioctl(sg, CDROM_DRIVE_STATUS, CDSL_CURRENT), -1);
        assert_true(ioctl(fd0, CDROM_GET_CAPABILITY, 0) & CDC_CD_RW);
        close(fd0);
        close(fd1);
        close(sg);
}

static void test_timeout_fault(void **state)
{
        static const uint8_t tur[6] = {0};
        int fd = open_node("/dev/sr0");
        sg_result r;

        control("sr0 fault timeout count=1");
        /* The command completes when the caller's timeout expires, as DID_TIME_OUT. */
        r = sg_send(fd, tur, sizeof tur, SG_DXFER_NONE, NULL, 0, 32, 100);
        assert_int_equal(r.ret, 0);
        assert_int_equal(r.hdr.host_status, 0x03);
        assert_int_equal(r.hdr.info & SG_INFO_CHECK, SG_INFO_CHECK);
        /* One shot: the next one is answered. */
        r = sg_send(fd, tur, sizeof tur, SG_DXFER_NONE, NULL, 0, 32, 100);
        assert_int_equal(r.ret, 0);
        assert_int_equal(r.hdr.host_status, 0);
        assert_int_equal(r.hdr.info & SG_INFO_CHECK, 0);
        close(fd);
}

static void test_unknown_ioctl(void **state)
{
        int fd = open_node("/dev/sr0");
        int v;

        /* An ioctl neither sr nor sg knows. */
        assert_int_equal(ioctl(fd, _IOR('x', 0x77, int), &v), -1);
        assert_int_equal(errno, ENOTTY);
        close(fd);
}

int main(int argc, char **argv)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sg_driver_ioctls), cmocka_unit_test(test_scsi_address),
            cmocka_unit_test(test_inquiry),          cmocka_unit_test(test_check_condition),
            cmocka_unit_test(test_drive_status),     cmocka_unit_test(test_timeout_fault),
            cmocka_unit_test(test_unknown_ioctl),
        };

        if (argc != 2) {
                fprintf(stderr, "usage: %s CONTROL-SOCKET (run under drivesim)\n", argv[0]);
                return 2;
        }
        control_path = argv[1];
        return cmocka_run_group_tests(tests, NULL, NULL);
}
