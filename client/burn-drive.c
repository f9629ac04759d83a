/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One drive's burn (burn-drive.h): PrepareMedia, WriteMedia with the
 * image's descriptor (a raw image file as it is, an image made once for
 * several drives as this drive's own open of it, anything else through a
 * pipe a child process fills) and no call timeout, the Update signals,
 * --verify's read-back while the drive is still held, then ReleaseMedia.
 * Everything runs from the caller's sd-event loop; the end is told through
 * done(), never by leaving the loop, so that several drives share one.
 */
#include "burn-drive.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "burn-input.h"
#include "burn-options.h"
#include "bus-util.h"
#include "drive-list.h"
#include "drive-offset.h"
#include "drive-text.h"
#include "error-hints.h"
#include "exit-status.h"
#include "format.h"
#include "job-events.h"
#include "output.h"
#include "progress.h"
#include "rawburn-bus.h"
#include "rawburnctl.h"
#include "sector-compare.h"
#include "stream-writer.h"
#include "verify.h"

#define CLIENT_NAME "rawburnctl"
/* PrepareMedia may wait out a drive that is becoming ready; the daemon
 * bounds that itself, this only keeps a dead daemon from hanging us. */
#define PREPARE_TIMEOUT_USEC (5 * 60 * 1000000ull)
#define CANCEL_TIMEOUT_USEC  (5 * 60 * 1000000ull)
/* WriteMedia replies when the burn has ended: no timeout (sd-bus: UINT64_MAX). */
#define WRITE_TIMEOUT_USEC UINT64_MAX
/* IMAPI2 S_IMAPI_SPEEDADJUSTED, S_IMAPI_ROTATIONADJUSTED, S_IMAPI_BOTHADJUSTED */
#define S_SPEED_ADJUSTED 0x00AA0004u
#define S_BOTH_ADJUSTED  0x00AA0006u
/* For rawburn's tests only: a descriptor from which rawburnctl reads one
 * line between the write and the read-back of --verify, so that a test can
 * damage the recorded disc (drivesim's `srN corrupt`) without racing. */
#define VERIFY_WAIT_FD_ENV "RAWBURNCTL_TEST_VERIFY_WAIT_FD"

static int burn_outcome(burn_drive *b);
static void begin_verify(burn_drive *b);
static void verify_cancel_wait(burn_drive *b);

static void clear_progress(burn_drive *b)
{
        /* Messages go to stderr; take the bar off the line first. */
        if (b->progress.style == PROGRESS_BAR && b->progress.drawn) {
                fputs("\r\033[K", stdout);
                fflush(stdout);
                b->progress.drawn = false;
        }
        if (b->before_output)
                b->before_output(b->userdata);
}

/* The burn is over for this drive (released, ejected when asked). */
static void finish(burn_drive *b)
{
        b->phase = PHASE_ENDED;
        (void)sd_event_now(b->event, CLOCK_MONOTONIC, &b->ended_usec);
        b->update_slot = sd_bus_slot_unref(b->update_slot);
        b->finished_slot = sd_bus_slot_unref(b->finished_slot);
        if (b->done)
                b->done(b, b->userdata);
}

static int on_eject_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        burn_drive *b = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);
        if (e) {
                clear_progress(b);
                b->status =
                    report_bus_error(b->d->name, "EjectMedia", e, sd_bus_message_get_errno(m));
        }
        finish(b);
        return 0;
}

static int on_release_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        burn_drive *b = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);
        /* MediaIsNotPrepared: rawburnd let go already (the drive went away,
         * or the failed write released it). */
        if (e && !sd_bus_error_has_name(e, RAWBURN_ERROR_PREFIX "MediaIsNotPrepared"))
                log_debug("%s: ReleaseMedia: %s", b->d->name, e->message);
        if (arg_json) {
                json_obj j;
                json_event(&j, "released", b->d->name);
                json_close(&j);
                json_end_line(stdout);
        }
        if (b->eject_after_release) {
                if (!arg_json && !b->quiet) {
                        printf("%s: ejecting the disc\n", b->d->name);
                        fflush(stdout);
                }
                if (sd_bus_call_method_async(b->bus, NULL, RAWBURN_BUS_NAME, b->d->path,
                                             RAWBURN_RECORDER_IFACE, "EjectMedia", on_eject_reply,
                                             b, "") >= 0)
                        return 0;
        }
        finish(b);
        return 0;
}

/* ReleaseMedia, without starting a rawburnd: if the one that held the drive
 * is gone (killed in the middle of the burn), a new one holds nothing, and
 * starting it only for that refusal would hide that the service stopped. */
static int send_release(burn_drive *b)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(b->bus, &m, RAWBURN_BUS_NAME, b->d->path,
                                           RAWBURN_RAWCD_IFACE, "ReleaseMedia");
        if (r < 0)
                return r;
        r = sd_bus_message_set_auto_start(m, false);
        if (r < 0)
                return r;
        return sd_bus_call_async(b->bus, NULL, m, on_release_reply, b, 0);
}

/* The burn is over: let go of the drive, then tell the caller. ReleaseMedia
 * is sent from inside the loop because sd-bus closes a connection attached
 * to an event loop when that loop exits. */
static void end_loop(burn_drive *b)
{
        b->phase = PHASE_ENDED;
        if (b->prepared && !b->release_sent) {
                b->release_sent = true;
                int r = send_release(b);
                if (r >= 0)
                        return;
                log_debug("%s: cannot send ReleaseMedia: %s", b->d->name, strerror(-r));
        }
        finish(b);
}

static void keep_error(burn_drive *b, const char *call, const sd_bus_error *e, int r)
{
        if (sd_bus_error_is_set(&b->error))
                return; /* the first failure is the one that matters */
        (void)sd_bus_error_copy(&b->error, e);
        b->error_r = r;
        b->error_call = call;
}

/* ---------------------------------------------------------------- signals */

static int on_update(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        burn_drive *b = userdata;
        write_update u;
        uint64_t now;
        if (b->phase != PHASE_WRITING || write_update_read(m, &u) < 0)
                return 0;
        (void)sd_event_now(b->event, CLOCK_MONOTONIC, &now);
        progress_show(&b->progress, &u, now);
        return 0;
}

static int on_write_finished(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        burn_drive *b = userdata;
        if (b->phase != PHASE_WRITING || b->have_result)
                return 0;
        if (write_result_read(m, &b->result) >= 0)
                b->have_result = true;
        else
                write_result_free(&b->result);
        return 0;
}

static int on_cancel_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        burn_drive *b = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);
        /* WriteNotInProgress: the burn ended meanwhile; its reply says how. */
        if (e && !sd_bus_error_has_name(e, RAWBURN_ERROR_PREFIX "WriteNotInProgress")) {
                clear_progress(b);
                report_bus_error(b->d->name, "CancelWrite", e, sd_bus_message_get_errno(m));
        }
        return 0;
}

static void send_cancel(burn_drive *b)
{
        if (b->cancel_sent)
                return;
        b->cancel_sent = true;
        clear_progress(b);
        if (arg_json) {
                json_obj j;
                json_event(&j, "cancelling", b->d->name);
                json_close(&j);
                json_end_line(stdout);
        }
        log_notice("%s: cancelling the burn; waiting for the drive to stop", b->d->name);
        sd_bus_message *msg = NULL;
        int r = sd_bus_message_new_method_call(b->bus, &msg, RAWBURN_BUS_NAME, b->d->path,
                                               RAWBURN_RAWCD_IFACE, "CancelWrite");
        if (r >= 0)
                r = sd_bus_call_async(b->bus, NULL, msg, on_cancel_reply, b, CANCEL_TIMEOUT_USEC);
        sd_bus_message_unref(msg);
        if (r < 0)
                log_error("%s: cannot ask rawburnd to cancel: %s", b->d->name, strerror(-r));
}

void burn_drive_stop(burn_drive *b)
{
        switch (b->phase) {
        case PHASE_PREPARING:
                if (b->waiting_for_image) {
                        /* Prepared, nothing written: let go now. */
                        b->waiting_for_image = false;
                        clear_progress(b);
                        log_notice("%s: cancelled before anything was written", b->d->name);
                        b->status = EXIT_CANCELLED;
                        end_loop(b);
                        break;
                }
                if (!b->stop_before_writing) {
                        b->stop_before_writing = true;
                        clear_progress(b);
                        log_notice("%s: stopping before anything is written", b->d->name);
                }
                break;
        case PHASE_VERIFYING:
                clear_progress(b);
                if (b->verify)
                        verify_stop(b->verify);
                else
                        verify_cancel_wait(b);
                break;
        case PHASE_WRITING:
                send_cancel(b);
                break;
        case PHASE_ENDED:
                break;
        }
}

void burn_drive_signal(burn_drive *b, int signo)
{
        if (b->phase == PHASE_PREPARING) {
                if (!b->stop_before_writing) {
                        b->stop_before_writing = true;
                        log_notice("%s: stopping before anything is written", b->d->name);
                }
                return;
        }
        if (b->phase == PHASE_VERIFYING) {
                /* Nothing is lost by stopping a read: no question asked; the
                 * outcome says it stopped. */
                burn_drive_stop(b);
                return;
        }
        if (b->phase != PHASE_WRITING)
                return;
        b->interrupts++;
        if (arg_json) {
                json_obj j;
                json_event(&j, "interrupt", b->d->name);
                json_int(&j, "count", b->interrupts);
                json_str(&j, "signal", signo == SIGTERM ? "SIGTERM" : "SIGINT");
                json_close(&j);
                json_end_line(stdout);
        }
        /* SIGTERM comes from a program, not a person: no second chance. */
        if (signo == SIGINT && b->interrupts == 1) {
                clear_progress(b);
                log_notice("press Ctrl-C again to cancel; the disc will be unusable");
                return;
        }
        if (b->cancel_sent) {
                clear_progress(b);
                log_notice("%s: still cancelling; waiting for the drive to stop", b->d->name);
                return;
        }
        send_cancel(b);
}

/* ------------------------------------------------------------------ write */

static int on_write_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        burn_drive *b = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);
        (void)sd_event_now(b->event, CLOCK_MONOTONIC, &b->write_ended_usec);
        if (e)
                keep_error(b,
                           b->src->raw && b->src->first_lba != RB_IMAGE_START_LBA ? "WriteMedia2"
                                                                                  : "WriteMedia",
                           e, sd_bus_message_get_errno(m));
        /* Said before ReleaseMedia, so that --json reads write-finished,
         * released, done. */
        b->status = burn_outcome(b);
        if (b->status == EXIT_OK && b->o->verify) {
                begin_verify(b);
                return 0;
        }
        end_loop(b);
        return 0;
}

/* The stream for WriteMedia: the raw image's own descriptor, or a pipe
 * from a child making the image. */
static int open_stream(burn_drive *b, int *fd, bool *owned)
{
        if (b->image_fd >= 0) {
                /* An open of its own (not a dup, which would share the file
                 * position), read-only: rawburnd maps it like a file. */
                char proc[64];
                snprintf(proc, sizeof proc, "/proc/self/fd/%d", b->image_fd);
                *fd = open(proc, O_RDONLY | O_CLOEXEC);
                *owned = true;
                return *fd < 0 ? -errno : 0;
        }
        if (b->src->raw) {
                *fd = b->src->fd;
                *owned = false;
                return 0;
        }
        *owned = true;
        return stream_writer_start(b->src->creator, &b->writer, fd);
}

static int start_write(burn_drive *b)
{
        int32_t leadin = burn_input_leadin_sectors(b->src);
        bool two = leadin != -RB_IMAGE_START_LBA;
        sd_bus_message *msg = NULL;
        int fd = -1, r;
        bool owned = false;

        r = open_stream(b, &fd, &owned);
        if (r < 0) {
                log_error("cannot start making the image: %s", strerror(-r));
                b->status = EXIT_FAILED;
                return r;
        }
        r = sd_bus_message_new_method_call(b->bus, &msg, RAWBURN_BUS_NAME, b->d->path,
                                           RAWBURN_RAWCD_IFACE, two ? "WriteMedia2" : "WriteMedia");
        /* The message holds its own copy of the descriptor. */
        if (r >= 0)
                r = sd_bus_message_append_basic(msg, 'h', &fd);
        if (r >= 0 && two)
                r = sd_bus_message_append_basic(msg, 'i', &leadin);
        if (owned)
                close(fd);
        if (r >= 0)
                r = sd_bus_call_async(b->bus, NULL, msg, on_write_reply, b, WRITE_TIMEOUT_USEC);
        sd_bus_message_unref(msg);
        if (r < 0) {
                log_error("cannot send %s: %s", two ? "WriteMedia2" : "WriteMedia", strerror(-r));
                b->status = EXIT_FAILED;
                return r;
        }
        b->phase = PHASE_WRITING;
        (void)sd_event_now(b->event, CLOCK_MONOTONIC, &b->write_started_usec);
        return 0;
}

/* ---------------------------------------------------------------- prepare */

static void say_prepared(burn_drive *b)
{
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        int32_t speed = 0;
        char s[16];

        /* The speed the drive settled on (it rounds requests down). */
        (void)sd_bus_get_property_trivial(b->bus, RAWBURN_BUS_NAME, b->d->path, RAWBURN_RAWCD_IFACE,
                                          "CurrentWriteSpeed", &e, 'i', &speed);
        b->speed = speed;
        if (arg_json) {
                json_obj j;
                json_event(&j, "prepared", b->d->name);
                json_int(&j, "result", b->prepare_result);
                json_num(&j, "speed_x", speed / 75.0, 1);
                json_bool(&j, "burnfree", !b->o->no_burnfree);
                json_bool(&j, "simulate", b->o->simulate);
                json_close(&j);
                json_end_line(stdout);
                return;
        }
        if (b->quiet)
                return;
        printf("%s: prepared%s: %s", b->d->name, b->o->simulate ? " for a simulation" : "",
               speed > 0 ? format_speed(speed, s, sizeof s) : "drive's speed");
        if (speed > 0)
                printf(" (%d sectors/s)", speed);
        printf(", BURN-Free %s\n", b->o->no_burnfree ? "off" : "on");
        if (b->prepare_result >= S_SPEED_ADJUSTED && b->prepare_result <= S_BOTH_ADJUSTED &&
            b->o->speed > 0)
                printf("%s: the drive chose %s instead of the %s asked\n", b->d->name,
                       format_speed(speed, s, sizeof s),
                       format_speed(b->o->speed, (char[16]){0}, 16));
        fflush(stdout);
}

static int on_prepare_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        burn_drive *b = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);
        if (e) {
                keep_error(b, "PrepareMedia", e, sd_bus_message_get_errno(m));
                clear_progress(b);
                b->status =
                    report_bus_error(b->d->name, "PrepareMedia", e, sd_bus_message_get_errno(m));
                end_loop(b);
                return 0;
        }
        b->prepared = true;
        (void)sd_bus_message_read_basic(m, 'u', &b->prepare_result);
        if (b->stop_before_writing) {
                clear_progress(b);
                log_notice("%s: cancelled before anything was written", b->d->name);
                b->status = EXIT_CANCELLED;
                end_loop(b);
                return 0;
        }
        if (b->image_status != EXIT_OK) {
                b->status = b->image_status;
                end_loop(b);
                return 0;
        }
        say_prepared(b);
        if (b->hold_write) {
                log_debug("%s: prepared; the write waits for the image", b->d->name);
                b->waiting_for_image = true;
                return 0;
        }
        if (start_write(b) < 0)
                end_loop(b);
        return 0;
}

void burn_drive_image_ready(burn_drive *b, int status)
{
        b->hold_write = false;
        b->image_status = status;
        if (!b->waiting_for_image)
                return; /* the prepare reply goes on from here */
        b->waiting_for_image = false;
        if (status != EXIT_OK) {
                b->status = status;
                end_loop(b);
        } else if (start_write(b) < 0)
                end_loop(b);
}

static int send_prepare(burn_drive *b)
{
        const burn_options *o = b->o;
        sd_bus_message *msg = NULL;
        int32_t sector_type =
            b->src->raw ? b->src->sector_type : (int32_t)b->src->layout->sector_type;
        int yes = 1, no = 0;

        int r = sd_bus_message_new_method_call(b->bus, &msg, RAWBURN_BUS_NAME, b->d->path,
                                               RAWBURN_RAWCD_IFACE, "PrepareMedia");
        if (r >= 0)
                r = sd_bus_message_open_container(msg, 'a', "{sv}");
        if (r >= 0)
                r = bus_append_option(msg, "ClientName", 's', CLIENT_NAME);
        if (r >= 0)
                r = bus_append_option(msg, "RequestedSectorType", 'i', &sector_type);
        if (r >= 0 && o->speed)
                r = bus_append_option(msg, "RequestedWriteSpeed", 'i', &o->speed);
        if (r >= 0 && o->no_burnfree)
                r = bus_append_option(msg, "BufferUnderrunFreeDisabled", 'b', &yes);
        if (r >= 0 && o->simulate)
                r = bus_append_option(msg, "Simulate", 'b', &yes);
        /* With --verify rawburnctl ejects, once the disc has been read back. */
        if (r >= 0 && o->eject && !o->verify)
                r = bus_append_option(msg, "EjectAfterWrite", 'b', &yes);
        if (r >= 0 && o->no_check)
                r = bus_append_option(msg, "CheckAfterWrite", 'b', &no);
        if (r >= 0)
                r = sd_bus_message_close_container(msg);
        if (r >= 0)
                r = sd_bus_call_async(b->bus, NULL, msg, on_prepare_reply, b, PREPARE_TIMEOUT_USEC);
        sd_bus_message_unref(msg);
        return r;
}

/* ------------------------------------------------------------- the end */

static int finish_writer(burn_drive *b)
{
        char err[1100] = "";
        /* A failed or cancelled burn leaves the child blocked on a full pipe;
         * after a good one it has written everything and stopping it is a
         * no-op. */
        int r = stream_writer_finish(&b->writer, true, err, sizeof err);
        if (r < 0 && r != -EPIPE && r != -ECANCELED) {
                clear_progress(b);
                log_error("the image could not be made: %s", err);
                return EXIT_SOURCE;
        }
        return EXIT_OK;
}

static void say_done(burn_drive *b)
{
        char t[16];
        int32_t elapsed = b->have_result ? b->result.elapsed : b->progress.last.elapsed;
        long long sectors = b->have_result ? (long long)b->result.sectors_written : -1;

        if (arg_json) {
                json_obj j;
                json_event(&j, "write-finished", b->d->name);
                if (b->have_result)
                        write_result_json(&b->result, &j);
                else
                        json_bool(&j, "ok", true);
                json_close(&j);
                json_end_line(stdout);
                return;
        }
        if (b->quiet)
                return;
        if (b->o->simulate)
                printf("%s: simulated: nothing was written: the drive went through the burn with "
                       "the laser off",
                       b->d->name);
        else
                printf("%s: burn complete", b->d->name);
        if (sectors >= 0)
                printf(": %lld sectors in %s", sectors, format_duration(elapsed, t, sizeof t));
        putchar('\n');
        if (arg_verbose && b->have_result && b->result.writer_scheduling)
                printf("%s: writer: %s, %lld major page faults\n", b->d->name,
                       b->result.writer_scheduling, (long long)b->result.major_faults);
        /* With --verify the disc stays in until it has been read back. */
        if (b->o->eject && !b->o->verify)
                printf("%s: ejecting the disc\n", b->d->name);
        fflush(stdout);
}

/* What rawburnd says it did against what was asked: a rehearsal that
 * turned into a real burn, or the reverse, is never passed over. */
static int check_simulated(burn_drive *b)
{
        if (!b->have_result || b->result.simulated == b->o->simulate)
                return EXIT_OK;
        clear_progress(b);
        if (b->o->simulate) {
                log_error("%s: rawburnd reports a real burn, not the simulation asked for: the "
                          "disc has been written",
                          b->d->name);
                return EXIT_OK; /* it is burned, and burned right */
        }
        log_error("%s: rawburnd reports a simulation, not the burn asked for: nothing was "
                  "written, the disc is still blank",
                  b->d->name);
        return EXIT_FAILED;
}

static int burn_outcome(burn_drive *b)
{
        int writer_status = b->writer.pid ? finish_writer(b) : EXIT_OK;

        progress_break_line(&b->progress);
        if (sd_bus_error_is_set(&b->error)) {
                clear_progress(b);
                if (arg_json && b->have_result) {
                        json_obj j;
                        json_event(&j, "write-finished", b->d->name);
                        write_result_json(&b->result, &j);
                        json_close(&j);
                        json_end_line(stdout);
                }
                /* A writer that failed explains a short stream better than the daemon can. */
                int status = writer_status != EXIT_OK ? writer_status
                                                      : report_bus_error(b->d->name, b->error_call,
                                                                         &b->error, b->error_r);
                if (arg_verbose && b->have_result && b->result.sense)
                        log_notice("  sense %s, command 0x%02X", b->result.sense,
                                   b->result.command);
                return status;
        }
        if (writer_status != EXIT_OK)
                return writer_status;
        say_done(b);
        return check_simulated(b);
}

/* ---------------------------------------------------------------- verify */

/* The track a sector belongs to (its pause included), 0 when not known. */
static unsigned track_at(const burn_drive *b, int32_t lba)
{
        unsigned number = 0;
        if (b->src->raw)
                return 0;
        for (unsigned i = 0; i < b->src->layout->track_count; i++)
                if (b->src->layout->tracks[i].pause_lba <= lba)
                        number = b->src->layout->tracks[i].number;
        return number;
}

static void verify_json(const burn_drive *b, const verify_result *r)
{
        char what[128], msf[16];
        json_obj j;
        json_event(&j, "verify-finished", b->d->name);
        json_bool(&j, "ok", r->differing == 0 && !r->stopped);
        json_bool(&j, "stopped", r->stopped);
        json_int(&j, "first_lba", r->first_lba);
        json_int(&j, "sectors", r->sectors);
        json_int(&j, "compared", r->compared);
        json_int(&j, "differing", r->differing);
        if (r->first_bad_lba != INT32_MIN) {
                json_int(&j, "first_differing_lba", r->first_bad_lba);
                json_str(&j, "first_differing_msf", format_msf(r->first_bad_lba, msf, sizeof msf));
                unsigned t = track_at(b, r->first_bad_lba);
                if (t)
                        json_int(&j, "first_differing_track", t);
                json_str(&j, "differs_in",
                         r->first_bad_mask ? sector_diff_text(r->any_mask, what, sizeof what)
                                           : "not returned by the drive");
        }
        json_close(&j);
        json_end_line(stdout);
}

static int verify_outcome(burn_drive *b, const verify_result *r)
{
        const char *name = b->d->name;
        char msf[16], what[128], where[48] = "", sentence[768];
        int32_t type = b->src->raw ? b->src->sector_type : (int32_t)b->src->layout->sector_type;

        clear_progress(b);
        if (sd_bus_error_is_set(&r->error)) {
                log_error("%s: the burn is complete, but reading the disc back to verify it "
                          "failed:",
                          name);
                int status = report_bus_error(name, "ReadMedia", &r->error, r->error_r);
                /* A disc the drive cannot read back is a disc that failed verification. */
                return status == EXIT_FAILED || status == EXIT_MEDIA ? EXIT_VERIFY : status;
        }
        if (r->source_error[0]) {
                log_error("%s: the burn is complete, but it could not be verified: %s", name,
                          r->source_error);
                return EXIT_SOURCE;
        }
        if (arg_json)
                verify_json(b, r);
        if (r->stopped) {
                log_notice("%s: verification stopped: the disc is burned, but was not checked",
                           name);
                return EXIT_CANCELLED;
        }
        if (r->differing == 0) {
                b->verified = true;
                if (!arg_json && !b->quiet) {
                        printf("%s: verified: all %lld sectors of the program area read back as "
                               "they were sent (main channel and Q subchannel%s)\n",
                               name, (long long)r->sectors, type == 3 ? ", R-W subchannel" : "");
                        fflush(stdout);
                }
                return EXIT_OK;
        }
        unsigned track = track_at(b, r->first_bad_lba);
        if (track)
                snprintf(where, sizeof where, ", track %02u", track);
        if (r->first_bad_mask)
                snprintf(sentence, sizeof sentence,
                         "the disc does not read back as the image: %lld of %lld sectors differ, "
                         "the first at LBA %d (%s%s) in %s: try another disc, or a lower speed "
                         "with --speed",
                         (long long)r->differing, (long long)r->sectors, r->first_bad_lba,
                         format_msf(r->first_bad_lba, msf, sizeof msf), where,
                         sector_diff_text(r->first_bad_mask, what, sizeof what));
        else
                snprintf(sentence, sizeof sentence,
                         "the disc does not read back as the image: the drive returned only "
                         "%lld of %lld sectors, %lld differ in all: try another disc, or a "
                         "lower speed with --speed",
                         (long long)r->compared, (long long)r->sectors, (long long)r->differing);
        if (arg_json) {
                json_obj j;
                json_event(&j, "error", name);
                json_str(&j, "operation", "verify");
                json_str(&j, "name", "rawburnctl.VerifyMismatch");
                json_str(&j, "hint", sentence);
                json_int(&j, "first_differing_lba", r->first_bad_lba);
                json_int(&j, "differing", r->differing);
                json_int(&j, "exit_status", EXIT_VERIFY);
                json_close(&j);
                json_end_line(stdout);
        }
        log_error("%s: %s.", name, sentence);
        return EXIT_VERIFY;
}

static void on_verify_done(verify *v, void *userdata)
{
        burn_drive *b = userdata;
        b->status = verify_outcome(b, verify_get_result(v));
        if (b->status == EXIT_OK && b->o->eject)
                b->eject_after_release = true;
        end_loop(b);
}

static void start_verifying(burn_drive *b)
{
        int r = verify_start(&b->verify, b->bus, b->event, b->d->name, b->d->path,
                             b->verify_src ? b->verify_src : b->src, b->progress.style,
                             on_verify_done, b);
        if (r >= 0)
                return;
        clear_progress(b);
        log_error("%s: the burn is complete, but the verification could not start: %s", b->d->name,
                  strerror(-r));
        verify_free(b->verify);
        b->verify = NULL;
        b->status = EXIT_FAILED;
        end_loop(b);
}

static int on_verify_wait(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        burn_drive *b = userdata;
        char c;
        for (;;) {
                ssize_t n = read(fd, &c, 1);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0 || c == '\n')
                        break;
        }
        b->verify_wait = sd_event_source_disable_unref(b->verify_wait);
        start_verifying(b);
        return 0;
}

static void verify_cancel_wait(burn_drive *b)
{
        b->verify_wait = sd_event_source_disable_unref(b->verify_wait);
        log_notice("%s: verification stopped: the disc is burned, but was not checked", b->d->name);
        b->status = EXIT_CANCELLED;
        end_loop(b);
}

static void begin_verify(burn_drive *b)
{
        const char *env = getenv(VERIFY_WAIT_FD_ENV);
        char *end;
        b->phase = PHASE_VERIFYING;
        if (env) {
                long fd = strtol(env, &end, 10);
                if (*env && !*end && fd >= 0 && fd < INT_MAX &&
                    sd_event_add_io(b->event, &b->verify_wait, (int)fd, EPOLLIN, on_verify_wait,
                                    b) >= 0) {
                        log_debug("%s: waiting for a line on descriptor %ld before verifying (%s)",
                                  b->d->name, fd, VERIFY_WAIT_FD_ENV);
                        return;
                }
        }
        start_verifying(b);
}

/* ---------------------------------------------------------------- checks */

/* What the disc can take, before it is touched: rawburnd checks again. */
int burn_drive_check_fits(const burn_drive *b)
{
        int32_t leadout = burn_input_leadout(b->src);
        char need[96], have[96], a[16], c[16];
        if (leadout == INT32_MIN || b->d->last_leadout <= 0 || leadout <= b->d->last_leadout)
                return EXIT_OK;
        format_capacity(leadout, need, sizeof need);
        format_capacity(b->d->last_leadout, have, sizeof have);
        if (arg_json) {
                json_obj j;
                json_event(&j, "error", b->d->name);
                json_str(&j, "name", RAWBURN_ERROR_PREFIX "NotEnoughSpace");
                json_int(&j, "image_leadout_lba", leadout);
                json_int(&j, "media_last_leadout_lba", b->d->last_leadout);
                json_str(&j, "hint",
                         error_hint_lookup(RAWBURN_ERROR_PREFIX "NotEnoughSpace")->hint);
                json_int(&j, "exit_status", EXIT_MEDIA);
                json_close(&j);
                json_end_line(stdout);
        }
        log_error("%s: the image does not fit on this disc: its lead-out starts at %s (%s) but "
                  "this disc's must start by %s (%s): use a longer disc or leave out tracks.",
                  b->d->name, format_msf(leadout, a, sizeof a), need,
                  format_msf(b->d->last_leadout, c, sizeof c), have);
        return EXIT_MEDIA;
}

/* What became of the drive's write offset, for the line under "Burning …". */
static void write_offset_said(const burn_drive *b, char *buf, size_t size)
{
        char text[96];

        drive_offset_text(b->d, text, sizeof text);
        if (b->src->raw)
                snprintf(buf, size,
                         "write offset: none applied, a raw image is burned as it is (this "
                         "drive's: %s)",
                         text);
        else if (b->o->no_write_offset)
                snprintf(buf, size, "write offset: none (--no-write-offset; this drive's: %s)",
                         text);
        else
                snprintf(buf, size, "write offset %s", text);
}

void burn_drive_say_start(const burn_drive *b)
{
        char what[512], media[96], model[96], offset[256];
        burn_input_describe(b->src, what, sizeof what);
        drive_media_summary(b->d, media, sizeof media);
        if (arg_json) {
                json_obj j;
                json_event(&j, "start", b->d->name);
                json_str(&j, "source", what);
                json_bool(&j, "raw_image", b->src->raw);
                json_str(&j, "sector_type",
                         sector_type_name(b->src->raw ? b->src->sector_type
                                                      : (int32_t)b->src->layout->sector_type));
                json_int(&j, "leadout_lba", burn_input_leadout(b->src));
                json_str(&j, "disc", media);
                json_int(&j, "write_offset", b->src->raw ? 0 : b->src->layout->write_offset);
                json_str(&j, "write_offset_source", b->offset_source);
                json_close(&j);
                json_end_line(stdout);
                return;
        }
        printf("Burning %s\n  on %s (%s): %s\n", what, b->d->name,
               drive_model(b->d, model, sizeof model), media);
        /* A raw image with no offset to speak of needs no word. */
        if (!b->src->raw || (drive_offset_known(b->d) && b->d->write_offset)) {
                write_offset_said(b, offset, sizeof offset);
                printf("  %s\n", offset);
        }
        fflush(stdout);
}

/* ---------------------------------------------------------------- start */

void burn_drive_init(burn_drive *b)
{
        b->image_fd = -1;
        b->error = SD_BUS_ERROR_NULL;
        b->writer = (stream_writer){0, -1};
        b->phase = PHASE_PREPARING;
}

int burn_drive_start(burn_drive *b)
{
        int r;

        (void)sd_event_now(b->event, CLOCK_MONOTONIC, &b->started_usec);
        /* Subscribed before anything starts, so that no Update is missed. */
        if ((r = sd_bus_match_signal(b->bus, &b->update_slot, RAWBURN_BUS_NAME, b->d->path,
                                     RAWBURN_RAWCD_IFACE, "Update", on_update, b)) < 0 ||
            (r = sd_bus_match_signal(b->bus, &b->finished_slot, RAWBURN_BUS_NAME, b->d->path,
                                     RAWBURN_RAWCD_IFACE, "WriteFinished", on_write_finished, b)) <
                0 ||
            (r = send_prepare(b)) < 0) {
                _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
                sd_bus_error_set_errno(&e, r);
                clear_progress(b);
                b->phase = PHASE_ENDED;
                b->status = report_bus_error(b->d->name, "PrepareMedia", &e, r);
                return b->status;
        }
        return EXIT_OK;
}

void burn_drive_free(burn_drive *b)
{
        verify_free(b->verify);
        b->verify = NULL;
        b->verify_wait = sd_event_source_disable_unref(b->verify_wait);
        b->update_slot = sd_bus_slot_unref(b->update_slot);
        b->finished_slot = sd_bus_slot_unref(b->finished_slot);
        if (b->have_result)
                write_result_free(&b->result);
        b->have_result = false;
        sd_bus_error_free(&b->error);
}

/* ------------------------------------------------- shared by burn commands */

int burn_signals_to_loop(sd_event **ret)
{
        sigset_t mask;

        /* Signals become events of the loop from here on; before, Ctrl-C
         * simply ends rawburnctl, nothing having been touched. */
        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        signal(SIGPIPE, SIG_IGN);
        return sd_event_default(ret);
}

void burn_say_done(int status)
{
        if (arg_json) {
                json_obj j;
                json_event(&j, "done", NULL);
                json_bool(&j, "ok", status == EXIT_OK);
                json_int(&j, "exit_status", status);
                json_close(&j);
                json_end_line(stdout);
        }
}
