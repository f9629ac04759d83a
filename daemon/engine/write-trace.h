/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Per-WRITE timing of the burn thread, for finding where the time goes when
 * the drive's buffer dips: off unless RAWBURND_WRITE_TRACE names a file.
 * The records are taken into memory allocated and locked before the write
 * loop (the loop only reads the clock and stores), and written out after it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct write_trace_rec {
        int64_t ask_ns;  /* the loop wanted the next WRITE */
        int64_t data_ns; /* its sectors were ready (after any wait on the feeder) */
        int64_t sent_ns; /* copied, SG_IO about to be called */
        int64_t ret_ns;  /* SG_IO returned */
        uint32_t blocks;
        uint32_t waited; /* the feeder had to be waited for */
} write_trace_rec;

typedef struct write_trace {
        write_trace_rec *recs;
        size_t n, cap;
        char path[256];
} write_trace;

/* Allocates room for max_writes records when the variable is set. */
void write_trace_open(write_trace *t, int64_t max_writes);
static inline write_trace_rec *write_trace_next(write_trace *t)
{
        return t->recs && t->n < t->cap ? &t->recs[t->n] : NULL;
}
static inline void write_trace_commit(write_trace *t)
{
        t->n++;
}
/* Appends the records to the file, one line each, and frees them. */
void write_trace_close(write_trace *t, const char *drive);
