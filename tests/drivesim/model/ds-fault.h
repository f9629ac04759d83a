/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Injected faults. Each can be armed from the SPEC ("fault=NAME[:opts]") or
 * the control socket ("fault NAME [op=0x2a] [after=N] [count=N]"), and fires
 * with the sense data or transport error a real drive and kernel give
 * (docs/drivesim.md lists them with their codes).
 */

#include <stdbool.h>
#include <stdint.h>

struct ds_drive;
struct ds_cmd;

enum ds_fault {
        DS_FAULT_NO_MEDIUM,           /* 02/3A/01 */
        DS_FAULT_TRAY_OPEN,           /* 02/3A/02 */
        DS_FAULT_BECOMING_READY,      /* 02/04/01 */
        DS_FAULT_FORMAT_IN_PROGRESS,  /* 02/04/04 */
        DS_FAULT_BUSY,                /* 02/04/07 long operation in progress */
        DS_FAULT_WRITE_PROTECTED,     /* 07/27/00 on writing commands */
        DS_FAULT_INCOMPATIBLE_MEDIUM, /* 02/30/00 */
        DS_FAULT_UPSIDE_DOWN,         /* 02/57/00 unable to recover TOC (drivesim's convention) */
        DS_FAULT_SPEED_MISMATCH,      /* 02/30/11 on writing commands and SET CD SPEED */
        DS_FAULT_INVALID_MODE_PARAMETERS, /* 05/26/00 on MODE SELECT */
        DS_FAULT_NO_SUCH_MODE_PAGE,       /* 05/24/00 on MODE SENSE */
        DS_FAULT_TIMEOUT,                 /* no completion until the SG_IO timeout; DID_TIME_OUT */
        DS_FAULT_INVALID_RESPONSE,  /* reply truncated to half and its length field inflated */
        DS_FAULT_DEVICE_GONE,       /* ENODEV from the ioctl, and a udev "remove" */
        DS_FAULT_LOSS_OF_STREAMING, /* 03/0C/09 on the next WRITE */
        DS_FAULT_TOC_MISMATCH,      /* READ TOC formats 0 and 2: lead-out one frame later */
        DS_FAULT_COUNT,
};

typedef struct ds_fault_arm {
        bool armed;
        int opcode; /* only commands with this opcode; -1 any that the fault applies to */
        int format; /* only READ TOC/PMA/ATIP of this format (0..15); -1 any */
        /* only reads (READ CD, READ(10), READ(12)) of a range that holds a
         * sector from lba_first to lba_last; has_lba false: any command */
        bool has_lba;
        int32_t lba_first, lba_last;
        unsigned after; /* let this many matching commands pass first */
        int count;      /* fire this many times, then disarm; -1 until cleared */
} ds_fault_arm;

/* "sense KK/AA/QQ": CHECK CONDITION with that sense on matching commands, before the drive
 * looks at them. Several can be armed at once (one per opcode and format). */
#define DS_SENSE_FAULTS_MAX 16
typedef struct ds_sense_fault {
        ds_fault_arm arm;
        uint8_t key, asc, ascq;
} ds_sense_fault;

typedef struct ds_faults {
        ds_fault_arm arm[DS_FAULT_COUNT];
        ds_sense_fault sense[DS_SENSE_FAULTS_MAX];
} ds_faults;

const char *ds_fault_name(enum ds_fault f);
/* Returns the fault or -EINVAL. */
int ds_fault_from_name(const char *name);

/*
 * Arms a fault from "NAME[,op=0xNN][,format=N][,after=N][,count=N]" or
 * "sense KK/AA/QQ[,op=…]…" (SPEC form, options separated by ':' there and by spaces on
 * the control socket — both accepted). A sense fault with the opcode and format of one
 * already armed replaces it. Returns 0 or -EINVAL (-ENOSPC when every sense slot is
 * taken) with a malloc'd message.
 */
int ds_fault_arm_parse(ds_faults *faults, const char *text, char **error);
void ds_faults_clear(ds_faults *faults);

/*
 * True when fault f is armed for this command's opcode and fires now; uses
 * up one shot. Handlers call it at the point where a real drive would fail.
 */
bool ds_fault_fire(ds_faults *faults, enum ds_fault f, const struct ds_cmd *cmd);
/* The same for the sense faults: the first armed one that fires gives its sense. */
const ds_sense_fault *ds_fault_fire_sense(ds_faults *faults, const struct ds_cmd *cmd);

/* "name[,op=…][,after=…][,count=…]" lines for the state dump; malloc'd, may be "". */
char *ds_faults_describe(const ds_faults *faults);
