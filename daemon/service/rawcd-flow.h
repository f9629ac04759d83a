/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The steps of IDiscFormat2RawCD between the bus methods (rawcd-bus.c) and
 * the device work: each starts asynchronous work and replies to the call it
 * was given when that work ends. Loop thread only.
 */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "recorder.h"

/* Takes the drive for owner with settings s: state preparing, then prepared
 * (call gets the success code) or idle again (call gets the error). call
 * is NULL for a WriteMedia's own preparation (one_shot): the write follows. */
int rawcd_begin_prepare(Recorder *rec, sd_bus_message *call, const char *owner,
                        const rawcd_settings *s, bool one_shot);

/* Starts the write of c->image_fd for c->write_call on the prepared drive;
 * the call is answered when the burn ends. */
void rawcd_begin_write(Recorder *rec);

/* Lets the drive go; reply (taken over, may be NULL) is sent once it is. */
void rawcd_begin_release(Recorder *rec, sd_bus_message *reply);

/* SetWriteSpeed on the prepared drive; call gets (u result). */
int rawcd_begin_set_speed(Recorder *rec, sd_bus_message *call, int32_t speed, bool pure_cav);

/* ReadMedia: count sectors from first written to output (duplicated); call
 * gets the answer once they are. owned: the caller's own prepared drive. The
 * drive is busy for everyone else meanwhile. Negative errno when the read
 * cannot start (recorder_hold_error() words it). */
int rawcd_begin_read(Recorder *rec, sd_bus_message *call, int output, int32_t first, int32_t count,
                     bool owned);

/* ReadToc: the drive's READ TOC response of format for call (ay), under the
 * same rules as rawcd_begin_read(). */
int rawcd_begin_read_toc(Recorder *rec, sd_bus_message *call, uint8_t format, bool owned);

/* PropertiesChanged for the state and who holds the drive. */
void rawcd_emit_state(Recorder *rec);

/* LastWriteResult's value. */
int rawcd_append_last_result(sd_bus_message *m, const RawCD *c);

/* Checks the image descriptor of a WriteMedia before anything else is done:
 * its kind and access mode. Returns 0 or an error set in error. */
int rawcd_check_image_fd(int fd, sd_bus_error *error);
