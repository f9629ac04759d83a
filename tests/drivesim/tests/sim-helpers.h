/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared fixtures for the drive model's cmocka tests: a fake clock and a
 * one-call way to send a CDB and look at the outcome. */

#include <stddef.h>
#include <stdint.h>

#include "ds-drive.h"

typedef struct sim {
        ds_drive *drive;
        uint64_t now_ns;     /* the fake clock; advance it by hand */
        uint64_t arrival_ns; /* the next command's ds_cmd.arrival_ns (0: now); reset after it */
        ds_cmd cmd;          /* the last command sent */
        uint8_t data[256 * 1024];
} sim;

/* Creates a drive from SPEC on a fake clock; fails the test on error. */
sim *sim_new(const char *spec);
void sim_free(sim *s);

/* Sends a CDB expecting data from the drive (alloc bytes). Returns the status. */
int sim_in(sim *s, const uint8_t *cdb, size_t cdb_len, size_t alloc);
/* Sends a CDB with len bytes of data (from s->data) to the drive. */
int sim_out(sim *s, const uint8_t *cdb, size_t cdb_len, size_t len);
/* Sends a CDB without data. */
int sim_none(sim *s, const uint8_t *cdb, size_t cdb_len);

/* Asserts the last command failed with this key/ASC/ASCQ. */
void sim_assert_sense(const sim *s, uint8_t key, uint8_t asc, uint8_t ascq);
/* Asserts the last command succeeded. */
void sim_assert_good(const sim *s);
/* Bytes the last command moved. */
size_t sim_transferred(const sim *s);

/* Runs a control line; asserts the return code r and returns the reply (free it). */
char *sim_control(sim *s, const char *line, int r);

#define CDB(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})
