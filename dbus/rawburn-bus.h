/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The names and numbers rawburnd and its clients must agree on, in C: the
 * introspection XML beside this header describes the methods, signals and
 * properties; this is what code spells out when it calls them. Macros and
 * enums only, so that rawburnd and rawburnctl can both include it.
 */

/* The name rawburnd owns on the system bus. */
#define RAWBURN_BUS_NAME "org.rawburn1"

/* The manager object, which is also the ObjectManager of the drives. */
#define RAWBURN_MANAGER_PATH "/org/rawburn1"
/* The drives' objects lie under it, one per drive, named after the kernel
 * name as sd_bus_path_encode() escapes it: /org/rawburn1/recorder/sr0. */
#define RAWBURN_RECORDER_PATH "/org/rawburn1/recorder"

#define RAWBURN_MANAGER_IFACE  "org.rawburn1.Manager"
#define RAWBURN_RECORDER_IFACE "org.rawburn1.DiscRecorder2"
#define RAWBURN_RAWCD_IFACE    "org.rawburn1.DiscFormat2RawCD"
#define RAWBURN_ERASE_IFACE    "org.rawburn1.DiscFormat2Erase"

/* Every error reply's name starts with it; the rest is the IMAPI2 error's
 * name without E_IMAPI_ (docs/dbus-api.md lists them): RecorderLocked. */
#define RAWBURN_ERROR_PREFIX "org.rawburn1.Error."

/* IMAPI_FORMAT2_RAW_CD_WRITE_ACTION: what a write is doing, the
 * current_action of DiscFormat2RawCD's Update signal and its CurrentAction
 * property (UNKNOWN when nothing is being written). */
enum rawburn_write_action {
        RAWBURN_WRITE_ACTION_UNKNOWN = 0,
        RAWBURN_WRITE_ACTION_PREPARING = 1,
        RAWBURN_WRITE_ACTION_WRITING = 2,
        RAWBURN_WRITE_ACTION_FINISHING = 3,
};

/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE: the layout of the stream's sectors
 * (RequestedSectorType, SupportedSectorTypes), each 2352 bytes of main
 * channel and then the subchannel. */
enum rawburn_sector_type {
        RAWBURN_SECTOR_PQ_ONLY = 1,   /* 16 bytes of P and Q: 2368 bytes (RAW/R16) */
        RAWBURN_SECTOR_IS_COOKED = 2, /* P-W, R-W de-interleaved: 2448 bytes (RAW/R96P) */
        RAWBURN_SECTOR_IS_RAW = 3,    /* P-W as recorded: 2448 bytes (RAW/R96R) */
};
