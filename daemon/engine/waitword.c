/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "waitword.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void waitword_bump(waitword *w)
{
        atomic_fetch_add_explicit(&w->value, 1, memory_order_acq_rel);
        (void)syscall(SYS_futex, &w->value, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

void waitword_wait(waitword *w, unsigned seen, int timeout_ms)
{
        struct timespec ts, *tsp = NULL;

        if (timeout_ms >= 0) {
                ts.tv_sec = timeout_ms / 1000;
                ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
                tsp = &ts;
        }
        /* The kernel compares the word with seen atomically: a bump between
         * our read and the wait makes this return at once (EAGAIN). */
        (void)syscall(SYS_futex, &w->value, FUTEX_WAIT_PRIVATE, seen, tsp, NULL, 0);
}
