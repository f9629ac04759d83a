/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ioctl handler of a drive's /dev/srN and /dev/sgN: SG_IO into the model,
 * and the auxiliary ioctls cdrdao, wodim and libburn issue, answered as the
 * Linux sr/sg drivers answer them (docs/drivesim.md, "Ioctls").
 *
 * umockdev calls this on its worker thread; a command the model wants to
 * finish later (flow control, drains, timeouts) completes from a timeout on
 * that thread's context, so the client stays blocked in ioctl() meanwhile.
 */
#include <errno.h>
#include <linux/cdrom.h>
#include <pthread.h>
#include <sched.h>
#include <scsi/scsi.h>
#include <scsi/sg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdrom-ioctl.h"
#include "frontend.h"

/* What the kernel's sg driver reports (drivers/scsi/sg.c, sg_version_num). */
#define SG_VERSION_NUM 30527
/* queue_max_bytes() of a typical AHCI port (max_sectors_kb = 1280). */
#define QUEUE_MAX_BYTES (1280 * 1024)
/* blk_rq_map_user() refuses transfers beyond max_hw_sectors_kb (32767). */
#define MAX_HW_BYTES (32767u * 1024u)
#define DRIVER_SENSE 0x08

/* struct scsi_idlun of the kernel's scsi_ioctl.c (not in the uapi headers). */
struct scsi_idlun {
        int dev_id; /* id | lun << 8 | channel << 16 | host_no << 24 */
        int host_unique_id;
};

/* One WRITE's times on CLOCK_MONOTONIC, for DRIVESIM_WRITE_TRACE: when the
 * handler got the ioctl, when its data had been read from the client and the
 * model took it, and when its completion was due and really sent. A model
 * starved of CPU shows as late "taken" and "sent" against the client's times. */
typedef struct write_times {
        const fe_drive *drive;
        uint64_t got_ns, taken_ns, due_ns;
        uint64_t fill_bytes, blocks;
} write_times;

static uint64_t mono_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void trace_write(const write_times *t)
{
        FILE *f = t->drive->fe->write_trace;

        fprintf(f, "%s W got=%llu taken=%llu due=%llu sent=%llu fill=%llu blocks=%llu\n",
                t->drive->name, (unsigned long long)t->got_ns, (unsigned long long)t->taken_ns,
                (unsigned long long)t->due_ns, (unsigned long long)mono_ns(),
                (unsigned long long)t->fill_bytes, (unsigned long long)t->blocks);
}

typedef struct pending {
        fe_drive *drive;
        UMockdevIoctlClient *client;
        long result;
        int errno_;
        uint64_t due_ns;
        bool is_write;
        bool traced;
        write_times times;
} pending;

/* How late the emulator sent a completion: the host could not answer before
 * it had it, so its next command counts that much earlier (sg_arrival). */
static void note_sent(fe_drive *drive, bool is_write, uint64_t due_ns)
{
        uint64_t now = mono_ns();

        drive->completion_was_write = is_write;
        drive->completion_due_ns = due_ns;
        drive->completion_late_ns = now > due_ns ? now - due_ns : 0;
}

static gboolean complete_later(gpointer userdata)
{
        pending *p = userdata;

        note_sent(p->drive, p->is_write, p->due_ns);
        umockdev_ioctl_client_complete(p->client, p->result, p->errno_);
        if (p->traced)
                trace_write(&p->times);
        g_object_unref(p->client);
        g_free(p);
        return G_SOURCE_REMOVE;
}

static void complete(fe_drive *drive, bool is_write, UMockdevIoctlClient *client, long result,
                     int errno_, uint64_t due_ns, const write_times *times)
{
        pending *p;
        GSource *source;
        GMainContext *ctx;
        uint64_t now = mono_ns(), delay_ns = due_ns > now ? due_ns - now : 0;

        if (delay_ns < 500000) { /* under half a millisecond: not worth a timer */
                note_sent(drive, is_write, due_ns);
                umockdev_ioctl_client_complete(client, result, errno_);
                if (times)
                        trace_write(times);
                return;
        }
        p = g_new(pending, 1);
        p->drive = drive;
        p->is_write = is_write;
        p->due_ns = due_ns;
        p->client = g_object_ref(client);
        p->result = result;
        p->errno_ = errno_;
        p->traced = times != NULL;
        if (times)
                p->times = *times;
        /* Rounded up: a completion never goes out before it is due (a timeout
         * the host times must not look shorter than the one it set). */
        source = g_timeout_source_new((guint)((delay_ns + 999999) / 1000000));
        g_source_set_callback(source, complete_later, p, NULL);
        ctx = g_main_context_ref_thread_default();
        g_source_attach(source, ctx);
        g_source_unref(source);
        g_main_context_unref(ctx);
}

static UMockdevIoctlData *resolve(UMockdevIoctlData *data, size_t offset, size_t len)
{
        GError *error = NULL;
        UMockdevIoctlData *r = umockdev_ioctl_data_resolve(data, offset, len, &error);

        if (error) {
                g_printerr("drivesim: cannot read the client's ioctl data: %s\n", error->message);
                g_clear_error(&error);
                g_clear_object(&r);
        }
        return r;
}

static void trace_command(const fe_drive *drive, const ds_cmd *cmd, size_t len)
{
        GString *s = g_string_new(NULL);

        g_string_append_printf(s, "drivesim %s:", drive->name);
        for (size_t i = 0; i < cmd->cdb_len; i++)
                g_string_append_printf(s, " %02X", cmd->cdb[i]);
        if (cmd->direction == DS_DIR_TO_DEVICE)
                g_string_append_printf(s, " out=%zu", len);
        else if (cmd->direction == DS_DIR_FROM_DEVICE)
                g_string_append_printf(s, " in=%zu", len);
        if (cmd->error)
                g_string_append_printf(s, " -> errno %s", g_strerror(cmd->error));
        else if (cmd->host_status)
                g_string_append_printf(s, " -> host_status 0x%02x", cmd->host_status);
        else if (cmd->status == DS_STATUS_GOOD)
                g_string_append(s, " -> GOOD");
        else
                g_string_append_printf(s, " -> CHECK %X/%02X/%02X", cmd->sense[2] & 0x0f,
                                       cmd->sense[12], cmd->sense[13]);
        if (!cmd->error && cmd->resid)
                g_string_append_printf(s, " resid=%zu", cmd->resid);
        if (cmd->delay_ns)
                g_string_append_printf(s, " delay=%.1fms", cmd->delay_ns / 1e6);
        g_printerr("%s\n", s->str);
        g_string_free(s, TRUE);
}

/* Runs the command under the drive's lock and hands new events to the main loop. */
static void run_command(fe_drive *drive, ds_cmd *cmd)
{
        bool flush = false;

        g_mutex_lock(&drive->lock);
        if (drive->gone) {
                memset(&cmd->status, 0, sizeof *cmd - offsetof(ds_cmd, status));
                cmd->error = ENODEV;
        } else {
                ds_drive_execute(drive->model, cmd);
                drive->pending_events |= ds_drive_take_events(drive->model);
                if (drive->pending_events && !drive->flush_queued)
                        flush = drive->flush_queued = true;
        }
        g_mutex_unlock(&drive->lock);
        if (flush)
                fe_drive_queue_flush(drive);
}

/* The data buffer of an sg_iovec list, gathered into one piece. */
typedef struct iov_buffer {
        UMockdevIoctlData *list;
        UMockdevIoctlData **parts;
        unsigned n;
        uint8_t *flat;
        size_t len;
} iov_buffer;

static int iov_gather(UMockdevIoctlData *hdr_data, const sg_io_hdr_t *hdr, iov_buffer *b)
{
        const sg_iovec_t *iov;
        size_t off = 0;

        b->n = hdr->iovec_count;
        b->list = resolve(hdr_data, offsetof(sg_io_hdr_t, dxferp), b->n * sizeof(sg_iovec_t));
        if (!b->list)
                return -EFAULT;
        iov = (const sg_iovec_t *)b->list->data;
        b->parts = g_new0(UMockdevIoctlData *, b->n);
        for (unsigned i = 0; i < b->n; i++)
                b->len += iov[i].iov_len;
        if (b->len > hdr->dxfer_len)
                b->len = hdr->dxfer_len;
        b->flat = g_malloc0(b->len ? b->len : 1);
        for (unsigned i = 0; i < b->n && off < b->len; i++) {
                size_t n = MIN(iov[i].iov_len, b->len - off);
                b->parts[i] =
                    resolve(b->list, i * sizeof(sg_iovec_t) + offsetof(sg_iovec_t, iov_base), n);
                if (!b->parts[i])
                        return -EFAULT;
                memcpy(b->flat + off, b->parts[i]->data, n);
                off += n;
        }
        return 0;
}

static void iov_scatter(iov_buffer *b)
{
        size_t off = 0;

        for (unsigned i = 0; i < b->n && b->parts[i]; i++) {
                size_t n = MIN((size_t)b->parts[i]->data_len, b->len - off);
                memcpy(b->parts[i]->data, b->flat + off, n);
                off += n;
        }
}

static void iov_free(iov_buffer *b)
{
        for (unsigned i = 0; i < b->n && b->parts; i++)
                g_clear_object(&b->parts[i]);
        g_free(b->parts);
        g_clear_object(&b->list);
        g_free(b->flat);
}

/*
 * When the command reached the drive, as the host sent it: the moment the
 * ioctl came in, less the time the emulator held back the completion of the
 * WRITE before (a timer that fired late, data read slowly), which the host
 * had to wait for; never before that completion was due. Only WRITE after
 * WRITE: a writer sends the next one as soon as it may, while the first
 * WRITE of a burn waits for the program, not for the drive.
 */
static uint64_t sg_arrival(const fe_drive *drive, bool is_write, uint64_t got_ns)
{
        uint64_t t = got_ns - drive->completion_late_ns;

        if (!is_write || !drive->completion_was_write)
                return got_ns;
        if (t > got_ns || t < drive->completion_due_ns)
                t = drive->completion_due_ns > got_ns ? got_ns : drive->completion_due_ns;
        return t;
}

static void handle_sg_io(fe_drive *drive, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
        g_autoptr(UMockdevIoctlData) hdr_data = NULL, cdb_data = NULL, buf_data = NULL,
                                     sense_data = NULL;
        iov_buffer iov = {0};
        sg_io_hdr_t *hdr;
        ds_cmd cmd = {0};
        size_t len;
        write_times times = {.drive = drive, .got_ns = mono_ns()};
        bool trace_write_cmd = false, is_write;

        hdr_data = resolve(arg, 0, sizeof(sg_io_hdr_t));
        if (!hdr_data) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return;
        }
        hdr = (sg_io_hdr_t *)hdr_data->data;
        /* The checks of the kernel's sg_io(), in its order. */
        if (hdr->interface_id != 'S' || hdr->cmd_len < 1 || hdr->cmd_len > 16) {
                umockdev_ioctl_client_complete(client, -1, EINVAL);
                return;
        }
        if (hdr->dxfer_len > MAX_HW_BYTES) {
                umockdev_ioctl_client_complete(client, -1, EIO);
                return;
        }
        cdb_data = resolve(hdr_data, offsetof(sg_io_hdr_t, cmdp), hdr->cmd_len);
        if (!cdb_data) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return;
        }
        len = hdr->dxferp ? hdr->dxfer_len : 0;
        cmd.cdb = cdb_data->data;
        cmd.cdb_len = hdr->cmd_len;
        cmd.timeout_ms = hdr->timeout;
        is_write = cmd.cdb_len >= 10 && (cmd.cdb[0] == 0x2a || cmd.cdb[0] == 0xaa);
        cmd.arrival_ns = sg_arrival(drive, is_write, times.got_ns);
        if (len == 0 || hdr->dxfer_direction == SG_DXFER_NONE)
                cmd.direction = DS_DIR_NONE, len = 0;
        else if (hdr->dxfer_direction == SG_DXFER_TO_DEV)
                cmd.direction = DS_DIR_TO_DEVICE;
        else
                cmd.direction = DS_DIR_FROM_DEVICE;
        if (len > 0 && hdr->iovec_count > 0) {
                if (iov_gather(hdr_data, hdr, &iov) < 0) {
                        iov_free(&iov);
                        umockdev_ioctl_client_complete(client, -1, EFAULT);
                        return;
                }
                cmd.data = iov.flat;
                len = iov.len;
        } else if (len > 0) {
                buf_data = resolve(hdr_data, offsetof(sg_io_hdr_t, dxferp), len);
                if (!buf_data) {
                        umockdev_ioctl_client_complete(client, -1, EFAULT);
                        return;
                }
                cmd.data = buf_data->data;
        }
        cmd.data_len = len;

        trace_write_cmd = drive->fe->write_trace && cmd.cdb_len == 10 && cmd.cdb[0] == 0x2a;
        if (trace_write_cmd)
                times.taken_ns = mono_ns();
        run_command(drive, &cmd);
        if (trace_write_cmd) {
                g_mutex_lock(&drive->lock);
                times.fill_bytes = drive->gone ? 0 : ds_drive_last_write_fill(drive->model);
                g_mutex_unlock(&drive->lock);
                times.due_ns = cmd.arrival_ns + cmd.delay_ns;
                times.blocks = (uint64_t)cmd.cdb[7] << 8 | cmd.cdb[8];
        }
        if (drive->fe->trace)
                trace_command(drive, &cmd, len);
        if (cmd.error) {
                iov_free(&iov);
                umockdev_ioctl_client_complete(client, -1, cmd.error);
                return;
        }

        /* What scsi_complete_sghdr_rq() and sg_io() fill in. */
        hdr->status = cmd.status;
        hdr->masked_status = (cmd.status >> 1) & 0x7f;
        hdr->msg_status = 0;
        hdr->host_status = cmd.host_status;
        hdr->driver_status = cmd.status == DS_STATUS_CHECK_CONDITION ? DRIVER_SENSE : 0;
        hdr->info =
            (hdr->masked_status || hdr->host_status || hdr->driver_status) ? SG_INFO_CHECK : 0;
        hdr->resid = (int)cmd.resid;
        hdr->duration = (unsigned)(cmd.delay_ns / 1000000);
        hdr->sb_len_wr = 0;
        if (cmd.sense_len > 0 && hdr->mx_sb_len > 0 && hdr->sbp) {
                size_t n = MIN(cmd.sense_len, (size_t)hdr->mx_sb_len);
                sense_data = resolve(hdr_data, offsetof(sg_io_hdr_t, sbp), n);
                if (sense_data) {
                        memcpy(sense_data->data, cmd.sense, n);
                        hdr->sb_len_wr = (unsigned char)n;
                }
        }
        if (iov.n && cmd.direction == DS_DIR_FROM_DEVICE)
                iov_scatter(&iov);
        iov_free(&iov);
        /* The model counted the delay from the command's arrival; a transport
         * timeout, as the kernel's, from when the ioctl came in. */
        complete(drive, is_write, client, 0, 0,
                 (cmd.host_status == DS_HOST_TIME_OUT ? times.got_ns : cmd.arrival_ns) +
                     cmd.delay_ns,
                 trace_write_cmd ? &times : NULL);
}

/* Ioctls whose argument is an int the driver reads or writes. */
static bool int_arg(UMockdevIoctlClient *client, UMockdevIoctlData *arg, int **ret,
                    UMockdevIoctlData **data)
{
        *data = resolve(arg, 0, sizeof(int));
        if (!*data) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return false;
        }
        *ret = (int *)(*data)->data;
        return true;
}

/* The sizes and TOC the cdrom layer would learn with READ TOC: one command to the model. */
static int model_status(fe_drive *drive)
{
        int status;

        g_mutex_lock(&drive->lock);
        status = drive->gone ? -ENODEV : ds_drive_cdrom_status(drive->model);
        g_mutex_unlock(&drive->lock);
        return status;
}

/*
 * The drive's clock and buffer must not depend on how busy the host is: a
 * "realtime" drive that keeps burning while the emulator waits for a CPU
 * would measure the emulator, not the program that feeds it (a benchmark
 * under load saw completions sent 40 ms late and WRITE data read 30 ms
 * late, docs/benchmarks.md). So the thread umockdev runs this handler on,
 * which also fires the delayed completions, takes SCHED_FIFO once, where
 * allowed: above every normal-priority task, and below every burner's
 * writer (rawburnd's is 40, cdrdao's SCHED_RR 94, wodim's 99). A real
 * drive's completion arrives as an interrupt, and the writer it wakes takes
 * that CPU at once; above a writer, the emulator would hold the CPU the
 * completion came from while that writer waited for the other one (up to
 * 38 ms under the benchmark's load), and only for writers below it.
 * DRIVESIM_RT_PRIORITY=N sets another priority, 0 leaves it alone.
 */
static void take_realtime_once(void)
{
        static __thread bool tried;
        const char *env = getenv("DRIVESIM_RT_PRIORITY");
        struct sched_param sp = {.sched_priority = env && *env ? atoi(env) : 30};

        if (tried)
                return;
        tried = true;
        if (sp.sched_priority <= 0)
                return;
        if (sp.sched_priority > 99)
                sp.sched_priority = 99;
        (void)pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
}

static gboolean handle_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client,
                             gpointer userdata)
{
        fe_drive *drive = userdata;
        gulong request = umockdev_ioctl_client_get_request(client);
        UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
        const char *devnode = umockdev_ioctl_client_get_devnode(client);
        bool is_sg = devnode && strstr(devnode, "/sg") != NULL;
        g_autoptr(UMockdevIoctlData) data = NULL;
        int *value;
        bool gone;

        take_realtime_once();
        g_mutex_lock(&drive->lock);
        gone = drive->gone;
        g_mutex_unlock(&drive->lock);
        if (gone) {
                umockdev_ioctl_client_complete(client, -1, ENODEV);
                return TRUE;
        }

        switch (request) {
        case SG_IO:
                handle_sg_io(drive, client, arg);
                return TRUE;
        case SG_GET_VERSION_NUM:
                if (int_arg(client, arg, &value, &data)) {
                        *value = SG_VERSION_NUM;
                        umockdev_ioctl_client_complete(client, 0, 0);
                }
                return TRUE;
        case SG_SET_RESERVED_SIZE:
                if (int_arg(client, arg, &value, &data)) {
                        if (*value < 0) {
                                umockdev_ioctl_client_complete(client, -1, EINVAL);
                                return TRUE;
                        }
                        g_mutex_lock(&drive->lock);
                        drive->reserved_size = MIN(*value, QUEUE_MAX_BYTES);
                        g_mutex_unlock(&drive->lock);
                        umockdev_ioctl_client_complete(client, 0, 0);
                }
                return TRUE;
        case SG_GET_RESERVED_SIZE:
                if (int_arg(client, arg, &value, &data)) {
                        g_mutex_lock(&drive->lock);
                        *value = MIN(drive->reserved_size, QUEUE_MAX_BYTES);
                        g_mutex_unlock(&drive->lock);
                        umockdev_ioctl_client_complete(client, 0, 0);
                }
                return TRUE;
        case SG_SET_TIMEOUT:
                if (int_arg(client, arg, &value, &data)) {
                        if (*value < 0) {
                                umockdev_ioctl_client_complete(client, -1, EIO);
                                return TRUE;
                        }
                        g_mutex_lock(&drive->lock);
                        drive->sg_timeout = *value;
                        g_mutex_unlock(&drive->lock);
                        umockdev_ioctl_client_complete(client, 0, 0);
                }
                return TRUE;
        case SG_GET_TIMEOUT: {
                int t;
                g_mutex_lock(&drive->lock);
                t = drive->sg_timeout;
                g_mutex_unlock(&drive->lock);
                umockdev_ioctl_client_complete(client, t, 0); /* the value is the result */
                return TRUE;
        }
        case SG_EMULATED_HOST:
                if (int_arg(client, arg, &value, &data)) {
                        *value = 1; /* ATAPI behind libata */
                        umockdev_ioctl_client_complete(client, 0, 0);
                }
                return TRUE;
        case SCSI_IOCTL_GET_IDLUN:
                data = resolve(arg, 0, sizeof(struct scsi_idlun));
                if (!data) {
                        umockdev_ioctl_client_complete(client, -1, EFAULT);
                } else {
                        struct scsi_idlun *id = (struct scsi_idlun *)data->data;
                        unsigned host = drive->index + 1; /* channel, id and lun are 0 */
                        id->dev_id = (int)(host << 24);
                        id->host_unique_id = (int)host;
                        umockdev_ioctl_client_complete(client, 0, 0);
                }
                return TRUE;
        case SCSI_IOCTL_GET_BUS_NUMBER:
                if (int_arg(client, arg, &value, &data)) {
                        *value = (int)drive->index + 1;
                        umockdev_ioctl_client_complete(client, 0, 0);
                }
                return TRUE;
        case SG_GET_SCSI_ID:
                /* The sg driver answers it; on sr it ends in the host's handler and fails
                 * (libburn then falls back to SCSI_IOCTL_GET_IDLUN). */
                if (!is_sg) {
                        umockdev_ioctl_client_complete(client, -1, EINVAL);
                        return TRUE;
                }
                data = resolve(arg, 0, sizeof(struct sg_scsi_id));
                if (!data) {
                        umockdev_ioctl_client_complete(client, -1, EFAULT);
                } else {
                        struct sg_scsi_id *id = (struct sg_scsi_id *)data->data;
                        memset(id, 0, sizeof *id);
                        id->host_no = (int)drive->index + 1;
                        id->scsi_type = 5;
                        id->h_cmd_per_lun = 1;
                        id->d_queue_depth = 1;
                        umockdev_ioctl_client_complete(client, 0, 0);
                }
                return TRUE;
        case CDROM_DRIVE_STATUS: {
                int status;
                if (is_sg) {
                        umockdev_ioctl_client_complete(client, -1, EINVAL);
                        return TRUE;
                }
                status = model_status(drive);
                if (status < 0)
                        umockdev_ioctl_client_complete(client, -1, -status);
                else
                        umockdev_ioctl_client_complete(client, status, 0);
                return TRUE;
        }
        case CDROM_GET_CAPABILITY:
                if (is_sg) {
                        umockdev_ioctl_client_complete(client, -1, EINVAL);
                        return TRUE;
                }
                /* What sr.c and cdrom.c report for an MMC CD/DVD writer. */
                umockdev_ioctl_client_complete(
                    client,
                    CDC_CLOSE_TRAY | CDC_OPEN_TRAY | CDC_LOCK | CDC_SELECT_SPEED |
                        CDC_MULTI_SESSION | CDC_MCN | CDC_MEDIA_CHANGED | CDC_PLAY_AUDIO |
                        CDC_RESET | CDC_DRIVE_STATUS | CDC_GENERIC_PACKET | CDC_CD_R | CDC_CD_RW |
                        CDC_DVD | CDC_DVD_R | CDC_MRW | CDC_MRW_W,
                    0);
                return TRUE;
        default:
                if (!is_sg && fe_cdrom_ioctl(drive, client, request, arg))
                        return TRUE;
                /* Unknown to the kernel's sr/sg drivers too, as far as drivesim goes. */
                umockdev_ioctl_client_complete(client, -1, ENOTTY);
                return TRUE;
        }
}

UMockdevIoctlBase *fe_sgio_handler_new(fe_drive *drive)
{
        UMockdevIoctlBase *handler = umockdev_ioctl_base_new();

        g_signal_connect(handler, "handle-ioctl", G_CALLBACK(handle_ioctl), drive);
        return handler;
}
