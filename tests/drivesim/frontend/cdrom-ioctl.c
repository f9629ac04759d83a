/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Linux cdrom layer's ioctls on /dev/srN, which the kernel answers by
 * sending MMC commands to the drive (drivers/scsi/sr_ioctl.c, drivers/cdrom/
 * cdrom.c). drivesim does the same with the model, so that programs reading
 * the TOC through the cdrom API (libcdio's cd-info, cdparanoia's cooked
 * interface) see what the drive reports to SG_IO. CDROM_SEND_PACKET, the
 * cdrom layer's own pass-through that libcdio uses for MMC commands (READ
 * TOC format 5 for CD-Text), goes to the model as it is.
 */
#include <errno.h>
#include <linux/cdrom.h>
#include <stddef.h>
#include <string.h>

#include "cdrom-ioctl.h"

/* One command to the model, under the drive's lock. Returns 0 or a negative errno
 * chosen as sr_do_ioctl() chooses it from the sense. */
static int mmc(fe_drive *drive, const uint8_t *cdb, size_t cdb_len, uint8_t *buf, size_t len)
{
        ds_cmd cmd = {.cdb = cdb,
                      .cdb_len = cdb_len,
                      .direction = len ? DS_DIR_FROM_DEVICE : DS_DIR_NONE,
                      .data = buf,
                      .data_len = len,
                      .timeout_ms = 30000};
        unsigned key;

        g_mutex_lock(&drive->lock);
        if (drive->gone) {
                g_mutex_unlock(&drive->lock);
                return -ENODEV;
        }
        ds_drive_execute(drive->model, &cmd);
        drive->pending_events |= ds_drive_take_events(drive->model);
        g_mutex_unlock(&drive->lock);

        if (cmd.error)
                return -cmd.error;
        if (cmd.host_status)
                return -EIO;
        if (cmd.status == DS_STATUS_GOOD)
                return 0;
        key = cmd.sense[2] & 0x0f;
        if (key == 0x2) /* NOT READY */
                return -ENOMEDIUM;
        if (key == 0x5 && cmd.sense[12] == 0x20) /* INVALID COMMAND OPERATION CODE */
                return -EOPNOTSUPP;
        return -EIO;
}

/* READ TOC/PMA/ATIP format 0, 12 bytes, as sr_read_tochdr()/sr_read_tocentry() send it. */
static int read_toc(fe_drive *drive, bool msf, uint8_t track, uint8_t buf[12])
{
        const uint8_t cdb[10] = {0x43, msf ? 0x02 : 0x00, 0, 0, 0, 0, track, 0, 12, 0};

        memset(buf, 0, 12);
        return mmc(drive, cdb, sizeof cdb, buf, 12);
}

static int toc_header(fe_drive *drive, struct cdrom_tochdr *h)
{
        uint8_t buf[12];
        int r = read_toc(drive, false, 0, buf);

        if (r < 0)
                return r;
        h->cdth_trk0 = buf[2];
        h->cdth_trk1 = buf[3];
        return 0;
}

static int toc_entry(fe_drive *drive, struct cdrom_tocentry *e)
{
        bool msf = e->cdte_format == CDROM_MSF;
        uint8_t buf[12];
        int r;

        if (e->cdte_format != CDROM_MSF && e->cdte_format != CDROM_LBA)
                return -EINVAL;
        r = read_toc(drive, msf, e->cdte_track, buf);
        if (r < 0)
                return r;
        e->cdte_ctrl = buf[5] & 0x0f;
        e->cdte_adr = buf[5] >> 4;
        e->cdte_datamode = (e->cdte_ctrl & 0x04) ? 1 : 0;
        if (msf) {
                e->cdte_addr.msf.minute = buf[9];
                e->cdte_addr.msf.second = buf[10];
                e->cdte_addr.msf.frame = buf[11];
        } else {
                e->cdte_addr.lba = (int)((uint32_t)buf[8] << 24 | (uint32_t)buf[9] << 16 |
                                         (uint32_t)buf[10] << 8 | buf[11]);
        }
        return 0;
}

/* cdrom.c's cdrom_ioctl_disc_status(): the kind of disc, from its tracks' CONTROL. */
static int disc_status(fe_drive *drive)
{
        struct cdrom_tochdr h;
        unsigned audio = 0, data = 0;

        if (toc_header(drive, &h) < 0)
                return CDS_NO_INFO;
        for (unsigned t = h.cdth_trk0; t <= h.cdth_trk1 && t > 0 && t <= 99; t++) {
                struct cdrom_tocentry e = {.cdte_track = (uint8_t)t, .cdte_format = CDROM_LBA};
                if (toc_entry(drive, &e) < 0)
                        return CDS_NO_INFO;
                if (e.cdte_ctrl & 0x04)
                        data++;
                else
                        audio++;
        }
        if (audio > 0)
                return data ? CDS_MIXED : CDS_AUDIO;
        return data ? CDS_DATA_1 : CDS_NO_INFO;
}

/*
 * CDROMMULTISESSION: the start of the last session, which sr_cd_check() reads
 * with READ TOC format 1 (0 when the last session begins with track 1), in
 * the address format the caller asks for (cdrom_ioctl_multisession()).
 */
static int multisession(fe_drive *drive, struct cdrom_multisession *ms)
{
        static const uint8_t cdb[10] = {0x43, 0, 0x01, 0, 0, 0, 0, 0, 12, 0};
        uint8_t buf[12] = {0};
        int32_t lba = 0;
        int r;

        if (ms->addr_format != CDROM_MSF && ms->addr_format != CDROM_LBA)
                return -EINVAL;
        r = mmc(drive, cdb, sizeof cdb, buf, sizeof buf);
        if (r < 0)
                return r;
        if (buf[6] > 1)
                lba = (int32_t)((uint32_t)buf[8] << 24 | (uint32_t)buf[9] << 16 |
                                (uint32_t)buf[10] << 8 | buf[11]);
        ms->xa_flag = lba > 0;
        if (ms->addr_format == CDROM_MSF) {
                int32_t f = lba + 150;
                ms->addr.msf.minute = (uint8_t)(f / (60 * 75));
                ms->addr.msf.second = (uint8_t)(f / 75 % 60);
                ms->addr.msf.frame = (uint8_t)(f % 75);
        } else {
                ms->addr.lba = lba;
        }
        return 0;
}

/* CDROM_GET_MCN: READ SUB-CHANNEL, Q data, format 02h, as sr_get_mcn() sends it. */
static int get_mcn(fe_drive *drive, struct cdrom_mcn *mcn)
{
        static const uint8_t cdb[10] = {0x42, 0, 0x40, 0x02, 0, 0, 0, 0, 24, 0};
        uint8_t buf[24] = {0};
        int r = mmc(drive, cdb, sizeof cdb, buf, sizeof buf);

        if (r < 0)
                return r;
        memcpy(mcn->medium_catalog_number, buf + 9, 13);
        mcn->medium_catalog_number[13] = 0;
        return 0;
}

/* sr_tray_move() and sr_lock_door(): START STOP UNIT and PREVENT ALLOW MEDIUM REMOVAL. */
static int tray_move(fe_drive *drive, bool eject)
{
        const uint8_t cdb[6] = {0x1B, 0, 0, 0, eject ? 0x02 : 0x03, 0};

        return mmc(drive, cdb, sizeof cdb, NULL, 0);
}

static int lock_door(fe_drive *drive, bool lock)
{
        const uint8_t cdb[6] = {0x1E, 0, 0, 0, lock ? 0x01 : 0x00, 0};

        return mmc(drive, cdb, sizeof cdb, NULL, 0);
}

static UMockdevIoctlData *resolve_arg(UMockdevIoctlData *arg, size_t len)
{
        GError *error = NULL;
        UMockdevIoctlData *r = umockdev_ioctl_data_resolve(arg, 0, len, &error);

        if (error) {
                g_clear_error(&error);
                g_clear_object(&r);
        }
        return r;
}

/*
 * CDROM_SEND_PACKET: struct cdrom_generic_command, whose buffer and sense
 * pointers are resolved inside it. As cdrom_ioctl_send_packet() does, a
 * failed command is -EIO with cgc.stat and the sense filled in.
 */
static int send_packet(fe_drive *drive, UMockdevIoctlData *arg)
{
        g_autoptr(UMockdevIoctlData) data = resolve_arg(arg, sizeof(struct cdrom_generic_command));
        g_autoptr(UMockdevIoctlData) buf = NULL, sense = NULL;
        GError *error = NULL;

        if (!data)
                return -EFAULT;
        struct cdrom_generic_command *cgc = (struct cdrom_generic_command *)data->data;
        static const uint8_t sizes[8] = {6, 10, 10, 12, 16, 12, 10, 10};
        size_t len = cgc->buffer ? cgc->buflen : 0;
        ds_cmd cmd = {.cdb = cgc->cmd,
                      .cdb_len = sizes[cgc->cmd[0] >> 5] > 12 ? 12 : sizes[cgc->cmd[0] >> 5],
                      .timeout_ms = cgc->timeout > 0 ? (unsigned)cgc->timeout : 30000};
        if (len && cgc->data_direction == CGC_DATA_READ)
                cmd.direction = DS_DIR_FROM_DEVICE;
        else if (len && cgc->data_direction == CGC_DATA_WRITE)
                cmd.direction = DS_DIR_TO_DEVICE;
        else
                len = 0;
        if (len) {
                buf = umockdev_ioctl_data_resolve(
                    data, offsetof(struct cdrom_generic_command, buffer), len, &error);
                if (error) {
                        g_clear_error(&error);
                        return -EFAULT;
                }
                cmd.data = buf->data;
        }
        cmd.data_len = len;
        g_mutex_lock(&drive->lock);
        if (drive->gone) {
                g_mutex_unlock(&drive->lock);
                return -ENODEV;
        }
        ds_drive_execute(drive->model, &cmd);
        drive->pending_events |= ds_drive_take_events(drive->model);
        g_mutex_unlock(&drive->lock);
        if (cmd.error)
                return -cmd.error;
        cgc->stat = cmd.status;
        if (cmd.status == DS_STATUS_GOOD && !cmd.host_status)
                return 0;
        if (cgc->sense && cmd.sense_len) {
                size_t n = MIN(cmd.sense_len, sizeof(struct request_sense));
                sense =
                    umockdev_ioctl_data_resolve(data, offsetof(struct cdrom_generic_command, sense),
                                                sizeof(struct request_sense), &error);
                if (error)
                        g_clear_error(&error);
                else
                        memcpy(sense->data, cmd.sense, n);
        }
        return -EIO;
}

bool fe_cdrom_ioctl(fe_drive *drive, UMockdevIoctlClient *client, gulong request,
                    UMockdevIoctlData *arg)
{
        g_autoptr(UMockdevIoctlData) data = NULL;
        int r;

        switch (request) {
        case CDROMREADTOCHDR:
                data = resolve_arg(arg, sizeof(struct cdrom_tochdr));
                r = data ? toc_header(drive, (struct cdrom_tochdr *)data->data) : -EFAULT;
                break;
        case CDROMREADTOCENTRY:
                data = resolve_arg(arg, sizeof(struct cdrom_tocentry));
                r = data ? toc_entry(drive, (struct cdrom_tocentry *)data->data) : -EFAULT;
                break;
        case CDROMMULTISESSION:
                data = resolve_arg(arg, sizeof(struct cdrom_multisession));
                r = data ? multisession(drive, (struct cdrom_multisession *)data->data) : -EFAULT;
                break;
        case CDROM_SEND_PACKET:
                r = send_packet(drive, arg);
                break;
        case CDROM_GET_MCN:
                data = resolve_arg(arg, sizeof(struct cdrom_mcn));
                r = data ? get_mcn(drive, (struct cdrom_mcn *)data->data) : -EFAULT;
                break;
        case CDROMEJECT:
                /* cdrom_ioctl_eject(): unlock first, then open (drivesim cannot tell
                 * whether others hold the device open, which would make it EBUSY). */
                r = lock_door(drive, false);
                if (r == 0)
                        r = tray_move(drive, true);
                break;
        case CDROMCLOSETRAY:
                r = tray_move(drive, false);
                break;
        case CDROM_LOCKDOOR:
                /* The argument is the value itself: 1 lock, 0 unlock. */
                r = lock_door(drive, arg->data_len >= (int)sizeof(long) && *(long *)arg->data != 0);
                break;
        case CDROM_DISC_STATUS:
                umockdev_ioctl_client_complete(client, disc_status(drive), 0);
                fe_drive_queue_flush(drive);
                return true;
        default:
                return false;
        }
        if (r < 0)
                umockdev_ioctl_client_complete(client, -1, -r);
        else
                umockdev_ioctl_client_complete(client, 0, 0);
        fe_drive_queue_flush(drive);
        return true;
}
