/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "stream-writer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A bigger pipe smooths the child's bursts; the daemon keeps its own ring
 * buffer, so this is a comfort, not a requirement. */
#define PIPE_BYTES (1 << 20)

/* Closes every descriptor above 2 but the two kept (a < b). */
static void close_all_but(int a, int b)
{
        if (a > 3)
                close_range(3, (unsigned)a - 1, 0);
        if (b > a + 1)
                close_range((unsigned)a + 1, (unsigned)b - 1, 0);
        close_range((unsigned)b + 1, ~0U, 0);
}

static void child(rb_raw_image_creator_t *c, int out, int error_out)
{
        char err[1024] = "";
        sigset_t none;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_IGN);
        /* The terminal closing ends rawburnctl, not the burn: rawburnd goes
         * on with a write whose owner left, and the image must keep coming. */
        signal(SIGHUP, SIG_IGN);
        signal(SIGPIPE, SIG_IGN); /* a reader gone is -EPIPE, told to the parent */
        signal(SIGTERM, SIG_DFL);
        close_all_but(out < error_out ? out : error_out, out < error_out ? error_out : out);

        int r = rb_raw_image_creator_write_result_image(c, out, NULL, NULL);
        if (r < 0) {
                snprintf(err, sizeof err, "%s", rb_raw_image_creator_last_error(c));
                char msg[1100];
                int n = snprintf(msg, sizeof msg, "%d %s", -r, err[0] ? err : strerror(-r));
                (void)!write(error_out, msg, (size_t)n);
        }
        _exit(r < 0 ? 1 : 0);
}

/* The child writing into out, which stays open here. */
static int start_child(rb_raw_image_creator_t *c, stream_writer *w, int out)
{
        int errors[2];

        if (pipe2(errors, O_CLOEXEC) < 0)
                return -errno;
        /* Nothing buffered may be written twice by the child's exit. */
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
                int r = -errno;
                close(errors[0]);
                close(errors[1]);
                return r;
        }
        if (pid == 0)
                child(c, out, errors[1]);
        close(errors[1]);
        w->pid = pid;
        w->error_fd = errors[0];
        return 0;
}

int stream_writer_start(rb_raw_image_creator_t *c, stream_writer *w, int *read_fd)
{
        int data[2];

        if (pipe2(data, O_CLOEXEC) < 0)
                return -errno;
        (void)fcntl(data[1], F_SETPIPE_SZ, PIPE_BYTES);
        int r = start_child(c, w, data[1]);
        close(data[1]);
        if (r < 0) {
                close(data[0]);
                return r;
        }
        *read_fd = data[0];
        return 0;
}

int stream_writer_start_into(rb_raw_image_creator_t *c, stream_writer *w, int fd)
{
        return start_child(c, w, fd);
}

int stream_writer_finish(stream_writer *w, bool stop, char *err, size_t errlen)
{
        int status, r = 0;

        err[0] = 0;
        if (w->pid <= 0)
                return 0;
        if (stop)
                (void)kill(w->pid, SIGTERM);
        while (waitpid(w->pid, &status, 0) < 0)
                if (errno != EINTR) {
                        status = 0;
                        break;
                }
        w->pid = 0;

        char msg[1100];
        ssize_t n = read(w->error_fd, msg, sizeof msg - 1);
        close(w->error_fd);
        w->error_fd = -1;
        if (n > 0) {
                msg[n] = 0;
                char *text;
                long e = strtol(msg, &text, 10);
                r = e > 0 ? (int)-e : -EIO;
                snprintf(err, errlen, "%s", *text == ' ' ? text + 1 : text);
        } else if (WIFSIGNALED(status))
                r = WTERMSIG(status) == SIGTERM && stop ? -ECANCELED : -EINTR;
        else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                r = -EIO;
        if (r < 0 && !err[0])
                snprintf(err, errlen, "the image writer failed: %s", strerror(-r));
        return r;
}
