/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * One optical drive: what is known of it, who holds it, and its work on
 * worker threads (recorder.c). Its bus interfaces are recorder-bus.c
 * (DiscRecorder2), rawcd-bus.c (DiscFormat2RawCD) and erase-bus.c
 * (DiscFormat2Erase). Loop thread only.
 */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "daemon.h"
#include "drive-probe.h"
#include "rawcd.h"

#define RECORDER_PROBE_WAITERS_MAX 16

struct Recorder {
        Daemon *daemon;
        struct Recorder *next;
        unsigned refs; /* the list holds one; each running worker one */
        bool removed;  /* gone from the system; freed when the last ref goes */

        char *name;       /* kernel name: sr0 */
        char *path;       /* /org/rawburn1/recorder/sr0 */
        char *devnode;    /* /dev/sr0 */
        char *sg_devnode; /* /dev/sg0, NULL when unknown */
        char *unique_id;  /* ID_PATH, or the sysfs path */
        int number;       /* N of srN */

        bool exported;
        sd_bus_slot *slot_recorder, *slot_rawcd, *slot_erase;

        bool have_info;
        drive_info info; /* with the quirks file applied */
        /* A tray an earlier rawburnd left locked is being unlocked. */
        bool unlocking;
        bool probing, probe_again;
        /* Calls that found the drive held by that probe (it confirms the
         * write modes with the drive open exclusively): run again when it
         * is done. */
        sd_bus_message *probe_waiters[RECORDER_PROBE_WAITERS_MAX];
        unsigned n_probe_waiters;

        /* Exclusive access (IDiscRecorder2 semantics: a count per owner). */
        char *excl_client_name;
        char *excl_bus_name;
        sd_bus_track *excl_track;

        /* The drive's node, open O_EXCL with flock(LOCK_EX), shared by
         * whoever holds the drive (exclusive access, a preparation, an erase
         * or a read): one open file, counted, closed by the last to let go.
         * One descriptor, not duplicates: ioctls act on it alike everywhere,
         * and drivesim, which answers only on the descriptor open()
         * returned, sees them all as a drive would. */
        int hold_fd;
        unsigned hold_refs;

        /* Media change notification switched off (a count across callers). */
        sd_bus_track *mcn_track;

        /* An erase or a read running outside a preparation: who asked, and
         * what ("erasing", "reading"); the drive is busy for everyone else. */
        char *job_owner;
        const char *job_what;

        char *syspath;         /* the block device in sysfs (its uevent file) */
        uint32_t max_transfer; /* bytes one command may carry (queue/max_sectors_kb) */

        RawCD rawcd;
};

/* The call found the drive held by rawburnd's own probe: it is kept, with
 * its polkit answer, and runs again from the top once the probe is done (or
 * is answered DeviceNotExist if the drive leaves). 0, or -ENOSPC when too
 * many wait already. */
int recorder_wait_for_probe(Recorder *r, sd_bus_message *call);
/* A call kept that way (or by hold_wait()) runs again from the top with its
 * polkit answer, or is answered DeviceNotExist if the drive has left (or
 * with the error that kept it from running again): 0, or that error. */
int recorder_resume_call(Recorder *r, sd_bus_message *call);

int recorder_new(Daemon *d, const char *name, const char *devnode, const char *sg_devnode,
                 const char *unique_id, Recorder **ret);
/* The drive left: unexport and drop it (freed once no worker holds it). */
void recorder_remove(Recorder *r);
/* Re-read the drive (media changed, or first sight). */
void recorder_refresh(Recorder *r);
/* A tray a killed rawburnd left locked (tray-marks.h): unlock it. */
void recorder_unlock_stale_tray(Recorder *r);
/* Takes (or shares) the drive's exclusive hold; *fd is the node, valid
 * until recorder_unhold(). -EBUSY when another program holds it. */
int recorder_hold(Recorder *r, int *fd);
void recorder_unhold(Recorder *r);
/* Writes "change" to the drive's sysfs uevent, after a burn or an erase. */
void recorder_announce_media_change(Recorder *r);
/* A fresh drive_probe()/drive_probe_fd() result becomes the drive's description: the
 * write modes an earlier probe confirmed are kept (they are probed once), the quirks file
 * is applied. Returns whether anything changed (then signal it). */
bool recorder_adopt_info(Recorder *r, const drive_info *fresh);
/* The quirks files were read again: their entries apply to the drive anew (logged and
 * signalled when that changes what it writes or its offset). */
void recorder_reapply_quirks(Recorder *r);
Recorder *recorder_ref(Recorder *r);
void recorder_unref(Recorder *r);
