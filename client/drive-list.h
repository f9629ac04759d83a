/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The drives rawburnd serves, read in one GetManagedObjects call, and the
 * choice of the drive a command acts on: DRIVE may be a kernel name (sr0), a
 * device node (/dev/sr0, /dev/sg0, or a link to one such as /dev/cdrom) or
 * an object path; without it, the only drive, or for a burn the first drive
 * holding a blank disc.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "bus-props.h"

typedef struct drive {
        char *path; /* /org/rawburn1/recorder/sr0 */
        char *name; /* sr0 */
        /* org.rawburn1.DiscRecorder2 */
        char *vendor, *product, *revision;
        char *volume_name; /* /dev/sr0 */
        char **device_paths;
        bool can_load_media;
        char *exclusive_owner;
        bool media_present;
        char *probe_error;
        int_array current_profiles;
        char **write_modes; /* SupportedWriteModes: "RAW/R96R", …, "TEST/RAW/R96R", … */
        /* WriteOffset in samples and WriteOffsetSource: "local", "distribution", "none";
         * NULL for a rawburnd that does not say */
        int32_t write_offset;
        char *write_offset_source;
        /* ReadOffset and ReadOffsetSource, the same way (image read, copy) */
        int32_t read_offset;
        char *read_offset_source;
        /* org.rawburn1.DiscFormat2RawCD */
        bool recorder_supported, media_supported, blank;
        int32_t media_type; /* IMAPI_MEDIA_PHYSICAL_TYPE */
        int32_t next_session, last_leadout;
        int_array sector_types, write_speeds;
        int32_t current_speed;
        char *state, *client_name, *owner;
        bool simulate;
        /* org.rawburn1.DiscFormat2Erase */
        bool erasing;
} drive;

/* Bits of drive_apply_properties()'s *changed, per interface. */
enum {
        DRIVE_CHANGED_MEDIA = 1 << 0, /* presence, type, blank, capacity, speeds */
        DRIVE_CHANGED_EXCLUSIVE = 1 << 1,
        DRIVE_CHANGED_STATE = 1 << 2, /* State, ClientName, Owner */
        DRIVE_CHANGED_IDENTITY = 1 << 3,
        DRIVE_CHANGED_OTHER = 1 << 4,
};

typedef struct drive_list {
        drive **items;
        size_t n;
} drive_list;

drive *drive_new(const char *path);
void drive_free(drive *d);
/* Reads an interface's a{sv} (m positioned at it) into d; ORs DRIVE_CHANGED_*
 * into *changed for what it held. Other interfaces are skipped. */
int drive_apply_properties(drive *d, const char *interface, sd_bus_message *m, unsigned *changed);

/* GetManagedObjects of rawburnd: every recorder, in object path order
 * (sr0, sr1, …, sr10). On failure *error is set. */
int drives_load(sd_bus *bus, drive_list *out, sd_bus_error *error);
void drives_clear(drive_list *l);

typedef enum drive_pick {
        PICK_ONLY,    /* the only drive */
        PICK_CDRW,    /* the only drive, else the only one holding a CD-RW */
        PICK_BLANK,   /* the only drive, else the first one with a blank disc */
        PICK_WRITING, /* the only drive, else the only one burning */
} drive_pick;

/*
 * Chooses the drive for a command (arg: DRIVE or NULL). Returns 0 with *ret
 * set; -ENXIO when there is no drive at all, -ENODEV when arg names none,
 * -ENOTUNIQ when there are several and the rule does not decide.
 */
int drives_choose(const drive_list *l, const char *arg, drive_pick how, drive **ret);
/* Whether the drive lists this write mode ("TEST/RAW/R96R") in SupportedWriteModes. */
bool drive_has_write_mode(const drive *d, const char *mode);

/* Says why drives_choose() failed; returns the exit status (EXIT_NO_DRIVE
 * or EXIT_USAGE). */
int drives_choose_report(int r, const drive_list *l, const char *arg, drive_pick how);
