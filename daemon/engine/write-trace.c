/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "write-trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void write_trace_open(write_trace *t, int64_t max_writes)
{
        const char *path = getenv("RAWBURND_WRITE_TRACE");

        memset(t, 0, sizeof *t);
        if (!path || !*path || max_writes <= 0)
                return;
        snprintf(t->path, sizeof t->path, "%s", path);
        t->cap = (size_t)max_writes;
        t->recs = calloc(t->cap, sizeof *t->recs);
        /* Locked and touched now, so that storing a record in the loop
         * takes no page fault. */
        if (t->recs && mlock(t->recs, t->cap * sizeof *t->recs) < 0)
                memset(t->recs, 0, t->cap * sizeof *t->recs);
}

void write_trace_close(write_trace *t, const char *drive)
{
        FILE *f;

        if (!t->recs)
                return;
        f = fopen(t->path, "ae");
        if (f) {
                for (size_t i = 0; i < t->n; i++) {
                        const write_trace_rec *r = &t->recs[i];

                        fprintf(f,
                                "%s W ask=%lld data=%lld sent=%lld ret=%lld blocks=%u waited=%u\n",
                                drive, (long long)r->ask_ns, (long long)r->data_ns,
                                (long long)r->sent_ns, (long long)r->ret_ns, r->blocks, r->waited);
                }
                fclose(f);
        }
        munlock(t->recs, t->cap * sizeof *t->recs);
        free(t->recs);
        t->recs = NULL;
}
