/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How fast SCSI commands pass through drivesim (umockdev's ioctl forwarding
 * plus the drive model), run under drivesim:
 *   drivesim --drive cdr80 -- bench-sgio [COUNT]
 * Prints round trips per second for a small INQUIRY and for 63,648-byte
 * WRITE(10)s (26 raw 2448-byte sectors, what cdrdao and wodim send), and the
 * write rate as a CD speed (1x = 75 sectors/s). A figure, never a verdict.
 */
#include <errno.h>
#include <fcntl.h>
#include <scsi/sg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define SECTORS_PER_WRITE 26
#define RAW_SECTOR        2448

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int send_cmd(int fd, uint8_t *cdb, size_t cdb_len, int dir, void *buf, size_t len,
                    unsigned *good)
{
        uint8_t sense[32];
        sg_io_hdr_t hdr = {.interface_id = 'S',
                           .cmdp = cdb,
                           .cmd_len = (unsigned char)cdb_len,
                           .dxfer_direction = dir,
                           .dxferp = buf,
                           .dxfer_len = (unsigned)len,
                           .sbp = sense,
                           .mx_sb_len = sizeof sense,
                           .timeout = 30000};

        if (ioctl(fd, SG_IO, &hdr) < 0)
                return -errno;
        if (hdr.status == 0)
                (*good)++;
        return 0;
}

int main(int argc, char **argv)
{
        long count = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
        uint8_t inquiry[6] = {0x12, 0, 0, 0, 36, 0};
        uint8_t reply[36];
        uint8_t *data = calloc(SECTORS_PER_WRITE, RAW_SECTOR);
        unsigned good = 0;
        double t0, t;
        int fd = open("/dev/sr0", O_RDWR | O_NONBLOCK);

        if (fd < 0 || !data || count < 1) {
                fprintf(stderr, "bench-sgio: run under drivesim (open /dev/sr0: %s)\n",
                        strerror(errno));
                return 1;
        }

        t0 = now_s();
        for (long i = 0; i < count; i++)
                if (send_cmd(fd, inquiry, sizeof inquiry, SG_DXFER_FROM_DEV, reply, sizeof reply,
                             &good) < 0)
                        return 1;
        t = now_s() - t0;
        printf("INQUIRY (36 bytes): %ld commands in %.3f s: %.0f/s, %.1f us each (%u GOOD)\n",
               count, t, count / t, t / count * 1e6, good);

        /* Write Parameters page 05h: RAW, raw P-W (block type 3), as wodim -raw96r sets it. */
        {
                uint8_t select[10] = {0x55, 0x10, 0, 0, 0, 0, 0, 0, 60, 0};
                uint8_t params[60] = {0};
                params[8] = 0x05;
                params[9] = 0x32;
                params[10] = 0x03; /* write type RAW */
                params[12] = 0x03; /* data block type 3 */
                params[22] = 0;
                params[23] = 150; /* audio pause length */
                good = 0;
                send_cmd(fd, select, sizeof select, SG_DXFER_TO_DEV, params, sizeof params, &good);
                printf("MODE SELECT page 05h RAW/R96R: %s\n", good ? "accepted" : "refused");
        }

        /* WRITE(10) from the usual lead-in start on, as a burn sends them; the model
         * answers GOOD while it accepts the stream, CHECK CONDITION otherwise. */
        good = 0;
        t0 = now_s();
        for (long i = 0; i < count; i++) {
                int32_t lba = -11634 + (int32_t)(i * SECTORS_PER_WRITE);
                uint8_t write10[10] = {0x2A,
                                       0,
                                       (uint8_t)(lba >> 24),
                                       (uint8_t)(lba >> 16),
                                       (uint8_t)(lba >> 8),
                                       (uint8_t)lba,
                                       0,
                                       0,
                                       SECTORS_PER_WRITE,
                                       0};
                if (send_cmd(fd, write10, sizeof write10, SG_DXFER_TO_DEV, data,
                             SECTORS_PER_WRITE * RAW_SECTOR, &good) < 0)
                        return 1;
        }
        t = now_s() - t0;
        printf("WRITE(10) (%d x %d bytes): %ld commands in %.3f s: %.0f/s, %.1f MB/s, "
               "%.0fx CD speed (%u GOOD)\n",
               SECTORS_PER_WRITE, RAW_SECTOR, count, t, count / t,
               count * (double)SECTORS_PER_WRITE * RAW_SECTOR / t / 1e6,
               count * (double)SECTORS_PER_WRITE / t / 75.0, good);
        free(data);
        close(fd);
        return 0;
}
