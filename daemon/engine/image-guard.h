/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * SIGBUS from a mapped image that shrank under us. A caller's image is
 * mapped read-only; if the file is truncated while it is burning, touching
 * the pages past the new end raises SIGBUS in whichever thread touches them
 * (the prefetcher, the writer, or drivesim's preload copying a WRITE's data). The
 * handler puts a zero page over the faulting page so that the instruction
 * completes, and marks the region: the job sees the mark, stops and reports
 * the truncation. A SIGBUS outside every registered region is a real crash
 * and gets the default action.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct image_guard {
        const void *start;
        size_t length;
        atomic_bool faulted;
} image_guard;

/* Installs the handler (again: idempotent). Returns 0 or -errno. */
int image_guard_install(void);

/* Watches [start, start+length). At most IMAGE_GUARD_MAX at once: -EBUSY. */
#define IMAGE_GUARD_MAX 64
int image_guard_register(image_guard *g, const void *start, size_t length);
void image_guard_unregister(image_guard *g);

static inline bool image_guard_faulted(image_guard *g)
{
        return atomic_load_explicit(&g->faulted, memory_order_acquire);
}
