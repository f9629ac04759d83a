/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * rawburnctl's exit statuses, for scripts (rawburnctl(1), EXIT STATUS).
 * Each D-Bus error maps to one of them (error-hints.c); the numbers are part
 * of the command line's contract and never change meaning.
 */
enum {
        EXIT_OK = 0,
        EXIT_FAILED = 1,      /* the drive or the daemon failed the operation */
        EXIT_USAGE = 2,       /* bad command line, or DRIVE is ambiguous */
        EXIT_NO_DRIVE = 3,    /* no drive, or DRIVE names none (or it went away) */
        EXIT_MEDIA = 4,       /* no disc, not blank, too small, write-protected, … */
        EXIT_PERMISSION = 5,  /* polkit said no */
        EXIT_CANCELLED = 6,   /* the burn was cancelled (Ctrl-C twice, SIGTERM, cancel) */
        EXIT_NO_DAEMON = 7,   /* no system bus, or rawburnd not running / not answering */
        EXIT_BUSY = 8,        /* the drive is in use: try again later */
        EXIT_SOURCE = 9,      /* the SOURCE cannot be read or is not a valid image */
        EXIT_VERIFY = 10,     /* burned, but the disc does not read back as the image */
        EXIT_UNSUPPORTED = 11 /* the drive or this rawburnd cannot do what was asked */
};
