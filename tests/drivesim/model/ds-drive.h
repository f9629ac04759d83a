/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * drivesim's drive model: an emulated SCSI MMC-5 CD-R/RW recorder.
 *
 * This library knows nothing of umockdev, sockets or processes: the front end
 * (tests/drivesim/frontend) hands it one SCSI command at a time and applies
 * what it answers (data, sense, a completion delay, a transport error). The
 * unit tests drive it the same way, with a fake clock.
 *
 * Thread safety: none. The front end serialises all calls on one drive.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ds_drive ds_drive;

/* Monotonic time in nanoseconds. Tests pass a fake clock they advance by hand. */
typedef struct ds_clock {
        uint64_t (*now_ns)(void *userdata);
        void *userdata;
} ds_clock;

/* The real CLOCK_MONOTONIC. */
extern const ds_clock ds_clock_monotonic;

enum ds_direction {
        DS_DIR_NONE,
        DS_DIR_TO_DEVICE,   /* WRITE, MODE SELECT, …: data[] holds what the host sent */
        DS_DIR_FROM_DEVICE, /* INQUIRY, READ, …: the model fills data[] */
};

/* Transport-level outcomes, as the kernel's SG_IO reports them. */
enum ds_host_status {
        DS_HOST_OK = 0x00,
        DS_HOST_TIME_OUT = 0x03, /* DID_TIME_OUT */
};

#define DS_SENSE_MAX              18
#define DS_STATUS_GOOD            0x00
#define DS_STATUS_CHECK_CONDITION 0x02

typedef struct ds_cmd {
        /* In. */
        const uint8_t *cdb;
        size_t cdb_len;
        enum ds_direction direction;
        uint8_t *data; /* dxfer buffer of data_len bytes */
        size_t data_len;
        unsigned timeout_ms; /* the caller's SG_IO timeout; 0 = none given */
        /* When the command reached the drive on the model's clock; 0: now. A front end
         * that spends time getting the data to the model (umockdev reads it from the
         * client) passes the time the ioctl came in, so that the buffer model (fill, flow
         * control) sees the command when the host sent it, not when the emulator got
         * round to it; delay_ns then counts from arrival_ns. */
        uint64_t arrival_ns;

        /* Out. ds_drive_execute() zeroes these first. */
        uint8_t status; /* DS_STATUS_* */
        uint8_t sense[DS_SENSE_MAX];
        size_t sense_len;
        size_t resid; /* data_len minus the bytes really transferred */
        enum ds_host_status host_status;
        int error;         /* > 0: the ioctl itself fails with this errno (ENODEV, EIO) */
        uint64_t delay_ns; /* complete the command this long after it arrived */
} ds_cmd;

/*
 * Creates a drive from a SPEC (docs/drivesim.md): a media name and options,
 * e.g. "cdr80", "cdrw74,speed=24", "none", "cdrom:disc.raw",
 * "cdr80,speed=52,buffer=2M,realtime", "cdr80,fault=write-protected", "cdr80,kept".
 * name is the kernel name ("sr0"); state_dir may be NULL (the recorded disc is
 * then kept in memory only). On failure returns a negative errno and, when
 * error is not NULL, a malloc'd message for a person.
 */
int ds_drive_new(const char *spec, const char *name, const char *state_dir, const ds_clock *clock,
                 ds_drive **ret, char **error);

/* Saves the disc for "kept" (when a state dir was given) and frees everything. */
void ds_drive_free(ds_drive *d);

/* Runs one SCSI command. Always returns 0; the outcome is in cmd's out fields. */
int ds_drive_execute(ds_drive *d, ds_cmd *cmd);

/*
 * The direction in which this command moves data when it moves any, as the drive sees it
 * (DS_DIR_NONE for commands without data and for opcodes the drive does not know). A
 * transport that is told the host's direction separately (USB Bulk-Only) compares the two.
 */
enum ds_direction ds_drive_data_direction(const uint8_t *cdb, size_t cdb_len);

/*
 * Runs one control command (docs/drivesim.md, "Control socket") aimed at this
 * drive, e.g. "insert cdr74", "eject", "take", "open-tray", "close-tray", "fault busy",
 * "clear-faults", "state", "export FILE". Returns 0 and a malloc'd reply (one
 * or more lines, no trailing newline), or a negative errno and a message.
 */
int ds_drive_control(ds_drive *d, const char *line, char **reply);

/* What the kernel's CDROM_DRIVE_STATUS answers: CDS_NO_DISC, CDS_TRAY_OPEN, CDS_DISC_OK, … */
int ds_drive_cdrom_status(ds_drive *d);

const char *ds_drive_name(const ds_drive *d);

/* INQUIRY's vendor and product without their padding (a USB front end's strings). */
void ds_drive_identity(const ds_drive *d, char vendor[9], char product[17]);

/*
 * udev properties of the block device as udev's cdrom_id would set them for
 * the drive and its current media: "ID_CDROM=1\nID_CDROM_CD_R=1\n…". malloc'd.
 */
char *ds_drive_udev_properties(const ds_drive *d);

/*
 * Events the front end must turn into udev uevents. The model sets them and
 * the front end reads and clears them after every call.
 */
enum ds_event {
        DS_EVENT_NONE = 0,
        DS_EVENT_MEDIA_CHANGED = 1 << 0, /* "change" with DISK_MEDIA_CHANGE=1 */
        DS_EVENT_EJECT_REQUEST = 1 << 1, /* "change" with DISK_EJECT_REQUEST=1 */
        DS_EVENT_GONE = 1 << 2,          /* the device-gone fault fired: "remove" */
};
unsigned ds_drive_take_events(ds_drive *d);

/* The bytes in the buffer when the last WRITE arrived (0 without "realtime"): for a
 * front end's per-command trace. */
uint64_t ds_drive_last_write_fill(const ds_drive *d);
