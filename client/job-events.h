/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The two signals of a running burn on org.rawburn1.DiscFormat2RawCD:
 * Update (IMAPI2's IDiscFormat2RawCDEventArgs, ~4 a second) and
 * WriteFinished (the outcome, just before WriteMedia's reply). */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "output.h"

typedef struct write_update {
        int32_t action; /* IMAPI_FORMAT2_RAW_CD_WRITE_ACTION */
        int32_t elapsed, remaining;
        int32_t start_lba, sector_count;
        int32_t last_read_lba, last_written_lba;
        int32_t total_system_buffer, used_system_buffer, free_system_buffer;
        int32_t total_device_buffer, used_device_buffer;
} write_update;

int write_update_read(sd_bus_message *m, write_update *u);
/* 0–100, or -1 while the size is unknown (a pipe before its end). */
double write_update_percent(const write_update *u);
/* Fill of the drive's and the daemon's buffers, 0–100, or -1 when unknown. */
double write_update_device_buffer(const write_update *u);
double write_update_system_buffer(const write_update *u);

typedef struct write_result {
        char *error_name; /* empty on success */
        char *message;
        uint32_t hresult;
        int64_t sectors_written;
        int32_t elapsed;
        bool simulated;
        char *writer_scheduling;
        int64_t major_faults;
        char *sense;
        uint8_t command;
} write_result;

/* Reads WriteFinished's (s, s, a{sv}). */
int write_result_read(sd_bus_message *m, write_result *w);
void write_result_free(write_result *w);
/* The members of an open JSON object for a result. */
void write_result_json(const write_result *w, json_obj *j);
