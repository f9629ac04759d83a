/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * USB Mass Storage Bulk-Only Transport 1.0, the device side: one CBW in, the data phase, one
 * CSW out, with the halts and phase errors of the specification's section 6.7 (the thirteen
 * cases of host and device expectations). It knows nothing of FunctionFS: it moves bytes
 * through a bot_endpoints, and asks a bot_target to run the CDB, so the unit tests drive it
 * with in-memory endpoints.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ds-drive.h"

#define BOT_CBW_SIGNATURE 0x43425355u /* "USBC" */
#define BOT_CSW_SIGNATURE 0x53425355u /* "USBS" */
#define BOT_CBW_SIZE      31
#define BOT_CSW_SIZE      13

enum bot_csw_status {
        BOT_STATUS_PASSED = 0,
        BOT_STATUS_FAILED = 1,
        BOT_STATUS_PHASE_ERROR = 2,
};

/* Class-specific requests on ep0 (BOT 3.1, 3.2). */
#define BOT_REQUEST_RESET       0xFF
#define BOT_REQUEST_GET_MAX_LUN 0xFE

typedef struct bot_endpoints {
        /* One transfer from bulk-out of at most len bytes: bytes read (fewer = a short
         * packet ended it) or -errno (-EINTR: interrupted, -ESHUTDOWN: disabled, …). */
        ssize_t (*read_out)(void *userdata, void *buf, size_t len);
        /* Sends len bytes on bulk-in: bytes written or -errno. */
        ssize_t (*write_in)(void *userdata, const void *buf, size_t len);
        int (*halt_in)(void *userdata);
        int (*halt_out)(void *userdata);
        /* Waits ns nanoseconds (a paced drive's CSW): 0, or -EINTR when a reset came. */
        int (*wait_ns)(void *userdata, uint64_t ns);
        void *userdata;
} bot_endpoints;

typedef struct bot_target {
        /* Which way the command moves data as the device sees it (ds_drive_data_direction). */
        enum ds_direction (*direction)(void *userdata, const uint8_t *cdb, size_t cdb_len);
        /* Runs the command (ds_drive_execute, under the drive's lock). */
        void (*execute)(void *userdata, ds_cmd *cmd);
        void *userdata;
} bot_target;

typedef struct bot {
        bot_endpoints ep;
        bot_target target;
        /* An invalid CBW came: both bulk endpoints stay halted until Reset Recovery. */
        bool need_reset;
        /* Bumped by the ep0 side for every Bulk-Only Mass Storage Reset (and every
         * disable); the transport compares it across a command to abandon that command. */
        atomic_uint reset_generation;
        unsigned seen_generation;
        /* For the log and the tests: the last command's case and CSW. */
        uint32_t last_tag, last_residue;
        uint8_t last_status;
        bool trace;
} bot;

/* Outcomes of bot_serve_one() besides 0 (a CSW was sent). */
#define BOT_INVALID_CBW -EPROTO    /* endpoints halted until reset */
#define BOT_NO_ANSWER   -ETIMEDOUT /* the timeout fault: no CSW; wait for the host's reset */
#define BOT_GONE        -ENODEV    /* the device-gone fault: unplug */

void bot_init(bot *b, const bot_endpoints *ep, const bot_target *target);

/*
 * Serves one command: reads a CBW and answers it. Returns 0 after the CSW, one of the
 * outcomes above, or the -errno of an endpoint (-EINTR, -ESHUTDOWN, …): the command is
 * abandoned and the caller reads the next CBW once the endpoints are usable again.
 */
int bot_serve_one(bot *b);

/* From the ep0 side (any thread): a Bulk-Only Mass Storage Reset. The caller then
 * interrupts the thread blocked in bot_serve_one(). */
void bot_request_reset(bot *b);

/* Parses a CBW; 0 when valid and meaningful for a single-LUN device, else -EINVAL. */
typedef struct bot_cbw {
        uint32_t tag;
        uint32_t data_length;
        bool data_in;
        uint8_t lun;
        uint8_t cdb_len;
        uint8_t cdb[16];
} bot_cbw;
int bot_parse_cbw(const uint8_t *buf, size_t len, bot_cbw *ret);
void bot_format_csw(uint8_t out[BOT_CSW_SIZE], uint32_t tag, uint32_t residue, uint8_t status);
