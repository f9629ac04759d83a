/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image-guard.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Slots are claimed and read with atomics only: the handler may run in any
 * thread at any time and must not take locks. */
static _Atomic(image_guard *) slots[IMAGE_GUARD_MAX];
static size_t page_size;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
        uintptr_t addr = (uintptr_t)si->si_addr;

        for (size_t i = 0; i < IMAGE_GUARD_MAX; i++) {
                image_guard *g = atomic_load_explicit(&slots[i], memory_order_acquire);
                uintptr_t start;

                if (!g)
                        continue;
                start = (uintptr_t)g->start;
                if (addr < start || addr - start >= g->length)
                        continue;
                /* mmap is a plain system call on Linux, safe in a handler. */
                if (mmap((void *)(addr & ~(uintptr_t)(page_size - 1)), page_size, PROT_READ,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
                        break;
                atomic_store_explicit(&g->faulted, true, memory_order_release);
                return;
        }
        /* Not ours: die as SIGBUS would have killed us. */
        signal(sig, SIG_DFL);
        raise(sig);
}

int image_guard_install(void)
{
        struct sigaction sa;

        page_size = (size_t)sysconf(_SC_PAGESIZE);
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        return sigaction(SIGBUS, &sa, NULL) < 0 ? -errno : 0;
}

int image_guard_register(image_guard *g, const void *start, size_t length)
{
        g->start = start;
        g->length = length;
        atomic_store(&g->faulted, false);
        for (size_t i = 0; i < IMAGE_GUARD_MAX; i++) {
                image_guard *expected = NULL;

                if (atomic_compare_exchange_strong(&slots[i], &expected, g))
                        return 0;
        }
        return -EBUSY;
}

void image_guard_unregister(image_guard *g)
{
        for (size_t i = 0; i < IMAGE_GUARD_MAX; i++) {
                image_guard *expected = g;

                if (atomic_compare_exchange_strong(&slots[i], &expected, NULL))
                        return;
        }
}
