/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The udev side of a drive: its sysfs tree as a SATA optical drive shows it
 * on Debian 12, its /dev/srN and /dev/sgN nodes, its udev properties, and
 * the uevents for hotplug, media changes and eject requests. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend.h"

/* The AHCI controller every drive hangs off, as on a typical PC. */
#define PCI_PATH "/devices/pci0000:00/0000:00:1f.2"

static bool pci_added;

/* udev's ID_MODEL/ID_SERIAL form: blanks become '_', trailing blanks dropped. */
static char *udev_id_string(const char *s)
{
        char *r = g_strstrip(g_strdup(s));

        for (char *p = r; *p; p++)
                if (*p == ' ' || *p == '/')
                        *p = '_';
        return r;
}

/* udev's ID_MODEL_ENC form: blanks as \x20, padded to the INQUIRY field width. */
static char *udev_id_encoded(const char *s, size_t width)
{
        GString *r = g_string_new(NULL);
        size_t n = strlen(s);

        for (size_t i = 0; i < width; i++) {
                char c = i < n ? s[i] : ' ';
                if (c == ' ')
                        g_string_append(r, "\\x20");
                else
                        g_string_append_c(r, c);
        }
        return g_string_free(r, FALSE);
}

/*
 * INQUIRY strings come from the model's SPEC, which the front end cannot see
 * directly: ask the model with an INQUIRY, as udev's ata_id/scsi_id would.
 */
static void inquiry_strings(ds_drive *model, char vendor[9], char product[17], char rev[5])
{
        static const uint8_t cdb[6] = {0x12, 0, 0, 0, 36, 0};
        uint8_t data[36] = {0};
        ds_cmd cmd = {.cdb = cdb,
                      .cdb_len = sizeof cdb,
                      .direction = DS_DIR_FROM_DEVICE,
                      .data = data,
                      .data_len = sizeof data};

        ds_drive_execute(model, &cmd);
        memcpy(vendor, data + 8, 8);
        vendor[8] = '\0';
        memcpy(product, data + 16, 16);
        product[16] = '\0';
        memcpy(rev, data + 32, 4);
        rev[4] = '\0';
        g_strchomp(vendor);
        g_strchomp(product);
        g_strchomp(rev);
}

/* "ID_CDROM=1\nID_CDROM_CD_R=1\n" → "E: ID_CDROM=1\nE: ID_CDROM_CD_R=1\n". */
static void append_properties(GString *out, const char *props)
{
        char **lines = g_strsplit(props ? props : "", "\n", -1);

        for (char **l = lines; *l; l++)
                if (**l)
                        g_string_append_printf(out, "E: %s\n", *l);
        g_strfreev(lines);
}

/*
 * The paragraphs umockdev_testbed_add_from_string() takes, parents first so
 * that each "add" uevent finds its parents in place.
 */
static char *describe_drive(fe_drive *drive, const char *media_props, bool with_pci)
{
        unsigned n = drive->index, host = n + 1, ata = n + 2;
        char vendor[9], product[17], rev[5];
        /* Device paths as in umockdev's P: lines (the syspath without "/sys"). */
        g_autofree char *host_path = g_strdup_printf(PCI_PATH "/ata%u/host%u", ata, host);
        g_autofree char *target = g_strdup_printf("%s/target%u:0:0", host_path, host);
        g_autofree char *sdev = g_strdup_printf("%s/%u:0:0:0", target, host);
        g_autofree char *id_vendor = NULL, *id_model = NULL, *model_enc = NULL, *serial = NULL;
        g_autofree char *id_path = NULL, *both = NULL;
        GString *s = g_string_new(NULL);

        inquiry_strings(drive->model, vendor, product, rev);
        id_vendor = udev_id_string(vendor);
        /* ata_id reports the ATA model string, which for ATAPI drives is
         * "VENDOR PRODUCT" as INQUIRY splits it. */
        both = g_strdup_printf("%s %s", vendor, product);
        id_model = udev_id_string(both);
        model_enc = udev_id_encoded(both, 40);
        serial = g_strdup_printf("%s_DS%08u", id_model, n);
        id_path = g_strdup_printf("pci-0000:00:1f.2-ata-%u", ata);

        if (with_pci)
                g_string_append(s, "P: " PCI_PATH "\n"
                                   "E: DRIVER=ahci\nE: PCI_CLASS=10601\nE: PCI_ID=8086:2922\n"
                                   "E: SUBSYSTEM=pci\n"
                                   "A: class=0x010601\nA: vendor=0x8086\nA: device=0x2922\n\n");
        g_string_append_printf(s,
                               "P: %s\nE: DEVTYPE=scsi_host\nE: SUBSYSTEM=scsi\n"
                               "A: unique_id=%u\n\n",
                               host_path, host);
        g_string_append_printf(s, "P: %s\nE: DEVTYPE=scsi_target\nE: SUBSYSTEM=scsi\n\n", target);
        g_string_append_printf(
            s,
            "P: %s\nE: DEVTYPE=scsi_device\nE: DRIVER=sr\nE: MODALIAS=scsi:t-0x05\n"
            "E: SUBSYSTEM=scsi\n"
            "A: type=5\nA: scsi_level=6\nA: vendor=%-8s\nA: model=%-16s\nA: rev=%-4s\n"
            "A: state=running\nA: device_blocked=0\nA: queue_depth=1\n"
            "A: timeout=30\n\n",
            sdev, vendor, product, rev);

        /* The block node, with what udev's rules (60-cdrom_id, 60-persistent-storage,
         * 70-uaccess, 99-systemd) add on Debian 12. */
        g_string_append_printf(
            s,
            "P: %s/block/%s\nN: %s\n"
            "E: DEVNAME=/dev/%s\nE: DEVTYPE=disk\nE: MAJOR=11\nE: MINOR=%u\n"
            "E: SUBSYSTEM=block\nE: DISKSEQ=%u\n"
            "E: ID_ATA=1\nE: ID_TYPE=cd\nE: ID_BUS=ata\n"
            "E: ID_VENDOR=%s\nE: ID_MODEL=%s\nE: ID_MODEL_ENC=%s\n"
            "E: ID_REVISION=%s\nE: ID_SERIAL=%s\nE: ID_SERIAL_SHORT=DS%08u\n"
            "E: ID_PATH=%s\nE: ID_PATH_TAG=pci-0000_00_1f_2-ata-%u\n"
            "E: ID_FOR_SEAT=block-pci-0000_00_1f_2-ata-%u\n"
            "E: SYSTEMD_MOUNT_DEVICE_BOUND=1\n"
            "E: TAGS=:systemd:uaccess:seat:\nE: CURRENT_TAGS=:systemd:uaccess:seat:\n",
            sdev, drive->name, drive->name, drive->name, n, n + 10, id_vendor, id_model, model_enc,
            rev, serial, n, id_path, ata, ata);
        append_properties(s, media_props);
        g_string_append_printf(s,
                               "A: dev=11:%u\nA: removable=1\nA: ro=0\nA: size=0\n"
                               "A: capability=119\nA: events=media_change eject_request\n"
                               "A: events_async=\nA: events_poll_msecs=-1\n"
                               "A: queue/max_sectors_kb=1280\nA: queue/max_hw_sectors_kb=32767\n"
                               "A: queue/logical_block_size=2048\n\n",
                               n);

        /* The SCSI generic node of the same device. */
        g_string_append_printf(s,
                               "P: %s/scsi_generic/%s\nN: %s\n"
                               "E: DEVNAME=/dev/%s\nE: MAJOR=21\nE: MINOR=%u\n"
                               "E: SUBSYSTEM=scsi_generic\n"
                               "A: dev=21:%u\n\n",
                               sdev, drive->sg_name, drive->sg_name, drive->sg_name, n, n);

        drive->block_syspath = g_strdup_printf("/sys%s/block/%s", sdev, drive->name);
        drive->sg_syspath = g_strdup_printf("/sys%s/scsi_generic/%s", sdev, drive->sg_name);
        return g_string_free(s, FALSE);
}

static char *locked_udev_properties(fe_drive *drive)
{
        char *props;

        g_mutex_lock(&drive->lock);
        props = ds_drive_udev_properties(drive->model);
        g_mutex_unlock(&drive->lock);
        return props;
}

/* Replaces the ID_CDROM_MEDIA* properties in the block device's uevent file. */
static void update_media_properties(fe_drive *drive, const char *media_props,
                                    const char *extra_property)
{
        static const char *const media_keys[] = {
            "ID_CDROM_MEDIA",
            "ID_CDROM_MEDIA_CD",
            "ID_CDROM_MEDIA_CD_R",
            "ID_CDROM_MEDIA_CD_RW",
            "ID_CDROM_MEDIA_DVD_R",
            "ID_CDROM_MEDIA_STATE",
            "ID_CDROM_MEDIA_SESSION_COUNT",
            "ID_CDROM_MEDIA_TRACK_COUNT",
            "ID_CDROM_MEDIA_TRACK_COUNT_AUDIO",
            "ID_CDROM_MEDIA_TRACK_COUNT_DATA",
            "DISK_MEDIA_CHANGE",
            "DISK_EJECT_REQUEST",
        };
        UMockdevTestbed *tb = drive->fe->testbed;
        GString *updated = g_string_new(NULL);
        char **lines;

        /* umockdev keeps properties in the uevent attribute; rewrite it from the
         * last properties without the media keys, then add the current ones. The
         * file itself may hold what a client wrote to it ("change"). */
        lines = g_strsplit(drive->uevent_properties ? drive->uevent_properties : "", "\n", -1);
        for (char **l = lines; *l; l++) {
                bool media_key = false;
                for (size_t i = 0; i < G_N_ELEMENTS(media_keys); i++) {
                        size_t k = strlen(media_keys[i]);
                        if (strncmp(*l, media_keys[i], k) == 0 && (*l)[k] == '=')
                                media_key = true;
                }
                if (**l && !media_key)
                        g_string_append_printf(updated, "%s\n", *l);
        }
        g_strfreev(lines);
        {
                char **props = g_strsplit(media_props ? media_props : "", "\n", -1);
                for (char **p = props; *p; p++) {
                        size_t k = strcspn(*p, "=");
                        if (strncmp(*p, "ID_CDROM_MEDIA", 14) == 0 && (*p)[k] == '=')
                                g_string_append_printf(updated, "%s\n", *p);
                }
                g_strfreev(props);
        }
        if (extra_property)
                g_string_append_printf(updated, "%s\n", extra_property);
        umockdev_testbed_set_attribute(tb, drive->block_syspath, "uevent", updated->str);
        g_free(drive->uevent_properties);
        drive->uevent_properties = g_string_free(updated, FALSE);
}

/*
 * A client wrote to the block device's sysfs "uevent" file, as rawburnd does
 * after a burn ("echo change > /sys/…/uevent"): the kernel answers with a
 * synthetic uevent of that action, and udev refreshes the media properties.
 * umockdev stores properties in that very file, so restore them first.
 */
static void uevent_file_changed(GFileMonitor *monitor, GFile *file, GFile *other,
                                GFileMonitorEvent event, gpointer userdata)
{
        static const char *const actions[] = {"add", "change", "remove", "online", "offline"};
        fe_drive *drive = userdata;
        g_autofree char *text = NULL, *props = NULL;
        const char *action = NULL;

        if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT || drive->gone)
                return;
        if (!g_file_load_contents(file, NULL, &text, NULL, NULL, NULL) || strchr(text, '='))
                return; /* our own properties */
        g_strstrip(text);
        for (size_t i = 0; i < G_N_ELEMENTS(actions); i++) {
                size_t n = strlen(actions[i]);
                if (strncmp(text, actions[i], n) == 0 && (text[n] == '\0' || text[n] == ' '))
                        action = actions[i];
        }
        props = locked_udev_properties(drive);
        update_media_properties(drive, props, NULL);
        if (action && strcmp(action, "remove") != 0)
                umockdev_testbed_uevent(drive->fe->testbed, drive->block_syspath, action);
}

static void watch_uevent_file(fe_drive *drive)
{
        g_autofree char *root = umockdev_testbed_get_root_dir(drive->fe->testbed);
        g_autofree char *path = g_build_filename(root, drive->block_syspath, "uevent", NULL);
        g_autoptr(GFile) file = g_file_new_for_path(path);

        if (!g_file_load_contents(file, NULL, &drive->uevent_properties, NULL, NULL, NULL))
                drive->uevent_properties = g_strdup("");
        drive->uevent_monitor = g_file_monitor_file(file, G_FILE_MONITOR_NONE, NULL, NULL);
        if (drive->uevent_monitor)
                g_signal_connect(drive->uevent_monitor, "changed", G_CALLBACK(uevent_file_changed),
                                 drive);
}

/*
 * /proc/sys/dev/cdrom/info as the kernel's cdrom.c writes it (libburn reads
 * it). umockdev serves /proc files that exist in the testbed. One column per
 * drive, the newest first, as the kernel lists them.
 */
static void update_proc_cdrom_info(fe_frontend *fe)
{
        static const struct {
                const char *label;
                int value; /* -1: the drive speed */
        } rows[] = {
            {"drive speed:\t", -1},        {"drive # of slots:", 1},      {"Can close tray:\t", 1},
            {"Can open tray:\t", 1},       {"Can lock tray:\t", 1},       {"Can change speed:", 1},
            {"Can select disk:", 0},       {"Can read multisession:", 1}, {"Can read MCN:\t", 1},
            {"Reports media changed:", 1}, {"Can play audio:\t", 1},      {"Can write CD-R:\t", 1},
            {"Can write CD-RW:", 1},       {"Can read DVD:\t", 1},        {"Can write DVD-R:", 1},
            {"Can write DVD-RAM:", 0},     {"Can read MRW:\t", 1},        {"Can write MRW:\t", 1},
            {"Can write RAM:\t", 0},
        };
        g_autofree char *root = umockdev_testbed_get_root_dir(fe->testbed);
        g_autofree char *dir = g_build_filename(root, "proc", "sys", "dev", "cdrom", NULL);
        g_autofree char *path = g_build_filename(dir, "info", NULL);
        GString *s =
            g_string_new("CD-ROM information, Id: cdrom.c 3.20 2003/12/17\n\ndrive name:\t");

        for (unsigned i = fe->drives->len; i-- > 0;) {
                fe_drive *d = g_ptr_array_index(fe->drives, i);
                if (!d->gone)
                        g_string_append_printf(s, "\t%s", d->name);
        }
        g_string_append_c(s, '\n');
        for (size_t r = 0; r < G_N_ELEMENTS(rows); r++) {
                g_string_append(s, rows[r].label);
                for (unsigned i = fe->drives->len; i-- > 0;) {
                        fe_drive *d = g_ptr_array_index(fe->drives, i);
                        if (!d->gone)
                                g_string_append_printf(s, "\t%d",
                                                       rows[r].value < 0 ? 48 : rows[r].value);
                }
                g_string_append_c(s, '\n');
        }
        g_string_append(s, "\n\n");
        g_mkdir_with_parents(dir, 0755);
        if (!g_file_set_contents(path, s->str, (gssize)s->len, NULL))
                g_printerr("drivesim: cannot write %s\n", path);
        g_string_free(s, TRUE);
}

int fe_drive_add(fe_frontend *fe, const char *spec, fe_drive **ret, char **error)
{
        fe_drive *drive = g_new0(fe_drive, 1);
        g_autofree char *description = NULL;
        g_autofree char *block_node = NULL, *sg_node = NULL;
        char *props;
        GError *gerror = NULL;
        int r;

        drive->fe = fe;
        drive->index = fe->next_index;
        snprintf(drive->name, sizeof drive->name, "sr%u", drive->index);
        snprintf(drive->sg_name, sizeof drive->sg_name, "sg%u", drive->index);
        drive->reserved_size = 32768; /* the sg driver's default SG_DEF_RESERVED_SIZE */
        g_mutex_init(&drive->lock);

        r = ds_drive_new(spec, drive->name, fe->state_dir, &ds_clock_monotonic, &drive->model,
                         error);
        if (r < 0) {
                g_mutex_clear(&drive->lock);
                g_free(drive);
                return r;
        }
        fe->next_index++;

        props = ds_drive_udev_properties(drive->model);
        description = describe_drive(drive, props, !pci_added);
        free(props);
        pci_added = true;

        /* The handler must be in place before anyone can open the nodes. */
        drive->handler = fe_sgio_handler_new(drive);
        block_node = g_strdup_printf("/dev/%s", drive->name);
        sg_node = g_strdup_printf("/dev/%s", drive->sg_name);
        /* Attach first: add_from_string() sends "add", and a client that opens the
         * node on that event must already find the ioctl socket (else ENOTTY, or
         * umockdev's preload aborts the client). */
        if (!umockdev_testbed_attach_ioctl(fe->testbed, block_node, drive->handler, &gerror) ||
            !umockdev_testbed_attach_ioctl(fe->testbed, sg_node, drive->handler, &gerror) ||
            !umockdev_testbed_add_from_string(fe->testbed, description, &gerror)) {
                if (error)
                        *error = strdup(gerror ? gerror->message : "umockdev failed");
                g_clear_error(&gerror);
                /* Half added: kept, marked gone, for fe_frontend_free() to clean up. */
                drive->gone = true;
                g_ptr_array_add(fe->drives, drive);
                return -EIO;
        }
        /* add_from_string() has announced the new devices with "add" uevents. */
        watch_uevent_file(drive);
        g_ptr_array_add(fe->drives, drive);
        update_proc_cdrom_info(fe);
        if (ret)
                *ret = drive;
        return 0;
}

void fe_testbed_prepare(fe_frontend *fe)
{
        g_autofree char *root = umockdev_testbed_get_root_dir(fe->testbed);
        g_autofree char *kernel = g_build_filename(root, "sys", "kernel", NULL);

        /* wodim takes sysfs as mounted when /sys/kernel exists; otherwise it
         * warns and sleeps 5 s before every run. */
        g_mkdir_with_parents(kernel, 0755);
}

fe_drive *fe_drive_find(fe_frontend *fe, const char *name)
{
        for (unsigned i = 0; i < fe->drives->len; i++) {
                fe_drive *d = g_ptr_array_index(fe->drives, i);
                if (!d->gone && (strcmp(d->name, name) == 0 || strcmp(d->sg_name, name) == 0))
                        return d;
        }
        return NULL;
}

void fe_drive_remove(fe_drive *drive)
{
        UMockdevTestbed *tb = drive->fe->testbed;

        g_mutex_lock(&drive->lock);
        if (drive->gone) {
                g_mutex_unlock(&drive->lock);
                return;
        }
        drive->gone = true;
        g_mutex_unlock(&drive->lock);
        if (drive->uevent_monitor)
                g_file_monitor_cancel(drive->uevent_monitor);

        /* As the kernel's device_del(): the /dev node goes first, then the
         * "remove" uevent. umockdev 0.17.16 sends none itself, and builds the
         * event from sysfs, so the sysfs entries go last. */
        {
                g_autofree char *root = umockdev_testbed_get_root_dir(tb);
                g_autofree char *block_node = g_build_filename(root, "dev", drive->name, NULL);
                g_autofree char *sg_node = g_build_filename(root, "dev", drive->sg_name, NULL);
                (void)unlink(block_node);
                (void)unlink(sg_node);
        }
        umockdev_testbed_uevent(tb, drive->sg_syspath, "remove");
        umockdev_testbed_uevent(tb, drive->block_syspath, "remove");
        umockdev_testbed_remove_device(tb, drive->sg_syspath);
        umockdev_testbed_remove_device(tb, drive->block_syspath);
        update_proc_cdrom_info(drive->fe);
}

void fe_drive_flush_events(fe_drive *drive)
{
        unsigned events;
        g_autofree char *props = NULL;

        g_mutex_lock(&drive->lock);
        events = drive->gone ? 0 : drive->pending_events | ds_drive_take_events(drive->model);
        drive->pending_events = 0;
        drive->flush_queued = false;
        g_mutex_unlock(&drive->lock);

        if (events & DS_EVENT_GONE) {
                fe_drive_remove(drive);
                return;
        }
        if (events & DS_EVENT_MEDIA_CHANGED) {
                props = locked_udev_properties(drive);
                update_media_properties(drive, props, "DISK_MEDIA_CHANGE=1");
                umockdev_testbed_uevent(drive->fe->testbed, drive->block_syspath, "change");
        }
        if (events & DS_EVENT_EJECT_REQUEST) {
                g_free(props);
                props = locked_udev_properties(drive);
                update_media_properties(drive, props, "DISK_EJECT_REQUEST=1");
                umockdev_testbed_uevent(drive->fe->testbed, drive->block_syspath, "change");
        }
        /* The one-shot keys belong to the event only, as with the kernel's uevents. */
        if (events & (DS_EVENT_MEDIA_CHANGED | DS_EVENT_EJECT_REQUEST))
                update_media_properties(drive, props, NULL);
}

static gboolean flush_idle(gpointer userdata)
{
        fe_drive_flush_events(userdata);
        return G_SOURCE_REMOVE;
}

void fe_drive_queue_flush(fe_drive *drive)
{
        /* uevents are sent from the main thread only: umockdev 0.17.16's uevent
         * sender is not thread-safe. */
        g_main_context_invoke(NULL, flush_idle, drive);
}

static void fe_drive_free(fe_drive *drive)
{
        if (drive->uevent_monitor) {
                g_file_monitor_cancel(drive->uevent_monitor);
                g_object_unref(drive->uevent_monitor);
        }
        g_free(drive->uevent_properties);
        ds_drive_free(drive->model);
        g_clear_object(&drive->handler);
        g_free(drive->block_syspath);
        g_free(drive->sg_syspath);
        g_mutex_clear(&drive->lock);
        g_free(drive);
}

void fe_frontend_free(fe_frontend *fe)
{
        if (fe->drives) {
                for (unsigned i = 0; i < fe->drives->len; i++) {
                        fe_drive *d = g_ptr_array_index(fe->drives, i);
                        g_autofree char *block_node = g_strdup_printf("/dev/%s", d->name);
                        g_autofree char *sg_node = g_strdup_printf("/dev/%s", d->sg_name);
                        umockdev_testbed_detach_ioctl(fe->testbed, block_node, NULL);
                        umockdev_testbed_detach_ioctl(fe->testbed, sg_node, NULL);
                }
        }
        g_clear_object(&fe->testbed);
        if (fe->drives) {
                for (unsigned i = 0; i < fe->drives->len; i++)
                        fe_drive_free(g_ptr_array_index(fe->drives, i));
                g_ptr_array_free(fe->drives, TRUE);
        }
        g_free(fe->state_dir);
}
