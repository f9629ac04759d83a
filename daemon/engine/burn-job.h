/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * One write of one image to one drive: the burn thread and its feeder
 * (sector-feed.h). The loop thread fills in burn_params, starts the job and
 * gets told through a uv_async_t: about four times a second for progress
 * (burn_job_progress() reads it), and once when the job is done
 * (job->result). The burn thread touches no sd-bus, libudev or Recorder
 * object: what it needs is copied into the job.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "drive-error.h"
#include "drive-probe.h"
#include "rawburn-bus.h"
#include "sector-feed.h"

typedef struct burn_params {
        char drive_name[32];   /* sr0: thread names and log lines */
        int drive_fd;          /* the prepared drive; stays open for the job's life */
        int sector_type;       /* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE */
        int32_t stream_leadin; /* sectors of the stream before LBA 0 */
        int32_t leadin_start;  /* the media's (ATIP): where writing starts */
        int32_t last_leadout;  /* LastPossibleStartOfLeadout */
        bool overburn, simulate, bufe;
        int32_t speed; /* sectors per second, -1 the fastest (sent again before writing) */
        bool pure_cav;
        bool check_after_write; /* read the TOC, CD-Text and status back and compare */
        uint32_t max_transfer;  /* bytes per WRITE the device takes (sysfs max_sectors_kb) */
        size_t buffer_bytes;    /* host buffer between stream and drive */
        int rt_priority;        /* SCHED_FIFO priority of the burn thread */
        unsigned command_timeout_ms;
        unsigned finish_timeout_ms; /* SYNCHRONIZE CACHE and the drain after it */
} burn_params;

typedef struct burn_progress {
        int32_t action;
        int32_t elapsed_time, remaining_time; /* seconds */
        int32_t start_lba, sector_count, last_read_lba, last_written_lba;
        int32_t total_system_buffer, used_system_buffer, free_system_buffer;
        int32_t total_device_buffer, used_device_buffer;
} burn_progress;

typedef struct burn_result {
        drive_error error; /* error.name NULL: the image is on the disc */
        bool cancelled;
        bool simulated;
        int64_t sectors_written;
        int64_t major_faults; /* the burn thread's, while it wrote */
        char scheduling[256];
        char buffer_note[96];
        double seconds;
        bool have_info; /* the drive read again after the write */
        drive_info info;
} burn_result;

typedef struct burn_job burn_job;
typedef void (*burn_job_notify_fn)(burn_job *job, bool done, void *userdata);

struct burn_job {
        burn_params p;
        sector_feed source;
        burn_result result;

        pthread_t thread;
        void *stack;
        size_t stack_size;
        /* A mapped image goes to the drive through this locked buffer: the
         * caller may truncate the file at any time, and a copy is where the
         * burn thread meets that (SIGBUS, made harmless by image-guard.h)
         * rather than inside SG_IO. One WRITE's worth. */
        bool thread_running;
        uv_async_t async;
        bool async_ready;
        burn_job_notify_fn notify;
        void *userdata;

        atomic_bool cancel;
        atomic_bool done;
        /* Progress, written by the burn thread, read by the loop thread. */
        atomic_int action;
        atomic_uint actions_entered;       /* 1 << action for every phase begun */
        atomic_int_least64_t written;      /* sectors the drive accepted */
        atomic_int_least64_t sector_count; /* sectors to write (an estimate for a pipe) */
        atomic_int_least64_t started_ns, writing_ns, now_ns;
        atomic_uint device_total, device_used;
};

/*
 * Duplicates image_fd and starts the burn thread; notify runs on the loop
 * thread. On failure nothing runs, job->result.error says why, and the
 * caller still ends the job with burn_job_finish().
 */
int burn_job_start(uv_loop_t *loop, burn_job *job, int image_fd, burn_job_notify_fn notify,
                   void *userdata);

/* Asks the burn thread to stop between two commands. */
void burn_job_cancel(burn_job *job);

/* The figures the Update signal carries. */
void burn_job_progress(burn_job *job, burn_progress *out);

/* Once notify said done (or start failed): joins the thread, releases the
 * source and frees job (when its async handle is closed). */
void burn_job_finish(burn_job *job);

/* Waits for a running job to end (daemon shutdown). */
void burn_job_wait(burn_job *job);
