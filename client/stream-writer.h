/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Makes an image creator's result into a pipe, for rawburnd to read as it burns
 * (no temporary file). A child process writes it, so that the burn's event
 * loop never waits on a full pipe and a stuck writer can be killed: it
 * ignores SIGINT (Ctrl-C on the terminal reaches the whole process group;
 * the parent decides whether to cancel) and SIGHUP (a burn goes on when
 * its terminal closes, as rawburnd goes on when its owner leaves the bus),
 * and holds no descriptor but its
 * pipe, its error pipe and its source files (not the bus connection, so the
 * daemon sees the parent leave).
 */

#include <stdbool.h>
#include <sys/types.h>

#include "rawburn/raw-image-creator.h"

typedef struct stream_writer {
        pid_t pid;
        int error_fd; /* the child's error message arrives here */
} stream_writer;

/* Starts the child, which makes the result with
 * rb_raw_image_creator_write_result_image() (the parent's creator stays as it
 * was, so a verify can make the image again); *read_fd is the pipe's read end
 * (the caller's). */
int stream_writer_start(rb_raw_image_creator_t *c, stream_writer *w, int *read_fd);

/* The same into fd (a file: the memfd of an image made once for several
 * drives, fanout-image.h); the child's end is seen as the error
 * descriptor's hang-up. */
int stream_writer_start_into(rb_raw_image_creator_t *c, stream_writer *w, int fd);

/*
 * Waits for the child; stop: kill it first (the burn ended without reading
 * everything). Returns 0 when it wrote the whole image, -EPIPE when the
 * reader went away first, -ECANCELED when it was stopped, or the writer's
 * error with its message in err.
 */
int stream_writer_finish(stream_writer *w, bool stop, char *err, size_t errlen);
