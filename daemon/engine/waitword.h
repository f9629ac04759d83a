/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A counter one thread bumps and another sleeps on (a futex). The burn
 * thread uses it to wait for data only when its source starves it, and the
 * feeders to wait for room; neither takes a lock on the hot path.
 */

#include <stdatomic.h>
#include <stdint.h>

typedef struct waitword {
        atomic_uint value;
} waitword;

static inline unsigned waitword_get(waitword *w)
{
        return atomic_load_explicit(&w->value, memory_order_acquire);
}

/* Bumps the counter and wakes every waiter. */
void waitword_bump(waitword *w);

/* Sleeps while the counter still reads seen, at most timeout_ms (-1: no
 * limit). Returns at once when it already changed. */
void waitword_wait(waitword *w, unsigned seen, int timeout_ms);
