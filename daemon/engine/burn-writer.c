/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "burn-writer.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <rawburn/cdtext-collect.h>
#include <rawburn/msf.h>
#include <rawburn/subq.h>

#include "disc-check.h"
#include "drive-ops.h"
#include "log.h"
#include "mmc.h"
#include "sgio.h"
#include "stream-check.h"
#include "write-trace.h"

#define NOTIFY_INTERVAL_NS (250 * 1000000LL) /* Update about four times a second */
/* READ BUFFER CAPACITY, for the progress figures, once a second: it is a
 * command between two WRITEs, time the drive's buffer drains unfed. */
#define SAMPLE_INTERVAL_NS     (1000 * 1000000LL)
#define SHORT_TIMEOUT_MS       10000           /* commands that answer at once */
#define BUSY_RETRY_FIRST_NS    (1 * 1000000LL) /* "long write in progress": back off */
#define BUSY_RETRY_MAX_NS      (50 * 1000000LL)
#define DRAIN_POLL_NS          (100 * 1000000LL)
#define BUFFER_FILL_TIMEOUT_MS 30000 /* the host buffer fills before the first WRITE */

static int64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void nap_ns(int64_t ns)
{
        struct timespec ts = {.tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL};

        while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
                ;
}

int burn_writer_sector_size(const burn_job *job)
{
        return (int)stream_sector_size(job->p.sector_type);
}

static bool cancelled(burn_job *job)
{
        return atomic_load_explicit(&job->cancel, memory_order_acquire);
}

/* ---------------------------------------------------------------- progress */

typedef struct writer {
        burn_job *job;
        stream_leadin leadin; /* the image's TOC, for the check after writing */
        uint8_t *cdtext;      /* its lead-in CD-Text packs (block, sequence order) */
        size_t cdtext_packs;
        int fd;
        size_t sector_size;
        int64_t last_notify_ns;
        int64_t last_sample_ns;
        uint32_t most_device_free_permille; /* 1000 = empty buffer */
        bool no_buffer_capacity;            /* the drive lacks READ BUFFER CAPACITY */
        drive_error failed;                 /* a command between the WRITEs failed */
        bool device_buffer_seen_full;
        char what[64];
        write_trace trace; /* RAWBURND_WRITE_TRACE */
} writer;

/* READ BUFFER CAPACITY for the progress figures. A drive that lacks the
 * command (invalid opcode or field) is left alone; any other CHECK
 * CONDITION or transport error is the drive failing, and ends the write. */
static void sample_device_buffer(writer *w)
{
        uint8_t cdb[10], buf[12] = {0};
        sgio_result res;
        mmc_buffer_capacity cap;
        size_t n = mmc_cdb_read_buffer_capacity(cdb);
        int r;

        if (w->no_buffer_capacity || w->failed.name)
                return;
        r = sgio_exec(w->fd, cdb, n, SGIO_FROM_DEVICE, buf, sizeof buf, SHORT_TIMEOUT_MS, &res);
        if (r == -EIO && res.has_sense && res.sense.key == 0x05 &&
            (res.sense.asc == 0x20 || res.sense.asc == 0x24)) {
                w->no_buffer_capacity = true;
                return;
        }
        if (r < 0) {
                drive_error_from_command(&w->failed, MMC_OP_READ_BUFFER_CAPACITY,
                                         "READ BUFFER CAPACITY while writing", r, &res);
                return;
        }
        if (mmc_parse_buffer_capacity(buf, res.transferred, &cap) < 0 || cap.total_bytes == 0) {
                drive_error_set(&w->failed, "RecorderInvalidResponseFromDevice",
                                "READ BUFFER CAPACITY returned a malformed reply");
                return;
        }
        atomic_store(&w->job->device_total, cap.total_bytes);
        atomic_store(&w->job->device_used, cap.total_bytes - cap.free_bytes);
        uint32_t free_permille = (uint32_t)((uint64_t)cap.free_bytes * 1000 / cap.total_bytes);
        if (free_permille < 100)
                w->device_buffer_seen_full = true;
        /* The lowest fill counts once the buffer has been full: before, it
         * is still filling. */
        if (w->device_buffer_seen_full && free_permille > w->most_device_free_permille)
                w->most_device_free_permille = free_permille;
}

/* Clock read every time; the loop thread only every NOTIFY_INTERVAL_NS: the
 * one system call of the write loop besides SG_IO (uv_async_send's write to
 * an eventfd), four times a second; the device buffer every
 * SAMPLE_INTERVAL_NS. */
static void tick(writer *w, bool force)
{
        int64_t now = now_ns();

        atomic_store_explicit(&w->job->now_ns, now, memory_order_release);
        if (!force && now - w->last_notify_ns < NOTIFY_INTERVAL_NS)
                return;
        w->last_notify_ns = now;
        if (atomic_load(&w->job->action) == RAWBURN_WRITE_ACTION_WRITING &&
            (force || now - w->last_sample_ns >= SAMPLE_INTERVAL_NS)) {
                w->last_sample_ns = now;
                sample_device_buffer(w);
        }
        uv_async_send(&w->job->async);
}

static void set_action(writer *w, int action)
{
        atomic_store(&w->job->action, action);
        atomic_fetch_or(&w->job->actions_entered, 1u << action);
        tick(w, true);
}

/* ---------------------------------------------------------------- scheduling */

static void take_realtime(burn_job *job)
{
        struct sched_param sp = {.sched_priority = job->p.rt_priority};
        char how[96];
        int r;

        r = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
        if (r == 0) {
                snprintf(how, sizeof how, "SCHED_FIFO priority %d", job->p.rt_priority);
        } else if (setpriority(PRIO_PROCESS, (id_t)gettid(), -20) == 0) {
                snprintf(how, sizeof how, "nice -20: SCHED_FIFO refused: %s", strerror(r));
                log_warning("%s: burning without realtime scheduling (%s): a loaded system may "
                            "starve the drive",
                            job->p.drive_name, how);
        } else {
                int e = errno;

                snprintf(how, sizeof how, "nice 0: SCHED_FIFO refused: %s; nice -20 refused: %s",
                         strerror(r), strerror(e));
                log_warning("%s: burning at normal priority (%s): a loaded system may starve "
                            "the drive",
                            job->p.drive_name, how);
        }
        /* scheduling already says how the stack is held */
        char stack[24];
        snprintf(stack, sizeof stack, "%.20s", job->result.scheduling);
        snprintf(job->result.scheduling, sizeof job->result.scheduling, "%.90s, %.20s, %.90s", how,
                 stack, job->result.buffer_note);
}

/* ---------------------------------------------------------------- commands */

static int command(writer *w, const uint8_t *cdb, size_t n, sgio_dir dir, void *buf, size_t len,
                   unsigned timeout_ms, sgio_result *res)
{
        return sgio_exec(w->fd, cdb, n, dir, buf, len, timeout_ms, res);
}

static bool long_write_in_progress(int r, const sgio_result *res)
{
        return r == -EIO && res->has_sense && res->sense.key == 0x02 && res->sense.asc == 0x04 &&
               res->sense.ascq == 0x08;
}

/* ---------------------------------------------------------------- steps */

static const uint8_t *sector_at(void *userdata, int64_t i)
{
        return sector_feed_sector(userdata, i);
}

static void source_failed(writer *w, int error)
{
        char text[160];

        sector_feed_error_text(error, text, sizeof text);
        drive_error_set(&w->job->result.error,
                        error == SECTOR_FEED_TRUNCATED ? "Fail" : "StreamNotSupported", "%s", text);
        if (error != SECTOR_FEED_TRUNCATED && error != SECTOR_FEED_PARTIAL_SECTOR &&
            error != SECTOR_FEED_ENDED_EARLY)
                w->job->result.error.name = "Fail";
}

/* CD-Text packs the lead-in carries (R-W of sector types 2 and 3), for the
 * check after writing: the whole list repeats within the first sectors. */
#define CDTEXT_SCAN 1024

static bool collect_cdtext(writer *w)
{
        burn_job *job = w->job;
        sector_feed *src = &job->source;
        int64_t total = atomic_load(&src->total), need = CDTEXT_SCAN, have;
        rb_cdtext_collector_t *c;

        if (job->p.sector_type == 1)
                return true; /* PQ only: the drive writes R-W as zero */
        if (total >= 0 && total < need)
                need = total;
        have = sector_feed_wait(src, need, &job->cancel);
        c = calloc(1, sizeof *c);
        if (!c) {
                drive_error_set(&job->result.error, "OutOfMemory", "no memory for the check");
                return false;
        }
        rb_cdtext_collector_init(c);
        for (int64_t i = 0; i < have; i++) {
                uint8_t q[12];
                const uint8_t *sector = sector_feed_sector(src, i);

                stream_sector_q(sector, job->p.sector_type, q);
                if (rb_subq_crc_ok(q) && (q[0] & 0x0f) == 1 && q[1] != 0)
                        break; /* past the lead-in */
                rb_cdtext_collector_add_sector(c, sector + 2352);
        }
        w->cdtext = rb_cdtext_collector_list(c, &w->cdtext_packs);
        free(c);
        if (w->cdtext_packs && !w->cdtext) {
                drive_error_set(&job->result.error, "OutOfMemory", "no memory for the check");
                return false;
        }
        return true;
}

/* The first sectors must be lead-in with a TOC whose lead-out fits. */
static bool check_stream(writer *w)
{
        burn_job *job = w->job;
        sector_feed *src = &job->source;
        int64_t total = atomic_load(&src->total), need = STREAM_LEADIN_SCAN, have;
        const stream_leadin *li = &w->leadin;
        char detail[300];

        if (total >= 0 && total < need)
                need = total;
        have = sector_feed_wait(src, need, &job->cancel);
        if (cancelled(job))
                return false;
        if (have < need || have == 0) {
                int e = atomic_load(&src->error);

                if (e) {
                        source_failed(w, e);
                        return false;
                }
        }
        if (stream_check_leadin(sector_at, src, have, job->p.sector_type, &w->leadin, detail,
                                sizeof detail) < 0) {
                drive_error_set(&job->result.error, "StreamNotSupported", "%s", detail);
                return false;
        }
        if (!job->p.overburn && li->leadout_lba > job->p.last_leadout) {
                rb_msf_t a = {0, 0, 0}, b = {0, 0, 0};

                (void)rb_lba_to_msf(li->leadout_lba, &a);
                (void)rb_lba_to_msf(job->p.last_leadout, &b);
                drive_error_set(&job->result.error, "NotEnoughSpace",
                                "the image's lead-out starts at %02u:%02u:%02u (LBA %d), this "
                                "disc's last possible lead-out start is %02u:%02u:%02u (LBA %d)",
                                a.m, a.s, a.f, li->leadout_lba, b.m, b.s, b.f, job->p.last_leadout);
                return false;
        }
        if (total >= 0 && job->p.leadin_start + total <= li->leadout_lba) {
                drive_error_set(&job->result.error, "StreamNotSupported",
                                "the image ends at LBA %lld, before the lead-out its table of "
                                "contents announces at LBA %d: it is incomplete",
                                (long long)(job->p.leadin_start + total - 1), li->leadout_lba);
                return false;
        }
        /* A file says how long it is; a pipe is expected to carry the
         * lead-out after its program area as the creator writes it. */
        if (total < 0)
                total = (int64_t)li->leadout_lba + 6750 - job->p.leadin_start;
        atomic_store(&job->sector_count, total);
        return job->p.check_after_write ? collect_cdtext(w) : true;
}

/* Before the first WRITE: the disc is still blank (a second write on the
 * same preparation finds it written), and page 05h and the speed say what
 * the owner set last (the properties may have changed since PrepareMedia). */
static bool setup_drive(writer *w)
{
        burn_job *job = w->job;
        drive_media m;
        mmc_raw_write_params wp = {
            .data_block_type = (uint8_t)job->p.sector_type,
            .test_write = job->p.simulate,
            .bufe = job->p.bufe,
        };

        uint32_t adjusted;

        return drive_check_blank_cd(w->fd, &m, &job->result.error) == 0 &&
               drive_set_raw_write_params(w->fd, &wp, &job->result.error) == 0 &&
               drive_set_write_speed(w->fd, job->p.speed, job->p.pure_cav, &adjusted,
                                     &job->result.error) == 0;
}

/* Start with a full host buffer (or the whole stream): the first seconds
 * are when the drive's own buffer is emptiest. */
static void fill_buffer(writer *w)
{
        sector_feed *src = &w->job->source;
        int64_t want = (int64_t)(src->buffer_bytes / w->sector_size),
                total = atomic_load(&src->total);
        int64_t deadline = now_ns() + BUFFER_FILL_TIMEOUT_MS * 1000000LL;

        if (total >= 0 && total < want)
                want = total;
        while (!cancelled(w->job) && now_ns() < deadline &&
               sector_feed_wait(src, want, &w->job->cancel) < want && !atomic_load(&src->ended))
                tick(w, false);
}

uint32_t burn_writer_transfer_blocks(const burn_job *job)
{
        uint32_t blocks = job->p.max_transfer / (uint32_t)burn_writer_sector_size(job);

        return blocks == 0 ? 1 : blocks > 0xffff ? 0xffff : blocks;
}

/* Sends sectors [i, i+blocks) straight from the feeder's locked ring. */
static int write_once(writer *w, int32_t lba, int64_t i, uint32_t blocks, sgio_result *res,
                      write_trace_rec *rec)
{
        uint8_t cdb[10];
        size_t n = mmc_cdb_write_10(cdb, lba, (uint16_t)blocks),
               len = (size_t)blocks * w->sector_size;
        int64_t backoff = BUSY_RETRY_FIRST_NS, waited = 0;
        const uint8_t *data = sector_feed_sector(&w->job->source, i);
        int r;

        if (rec)
                rec->sent_ns = now_ns();
        for (;;) {
                r = command(w, cdb, n, SGIO_TO_DEVICE, (void *)data, len,
                            w->job->p.command_timeout_ms, res);
                if (rec)
                        rec->ret_ns = now_ns();
                /* The drive is busy writing what it has: give it time, the
                 * same WRITE is still the next one it wants. */
                if (!long_write_in_progress(r, res) ||
                    waited >= (int64_t)w->job->p.command_timeout_ms * 1000000LL)
                        return r;
                nap_ns(backoff);
                waited += backoff;
                backoff = backoff * 2 > BUSY_RETRY_MAX_NS ? BUSY_RETRY_MAX_NS : backoff * 2;
        }
}

static void write_loop(writer *w)
{
        burn_job *job = w->job;
        sector_feed *src = &job->source;
        uint32_t max_blocks = burn_writer_transfer_blocks(job);
        int64_t i = 0;
        int64_t asked = 0;
        bool waited = false;

        for (;;) {
                int64_t available, blocks;
                int32_t lba = job->p.leadin_start + (int32_t)i;
                sgio_result res;
                write_trace_rec *rec = write_trace_next(&w->trace);
                int r;

                if (rec && !asked)
                        asked = now_ns();

                if (cancelled(job)) {
                        job->result.cancelled = true;
                        break;
                }
                available = atomic_load_explicit(&src->available, memory_order_acquire);
                if (available <= i) {
                        if (atomic_load_explicit(&src->ended, memory_order_acquire) &&
                            atomic_load_explicit(&src->available, memory_order_acquire) <= i) {
                                int e = atomic_load(&src->error);

                                if (e)
                                        source_failed(w, e);
                                break; /* the whole stream is on the disc */
                        }
                        /* Starving: the only wait of the loop that is not on the drive. */
                        (void)sector_feed_wait(src, i + 1, &job->cancel);
                        waited = true;
                        continue;
                }
                blocks = available - i;
                if (blocks > max_blocks)
                        blocks = max_blocks;
                if (blocks > sector_feed_contiguous(src, i))
                        blocks = sector_feed_contiguous(src, i);

                if (rec) {
                        rec->ask_ns = asked;
                        rec->data_ns = now_ns();
                        rec->blocks = (uint32_t)blocks;
                        rec->waited = waited;
                        asked = 0;
                        waited = false;
                }
                r = write_once(w, lba, i, (uint32_t)blocks, &res, rec);
                if (rec)
                        write_trace_commit(&w->trace);
                if (r < 0) {
                        char what[64];

                        snprintf(what, sizeof what, "WRITE(10) of %lld sectors at LBA %d",
                                 (long long)blocks, lba);
                        drive_error_from_command(&job->result.error, MMC_OP_WRITE_10, what, r,
                                                 &res);
                        break;
                }
                i += blocks;
                atomic_store_explicit(&job->written, i, memory_order_release);
                sector_feed_release(src, i);
                tick(w, false);
                if (w->failed.name) {
                        job->result.error = w->failed;
                        break;
                }
        }
        job->result.sectors_written = i;
}

/* Empties the drive's buffer onto the disc: Immed and polling, so that a
 * drive that never finishes is noticed at finish_timeout_ms. */
static void finish_writing(writer *w, bool keep_error)
{
        burn_job *job = w->job;
        uint8_t cdb[10];
        sgio_result res;
        size_t n = mmc_cdb_synchronize_cache(cdb, true);
        int64_t deadline = now_ns() + (int64_t)job->p.finish_timeout_ms * 1000000LL;
        drive_error e = {0};
        int r;

        set_action(w, RAWBURN_WRITE_ACTION_FINISHING);
        r = command(w, cdb, n, SGIO_NONE, NULL, 0, job->p.finish_timeout_ms, &res);
        if (r == -EIO && res.has_sense && res.sense.key == 0x05 && res.sense.asc == 0x24) {
                /* No Immed on this drive: the command itself waits. */
                n = mmc_cdb_synchronize_cache(cdb, false);
                r = command(w, cdb, n, SGIO_NONE, NULL, 0, job->p.finish_timeout_ms, &res);
        }
        if (r < 0 && !long_write_in_progress(r, &res)) {
                drive_error_from_command(&e, MMC_OP_SYNCHRONIZE_CACHE,
                                         "SYNCHRONIZE CACHE at the end of the write", r, &res);
                goto out;
        }
        /* The drive empties its buffer onto the disc: TEST UNIT READY says
         * "long write in progress" until it is done. */
        for (;;) {
                n = mmc_cdb_test_unit_ready(cdb);
                r = command(w, cdb, n, SGIO_NONE, NULL, 0, SHORT_TIMEOUT_MS, &res);
                if (r == 0)
                        break;
                if (!long_write_in_progress(r, &res)) {
                        drive_error_from_command(&e, MMC_OP_TEST_UNIT_READY,
                                                 "TEST UNIT READY while the drive empties its "
                                                 "buffer",
                                                 r, &res);
                        break;
                }
                if (now_ns() > deadline) {
                        drive_error_set(&e, "RecorderCommandTimeout",
                                        "the drive did not finish writing its buffer within %u s",
                                        job->p.finish_timeout_ms / 1000);
                        break;
                }
                nap_ns(DRAIN_POLL_NS);
                tick(w, false);
        }
out:
        if (e.name && !keep_error)
                job->result.error = e;
}

/* The drive is gone or hangs: nothing more to send it. */
static bool transport_lost(const drive_error *e)
{
        return e->name && (strcmp(e->name, "DeviceNotExist") == 0 ||
                           strcmp(e->name, "RecorderCommandTimeout") == 0);
}

void burn_writer_run(burn_job *job)
{
        writer w = {
            .job = job,
            .fd = job->p.drive_fd,
            .sector_size = stream_sector_size(job->p.sector_type),
            .most_device_free_permille = 0,
        };
        struct rusage before, after;
        char name[16];
        int64_t started = now_ns(), writing_started = 0;
        int r;

        snprintf(name, sizeof name, "rb-burn-%.7s", job->p.drive_name);
        (void)pthread_setname_np(pthread_self(), name);
        atomic_store(&job->started_ns, started);
        take_realtime(job);
        set_action(&w, RAWBURN_WRITE_ACTION_PREPARING);

        r = sector_feed_start(&job->source);
        if (r < 0) {
                drive_error_set(&job->result.error, "Fail", "cannot start reading the image: %s",
                                strerror(-r));
                goto out;
        }
        if (!check_stream(&w) || cancelled(job) || !setup_drive(&w))
                goto out;
        fill_buffer(&w);
        if (cancelled(job))
                goto out;

        write_trace_open(&w.trace, atomic_load(&job->sector_count) + 16);
        getrusage(RUSAGE_THREAD, &before);
        writing_started = now_ns();
        atomic_store(&job->writing_ns, writing_started);
        set_action(&w, RAWBURN_WRITE_ACTION_WRITING);
        write_loop(&w);
        getrusage(RUSAGE_THREAD, &after);
        write_trace_close(&w.trace, job->p.drive_name);
        job->result.major_faults = after.ru_majflt - before.ru_majflt;

        /* Whatever stopped the loop, what the drive holds goes onto the disc:
         * after a cancel or a failure too (a half-written disc is lost either
         * way, a drive left with a full buffer is not ready for the next). */
        if (!transport_lost(&job->result.error))
                finish_writing(&w, job->result.error.name != NULL);
        /* Every burn read back: a drive that took all
         * the data can still have written something else. */
        if (!job->result.error.name && !cancelled(job) && job->p.check_after_write)
                (void)disc_check(w.fd, &w.leadin, w.cdtext, w.cdtext_packs, &job->result.error);

out:
        sector_feed_stop(&job->source);
        /* A cancel that came once the whole stream was with the drive is too
         * late to matter: the disc is complete and says so. */
        if (cancelled(job) && job->result.error.name == NULL &&
            (job->result.cancelled || !writing_started)) {
                job->result.cancelled = true;
                if (job->result.sectors_written == 0)
                        drive_error_set(&job->result.error, "RequestCancelled",
                                        "cancelled before anything was written: the disc is "
                                        "untouched");
                else
                        drive_error_set(&job->result.error, "RequestCancelled",
                                        "cancelled after %lld of %lld sectors: a CD-R is now "
                                        "unusable, a CD-RW must be erased",
                                        (long long)job->result.sectors_written,
                                        (long long)atomic_load(&job->sector_count));
        }
        job->result.simulated = job->p.simulate;
        job->result.seconds = (double)(now_ns() - started) / 1e9;
        if (!transport_lost(&job->result.error))
                job->result.have_info = drive_probe_fd(job->p.drive_fd, &job->result.info) == 0;
        if (writing_started) {
                double secs = (double)(now_ns() - writing_started) / 1e9;
                double x = secs > 0 ? (double)job->result.sectors_written / secs / 75.0 : 0;

                log_info("%s: %s %lld sectors in %.1f s (%.1fx); %s; major page faults in the "
                         "burn thread while writing: %lld; lowest drive buffer fill %u%%",
                         job->p.drive_name, job->p.simulate ? "simulated" : "wrote",
                         (long long)job->result.sectors_written, secs, x, job->result.scheduling,
                         (long long)job->result.major_faults,
                         100 - w.most_device_free_permille / 10);
        }
        free(w.cdtext);
        tick(&w, true);
}
