/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the recorder's two interfaces share: replies, who holds the drive,
 * the checks after polkit answers. Loop thread only. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "daemon.h"

#define GETTER(fn)                                                                                 \
        static int fn(sd_bus *bus, const char *path, const char *interface, const char *property,  \
                      sd_bus_message *reply, void *userdata, sd_bus_error *error)

int bus_append_int_array(sd_bus_message *reply, const int32_t *v, size_t n);

/* Sends the error reply and frees e. */
void bus_reply_error(sd_bus_message *m, sd_bus_error *e);
/* DeviceNotExist: the drive went while the call waited. */
void bus_reply_gone(sd_bus_message *m);

/* The drive may have gone while polkit thought: look it up again by path. */
Recorder *recorder_of_call(sd_bus_message *m, void *userdata);

/* Someone else holds the drive: exclusive access (IDiscRecorder2), a
 * preparation (IDiscFormat2RawCD) or an erase or read of another bus name. */
bool recorder_locked_by_other(Recorder *rec, sd_bus_message *m);
/* RecorderLocked naming the holder (or WriteInProgress while it writes). */
int recorder_reply_locked(Recorder *rec, sd_bus_error *error);

/*
 * The checks every polkit callback repeats once polkit has answered: the
 * drive may have gone, the caller may be refused, or someone may have locked
 * the drive while polkit decided. Replies to the call and returns NULL in
 * those cases, else the recorder.
 */
Recorder *authorized_recorder(sd_bus_message *m, int result, const char *action, void *userdata);

/* IOCTL_CDROM_EXCLUSIVE_ACCESS takes a short printable name; IMAPI2's client
 * names keep to that: 1 to 64 printable ASCII characters. */
bool client_name_valid(const char *s);

/* The drive is busy with an erase or a read outside a preparation (whoever
 * asked): RecorderLocked naming it, and true. */
bool recorder_busy(Recorder *rec, sd_bus_error *error);
