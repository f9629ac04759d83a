/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "burn-job.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "burn-writer.h"
#include "drive-presence.h"
#include "log.h"

/* The burn thread's stack: mapped, locked and touched before it runs, so
 * that its first deep call takes no page fault either. */
#define BURN_STACK_SIZE (512u * 1024u)

static void on_async(uv_async_t *handle)
{
        burn_job *job = handle->data;

        job->notify(job, atomic_load_explicit(&job->done, memory_order_acquire), job->userdata);
}

static void *burn_thread(void *userdata)
{
        burn_job *job = userdata;

        burn_writer_run(job);
        drive_error_settle_unplug(&job->result.error, job->p.drive_fd);
        atomic_store_explicit(&job->done, true, memory_order_release);
        uv_async_send(&job->async);
        return NULL;
}

static int make_stack(burn_job *job, bool *locked)
{
        job->stack_size = BURN_STACK_SIZE;
        job->stack = mmap(NULL, job->stack_size, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_POPULATE, -1, 0);
        if (job->stack == MAP_FAILED) {
                job->stack = NULL;
                return -ENOMEM;
        }
        *locked = mlock(job->stack, job->stack_size) == 0;
        return 0;
}

int burn_job_start(uv_loop_t *loop, burn_job *job, int image_fd, burn_job_notify_fn notify,
                   void *userdata)
{
        pthread_attr_t attr;
        bool stack_locked = false;
        int r;

        atomic_init(&job->cancel, false);
        atomic_init(&job->done, false);
        atomic_init(&job->action, RAWBURN_WRITE_ACTION_PREPARING);
        atomic_init(&job->actions_entered, 1u << RAWBURN_WRITE_ACTION_PREPARING);
        atomic_init(&job->written, 0);
        atomic_init(&job->sector_count, 0);
        atomic_init(&job->device_total, 0);
        atomic_init(&job->device_used, 0);
        job->notify = notify;
        job->userdata = userdata;

        r = sector_feed_open(&job->source, image_fd, (size_t)burn_writer_sector_size(job),
                             (uint64_t)(job->p.stream_leadin + job->p.leadin_start),
                             job->p.buffer_bytes, burn_writer_transfer_blocks(job));
        if (r < 0) {
                drive_error_set(&job->result.error, r == -ENOMEM ? "OutOfMemory" : "Fail",
                                "cannot set up the image for reading: %s", strerror(-r));
                sector_feed_close(&job->source);
                return r;
        }
        snprintf(job->result.buffer_note, sizeof job->result.buffer_note, "%s",
                 job->source.lock_note);

        r = make_stack(job, &stack_locked);
        if (r < 0) {
                drive_error_set(&job->result.error, "OutOfMemory", "no memory for the burn thread");
                sector_feed_close(&job->source);
                return r;
        }
        snprintf(job->result.scheduling, sizeof job->result.scheduling, "%s",
                 stack_locked ? "stack locked" : "stack not locked");

        r = uv_async_init(loop, &job->async, on_async);
        if (r < 0) {
                drive_error_set(&job->result.error, "Fail", "cannot set up progress: %s",
                                uv_strerror(r));
                munmap(job->stack, job->stack_size);
                sector_feed_close(&job->source);
                return -EIO;
        }
        job->async.data = job;
        job->async_ready = true;

        pthread_attr_init(&attr);
        pthread_attr_setstack(&attr, job->stack, job->stack_size);
        r = pthread_create(&job->thread, &attr, burn_thread, job);
        pthread_attr_destroy(&attr);
        if (r != 0) {
                drive_error_set(&job->result.error, "Fail", "cannot start the burn thread: %s",
                                strerror(r));
                return -r;
        }
        job->thread_running = true;
        return 0;
}

void burn_job_cancel(burn_job *job)
{
        atomic_store(&job->cancel, true);
        /* A writer waiting for a starving source looks at the flag at once. */
        waitword_bump(&job->source.data_ready);
}

static int32_t seconds_between(int64_t from_ns, int64_t to_ns)
{
        return from_ns && to_ns > from_ns ? (int32_t)((to_ns - from_ns) / 1000000000) : 0;
}

static int32_t clamp32(int64_t v)
{
        return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

void burn_job_progress(burn_job *job, burn_progress *out)
{
        int64_t written = atomic_load(&job->written), count = atomic_load(&job->sector_count);
        int64_t now = atomic_load(&job->now_ns), writing = atomic_load(&job->writing_ns);
        int64_t available = atomic_load(&job->source.available);
        uint64_t used = sector_feed_used_bytes(&job->source);

        memset(out, 0, sizeof *out);
        out->action = atomic_load(&job->action);
        out->elapsed_time = seconds_between(atomic_load(&job->started_ns), now);
        /* The average rate since writing began: the drive's buffer filling
         * at the start makes the first second look fast, nothing worse. */
        if (writing && now > writing && written > 0 && count > written) {
                double rate = (double)written / ((double)(now - writing) / 1e9);

                out->remaining_time = clamp32((int64_t)((double)(count - written) / rate));
        }
        out->start_lba = job->p.leadin_start;
        out->sector_count = clamp32(count);
        out->last_read_lba = clamp32(job->p.leadin_start + available - 1);
        out->last_written_lba = clamp32(job->p.leadin_start + written - 1);
        out->total_system_buffer = clamp32((int64_t)job->source.buffer_bytes);
        out->used_system_buffer = clamp32((int64_t)used);
        out->free_system_buffer = clamp32((int64_t)job->source.buffer_bytes - (int64_t)used);
        if (out->free_system_buffer < 0)
                out->free_system_buffer = 0;
        out->total_device_buffer = (int32_t)atomic_load(&job->device_total);
        out->used_device_buffer = (int32_t)atomic_load(&job->device_used);
}

static void free_job(uv_handle_t *handle)
{
        burn_job *job = handle->data;

        free(job);
}

void burn_job_wait(burn_job *job)
{
        if (!job->thread_running)
                return;
        (void)pthread_join(job->thread, NULL);
        job->thread_running = false;
}

void burn_job_finish(burn_job *job)
{
        burn_job_wait(job);
        sector_feed_close(&job->source);
        if (job->stack) {
                munmap(job->stack, job->stack_size);
                job->stack = NULL;
        }
        if (job->async_ready)
                uv_close((uv_handle_t *)&job->async, free_job);
        else
                free(job);
}
