/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Small sd-bus helpers the bus interfaces share: property getters, int
 * arrays, error replies. Loop thread only. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#define GETTER(fn)                                                                                 \
        static int fn(sd_bus *bus, const char *path, const char *interface, const char *property,  \
                      sd_bus_message *reply, void *userdata, sd_bus_error *error)

int bus_append_int_array(sd_bus_message *reply, const int32_t *v, size_t n);

/* Sends the error reply and frees e. */
void bus_reply_error(sd_bus_message *m, sd_bus_error *e);
/* DeviceNotExist: the drive went while the call waited. */
void bus_reply_gone(sd_bus_message *m);
