/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * FunctionFS (Documentation/usb/functionfs.rst): the interface and endpoint descriptors and
 * strings written to ep0, ep0's events, and the bulk endpoints as a bot_endpoints.
 *
 * Facts of f_fs this file relies on: the endpoint files are ep1, ep2, … in the order of the
 * endpoint descriptors; reading an IN endpoint's file or writing an OUT one halts the
 * endpoint (the call fails with EBADMSG); a class request to our interface arrives on ep0
 * as a SETUP event, answered by writing the data stage (IN) or reading it (OUT, a zero
 * length read for none), and stalled by the opposite call; a blocked endpoint read or write
 * is interruptible, so a signal ends it with EINTR; while the host has not configured the
 * function, an endpoint read or write waits.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "usb.h"

#define EP_IN_ADDRESS  (1 | USB_DIR_IN)
#define EP_OUT_ADDRESS (2 | USB_DIR_OUT)

/* One speed's descriptors: the interface and its two bulk endpoints. */
struct speed_descriptors {
        struct usb_interface_descriptor intf;
        struct usb_endpoint_descriptor_no_audio bulk_in;
        struct usb_endpoint_descriptor_no_audio bulk_out;
} __attribute__((packed));

static const char interface_name[] = "Bulk-Only CD writer";

struct descriptors {
        struct usb_functionfs_descs_head_v2 header;
        __le32 fs_count;
        __le32 hs_count;
        struct speed_descriptors fs, hs;
} __attribute__((packed));

struct strings {
        struct usb_functionfs_strings_head header;
        __le16 language;
        char name[sizeof interface_name];
} __attribute__((packed));

static struct speed_descriptors speed(uint16_t max_packet)
{
        struct speed_descriptors s = {
            .intf =
                {
                    .bLength = sizeof s.intf,
                    .bDescriptorType = USB_DT_INTERFACE,
                    .bNumEndpoints = 2,
                    .bInterfaceClass = USB_CLASS_MASS_STORAGE,
                    .bInterfaceSubClass = 0x06, /* SCSI transparent command set */
                    .bInterfaceProtocol = 0x50, /* Bulk-Only */
                    .iInterface = 1,
                },
            .bulk_in =
                {
                    .bLength = sizeof s.bulk_in,
                    .bDescriptorType = USB_DT_ENDPOINT,
                    .bEndpointAddress = EP_IN_ADDRESS,
                    .bmAttributes = USB_ENDPOINT_XFER_BULK,
                    .wMaxPacketSize = htole16(max_packet),
                },
            .bulk_out =
                {
                    .bLength = sizeof s.bulk_out,
                    .bDescriptorType = USB_DT_ENDPOINT,
                    .bEndpointAddress = EP_OUT_ADDRESS,
                    .bmAttributes = USB_ENDPOINT_XFER_BULK,
                    .wMaxPacketSize = htole16(max_packet),
                },
        };
        return s;
}

static int write_all(int fd, const void *buf, size_t len)
{
        ssize_t n = write(fd, buf, len);

        if (n < 0)
                return -errno;
        return (size_t)n == len ? 0 : -EIO;
}

static int open_endpoint(usb_drive *d, const char *name, int *ret, char **error)
{
        char path[300];

        snprintf(path, sizeof path, "%s/%s", d->ffs_dir, name);
        *ret = open(path, O_RDWR | O_CLOEXEC);
        if (*ret < 0) {
                int r = -errno;
                if (asprintf(error, "cannot open %s: %s", path, strerror(-r)) < 0)
                        *error = NULL;
                return r;
        }
        return 0;
}

int usb_ffs_open(usb_drive *d, char **error)
{
        struct descriptors desc = {
            .header =
                {
                    .magic = htole32(FUNCTIONFS_DESCRIPTORS_MAGIC_V2),
                    .length = htole32(sizeof desc),
                    .flags = htole32(FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC),
                },
            .fs_count = htole32(3),
            .hs_count = htole32(3),
            .fs = speed(64),
            .hs = speed(512),
        };
        struct strings str = {
            .header =
                {
                    .magic = htole32(FUNCTIONFS_STRINGS_MAGIC),
                    .length = htole32(sizeof str),
                    .str_count = htole32(1),
                    .lang_count = htole32(1),
                },
            .language = htole16(0x0409),
        };
        int r;

        memcpy(str.name, interface_name, sizeof interface_name);
        r = open_endpoint(d, "ep0", &d->ep0, error);
        if (r < 0)
                return r;
        r = write_all(d->ep0, &desc, sizeof desc);
        if (r == 0)
                r = write_all(d->ep0, &str, sizeof str);
        if (r < 0) {
                if (asprintf(error, "%s/ep0 refused the descriptors: %s", d->ffs_dir,
                             strerror(-r)) < 0)
                        *error = NULL;
                return r;
        }
        r = open_endpoint(d, "ep1", &d->ep_in, error);
        if (r == 0)
                r = open_endpoint(d, "ep2", &d->ep_out, error);
        return r;
}

/* ---- the bulk endpoints as BOT sees them ---- */

static ssize_t ep_read_out(void *userdata, void *buf, size_t len)
{
        usb_drive *d = userdata;
        ssize_t n = read(d->ep_out, buf, len);

        return n < 0 ? -errno : n;
}

static ssize_t ep_write_in(void *userdata, const void *buf, size_t len)
{
        usb_drive *d = userdata;
        ssize_t n = write(d->ep_in, buf, len);

        return n < 0 ? -errno : n;
}

/*
 * f_fs halts an endpoint on a transfer in the wrong direction, which it answers EBADMSG.
 * A UDC refuses to halt an IN endpoint while a request is still queued on it (dummy_hcd:
 * EAGAIN), and the write of the data before the halt can return while the host has not
 * taken all of it yet (seen with usb-storage under QEMU), so the halt is tried again
 * until the queue has drained.
 */
static int ep_halt(int fd, bool in)
{
        for (unsigned tries = 0;; tries++) {
                uint8_t byte = 0;
                ssize_t n = in ? read(fd, &byte, 1) : write(fd, &byte, 1);

                if (n < 0 && errno == EBADMSG)
                        return 0;
                if (n >= 0)
                        return -EIO;
                if (errno != EAGAIN || tries >= 5000)
                        return -errno;
                nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
        }
}

static int ep_halt_in(void *userdata)
{
        return ep_halt(((usb_drive *)userdata)->ep_in, true);
}

static int ep_halt_out(void *userdata)
{
        return ep_halt(((usb_drive *)userdata)->ep_out, false);
}

/* Waits on the wake eventfd: ended early by a reset, a disable or the stop. */
static int wait_wake(usb_drive *d, int timeout_ms)
{
        struct pollfd p = {.fd = d->wake_fd, .events = POLLIN};
        int r = poll(&p, 1, timeout_ms);

        if (r < 0)
                return -errno;
        if (r > 0) {
                uint64_t v;
                if (read(d->wake_fd, &v, sizeof v) < 0 && errno != EAGAIN)
                        return -errno;
                return -EINTR;
        }
        return 0;
}

static int ep_wait_ns(void *userdata, uint64_t ns)
{
        /* Whole milliseconds, rounded up: the model's pacing is coarser than that. */
        uint64_t ms = (ns + 999999) / 1000000;

        return wait_wake(userdata, ms > 3600000 ? 3600000 : (int)ms);
}

static enum ds_direction model_direction(void *userdata, const uint8_t *cdb, size_t len)
{
        return ds_drive_data_direction(cdb, len);
}

static void model_execute(void *userdata, ds_cmd *cmd)
{
        usb_drive *d = userdata;

        pthread_mutex_lock(&d->lock);
        ds_drive_execute(d->model, cmd);
        /* Media events reach the host as the kernel polls GET EVENT STATUS NOTIFICATION;
         * only the device-gone fault needs the front end, and bot.c reports that. */
        (void)ds_drive_take_events(d->model);
        pthread_mutex_unlock(&d->lock);
}

/* ---- threads ---- */

/* Interrupts whatever the bulk thread is blocked in (and wakes a paced wait). */
static void interrupt_bulk(usb_drive *d)
{
        uint64_t one = 1;

        if (write(d->wake_fd, &one, sizeof one) < 0) {
                /* The counter is full: the thread has plenty of wake-ups pending. */
        }
        if (d->threads_started)
                pthread_kill(d->bulk_thread, SIGUSR1);
}

static void *bulk_thread(void *userdata)
{
        usb_drive *d = userdata;

        while (!atomic_load(&d->stopping)) {
                uint64_t stale;
                int r;

                /* Wake-ups meant for an earlier command must not cut this one's wait. */
                (void)!read(d->wake_fd, &stale, sizeof stale);
                r = bot_serve_one(&d->bot);
                if (r == 0 || r == -EINTR || r == BOT_INVALID_CBW)
                        continue;
                if (r == BOT_NO_ANSWER) {
                        /* The timeout fault: silence until the host resets us. */
                        while (!atomic_load(&d->stopping) && wait_wake(d, -1) == 0)
                                ;
                        continue;
                }
                if (r == BOT_GONE) {
                        uint8_t index = (uint8_t)d->index;
                        /* The main loop unplugs us; serve nothing meanwhile. */
                        if (write(d->fe->gone_pipe[1], &index, 1) < 0)
                                fprintf(stderr, "drivesim-usb: %s: cannot report the unplug: %m\n",
                                        d->model_name);
                        while (!atomic_load(&d->stopping))
                                (void)wait_wake(d, -1);
                        break;
                }
                /* Disabled (ESHUTDOWN), unbound, or an error of the controller: the command
                 * is abandoned; the next read waits until the host configures us again. A
                 * short pause keeps a persistent error from spinning. */
                if (d->fe->trace)
                        fprintf(stderr, "drivesim-usb: %s: bulk transfer ended: %s\n",
                                d->model_name, strerror(-r));
                (void)wait_wake(d, 100);
        }
        return NULL;
}

static void answer_setup(usb_drive *d, const struct usb_ctrlrequest *setup)
{
        uint16_t value = le16toh(setup->wValue), length = le16toh(setup->wLength);
        uint8_t type = setup->bRequestType;
        uint8_t zero = 0;

        if (type == (USB_DIR_IN | USB_TYPE_CLASS | USB_RECIP_INTERFACE) &&
            setup->bRequest == BOT_REQUEST_GET_MAX_LUN && value == 0 && length == 1) {
                /* One logical unit: the highest LUN is 0. */
                if (write(d->ep0, &zero, 1) < 0 && d->fe->trace)
                        fprintf(stderr, "drivesim-usb: Get Max LUN: %m\n");
                return;
        }
        if (type == (USB_DIR_OUT | USB_TYPE_CLASS | USB_RECIP_INTERFACE) &&
            setup->bRequest == BOT_REQUEST_RESET && value == 0 && length == 0) {
                /* Bulk-Only Mass Storage Reset: the command in progress is abandoned and the
                 * next CBW is served; the host clears the endpoints' halts itself. */
                bot_request_reset(&d->bot);
                interrupt_bulk(d);
                if (read(d->ep0, &zero, 0) < 0 && d->fe->trace)
                        fprintf(stderr, "drivesim-usb: reset's status stage: %m\n");
                if (d->fe->trace)
                        fprintf(stderr, "drivesim-usb: %s: Bulk-Only Mass Storage Reset\n",
                                d->model_name);
                return;
        }
        /* Anything else is stalled: the transfer in the direction the request does not
         * have. */
        if (type & USB_DIR_IN)
                (void)!read(d->ep0, &zero, 0);
        else
                (void)!write(d->ep0, &zero, 0);
}

static void *ep0_thread(void *userdata)
{
        usb_drive *d = userdata;
        struct usb_functionfs_event events[4];

        while (!atomic_load(&d->stopping)) {
                ssize_t n = read(d->ep0, events, sizeof events);
                if (n < 0) {
                        if (errno == EINTR || errno == EAGAIN)
                                continue;
                        if (!atomic_load(&d->stopping))
                                fprintf(stderr, "drivesim-usb: %s: ep0: %m\n", d->model_name);
                        break;
                }
                for (size_t i = 0; i < (size_t)n / sizeof events[0]; i++) {
                        switch (events[i].type) {
                        case FUNCTIONFS_ENABLE:
                                atomic_store(&d->enabled, true);
                                break;
                        case FUNCTIONFS_DISABLE:
                        case FUNCTIONFS_UNBIND:
                                /* A port reset, a new configuration, an unplug: the command
                                 * in progress is gone with the host's transfers. */
                                atomic_store(&d->enabled, false);
                                bot_request_reset(&d->bot);
                                interrupt_bulk(d);
                                break;
                        case FUNCTIONFS_SETUP:
                                answer_setup(d, &events[i].u.setup);
                                break;
                        default: /* BIND, SUSPEND, RESUME */
                                break;
                        }
                        if (d->fe->trace)
                                fprintf(stderr, "drivesim-usb: %s: ep0 event %u\n", d->model_name,
                                        events[i].type);
                }
        }
        return NULL;
}

static void ignore_signal(int signo)
{
        (void)signo;
}

int usb_ffs_start(usb_drive *d)
{
        static const struct sigaction interrupt = {.sa_handler = ignore_signal};
        bot_endpoints ep = {ep_read_out, ep_write_in, ep_halt_in, ep_halt_out, ep_wait_ns, d};
        bot_target target = {model_direction, model_execute, d};
        int r;

        /* SIGUSR1 interrupts a blocked endpoint call: no SA_RESTART. */
        if (sigaction(SIGUSR1, &interrupt, NULL) < 0)
                return -errno;
        d->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (d->wake_fd < 0)
                return -errno;
        bot_init(&d->bot, &ep, &target);
        d->bot.trace = d->fe->trace;
        r = -pthread_create(&d->bulk_thread, NULL, bulk_thread, d);
        if (r < 0)
                return r;
        r = -pthread_create(&d->ep0_thread, NULL, ep0_thread, d);
        if (r < 0) {
                atomic_store(&d->stopping, true);
                interrupt_bulk(d);
                pthread_join(d->bulk_thread, NULL);
                return r;
        }
        d->threads_started = true;
        return 0;
}

static void close_fd(int *fd)
{
        if (*fd >= 0)
                close(*fd);
        *fd = -1;
}

/* A signal can land just before the thread blocks, so it is sent until the thread ends. */
static void stop_thread(usb_drive *d, pthread_t thread)
{
        for (;;) {
                struct timespec deadline;
                uint64_t one = 1;

                (void)!write(d->wake_fd, &one, sizeof one);
                pthread_kill(thread, SIGUSR1);
                clock_gettime(CLOCK_REALTIME, &deadline);
                deadline.tv_nsec += 50000000;
                if (deadline.tv_nsec >= 1000000000) {
                        deadline.tv_sec++;
                        deadline.tv_nsec -= 1000000000;
                }
                if (pthread_timedjoin_np(thread, NULL, &deadline) == 0)
                        return;
        }
}

void usb_ffs_stop(usb_drive *d)
{
        if (d->threads_started) {
                atomic_store(&d->stopping, true);
                stop_thread(d, d->bulk_thread);
                stop_thread(d, d->ep0_thread);
                d->threads_started = false;
        }
        close_fd(&d->ep_in);
        close_fd(&d->ep_out);
        close_fd(&d->ep0);
        close_fd(&d->wake_fd);
}
