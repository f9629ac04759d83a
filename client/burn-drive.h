/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * One drive's burn, as a state machine on the caller's sd-bus connection
 * and sd-event loop: PrepareMedia (the options from burn's flags), WriteMedia
 * with the image's descriptor, the Update signals shown, with --verify the
 * read-back (verify.h) while the drive is still held, then ReleaseMedia (and
 * the eject rawburnctl does after a verified disc). `burn` runs one of them;
 * `burn` to several drives (burn-fanout.h) and `duplicate` run one per drive
 * on the same loop, so that each drive is prepared, written and checked on
 * its own and one failing leaves the others alone.
 */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "burn-input.h"
#include "burn-options.h"
#include "drive-list.h"
#include "job-events.h"
#include "progress.h"
#include "stream-writer.h"
#include "verify.h"

typedef enum burn_phase {
        PHASE_PREPARING,
        PHASE_WRITING,
        PHASE_VERIFYING, /* and waiting to (RAWBURNCTL_TEST_VERIFY_WAIT_FD) */
        PHASE_ENDED,
} burn_phase;

typedef struct burn_drive burn_drive;
/* Called from the loop once the drive is released (and ejected when asked):
 * b->status says how the burn went. */
typedef void (*burn_drive_done_fn)(burn_drive *b, void *userdata);

struct burn_drive {
        /* Given by the caller: */
        const burn_options *o;
        sd_bus *bus;
        sd_event *event;
        drive *d;
        burn_input *src;
        const char *offset_source; /* of the write offset in the image: "none" if none */
        /* An image already made (burn-fanout.h): a sealed memfd this drive
         * gets its own open of, for the write and for the read-back; -1 to
         * make the stream here (the raw image's descriptor, or a pipe). */
        int image_fd;
        const burn_input *verify_src; /* what --verify compares with: src if NULL */
        /* The image is still being made: prepare, then wait for
         * burn_drive_image_ready() before writing. */
        bool hold_write;
        /* Several drives on one terminal: no bar and no progress words of
         * this drive's own; the caller draws (progress in PROGRESS_QUIET),
         * and before_output() is called before anything is printed. */
        bool quiet;
        void (*before_output)(void *userdata);
        burn_drive_done_fn done;
        void *userdata;

        /* The burn's own state: */
        stream_writer writer;
        progress progress;
        burn_phase phase;
        unsigned interrupts;
        bool stop_before_writing; /* Ctrl-C while preparing: nothing is written */
        bool cancel_sent;
        bool prepared, release_sent;
        uint32_t prepare_result;
        bool waiting_for_image; /* prepared, the write held */
        int image_status;       /* what burn_drive_image_ready() said */
        int32_t speed;          /* CurrentWriteSpeed once prepared, sectors/s; 0 unknown */
        write_result result;
        bool have_result;
        sd_bus_error error; /* of the call that ended the burn */
        int error_r;
        const char *error_call;
        int status;
        bool verified; /* --verify ran and every sector matched */
        verify *verify;
        sd_event_source *verify_wait;
        bool eject_after_release; /* --eject --verify: rawburnctl ejects, once verified */
        uint64_t started_usec, write_started_usec, write_ended_usec,
            ended_usec; /* CLOCK_MONOTONIC */
        sd_bus_slot *update_slot, *finished_slot;
};

/* Sets b up (the caller's fields filled in first): image_fd -1 unless given. */
void burn_drive_init(burn_drive *b);
/* Subscribes to the drive's signals and sends PrepareMedia; the rest
 * follows from the loop. Returns the exit status when it cannot start
 * (said), else EXIT_OK. */
int burn_drive_start(burn_drive *b);
/* `burn` with one drive: SIGINT or SIGTERM as burn_options' help says:
 * stop before writing, ask once, cancel on the second Ctrl-C. */
void burn_drive_signal(burn_drive *b, int signo);
/* Stops it without asking: nothing is written yet, the read-back is
 * stopped, or a write is cancelled (the disc is then unusable). */
void burn_drive_stop(burn_drive *b);
void burn_drive_free(burn_drive *b);
/* The image a held write waits for is made (EXIT_OK), or could not be
 * (EXIT_SOURCE, said by the caller): the write starts, or the burn ends
 * before anything is written. */
void burn_drive_image_ready(burn_drive *b, int status);

/* What the disc can take, before it is touched (rawburnd checks again):
 * EXIT_OK or EXIT_MEDIA (said). */
int burn_drive_check_fits(const burn_drive *b);
/* "Burning …" and the drive's line, or the --json start event. */
void burn_drive_say_start(const burn_drive *b);

/* The loop of burn's commands: SIGINT and SIGTERM blocked, to be taken as
 * events of the returned loop (sd_event_add_signal), SIGPIPE ignored. */
int burn_signals_to_loop(sd_event **ret);
/* --json's last event: {"event":"done","ok":…,"exit_status":…}. */
void burn_say_done(int status);
