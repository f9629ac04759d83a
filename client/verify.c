/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "drive-list.h"
#include "output.h"
#include "rawburn-bus.h"
#include "sector-compare.h"
#include "stream-writer.h"

/* ReadMedia replies when everything is written: no call timeout, as for WriteMedia. */
#define READ_TIMEOUT_USEC UINT64_MAX
/* Sectors taken from the pipe at a time, and its size: the drive reads in bursts. */
#define CHUNK_SECTORS 64
#define PIPE_BYTES    (1 << 20)
#define LINE_USEC     (5 * 1000000ull)
#define JSON_USEC     (1 * 1000000ull)

struct verify {
        sd_bus *bus;
        sd_event *event;
        const char *drive;
        const burn_input *src;
        progress_style style;
        verify_done_fn done;
        void *userdata;

        /* the sectors read back */
        int fd;
        sd_event_source *io;
        sd_bus_slot *call;
        uint8_t *buf; /* CHUNK_SECTORS read-back sectors */
        size_t have;  /* bytes in buf */
        bool eof, replied, finished;

        /* the sectors sent: the image file, or its sources made into it again */
        int32_t sector_type;
        size_t sent_size;
        uint8_t *sent; /* CHUNK_SECTORS of them */
        int sent_fd;
        bool sent_is_pipe;
        off_t sent_offset;
        stream_writer writer;

        bool drawn;
        uint64_t last_show;
        verify_result result;
};

int verify_possible(const burn_input *src, char *err, size_t errlen)
{
        if (src->raw && src->fd == STDIN_FILENO) {
                snprintf(err, errlen,
                         "--verify reads the image again after the burn: give it as a file, or "
                         "the sources it is made of, not on standard input");
                return -EINVAL;
        }
        if (burn_input_leadout(src) == INT32_MIN || burn_input_leadout(src) <= 0) {
                snprintf(err, errlen,
                         "--verify needs to know where the image's lead-out starts, and %s's "
                         "lead-in does not say (no A2 point in its TOC)",
                         src->path ? src->path : "the image");
                return -EINVAL;
        }
        return 0;
}

/* ---------------------------------------------------------- what was sent */

static int read_full(int fd, uint8_t *buf, size_t len)
{
        size_t got = 0;
        while (got < len) {
                ssize_t n = read(fd, buf + got, len - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EPIPE;
                got += (size_t)n;
        }
        return 0;
}

static int sent_open(verify *v)
{
        const burn_input *s = v->src;
        int32_t first = s->raw ? s->first_lba : s->layout->first_lba;
        /* From the image's first sector to LBA 0, where the read-back starts. */
        uint64_t skip = (uint64_t)(v->result.first_lba - first);

        if (s->raw) {
                v->sent_fd = s->fd;
                v->sent_offset = (off_t)(skip * v->sent_size);
                return 0;
        }
        int r = stream_writer_start(s->creator, &v->writer, &v->sent_fd);
        if (r < 0) {
                snprintf(v->result.source_error, sizeof v->result.source_error,
                         "cannot make the image again: %s", strerror(-r));
                return r;
        }
        v->sent_is_pipe = true;
        /* The lead-in and track 1's pause, made and dropped. */
        for (uint64_t left = skip; left > 0;) {
                size_t n = left < CHUNK_SECTORS ? (size_t)left : CHUNK_SECTORS;
                r = read_full(v->sent_fd, v->sent, n * v->sent_size);
                if (r < 0)
                        return r;
                left -= n;
        }
        return 0;
}

/* The next n sent sectors into v->sent. */
static int sent_next(verify *v, size_t n)
{
        size_t len = n * v->sent_size;
        if (v->sent_is_pipe)
                return read_full(v->sent_fd, v->sent, len);
        ssize_t got = pread(v->sent_fd, v->sent, len, v->sent_offset);
        if (got < 0)
                return -errno;
        if ((size_t)got < len)
                return -EPIPE;
        v->sent_offset += (off_t)len;
        return 0;
}

static void sent_close(verify *v)
{
        char err[1100];
        if (!v->sent_is_pipe)
                return;
        close(v->sent_fd);
        v->sent_fd = -1;
        v->sent_is_pipe = false;
        int r = stream_writer_finish(&v->writer, true, err, sizeof err);
        if (r < 0 && r != -EPIPE && r != -ECANCELED && !v->result.source_error[0])
                snprintf(v->result.source_error, sizeof v->result.source_error, "%s", err);
}

/* --------------------------------------------------------------- progress */

static void show(verify *v, bool force)
{
        uint64_t now = 0;
        double pct = v->result.sectors ? 100.0 * v->result.compared / v->result.sectors : 0;

        (void)sd_event_now(v->event, CLOCK_MONOTONIC, &now);
        switch (v->style) {
        case PROGRESS_BAR: {
                char tail[128];
                int n = snprintf(tail, sizeof tail, " %5.1f%%  verifying  %lld of %lld sectors",
                                 pct, (long long)v->result.compared, (long long)v->result.sectors);
                if (v->result.differing && n < (int)sizeof tail)
                        n += snprintf(tail + n, sizeof tail - n, ", %lld differ",
                                      (long long)v->result.differing);
                progress_draw_bar(&v->drawn, pct, tail, n);
                break;
        }
        case PROGRESS_LINES:
                if (!force && now - v->last_show < LINE_USEC)
                        return;
                printf("%s: verifying %.0f%%\n", v->drive, pct);
                fflush(stdout);
                break;
        case PROGRESS_JSON: {
                if (!force && now - v->last_show < JSON_USEC)
                        return;
                json_obj j;
                json_event(&j, "verify-progress", v->drive);
                json_int(&j, "compared", v->result.compared);
                json_int(&j, "sectors", v->result.sectors);
                json_int(&j, "differing", v->result.differing);
                json_num(&j, "percent", pct, 1);
                json_close(&j);
                json_end_line(stdout);
                break;
        }
        case PROGRESS_QUIET:
                break;
        }
        v->last_show = now;
}

/* ------------------------------------------------------------- comparing */

static void finish(verify *v)
{
        if (v->finished)
                return;
        v->finished = true;
        v->io = sd_event_source_disable_unref(v->io);
        if (v->fd >= 0)
                close(v->fd);
        v->fd = -1;
        sent_close(v);
        if (v->style == PROGRESS_BAR)
                progress_clear_bar(&v->drawn);
        /* What the drive did not give back differs too (unless we stopped it). */
        {
                verify_result *r = &v->result;
                int64_t missing = r->sectors - r->compared;
                if (missing > 0 && !r->stopped && !sd_bus_error_is_set(&r->error) &&
                    !r->source_error[0]) {
                        if (r->first_bad_lba == INT32_MIN) {
                                r->first_bad_lba = r->first_lba + (int32_t)r->compared;
                                r->first_bad_mask = 0;
                        }
                        r->differing += missing;
                }
        }
        v->done(v, v->userdata);
}

static void compare_chunk(verify *v, size_t n)
{
        verify_result *r = &v->result;
        int e = sent_next(v, n);
        if (e < 0) {
                if (!r->source_error[0])
                        snprintf(r->source_error, sizeof r->source_error,
                                 "the image could not be read again at LBA %lld: %s",
                                 (long long)(r->first_lba + r->compared),
                                 e == -EPIPE ? "it ended early" : strerror(-e));
                verify_stop(v);
                return;
        }
        for (size_t i = 0; i < n; i++) {
                unsigned mask = sector_compare(v->buf + i * SECTOR_READ_SIZE,
                                               v->sent + i * v->sent_size, v->sector_type);
                if (mask) {
                        if (r->first_bad_lba == INT32_MIN) {
                                r->first_bad_lba = r->first_lba + (int32_t)r->compared;
                                r->first_bad_mask = mask;
                        }
                        r->any_mask |= mask;
                        r->differing++;
                }
                r->compared++;
        }
}

static int on_readable(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        verify *v = userdata;
        const size_t room = CHUNK_SECTORS * SECTOR_READ_SIZE;

        for (;;) {
                ssize_t n = read(fd, v->buf + v->have, room - v->have);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        return 0;
                if (n <= 0)
                        break; /* the end of the pipe: rawburnd wrote all it will */
                v->have += (size_t)n;
                int64_t left = v->result.sectors - v->result.compared;
                size_t whole = v->have / SECTOR_READ_SIZE;
                if ((int64_t)whole > left)
                        whole = (size_t)left; /* more than was asked for: not compared */
                if (whole) {
                        compare_chunk(v, whole);
                        if (v->finished || v->fd < 0)
                                return 0;
                        show(v, false);
                }
                size_t used = whole * SECTOR_READ_SIZE;
                if (v->result.compared >= v->result.sectors)
                        used = v->have;
                memmove(v->buf, v->buf + used, v->have - used);
                v->have -= used;
        }
        v->have = 0;
        v->eof = true;
        v->io = sd_event_source_disable_unref(v->io);
        if (v->replied)
                finish(v);
        return 0;
}

static int on_read_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        verify *v = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);

        v->call = sd_bus_slot_unref(v->call);
        v->replied = true;
        /* A failure we caused by stopping is no news. */
        if (e && !v->result.stopped && !v->result.source_error[0]) {
                (void)sd_bus_error_copy(&v->result.error, e);
                v->result.error_r = sd_bus_message_get_errno(m);
        }
        if (v->eof || e)
                finish(v);
        return 0;
}

/* ---------------------------------------------------------------- the API */

int verify_start(verify **ret, sd_bus *bus, sd_event *event, const char *drive_name,
                 const char *path, const burn_input *src, progress_style style, verify_done_fn done,
                 void *userdata)
{
        int p[2], r;
        verify *v = calloc(1, sizeof *v);
        if (!v)
                return -ENOMEM;
        v->bus = bus;
        v->event = event;
        v->drive = drive_name;
        v->src = src;
        v->style = style;
        v->done = done;
        v->userdata = userdata;
        v->fd = v->sent_fd = -1;
        v->writer.error_fd = -1;
        v->result.error = SD_BUS_ERROR_NULL;
        v->result.first_lba = 0;
        v->result.first_bad_lba = INT32_MIN;
        v->result.sectors = burn_input_leadout(src) - v->result.first_lba;
        v->sector_type = src->raw ? src->sector_type : (int32_t)src->layout->sector_type;
        v->sent_size = sector_stream_size(v->sector_type);
        v->buf = malloc(CHUNK_SECTORS * SECTOR_READ_SIZE);
        v->sent = malloc(CHUNK_SECTORS * (v->sent_size ? v->sent_size : 1));
        *ret = v;
        if (!v->buf || !v->sent)
                return -ENOMEM;
        if (!v->sent_size || v->result.sectors <= 0)
                return -EINVAL;

        /* Only our end is non-blocking: rawburnd writes as a reader of a full
         * pipe expects, waiting for room. */
        if (pipe2(p, O_CLOEXEC) < 0 || fcntl(p[0], F_SETFL, O_NONBLOCK) < 0)
                return -errno;
        (void)fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES);
        v->fd = p[0];
        /* The writing end goes to rawburnd (the message holds its own copy):
         * ours must go, or the pipe would never end. */
        sd_bus_message *msg = NULL;
        int32_t first = v->result.first_lba, count = (int32_t)v->result.sectors;
        r = sd_bus_message_new_method_call(bus, &msg, RAWBURN_BUS_NAME, path, RAWBURN_RAWCD_IFACE,
                                           "ReadMedia");
        if (r >= 0)
                r = sd_bus_message_append(msg, "hii", p[1], first, count);
        close(p[1]);
        if (r >= 0)
                r = sd_bus_call_async(bus, &v->call, msg, on_read_reply, v, READ_TIMEOUT_USEC);
        sd_bus_message_unref(msg);
        if (r < 0)
                return r;
        r = sd_event_add_io(event, &v->io, v->fd, EPOLLIN, on_readable, v);
        if (r < 0)
                return r;
        if (style == PROGRESS_JSON) {
                json_obj j;
                json_event(&j, "verify-start", drive_name);
                json_int(&j, "first_lba", first);
                json_int(&j, "sectors", count);
                json_close(&j);
                json_end_line(stdout);
        } else if (style != PROGRESS_QUIET) {
                printf("%s: verifying: reading back %d sectors (LBA %d to %d) to compare with "
                       "what was sent\n",
                       drive_name, count, first, first + count - 1);
                fflush(stdout);
        }
        /* The expected side is made ready now, so that a source that cannot be
         * read again stops the read at once. */
        if (sent_open(v) < 0) {
                if (!v->result.source_error[0])
                        snprintf(v->result.source_error, sizeof v->result.source_error,
                                 "the image could not be made again");
                verify_stop(v);
        }
        return 0;
}

void verify_stop(verify *v)
{
        if (!v || v->finished)
                return;
        if (!v->result.source_error[0])
                v->result.stopped = true;
        if (v->style == PROGRESS_BAR)
                progress_clear_bar(&v->drawn);
        /* rawburnd's next write to the pipe fails: it ends the read with Fail. */
        v->io = sd_event_source_disable_unref(v->io);
        if (v->fd >= 0)
                close(v->fd);
        v->fd = -1;
        v->eof = true;
        if (v->replied)
                finish(v);
}

const verify_result *verify_get_result(const verify *v)
{
        return &v->result;
}

void verify_free(verify *v)
{
        if (!v)
                return;
        v->io = sd_event_source_disable_unref(v->io);
        v->call = sd_bus_slot_unref(v->call);
        if (v->fd >= 0)
                close(v->fd);
        sent_close(v);
        sd_bus_error_free(&v->result.error);
        free(v->buf);
        free(v->sent);
        free(v);
}
